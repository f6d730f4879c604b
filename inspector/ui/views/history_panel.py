"""The History panel: saved tokens, searchable; Enter opens one in the decoder, Delete removes it.

Every store call runs in a worker (the history key lives in the keyring, which may use D-Bus).
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.errors import KeyringUnavailableError, StorageError
from inspector.core.storage.rollback import ROLLED_BACK
from inspector.ui.context import AppContext
from inspector.ui.errorhook import describe
from inspector.ui.models.history import HistoryModel, SortRole
from inspector.ui.views.banner import Banner
from inspector.ui.views.claim_delegate import ClaimDelegate
from inspector.ui.views.tables import make_table


def ask_confirmation(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class HistoryPanel(QWidget):
    """Emits ``open_requested(token)`` for the main window to show in the decoder."""

    open_requested = Signal(str)
    status_message = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAccessibleName("History")
        #: (title, text) -> yes?  Replaced in tests.
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask_confirmation(self, title, text)
        self.loaded = False
        self._build()
        self._layout()
        self._connect()
        self._update_count()
        self.initial_focus = self.view  # where Ctrl+1..4 puts the keyboard

    def _build(self) -> None:
        self.banner = Banner("History problem")
        self.accept_button = QPushButton("&Use this file…")
        self.accept_button.setAccessibleName("Use this older history file")
        self.accept_button.setToolTip("The history file was put back from an older copy; use it as it is")
        self.accept_button.setVisible(False)
        self.search = QLineEdit()
        self.search.setAccessibleName("Search history")
        self.search.setPlaceholderText("Search issuer, subject, kind, source… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.model = HistoryModel(lambda: self.context.clock(), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setSortRole(SortRole)
        self.view = make_table(self.proxy, "Saved tokens", (160, 210, 70, 260, 140))
        self.view.setItemDelegate(ClaimDelegate(self, mark_severity=False))
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.open_button = QPushButton("&Open in decoder")
        self.open_button.setAccessibleName("Open in decoder")
        self.report_button = QPushButton("Export &report…")
        self.report_button.setAccessibleName("Export report")
        self.report_button.setToolTip("A redacted report of this token to share: preview, then save")
        self.report_dialog: Any = None
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setAccessibleName("Delete entry")
        self.clear_button = QPushButton("Clear &all…")
        self.clear_button.setAccessibleName("Clear all history")
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setAccessibleName("Refresh history")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Entry count")

    def _layout(self) -> None:
        problem = QHBoxLayout()
        problem.addWidget(self.banner, 1)
        problem.addWidget(self.accept_button, 0, Qt.AlignmentFlag.AlignTop)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        for button in (self.open_button, self.report_button, self.delete_button, self.clear_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(problem)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.search.textChanged.connect(self.on_search_text_changed)
        self.view.activated.connect(lambda _index: self.open_selected())
        self.open_button.clicked.connect(self.open_selected)
        self.report_button.clicked.connect(self.export_report)
        self.delete_button.clicked.connect(self.delete_selected)
        self.clear_button.clicked.connect(self.clear_all)
        self.refresh_button.clicked.connect(self.load)
        self.accept_button.clicked.connect(self.accept_older_file)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.view, self.delete_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.view, self.open_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)

    # -- loading ------------------------------------------------------------------------------
    def activate(self) -> None:
        """Shown: reload, since flows and the decoder add entries meanwhile."""
        self.load()

    def load(self) -> None:
        def job(_job: Any) -> Any:
            with self.context.storage_lock:
                return self.context.storage.history.entries()

        self._run(job, self.on_loaded, "history-load")

    def on_loaded(self, entries: Any) -> None:
        self.loaded = True
        self.banner.clear()
        self.accept_button.setVisible(False)
        self.model.set_entries(entries)
        self._update_count()
        if self.proxy.rowCount() and not self.view.currentIndex().isValid():
            self.view.selectRow(0)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def on_search_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_count()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        text = f"{total} saved token{'s' if total != 1 else ''}"
        self.count_label.setText(text if shown == total else f"{shown} of {text}")
        has_selection = shown > 0
        self.open_button.setEnabled(has_selection)
        self.report_button.setEnabled(has_selection)
        self.delete_button.setEnabled(has_selection)
        self.clear_button.setEnabled(total > 0)

    # -- actions ------------------------------------------------------------------------------
    def selected_entry(self) -> Any:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.entry(self.proxy.mapToSource(index).row())

    def open_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.status_message.emit("Select a saved token first.")
            return

        def job(_job: Any) -> str:
            with self.context.storage_lock:
                return self.context.storage.history.token(entry.id)

        self._run(job, self.open_requested.emit, "history-open")

    def export_report(self) -> None:
        """The selected token's report in the report dialog (the token is read in its worker)."""
        entry = self.selected_entry()
        if entry is None:
            self.status_message.emit("Select a saved token first.")
            return
        from inspector.core.report.source import ReportSource
        from inspector.ui.views.report_dialog import ReportDialog

        def load() -> ReportSource:
            with self.context.storage_lock:
                token = self.context.storage.history.token(entry.id)
            return ReportSource("token", token, f"history entry {entry.id}")

        if self.report_dialog is not None:
            self.report_dialog.close()
        self.report_dialog = ReportDialog(self.context, load, subject=f"history entry {entry.id}", parent=self)
        self.report_dialog.open()

    def delete_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        who = entry.subject or entry.kind
        if not self.confirm("Delete saved token", f"Delete the saved {entry.kind} token for {who!r}? This cannot be undone."):
            return

        def job(_job: Any) -> Any:
            with self.context.storage_lock:
                history = self.context.storage.history
                history.delete(entry.id)
                return history.entries()

        self._run(job, self.on_loaded, "history-delete")
        self.status_message.emit("Saved token deleted.")

    def clear_all(self) -> None:
        if not self.confirm("Clear history", "Delete every saved token and the history's key? This cannot be undone."):
            return

        def job(_job: Any) -> Any:
            with self.context.storage_lock:
                history = self.context.storage.history
                history.clear()
                return history.entries()

        self._run(job, self.on_loaded, "history-clear")
        self.status_message.emit("History cleared.")

    def accept_older_file(self) -> None:
        """The file was put back from an older copy (see core/storage/rollback.py): use it only
        once the user has read what that means."""
        if not self.confirm("Use the older history file",
                            "Use the history file as it is now? Tokens deleted after this copy was made come "
                            "back, and tokens saved after it are not in it."):
            return

        def job(_job: Any) -> Any:
            with self.context.storage_lock:
                history = self.context.storage.history
                history.accept_older_file()
                return history.entries()

        self._run(job, self.on_loaded, "history-accept-older")
        self.status_message.emit("The older history file is in use.")

    def _run(self, job: Callable[[Any], Any], on_finished: Callable[[Any], None], name: str) -> None:
        self.context.pool.start(job, on_finished=on_finished, on_errored=self.on_errored, name=name)

    def on_errored(self, exc: BaseException) -> None:
        rolled_back = isinstance(exc, StorageError) and exc.code == ROLLED_BACK
        if isinstance(exc, KeyringUnavailableError):
            self.banner.show_message(f"The history cannot be opened: no keyring is usable. {exc}", "warning")
        elif rolled_back:
            self.banner.show_message(describe(exc), "warning")
        else:
            self.banner.show_message(describe(exc), "error")
        self.accept_button.setVisible(rolled_back)
