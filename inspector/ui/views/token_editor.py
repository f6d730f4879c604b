"""The paste area: a plain-text editor that colours header, payload and signature in place.

Colouring uses a handful of extra selections over the spans the parser reports, not a syntax
highlighter, so a 200 KB token costs little more than showing the text at all.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import QColor, QFontDatabase, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from inspector.ui.views.colours import part_colour


class TokenEditor(QPlainTextEdit):
    """Emits ``pasted`` after a paste (Ctrl+V, menu, drop) so the panel can decode at once."""

    pasted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.setPlaceholderText(
            "Paste a token here (a Bearer prefix, quotes and whitespace are fine). It is decoded on "
            "your machine and never sent anywhere."
        )
        self.setAccessibleName("Token")
        self.setAccessibleDescription("Paste or type a JWT, JWE or opaque token; it is decoded as you type.")
        self.setTabChangesFocus(True)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        super().insertFromMimeData(source)
        self.pasted.emit()

    def show_spans(self, offset: int, spans: list[tuple[str, int, int]], emphasis: str | None = None) -> None:
        """Colour each ``(part, start, end)`` (offsets into the cleaned token, which starts at
        ``offset`` in the text); the ``emphasis`` part also gets a background."""
        selections = []
        palette = self.palette()
        length = self.document().characterCount() - 1
        for part, start, end in spans:
            colour = part_colour(part, palette)
            if colour is None or offset + start >= length:
                continue
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setForeground(colour)
            if part == emphasis:
                background = QColor(colour)
                background.setAlpha(48)
                fmt.setBackground(background)
                fmt.setFontUnderline(True)
            cursor = QTextCursor(self.document())
            cursor.setPosition(offset + start)
            cursor.setPosition(min(offset + end, length), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.setExtraSelections(selections)

    def clear_spans(self) -> None:
        self.setExtraSelections([])
