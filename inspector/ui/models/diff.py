"""Two tokens side by side: the core's diff entries (:mod:`inspector.core.jose.diff`) as a table.

An adapter only: which claims changed and how comes from the core; colour comes from
:data:`ChangeRole` through the diff delegate, never from the model.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt

from inspector.core.jose.claims import describe_time, is_numeric_date
from inspector.core.jose.diff import DiffEntry, TokenDiff
from inspector.ui.models.claims import DISPLAY_LIMIT, TOOLTIP_LIMIT
from inspector.ui.models.roles import ChangeRole, ClaimRole, ObjectRole, PartRole
from inspector.ui.models.table import EntryTableModel, Index

PART_TITLES = {"token": "Token", "header": "Header", "payload": "Payload", "signature": "Signature"}
CHANGE_WORDS = {"added": "only in B", "removed": "only in A", "changed": "changed", "same": "same"}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


class DiffModel(EntryTableModel):
    """Columns: Part, Claim, A, B, Difference. Time claims show dates; their tooltips say how each
    side stands now (``clock``)."""

    COLUMNS = ("Part", "Claim", "A", "B", "Difference")

    def __init__(self, clock: Callable[[], float], parent: Any = None) -> None:
        super().__init__(parent)
        self._clock = clock

    def set_diff(self, diff: TokenDiff | None) -> None:
        self.set_entries(() if diff is None else tuple(diff.entries))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.has_row(index):
            return None
        entry, column = self.entry(index.row()), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column, DISPLAY_LIMIT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (f"{entry.name}, {CHANGE_WORDS[entry.kind]}: A {entry.old_text or 'absent'}, "
                    f"B {entry.new_text or 'absent'}")  # fmt: skip
        if role == ChangeRole:
            return entry.kind
        if role == PartRole:
            return entry.part
        if role == ClaimRole:
            return entry.name
        if role == ObjectRole:
            return entry
        return None

    @staticmethod
    def _display(entry: DiffEntry, column: int, limit: int) -> str:
        if column == 0:
            return PART_TITLES.get(entry.part, entry.part)
        if column == 1:
            return entry.name
        if column == 2:
            return _cut(entry.old_text, limit)
        if column == 3:
            return _cut(entry.new_text, limit)
        return " · ".join(word for word in (CHANGE_WORDS[entry.kind], entry.note) if word)

    def _tooltip(self, entry: DiffEntry, column: int) -> str:
        if column in (2, 3):
            value, date = (entry.old, entry.old_date) if column == 2 else (entry.new, entry.new_date)
            text = self._display(entry, column, TOOLTIP_LIMIT)
            if date is not None and is_numeric_date(value):
                return f"{text}\n{describe_time(entry.path[0], value, self._clock()).relative}"
            return text
        return "\n".join(line for line in (entry.description, self._display(entry, 4, TOOLTIP_LIMIT)) if line)
