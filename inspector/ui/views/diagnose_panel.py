"""The Diagnose panel: why a login failed, from anything pasted or dropped — a token, a callback
URL, a provider's error answer, a flow record or a browser's HAR recording — or from a failed flow
or a saved token ("Diagnose" on the Flows and History panels).

The diagnoses are cards, root cause first (:mod:`diagnosis_cards`); a HAR adds the timeline of
its OAuth exchanges with the failing one marked, each opened below it with its secrets masked.
Reading and diagnosing run in a worker (:mod:`inspector.ui.diagnosis_session`) with progress; a
new input cancels the last, and input that cannot be used is a message here, never a traceback.
The button row under the cards holds the actions on the current result (:attr:`outcome`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inspector.core.errors import InspectorError, describe
from inspector.ui.context import AppContext
from inspector.ui.diagnosis_session import DiagnosisSession, Outcome, Subject
from inspector.ui.har_display import marks_of
from inspector.ui.models.timeline import TimelineModel
from inspector.ui.views.banner import Banner
from inspector.ui.views.claim_delegate import ClaimDelegate
from inspector.ui.views.diagnose_actions import ResultActions
from inspector.ui.views.diagnose_inputs import LARGE_PASTE, ArtifactBox, ExpectationsForm, local_files
from inspector.ui.views.diagnosis_cards import CardList, input_words, report_text
from inspector.ui.views.exchange_detail import ExchangeDetail
from inspector.ui.views.tables import make_table

if TYPE_CHECKING:
    from inspector.core.diagnosis.model import DiagnosisReport

HINT = ("Paste a token, a callback URL or a provider's error answer above, or open (or drop) a HAR or flow record "
        "file: the causes appear here, the surest first.")
NO_EXCHANGES = ("This recording holds no OAuth exchanges: the sign-in was not recorded. In the browser's developer "
                "tools, turn on Preserve log (Persist Logs in Firefox), sign in again, then save the HAR.")
FILE_FILTER = "HAR recordings and flow records (*.har *.json *.jsonl *.txt);;All files (*)"


def choose_file(parent: QWidget) -> str:
    """The file dialog; "" when the person cancels it."""
    return QFileDialog.getOpenFileName(parent, "Open a HAR recording or a flow record", "", FILE_FILTER)[0]


class DiagnosePanel(QWidget):
    """Emits ``open_requested(token, None)`` for the Decoder and ``outcome_changed(outcome)``
    (None while nothing is diagnosed) for the actions on the result."""

    open_requested = Signal(str, object)
    status_message = Signal(str)
    outcome_changed = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAccessibleName("Diagnose")
        self.setAcceptDrops(True)
        self.session = DiagnosisSession(context, self)
        #: Asks for a file to open ("" when cancelled); replaced in tests.
        self.choose_file: Callable[[], str] = lambda: choose_file(self)
        self.outcome: Outcome | None = None
        self._unboxed: Subject | None = None  # what Diagnose runs again while the box is empty
        self._build()
        self._layout()
        self._connect()
        self.initial_focus = self.box  # where Ctrl+5 puts the keyboard

    def _build(self) -> None:
        self.box = ArtifactBox()
        self.box.setMaximumHeight(self.box.fontMetrics().lineSpacing() * 3 + 12)
        self.diagnose_button = QPushButton("&Diagnose")
        self.diagnose_button.setAccessibleName("Diagnose")
        self.diagnose_button.setToolTip("Diagnose what is in the box, or the last file again (Ctrl+Return)")
        self.open_button = QPushButton("&Open…")
        self.open_button.setAccessibleName("Open a HAR or flow record file")
        self.form = ExpectationsForm()
        self.banner = Banner("Diagnosis problem")
        self.banner.label.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote a file's name or words
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Diagnosis progress")
        self.progress_bar.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel diagnosis")
        self.cancel_button.setToolTip("Stop reading (Esc)")
        self.subject_label = QLabel()
        self.subject_label.setAccessibleName("What was diagnosed")
        self.subject_label.setTextFormat(Qt.TextFormat.PlainText)
        self.subject_label.setWordWrap(True)
        self.subject_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cards = CardList(HINT)
        self.timeline_label = QLabel()
        self.timeline_label.setAccessibleName("Timeline summary")
        self.timeline_model = TimelineModel(self)
        self.timeline_view = make_table(self.timeline_model, "Timeline", (100, 60, 100, 200, 55))
        self.timeline_view.setItemDelegate(ClaimDelegate(self, mark_severity=True))
        self.timeline_view.horizontalHeader().setStretchLastSection(False)
        self.timeline_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.timeline_view.setColumnWidth(5, 190)
        self.timeline_view.setMinimumHeight(60)
        self.detail = ExchangeDetail()
        self.copy_button = QPushButton("&Copy diagnosis")
        self.copy_button.setAccessibleName("Copy diagnosis")
        self.copy_button.setToolTip("Copy every cause with its evidence and fix as text (secrets already masked)")
        self.result_actions = ResultActions(self)
        self.report_button = self.result_actions.report_button
        self.sanitize_button = self.result_actions.sanitize_button

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.box, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.diagnose_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        top.addLayout(buttons)
        self.progress_row = QWidget()
        progress = QHBoxLayout(self.progress_row)
        progress.setContentsMargins(0, 0, 0, 0)
        progress.addWidget(self.progress_bar, 1)
        progress.addWidget(self.cancel_button)
        self.timeline_box = QWidget()
        timeline = QVBoxLayout(self.timeline_box)
        timeline.setContentsMargins(0, 0, 0, 0)
        timeline.addWidget(self.timeline_label)
        timeline.addWidget(self.timeline_view, 1)
        self.results = QSplitter(Qt.Orientation.Vertical)
        for index, widget in enumerate((self.cards, self.timeline_box, self.detail)):
            self.results.addWidget(widget)
            self.results.setStretchFactor(index, (3, 2, 3)[index])
        self.results.setChildrenCollapsible(False)
        #: The actions on the current result (:attr:`outcome`): Copy, Export report… and Sanitize HAR….
        self.actions = QHBoxLayout()
        self.actions.addStretch(1)
        self.actions.addWidget(self.copy_button)
        self.result_actions.add_to(self.actions)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.form)
        layout.addWidget(self.banner)
        layout.addWidget(self.progress_row)
        layout.addWidget(self.subject_label)
        layout.addWidget(self.results, 1)
        layout.addLayout(self.actions)

    def _connect(self) -> None:
        self.box.pasted.connect(self.diagnose)
        self.box.large_text_pasted.connect(self.on_box_large_text_pasted)
        self.box.files_given.connect(self.on_files_given)
        self.diagnose_button.clicked.connect(self.diagnose)
        self.open_button.clicked.connect(self.open_file_dialog)
        self.cancel_button.clicked.connect(self.cancel)
        self.copy_button.clicked.connect(self.copy_diagnosis)
        self.session.started.connect(self.on_session_started)
        self.session.progress.connect(lambda value: self.progress_bar.setValue(round(value * 1000)))
        self.session.finished.connect(self.on_session_finished)
        self.session.failed.connect(self.on_session_failed)
        self.session.cancelled.connect(lambda: self._stopped("Cancelled: nothing was diagnosed."))
        self.timeline_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.timeline_view.activated.connect(lambda _index: self.detail.tabs.setFocus())
        self.detail.open_token_requested.connect(lambda token: self.open_requested.emit(token, None))
        for keys, slot in (("Ctrl+Return", self.diagnose), ("Ctrl+Enter", self.diagnose), ("Escape", self.cancel)):
            QShortcut(QKeySequence(keys), self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._show(None)

    # -- what to diagnose ---------------------------------------------------------------------
    @property
    def report(self) -> "DiagnosisReport | None":
        """The report shown (None while nothing is): for Export report…."""
        return self.outcome.report if self.outcome is not None else None

    @property
    def source_path(self) -> Path | None:
        """The file diagnosed, when the result came from one: for Sanitize HAR…."""
        return self.outcome.subject.path if self.outcome is not None else None

    def diagnose(self) -> None:
        """What is in the box; with the box empty, the last file, flow or huge paste again (with
        what the application expected as the fields say now)."""
        text = self.box.toPlainText()
        if text.strip():
            self._unboxed = None
            self._run(Subject("the pasted text", text=text))
        elif self._unboxed is not None:
            self._run(self._unboxed)
        else:
            self.banner.show_message("Paste something to diagnose, or open a HAR or flow record file.", "info")

    def diagnose_text(self, text: str) -> None:
        """Diagnose ``text`` as if pasted (for the first-start ways in)."""
        if len(text) > LARGE_PASTE:
            self.on_box_large_text_pasted(text)
            return
        self.box.setPlainText(text)
        self.diagnose()

    def open_file_dialog(self) -> None:
        """Ask for a HAR or flow record file and diagnose it (the Open… button)."""
        path = self.choose_file()
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> None:
        self._run_unboxed(Subject(f"the file {path.name}", path=path))

    def diagnose_flow(self, flow: Any, profile: str) -> None:
        """A flow that failed on the Flows panel, with its profile's expectations."""
        self.form.set_profile(profile)
        grant = str(getattr(flow, "grant", "")).replace("_", " ")
        self._run_unboxed(Subject(f"the failed {grant} flow (profile {profile!r})", flows=(flow,)))

    def diagnose_saved_flow(self, entry: Any, record: Any, flow: Any) -> None:
        """A flow saved in the history (rebuilt from its ``record``), with the profile it ran with."""
        self.form.set_profile(record.profile or entry.profile or "")
        grant = str(record.grant).replace("_", " ")
        self._run_unboxed(Subject(f"the saved {grant} flow (history entry {entry.id})", flows=(flow,)))

    def diagnose_token(self, token: str, profile: str) -> None:
        """A token saved in the history, with the profile it was saved with (if any)."""
        self.form.set_profile(profile)
        self.box.setPlainText(token)
        self._run(Subject("the saved token", text=token))

    def on_profile_changed(self, name: str) -> None:
        """The active profile supplies what the fields leave empty."""
        self.form.set_profile(name)

    def on_box_large_text_pasted(self, text: str) -> None:
        self._run_unboxed(Subject(f"the pasted text ({len(text) / 1e6:.1f} MB)", text=text))

    def on_files_given(self, paths: list[Path]) -> None:
        self.open_file(paths[0])
        if len(paths) > 1:
            self.status_message.emit(f"One file at a time: {paths[0].name} was opened.")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if local_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.on_files_given(files)

    def cancel(self) -> None:
        if self.session.busy:
            self.session.cancel()
            self._stopped("Cancelled: nothing was diagnosed.")

    def _run_unboxed(self, subject: Subject) -> None:
        """A file, a flow or a huge paste: not shown in the box, so Diagnose runs it again."""
        self.box.clear()
        self._unboxed = subject
        self._run(subject)

    def _run(self, subject: Subject) -> None:
        self.session.run(subject, self.form.expectations())

    # -- results ------------------------------------------------------------------------------
    def on_session_started(self, subject: Subject) -> None:
        self.banner.clear()
        self.progress_bar.setValue(0)
        self._show(None)
        self.subject_label.setText(f"Diagnosing {subject.label}…")

    def on_session_finished(self, outcome: Outcome) -> None:
        self._show(outcome)
        if outcome.timeline is not None and not outcome.timeline.exchanges:
            self.banner.show_message(NO_EXCHANGES, "info")
        report = outcome.report
        causes = sum(1 for d in report.diagnoses if d.confidence.value != "possible")
        self.status_message.emit(f"Diagnosed {outcome.subject.label}: " + (
            f"{causes} cause{'s' if causes != 1 else ''} found." if causes else "no failure explained."))

    def on_session_failed(self, subject: Subject, exc: BaseException) -> None:
        self._stopped(f"{subject.label[0].upper()}{subject.label[1:]} could not be diagnosed.")
        self.banner.show_message(describe(exc), "error")
        if not isinstance(exc, InspectorError):
            sys.excepthook(type(exc), exc, exc.__traceback__)

    def _stopped(self, text: str) -> None:
        self.progress_row.setVisible(False)
        self.subject_label.setText(text)

    def _show(self, outcome: Outcome | None) -> None:
        self.outcome = outcome
        self.cards.set_report(outcome.report if outcome is not None else None)
        timeline = outcome.timeline if outcome is not None else None
        self.timeline_model.set_timeline(timeline, outcome.redactor if outcome is not None else None,
                                         marks_of(outcome.report) if outcome is not None else None)
        self.timeline_box.setVisible(timeline is not None)
        self.detail.setVisible(timeline is not None)
        self.copy_button.setEnabled(outcome is not None)
        self.progress_row.setVisible(self.session.busy)
        if outcome is not None:
            self.subject_label.setText(self._describe(outcome))
        if timeline is not None:
            count = len(timeline.exchanges)
            self.timeline_label.setText(f"Timeline (from the HAR: {timeline.entry_count} entries, {count} about OAuth)"
                                        + (f"; {timeline.skipped_entries} unreadable entries left out"
                                           if timeline.skipped_entries else ""))
            row = self.timeline_model.first_marked_row()
            self.timeline_view.selectRow(row if row >= 0 else 0)
        self._show_selected()
        self._share_room()
        self.outcome_changed.emit(outcome)

    def _share_room(self) -> None:
        """The cards as much room as they need, up to half; the timeline its rows, up to a third;
        the exchange the rest."""
        total = self.results.height()
        if not self.timeline_box.isVisible():
            self.results.setSizes([total, 0, 0])
            return
        view = self.timeline_view
        rows = view.horizontalHeader().sizeHint().height() + view.verticalHeader().defaultSectionSize() * \
            self.timeline_model.rowCount() + 2 * view.frameWidth() + self.timeline_label.sizeHint().height() + 6
        timeline = min(rows, max(total // 3, 130))
        column = self.cards.widget()
        width = self.cards.viewport().width()
        need = column.heightForWidth(width) if column.hasHeightForWidth() else column.sizeHint().height()
        cards = min(need + 8, max(total * 2 // 5, 110))
        self.results.setSizes([cards, timeline, max(total - cards - timeline, 0)])

    def _describe(self, outcome: Outcome) -> str:
        text = f"Diagnosed {outcome.subject.label}, read as {input_words(outcome.report.input)}."
        if outcome.used:
            text += f" Expected: {', '.join(outcome.used)}."
        return text

    def _show_selected(self) -> None:
        index = self.timeline_view.currentIndex()
        redactor = self.outcome.redactor if self.outcome is not None else None
        exchange = self.timeline_model.exchange(index.row()) if index.isValid() else None
        self.detail.show_exchange(exchange, redactor)

    def copy_diagnosis(self) -> None:
        if self.outcome is None:
            return
        QGuiApplication.clipboard().setText(report_text(self.subject_label.text(), self.outcome.report))
        self.status_message.emit("The diagnosis was copied (secrets are masked in it).")
