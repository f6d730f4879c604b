"""The history table: saved tokens' summaries (never the tokens) with their expiry state, and
saved flows with their outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import Qt

from inspector.core.jose.claims import describe_time
from inspector.core.storage.history_table import HistoryEntry
from inspector.ui.models.roles import ObjectRole, TimeStateRole
from inspector.ui.models.table import EntryTableModel, Index


#: Sort key role: raw numbers for the time columns so sorting is chronological, not textual.
SortRole = Qt.ItemDataRole.UserRole + 20
#: A flow's outcome in words, with the Flows panel's marks.
OUTCOME = {"ok": "✔ completed", "error": "✖ failed", "cancelled": "■ cancelled"}


class HistoryModel(EntryTableModel):
    """Columns: Time, Source, Kind, Issuer, Subject, Expiry (a saved flow's outcome). Rows are
    built only when shown."""

    COLUMNS = ("Time", "Source", "Kind", "Issuer", "Subject", "Expiry")

    def __init__(self, clock: Callable[[], float], parent: Any = None) -> None:
        super().__init__(parent)
        self._clock = clock

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.has_row(index):
            return None
        entry, column = self.entry(index.row()), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 5 and entry.is_flow:
                return f"A saved flow: {self._display(entry, column)}. Open it to see its steps."
            if column == 5 and entry.expires is not None:
                return describe_time("exp", entry.expires, self._clock()).utc
            if column == 3 and entry.audience:
                return f"{entry.issuer}\naudience: {', '.join(entry.audience)}"
            return self._display(entry, column)
        if role == SortRole:
            if column == 0:
                return entry.time
            if column == 5:
                return entry.expires if entry.expires is not None else float("inf")
            return self._display(entry, column).lower()
        if role == TimeStateRole and column == 5 and entry.expires is not None:
            return describe_time("exp", entry.expires, self._clock()).state
        if role == ObjectRole:
            return entry
        return None

    def _display(self, entry: HistoryEntry, column: int) -> str:
        if column == 0:
            return datetime.fromtimestamp(entry.time).strftime("%Y-%m-%d %H:%M:%S")
        if column == 1:
            return entry.source_label
        if column == 2:
            return entry.kind
        if column == 3:
            return entry.issuer
        if column == 4:
            return entry.subject
        if entry.is_flow:
            return OUTCOME.get(entry.status, entry.status)
        if entry.expires is None:
            return "no expiry"
        return describe_time("exp", entry.expires, self._clock()).relative
