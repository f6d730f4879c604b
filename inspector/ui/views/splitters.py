"""Splitter sizes in pixels, given once the splitter knows how much room it has.

``QSplitter.setSizes`` on a splitter that has not been laid out keeps only the proportions of
the numbers given, so a panel built before it is shown (most are: see ``MainWindow.warm_up``)
would get a step list or a findings table whose size depends on the window's first size.
Here the sizes are computed from the room there is, at the first show (or at once if shown).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QSplitter

#: total room (width or height, handles excluded) -> one size per widget
Sizer = Callable[[int], list[int]]


def room(splitter: QSplitter) -> int:
    """The width (height, if vertical) the splitter shares between its visible widgets."""
    total = splitter.width() if splitter.orientation() == Qt.Orientation.Horizontal else splitter.height()
    shown = sum(1 for index in range(splitter.count()) if not splitter.widget(index).isHidden())
    return max(total - splitter.handleWidth() * max(shown - 1, 0), 0)


class _FirstShow(QObject):
    def __init__(self, splitter: QSplitter, sizer: Sizer) -> None:
        super().__init__(splitter)
        self._sizer = sizer
        splitter.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show and isinstance(watched, QSplitter):
            watched.removeEventFilter(self)
            watched.setSizes(self._sizer(room(watched)))
            self.deleteLater()
        return False


def size_when_shown(splitter: QSplitter, sizer: Sizer) -> None:
    """Give ``splitter`` the sizes ``sizer(room)``: now if it is on screen, else when first shown."""
    if splitter.isVisible():
        splitter.setSizes(sizer(room(splitter)))
    else:
        _FirstShow(splitter, sizer)
