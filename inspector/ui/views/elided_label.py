"""A one-line label that shortens its text to the room it gets, the whole text in its tooltip.

A plain QLabel is never narrower than its text, so one long issuer URL or listener address
would set the whole window's minimum width. This one asks for room for its text but accepts
as little as a dozen characters, and elides the middle (a URL keeps its scheme and its end).

It is built before the window's first paint, empty: until it has text it names no Qt enum
(the first use of one builds Qt's enum tables, tens of milliseconds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

#: The narrowest the label gets, in average characters.
MINIMUM_CHARACTERS = 12


class ElidedLabel(QLabel):
    """Plain text only; ``text()`` is always the whole text, ``shown_text()`` what is painted."""

    def __init__(self, text: str = "", parent: QWidget | None = None, mode: Qt.TextElideMode | None = None) -> None:
        super().__init__(text, parent)
        self._mode = mode  # None: elide the middle
        self._update_tooltip()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self._update_tooltip()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        room = self.fontMetrics().averageCharWidth() * MINIMUM_CHARACTERS + margins.left() + margins.right()
        hint.setWidth(min(hint.width(), room))
        return hint

    def shown_text(self) -> str:
        text = self.text()
        if not text:
            return text
        from PySide6.QtCore import Qt  # here, not at import: the Qt namespace costs ~13 ms before the first paint

        mode = self._mode if self._mode is not None else Qt.TextElideMode.ElideMiddle
        return self.fontMetrics().elidedText(text, mode, self.contentsRect().width())

    def is_elided(self) -> bool:
        return self.shown_text() != self.text()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self.text():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment().value), self.palette(),
                                  self.isEnabled(), self.shown_text(), self.foregroundRole())

    def _update_tooltip(self) -> None:
        self.setToolTip(self.text() if self.is_elided() else "")
