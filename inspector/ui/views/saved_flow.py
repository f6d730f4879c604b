"""A saved flow, read-only: its steps, each step's requests, responses and findings, as recorded.

Opened from the History panel inside the Flows panel. Nothing here runs: the flow is rebuilt from
its stored record (already redacted, and cut where the record says so), and the step view shows
it without editable parameters. Actions on a saved flow sit in :attr:`SavedFlowView.actions`,
beside "Back to running flows": Diagnose and Export report…, as the History panel offers them;
the history entry and record it shows are :attr:`entry` and :attr:`record`.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListView, QPushButton, QSplitter, QVBoxLayout, QWidget

from inspector.ui.models.history import OUTCOME
from inspector.ui.models.steps import StepsModel
from inspector.ui.views.claim_delegate import ClaimDelegate
from inspector.ui.views.step_detail import StepDetail

class SavedFlowView(QWidget):
    """``back_requested`` returns to the flow runner; ``open_requested(token)`` opens a token the
    record kept whole (access and ID tokens) in the Decoder; ``diagnose_requested(entry, record,
    flow)`` and ``report_requested()`` act on the flow shown."""

    back_requested = Signal()
    open_requested = Signal(str)
    diagnose_requested = Signal(object, object, object)
    report_requested = Signal()

    def __init__(self, grant_labels: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Saved flow")
        self.grant_labels = grant_labels
        self.entry: Any = None
        self.record: Any = None
        self.flow: Any = None
        self._build()
        self._layout()
        self._connect()

    def _build(self) -> None:
        self.title = QLabel()
        self.title.setAccessibleName("Saved flow summary")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.notes = QLabel()
        self.notes.setAccessibleName("Saved flow notes")
        self.notes.setWordWrap(True)
        for label in (self.title, self.notes):  # the issuer came from the provider: never rich text
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.back_button = QPushButton("&Back to running flows")
        self.back_button.setAccessibleName("Back to running flows")
        self.diagnose_button = QPushButton("Dia&gnose")
        self.diagnose_button.setAccessibleName("Diagnose the saved flow")
        self.diagnose_button.setToolTip("Why did it fail? Opens the saved flow on the Diagnose panel (Ctrl+5)")
        self.report_button = QPushButton("Export &report…")
        self.report_button.setAccessibleName("Export report")
        self.report_button.setToolTip("A redacted report of this saved flow to share: preview, then save")
        self.steps_model = StepsModel(self)
        self.steps_view = QListView()
        self.steps_view.setModel(self.steps_model)
        self.steps_view.setItemDelegate(ClaimDelegate(self, mark_severity=False))
        self.steps_view.setAccessibleName("Saved flow steps")
        self.steps_view.setStyleSheet("QListView::item { padding: 4px 6px; }")
        self.detail = StepDetail(self)

    def _layout(self) -> None:
        self.actions = QHBoxLayout()
        self.actions.addWidget(self.title, 1)
        for button in (self.diagnose_button, self.report_button, self.back_button):
            self.actions.addWidget(button)
        splitter = QSplitter()
        splitter.addWidget(self.steps_view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 760])
        layout = QVBoxLayout(self)
        layout.addLayout(self.actions)
        layout.addWidget(self.notes)
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        self.back_button.clicked.connect(self.back_requested)
        self.diagnose_button.clicked.connect(lambda: self.diagnose_requested.emit(self.entry, self.record, self.flow))
        self.report_button.clicked.connect(self.report_requested)
        self.steps_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.detail.open_token_requested.connect(self.open_requested)

    def show_flow(self, entry: Any, record: Any, flow: Any) -> None:
        """Show ``flow``, rebuilt from ``record`` (the history ``entry``'s), the step that decided
        its outcome selected: the failed or cancelled one, else the last that ran (a skipped step did not)."""
        self.entry, self.record, self.flow = entry, record, flow
        label = self.grant_labels.get(record.grant, record.grant)
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.time))
        where = [f"profile {record.profile}" if record.profile else "", record.issuer]
        self.title.setText(" · ".join(part for part in [f"Saved flow: {label}", OUTCOME.get(record.status, record.status),
                                                        when, *where] if part))  # fmt: skip
        self.notes.setText("Read-only, as saved (secrets masked). " + " ".join(record.notes))
        self.steps_model.set_steps(flow.steps)
        ran = [row for row, step in enumerate(flow.steps) if step.status.value not in ("pending", "skipped")]
        deciding = next((row for row in ran if flow.steps[row].status.value in ("error", "cancelled")),
                        ran[-1] if ran else 0)  # fmt: skip
        if flow.steps:
            self.steps_view.selectionModel().setCurrentIndex(self.steps_model.index(deciding),
                                                             QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._show_selected()

    def _show_selected(self) -> None:
        index = self.steps_view.currentIndex()
        step = self.steps_model.step(index.row()) if index.isValid() else None
        self.detail.show_step(step, editable=False)
