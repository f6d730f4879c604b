"""Spin boxes and combo boxes in a scrolled form take the mouse wheel only when they have focus.

Scrolling a long form with the wheel passes the pointer over its fields, and Qt lets each spin
box or combo box under it take the wheel and change its value: scrolling the profile form
turned the Port from "any free port" into 3. An unfocused one in a scroll area hands the wheel
to the scroll area, which scrolls; a click or Tab focuses it, and then the wheel changes it as
usual. Outside a scroll area nothing changes. Whether a widget sits in a scroll area is decided
when the wheel turns, so a form later moved into one is covered too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget


def scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area whose scrolled content holds ``widget``."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return parent
        parent = parent.parentWidget()
    return None


class WheelGuard(QObject):
    """The event filter; one per guarded tree of widgets (see :func:`guard_wheel`)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        focused = QApplication.focusWidget()
        if focused is not None and (focused is watched or watched.isAncestorOf(focused)):
            return False
        area = scroll_area_around(watched)
        if area is None:
            return False
        QApplication.sendEvent(area.viewport(), event)
        event.accept()  # scrolled, or at its end: either way the field keeps its value
        return True


def guard_wheel(root: QWidget) -> None:
    """Guard every spin box and combo box under ``root``. They no longer take focus from the
    wheel either (Qt focuses a WheelFocus widget before any filter sees the wheel)."""
    guard = WheelGuard(root)
    for widget in (*root.findChildren(QAbstractSpinBox), *root.findChildren(QComboBox)):
        if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(guard)
