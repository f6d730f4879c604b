"""Paints a diff from its roles: a tinted row per change (added, removed, changed), a mark before
the part, and the side that holds the change in the change's colour."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from inspector.ui.models.roles import ChangeRole
from inspector.ui.views.colours import change_colour

Index = QModelIndex | QPersistentModelIndex
CHANGE_MARK = {"added": "+", "removed": "−", "changed": "~", "same": " "}
#: Which value columns (A is 2, B is 3) hold a change of each kind.
_CHANGED_SIDES = {"added": (3,), "removed": (2,), "changed": (2, 3)}
_TINT_ALPHA = 40


class DiffDelegate(QStyledItemDelegate):
    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802 - Qt override
        super().initStyleOption(option, index)
        kind = index.data(ChangeRole) or "same"
        if index.column() == 0:
            option.text = f"{CHANGE_MARK.get(kind, ' ')} {option.text}"
        colour = change_colour(kind, option.palette)
        if colour is None:
            return
        tint = QColor(colour)
        tint.setAlpha(_TINT_ALPHA)
        option.backgroundBrush = QBrush(tint)
        if index.column() in (0, 4, *_CHANGED_SIDES.get(kind, ())):
            option.palette.setColor(QPalette.ColorRole.Text, colour)
            option.font.setBold(index.column() != 4)
