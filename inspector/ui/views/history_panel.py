"""The History panel: saved tokens and flows, searchable; Enter opens a token in the decoder and a
flow read-only in the Flows panel, Delete removes it; two tokens selected can be compared.

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

from inspector.core.errors import KeyringUnavailableError, StorageError, describe
from inspector.core.storage.rollback import ROLLED_BACK
from inspector.ui.context import AppContext
from inspector.ui.models.history import HistoryModel, SortRole
from inspector.ui.views.banner import Banner
from inspector.ui.views.claim_delegate import ClaimDelegate
from inspector.ui.views.tables import fit_columns, make_table


def ask_confirmation(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class HistoryPanel(QWidget):
    """Emits ``open_requested(token)`` for the main window to show in the decoder,
    ``flow_open_requested(entry, record, flow)`` to show a saved flow read-only (the flow rebuilt
    from its record in the worker), ``flow_diagnose_requested(entry, record, flow)`` to diagnose
    it, and ``compare_requested(a, b)`` with two tokens, older first."""

    open_requested = Signal(str)
    flow_open_requested = Signal(object, object, object)
    flow_diagnose_requested = Signal(object, object, object)
    compare_requested = Signal(str, str)
    status_message = Signal(str)
    diagnose_requested = Signal(object, str)  # a saved token, the profile it was saved with

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
        self.search.setPlaceholderText("Search issuer, subject, kind, source, flow outcome… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.model = HistoryModel(lambda: self.context.clock(), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setSortRole(SortRole)
        self.view = make_table(self.proxy, "Saved tokens")
        fit_columns(self.view, fitted=(0, 2, 5), shared=(1, 3, 4))  # time, kind, expiry; source, issuer, subject
        self.view.setItemDelegate(ClaimDelegate(self, mark_severity=False))
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # two to compare

        self.open_button = QPushButton("&Open in decoder")
        self.open_button.setAccessibleName("Open in decoder")
        self.compare_button = QPushButton("&Compare")
        self.compare_button.setAccessibleName("Compare two saved tokens")
        self.compare_button.setToolTip("Select two saved tokens (Ctrl+click), then compare them side by side")
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
        self.diagnose_button = QPushButton("Dia&gnose")
        self.diagnose_button.setAccessibleName("Diagnose saved entry")
        self.diagnose_button.setToolTip("Why would this token be refused, or why did this flow fail? Opens it on the "
                                        "Diagnose panel with its profile's issuer and client id")

    def _layout(self) -> None:
        problem = QHBoxLayout()
        problem.addWidget(self.banner, 1)
        problem.addWidget(self.accept_button, 0, Qt.AlignmentFlag.AlignTop)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)  # up here, the six buttons below fit a narrow window
        top.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.open_button, self.diagnose_button, self.compare_button, self.report_button,
                       self.delete_button, self.clear_button):
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
        self.compare_button.clicked.connect(self.compare_selected)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
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
        self.diagnose_button.clicked.connect(self.diagnose_selected)

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
        text = f"{total} saved entr{'ies' if total != 1 else 'y'}"
        self.count_label.setText(text if shown == total else f"{shown} of {text}")
        self.clear_button.setEnabled(total > 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_selection = self.proxy.rowCount() > 0
        self.open_button.setEnabled(has_selection)
        self.diagnose_button.setEnabled(has_selection)
        self.report_button.setEnabled(has_selection)
        self.delete_button.setEnabled(has_selection)
        entry = self.selected_entry()
        self.open_button.setText("&Open in Flows" if entry is not None and entry.is_flow else "&Open in decoder")
        selected = self.selected_entries()
        self.compare_button.setEnabled(len(selected) == 2 and not any(e.is_flow for e in selected))

    # -- actions ------------------------------------------------------------------------------
    def selected_entry(self) -> Any:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.entry(self.proxy.mapToSource(index).row())

    def selected_entries(self) -> list[Any]:
        """The selected entries, oldest first."""
        rows = {self.proxy.mapToSource(index).row() for index in self.view.selectionModel().selectedRows()}
        return sorted((self.model.entry(row) for row in rows), key=lambda entry: entry.time)

    def open_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.status_message.emit("Select a saved token first.")
            return
        if entry.is_flow:
            self.open_flow(entry)
            return

        def job(_job: Any) -> str:
            with self.context.storage_lock:
                return self.context.storage.history.token(entry.id)

        self._run(job, self.open_requested.emit, "history-open")

    def open_flow(self, entry: Any, signal: Any = None) -> None:
        """Read the flow's record and rebuild the flow (importing the flows core) in a worker, for
        ``signal`` (default: open it read-only)."""
        signal = signal if signal is not None else self.flow_open_requested

        def job(_job: Any) -> tuple[Any, Any, Any]:
            with self.context.storage_lock:
                record = self.context.storage.history.flow_record(entry.id)
            return entry, record, record.to_flow()

        self._run(job, lambda opened: signal.emit(*opened), "history-open-flow")

    def compare_selected(self) -> None:
        entries = self.selected_entries()
        if len(entries) != 2 or any(entry.is_flow for entry in entries):
            self.status_message.emit("Select two saved tokens (Ctrl+click the second) to compare them.")
            return

        def job(_job: Any) -> tuple[str, str]:
            with self.context.storage_lock:
                history = self.context.storage.history
                return history.token(entries[0].id), history.token(entries[1].id)

        self._run(job, lambda tokens: self.compare_requested.emit(*tokens), "history-compare")

    def export_report(self) -> None:
        """The selected entry's report in the report dialog: a saved token, or a saved flow's
        record (read from the history in the dialog's worker)."""
        entry = self.selected_entry()
        if entry is None:
            self.status_message.emit("Select a saved token or flow first.")
            return
        from inspector.core.report.source import ReportSource
        from inspector.ui.views.report_dialog import ReportDialog

        def load() -> ReportSource:
            with self.context.storage_lock:
                history = self.context.storage.history
                if entry.is_flow:
                    record = history.flow_record(entry.id).to_flow().to_json(show_tokens=True)
                    return ReportSource("flow_record", record, f"history entry {entry.id}")
                return ReportSource("token", history.token(entry.id), f"history entry {entry.id}")

        if self.report_dialog is not None:
            self.report_dialog.close()
        self.report_dialog = ReportDialog(self.context, load, subject=f"history entry {entry.id}", parent=self)
        self.report_dialog.open()

    def delete_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        if entry.is_flow:
            what = f"saved {entry.source} flow" + (f" for {entry.subject!r}" if entry.subject else "")
        else:
            what = f"saved {entry.kind} token for {entry.subject or entry.kind!r}"
        if not self.confirm("Delete saved entry", f"Delete the {what}? This cannot be undone."):
            return

        def job(_job: Any) -> Any:
            with self.context.storage_lock:
                history = self.context.storage.history
                history.delete(entry.id)
                return history.entries()

        self._run(job, self.on_loaded, "history-delete")
        self.status_message.emit("Saved entry deleted.")

    def clear_all(self) -> None:
        if not self.confirm("Clear history", "Delete every saved token and flow, and the history's key? This cannot "
                            "be undone."):
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

    def diagnose_selected(self) -> None:
        """The selected token, or flow rebuilt from its record, read from the store in a worker, to
        the Diagnose panel."""
        entry = self.selected_entry()
        if entry is None:
            self.status_message.emit("Select a saved token or flow first.")
            return
        if entry.is_flow:
            self.open_flow(entry, self.flow_diagnose_requested)
            return

        def job(_job: Any) -> str:
            with self.context.storage_lock:
                return self.context.storage.history.token(entry.id)

        self._run(job, lambda token: self.diagnose_requested.emit(token, entry.profile), "history-diagnose")

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
