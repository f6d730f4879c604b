"""The steps of a flow as a list: number, title, state mark and timing."""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from inspector.ui.models.roles import ObjectRole, SeverityRole

Index = QModelIndex | QPersistentModelIndex

#: Step status value -> (mark, word shown to people).
STATUS_TEXT = {
    "pending": ("·", "pending"),
    "running": ("▶", "running"),
    "ok": ("✔", "done"),
    "error": ("✖", "failed"),
    "cancelled": ("■", "cancelled"),
    "skipped": ("–", "skipped"),
}
StatusRole = Qt.ItemDataRole.UserRole + 30


def status_value(step: Any) -> str:
    status = getattr(step, "status", "pending")
    return getattr(status, "value", status)


class StepsModel(QAbstractListModel):
    """Rows are the flow's Step records (or preview rows: objects with name/title/status)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._steps: list[Any] = []

    def set_steps(self, steps: Sequence[Any]) -> None:
        self.beginResetModel()
        self._steps = list(steps)
        self.endResetModel()

    def step(self, row: int) -> Any:
        return self._steps[row]

    def named(self, name: str) -> Any:
        """The row's step called ``name``, or None."""
        return next((step for step in self._steps if getattr(step, "name", None) == name), None)

    def row_of(self, step: Any) -> int:
        for row, candidate in enumerate(self._steps):
            if candidate is step or getattr(candidate, "name", None) == getattr(step, "name", object()):
                return row
        return -1

    def refresh(self, step: Any) -> None:
        row = self.row_of(step)
        if row >= 0:
            self._steps[row] = step
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._steps)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._steps)):
            return None
        step, number = self._steps[index.row()], index.row() + 1
        status = status_value(step)
        mark, word = STATUS_TEXT.get(status, ("?", status))
        if role == Qt.ItemDataRole.DisplayRole:
            duration = getattr(step, "duration", 0.0)
            timing = f"   {duration * 1000:.0f} ms" if status in ("ok", "error") and duration else ""
            return f"{mark} {number} {step.title}{timing}"
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return f"Step {number}, {step.title}: {word}"  # the whole name, also when the list elides it
        if role == StatusRole:
            return status
        if role == SeverityRole:
            return {"error": "error", "cancelled": "warning", "running": "info"}.get(status)
        if role == ObjectRole:
            return step
        return None
