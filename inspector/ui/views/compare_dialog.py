"""Compare two tokens side by side: "this token works, that one does not".

Token A and token B are pasted (or A comes from the Decoder, both from the History panel, B from
the history's list here); each is decoded on the GUI thread (the parser is stdlib-only and fast)
and the core's diff (:mod:`inspector.core.jose.diff`) fills a table model, coloured by the diff
delegate. Unchanged claims are hidden by a filter proxy unless asked for. Reading the history
(keyring, decryption) runs in workers.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QRegularExpression, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.errors import InspectorError, describe
from inspector.core.jose.diff import TokenDiff, diff_tokens
from inspector.core.jose.parse import decode
from inspector.ui.context import AppContext
from inspector.ui.models.diff import DiffModel
from inspector.ui.models.roles import ChangeRole
from inspector.ui.views.colours import severity_colour
from inspector.ui.views.diff_delegate import DiffDelegate
from inspector.ui.views.tables import make_table

#: The newest saved tokens offered for B.
HISTORY_CHOICES = 200
_CHANGES_ONLY = QRegularExpression("^(added|removed|changed)$")
_FORMATS = {"jws": "JWS (signed)", "jwe": "JWE (encrypted)", "opaque": "opaque"}


def side_summary(summary: dict[str, Any]) -> str:
    """``JWS (signed) · RS256 · kid k1 · 812 characters``: one side at a glance."""
    words = [_FORMATS.get(summary["format"], summary["format"])]
    words += [f"{name} {summary[name]}" for name in ("alg", "enc", "kid", "typ") if name in summary]
    return " · ".join([*words, f"{summary['length']} characters"])


class CompareDialog(QDialog):
    """Non-modal; one per window, reused (:meth:`set_tokens`)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.diff: TokenDiff | None = None
        self.setWindowTitle("Compare tokens")
        self.setAccessibleName("Compare tokens")
        self._history_ids: list[str] = []
        self._build()
        self._layout()
        self._connect()
        self.resize(980, 620)
        self.compare()

    def _build(self) -> None:
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.a_edit, self.b_edit = QPlainTextEdit(), QPlainTextEdit()
        for edit, side in ((self.a_edit, "A"), (self.b_edit, "B")):
            edit.setAccessibleName(f"Token {side}")
            edit.setPlaceholderText(f"Paste token {side} (it is decoded here and never sent anywhere)")
            edit.setFont(fixed)
            edit.setFixedHeight(edit.fontMetrics().height() * 4 + 12)
        self.history_choice = QComboBox()
        self.history_choice.setAccessibleName("Token B from the history")
        self.history_choice.addItem("B from the history…")
        self.a_summary, self.b_summary, self.message = QLabel(), QLabel(), QLabel()
        for label, name in ((self.a_summary, "Token A summary"), (self.b_summary, "Token B summary"),
                            (self.message, "Comparison result")):  # fmt: skip
            label.setAccessibleName(name)
            label.setTextFormat(Qt.TextFormat.PlainText)  # a token's kid or a message may look like HTML
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = DiffModel(lambda: self.context.clock(), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(ChangeRole)
        self.proxy.setFilterKeyColumn(0)
        self.view = make_table(self.proxy, "Differences", (90, 170, 250, 250))
        self.view.setItemDelegate(DiffDelegate(self))
        self.show_same = QCheckBox("Show &unchanged")
        self.show_same.setAccessibleName("Show unchanged claims")
        self.swap_button = QPushButton("&Swap A and B")
        self.swap_button.setAccessibleName("Swap A and B")
        self.close_button = QPushButton("&Close")
        self.close_button.setAccessibleName("Close compare")

    def _layout(self) -> None:
        sides = QGridLayout()
        sides.addWidget(QLabel("Token &A"), 0, 0)
        sides.addWidget(QLabel("Token &B"), 0, 1)
        for column, (edit, summary) in enumerate(((self.a_edit, self.a_summary), (self.b_edit, self.b_summary))):
            sides.itemAtPosition(0, column).widget().setBuddy(edit)
            sides.addWidget(edit, 1, column)
            sides.addWidget(summary, 3, column)
        sides.addWidget(self.history_choice, 2, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.show_same)
        bottom.addStretch(1)
        bottom.addWidget(self.swap_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(sides)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self.a_edit.textChanged.connect(self.compare)
        self.b_edit.textChanged.connect(self.compare)
        self.show_same.toggled.connect(self.on_show_same_toggled)
        self.history_choice.activated.connect(self.on_history_choice_activated)
        self.swap_button.clicked.connect(self.swap)
        self.close_button.clicked.connect(self.close)
        self.on_show_same_toggled(self.show_same.isChecked())

    # -- comparing ----------------------------------------------------------------------------
    def set_tokens(self, a: str, b: str = "") -> None:
        """Compare ``a`` with ``b`` (or with whatever B is pasted or chosen next)."""
        for edit, text in ((self.a_edit, a), (self.b_edit, b)):
            edit.blockSignals(True)
            edit.setPlainText(text)
            edit.blockSignals(False)
        self.compare()

    def compare(self) -> None:
        a, b = self.a_edit.toPlainText(), self.b_edit.toPlainText()
        self.diff = None
        decoded = []
        for text, side, summary in ((a, "A", self.a_summary), (b, "B", self.b_summary)):
            summary.setText("")
            if not text.strip():
                continue
            try:
                decoded.append(decode(text))
            except InspectorError as exc:
                summary.setText(f"Not a token we can read. {exc}")
        if len(decoded) == 2:
            try:
                self.diff = diff_tokens(*decoded)
            except InspectorError as exc:
                self._show_result(str(exc), error=True)
        self.model.set_diff(self.diff)
        if self.diff is not None:
            self.a_summary.setText(side_summary(self.diff.a))
            self.b_summary.setText(side_summary(self.diff.b))
            self._show_result(self._verdict(self.diff))
        elif len(decoded) < 2 and not (a.strip() and b.strip()):
            self._show_result("Paste two tokens, or choose B from the history, to compare them.")
        elif len(decoded) < 2:
            self._show_result("One of the tokens cannot be read: see below it.", error=True)

    @staticmethod
    def _verdict(diff: TokenDiff) -> str:
        if diff.identical:
            return "The tokens are the same. Nothing was verified: this compares what they say."
        counts = diff.counts()
        changes = ", ".join(f"{counts[kind]} {word}" for kind, word in
                            (("changed", "changed"), ("added", "only in B"), ("removed", "only in A")) if counts[kind])
        return f"The tokens differ: {changes}. Nothing was verified: this compares what they say."  # fmt: skip

    def _show_result(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        colour = severity_colour("error", self.palette()) if error else None
        self.message.setStyleSheet(f"color: {colour.name()}; font-weight: bold;" if colour else "")

    def on_show_same_toggled(self, on: bool) -> None:
        self.proxy.setFilterRegularExpression(QRegularExpression() if on else _CHANGES_ONLY)

    def swap(self) -> None:
        self.set_tokens(self.b_edit.toPlainText(), self.a_edit.toPlainText())

    # -- the history --------------------------------------------------------------------------
    def load_history(self) -> None:
        """List the newest saved tokens (not flows) for B, in a worker."""

        def job(_job: Any) -> list[tuple[str, str]]:
            with self.context.storage_lock:
                entries = self.context.storage.history.entries()
                tokens = [entry for entry in entries[: HISTORY_CHOICES * 2] if not entry.is_flow]
            return [(entry.id, _choice_label(entry)) for entry in tokens[:HISTORY_CHOICES]]

        self.context.pool.start(job, on_finished=self.on_history_loaded, on_errored=self.on_history_errored,
                                name="compare-history")

    def on_history_loaded(self, choices: list[tuple[str, str]]) -> None:
        self.history_choice.clear()
        self.history_choice.addItem("B from the history…" if choices else "No saved tokens in the history")
        self._history_ids = [entry_id for entry_id, _label in choices]
        for _entry_id, label in choices:
            self.history_choice.addItem(label)

    def on_history_errored(self, exc: BaseException) -> None:
        self.history_choice.setItemText(0, "The history cannot be read")
        self.history_choice.setToolTip(describe(exc))

    def on_history_choice_activated(self, index: int) -> None:
        if not 1 <= index <= len(self._history_ids):
            return
        entry_id = self._history_ids[index - 1]

        def job(_job: Any) -> str:
            with self.context.storage_lock:
                return self.context.storage.history.token(entry_id)

        self.context.pool.start(job, on_finished=self.b_edit.setPlainText,
                                on_errored=lambda exc: self._show_result(describe(exc), error=True),
                                name="compare-history-token")  # fmt: skip

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.load_history()  # the history may have grown since the last time


def _choice_label(entry: Any) -> str:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.time))
    return " · ".join(part for part in (when, entry.kind, entry.subject, entry.issuer, entry.source_label) if part)
