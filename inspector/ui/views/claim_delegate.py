"""Paints claims and findings from their roles: time state and severity colours, category tags."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from inspector.core.findings import Severity
from inspector.ui.models.roles import CategoryRole, SeverityRole, TimeStateRole
from inspector.ui.views.colours import (
    CATEGORY_LABEL,
    category_colour,
    severity_colour,
    state_colour,
)

Index = QModelIndex | QPersistentModelIndex
_TAG_PADDING = 6


class ClaimDelegate(QStyledItemDelegate):
    """Column 0: a severity mark (✖ ⚠) before the name and a category tag after it.

    Other columns: text coloured by the row's time state (expired red, not yet valid amber,
    valid green). With ``mark_severity`` False (findings) column 0 is only coloured.
    """

    def __init__(self, parent=None, *, mark_severity: bool = True) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.mark_severity = mark_severity

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802 - Qt override
        super().initStyleOption(option, index)
        palette = option.palette
        state = index.data(TimeStateRole)
        colour = state_colour(state, palette) if state else None
        severity = index.data(SeverityRole)
        if index.column() == 0 and severity:
            colour = severity_colour(severity, palette) or colour
            if self.mark_severity:
                option.text = f"{Severity(severity).mark} {option.text}"
        elif index.column() == 0 and self.mark_severity:
            option.text = f"   {option.text}"
        if colour is not None:
            option.palette.setColor(QPalette.ColorRole.Text, colour)
            if index.column() == 0 or state in ("expired", "not_yet_valid"):
                option.font.setBold(True)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt override
        size = super().sizeHint(option, index)
        label = self._tag(index)
        if label:
            size.setWidth(size.width() + option.fontMetrics.horizontalAdvance(label) + 4 * _TAG_PADDING)
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        label = self._tag(index)
        if not label:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        room = item.rect.width() - option.fontMetrics.horizontalAdvance(label) - 5 * _TAG_PADDING
        item.text = item.fontMetrics.elidedText(item.text, Qt.TextElideMode.ElideRight, max(room, 0))
        style = option.widget.style() if option.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, option.widget)
        category = index.data(CategoryRole)
        colour = category_colour(category, option.palette) or option.palette.color(QPalette.ColorRole.Text)
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(label) + 2 * _TAG_PADDING
        height = metrics.height()
        rect = QRect(option.rect.right() - width - _TAG_PADDING, option.rect.center().y() - height // 2, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(colour)
        painter.drawRoundedRect(rect, 4, 4)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()

    def _tag(self, index: Index) -> str:
        if index.column() != 0:
            return ""
        category = index.data(CategoryRole)
        return CATEGORY_LABEL.get(category, category or "")
