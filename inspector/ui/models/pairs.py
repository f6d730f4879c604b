"""Name/value tables: request parameters (editable before a step runs), headers (read-only)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from PySide6.QtCore import QModelIndex, Qt

from inspector.core.redact import redact_value
from inspector.ui.models.table import ColumnTableModel, Index



class PairsModel(ColumnTableModel):
    """Columns: Name, Value. With ``target`` set, edits of a value write through to that dict
    (a step's ``inputs``); otherwise read-only. Secret values are masked for display."""

    COLUMNS = ("Name", "Value")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._pairs: list[tuple[str, str]] = []
        self._target: dict[str, str] | None = None
        self.mask = True

    def set_pairs(self, pairs: Mapping[str, Any] | Iterable[tuple[str, Any]], *,
                  target: dict[str, str] | None = None) -> None:
        """``pairs`` as a mapping, or as (name, value) pairs where a name may repeat (a recording's
        parameters and headers); a list value is a parameter sent once per value (``resource``)."""
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        self.beginResetModel()
        self._pairs = [(str(k), v if isinstance(v, str) else str(v)) for k, value in items
                       for v in (value if isinstance(value, list) else [value])]
        self._target = target
        self.endResetModel()

    def add_pair(self, name: str, value: str = "") -> None:
        if self._target is None or name in self._target:
            return
        self.beginInsertRows(QModelIndex(), len(self._pairs), len(self._pairs))
        self._pairs.append((name, value))
        self._target[name] = value
        self.endInsertRows()

    def remove_row(self, row: int) -> None:
        if self._target is None or not 0 <= row < len(self._pairs):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        name, _value = self._pairs.pop(row)
        self._target.pop(name, None)
        self.endRemoveRows()

    @property
    def editable(self) -> bool:
        return self._target is not None

    def item_count(self) -> int:
        return len(self._pairs)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 1 and self.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.has_row(index):
            return None
        name, value = self._pairs[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == 0:
                return name
            return redact_value(name, value) if self.mask else value
        if role == Qt.ItemDataRole.EditRole:
            return name if index.column() == 0 else value
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != 1 or not self.editable or role != Qt.ItemDataRole.EditRole:
            return False
        name = self._pairs[index.row()][0]
        self._pairs[index.row()] = (name, str(value))
        assert self._target is not None
        self._target[name] = str(value)
        self.dataChanged.emit(index, index)
        return True
