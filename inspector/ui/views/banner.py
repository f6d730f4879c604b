"""A strip across the top of a panel that says what is wrong and how to fix it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from inspector.ui.views.colours import severity_colour


class Banner(QFrame):
    """Hidden until ``show_message``; coloured by severity ("error", "warning", "info")."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        self.setVisible(False)

    def show_message(self, text: str, severity: str = "warning") -> None:
        colour = severity_colour(severity, self.palette())
        border = colour.name() if colour is not None else "palette(mid)"
        self.setStyleSheet(f"Banner {{ border: 1px solid {border}; border-radius: 4px; }}")
        self.label.setText(text)
        self.setVisible(True)

    def clear(self) -> None:
        self.label.clear()
        self.setVisible(False)

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
