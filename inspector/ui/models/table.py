"""The shape every flat table model here shares: named columns, one row per item, no children.

Claims, findings, history and name/value pairs differ only in their rows and ``data``; the
counts, the horizontal header and the "does this index point at a row" check live here once.
Models whose rows are simply a sequence of entries, replaced whole (history, diff), hold it in
:class:`EntryTableModel`.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class ColumnTableModel(QAbstractTableModel):
    """Subclasses name their ``COLUMNS`` and say how many rows they hold (:meth:`item_count`)."""

    COLUMNS: tuple[str, ...] = ()

    def item_count(self) -> int:
        raise NotImplementedError

    def has_row(self, index: Index) -> bool:
        """Whether ``index`` points at one of this model's rows (views may ask about stale ones)."""
        return index.isValid() and 0 <= index.row() < self.item_count()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else self.item_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None


class EntryTableModel(ColumnTableModel):
    """One row per entry of a sequence that :meth:`set_entries` replaces whole; subclasses give
    ``COLUMNS`` and ``data``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: Sequence[Any] = ()

    def set_entries(self, entries: Sequence[Any]) -> None:
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    def entry(self, row: int) -> Any:
        return self._entries[row]

    def item_count(self) -> int:
        return len(self._entries)
