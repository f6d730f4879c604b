"""What the Decoder shows while the token box is empty: the ways in, each a button that does it.

The ways in are data (:data:`WAYS_IN`): each names the panel that does it and the method of
that panel to call, so a new panel adds one line here. On the very first start (no profiles,
no history, nothing decoded yet) a short welcome heads the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget


@dataclass(frozen=True)
class WayIn:
    """One way to start: ``button`` opens ``panel`` and calls its method named ``action``."""

    title: str
    text: str
    button: str
    panel: str
    action: str


WAYS_IN: tuple[WayIn, ...] = (
    WayIn("Paste a token", "A JWT, JWE or opaque token copied from an app, a log or the browser's developer "
          "tools: its claims are explained and checked at once. Ctrl+V in the box above does the same.",
          "P&aste from clipboard", "Decoder", "paste_token"),
    WayIn("Add your identity provider", "Type its issuer URL and press Discover: its endpoints are filled in. "
          "Then run a sign-in flow step by step, or verify tokens against its keys.",
          "&New profile…", "Profiles", "new_profile_for_issuer"),
    WayIn("Find out why a sign-in failed", "Open a HAR or flow record to diagnose: a browser's recording of the "
          "sign-in, or a flow saved by this tool. The causes come first, each with its evidence and a fix.",
          "&Open a HAR or flow record…", "Diagnose", "open_file_dialog"),
)

WELCOME_TITLE = "Welcome to Token Inspector"
WELCOME_TEXT = ("It decodes and verifies OAuth 2.0 and OpenID Connect tokens and runs sign-in flows step by "
                "step, explaining every finding in plain words. Start with one of these:")
EMPTY_TEXT = "The token box is empty. Start with one of these:"
#: Wider than this the text gets hard to read; the rest of the panel stays empty.
READABLE_WIDTH = 640


class EmptyState(QFrame):
    """Emits ``chosen(panel, action)`` of a way in; :meth:`set_welcome` adds or removes the
    first-start heading."""

    chosen = Signal(str, str)

    def __init__(self, ways: tuple[WayIn, ...] = WAYS_IN, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Ways to start")
        self.ways = ways
        self.title = QLabel(WELCOME_TITLE)
        self.title.setAccessibleName("Welcome")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.intro = QLabel(EMPTY_TEXT)
        self.intro.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        self._layout()
        self.set_welcome(False)

    def _layout(self) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(12)
        grid.setColumnStretch(1, 1)
        for row, way in enumerate(self.ways):
            button = QPushButton(way.button)
            button.setAccessibleName(way.button.replace("&", ""))
            button.setAccessibleDescription(f"{way.title}. {way.text}")
            button.clicked.connect(lambda _checked=False, w=way: self.chosen.emit(w.panel, w.action))
            self.buttons[way.action] = button
            title = QLabel(f"<b>{way.title}</b>")
            text = QLabel(way.text)
            text.setWordWrap(True)
            words = QVBoxLayout()
            words.setSpacing(2)
            words.addWidget(title)
            words.addWidget(text)
            grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addLayout(words, row, 1)
        column = QVBoxLayout()
        column.addWidget(self.title)
        column.addWidget(self.intro)
        column.addSpacing(6)
        column.addLayout(grid)
        card = QWidget()
        card.setLayout(column)
        card.setMaximumWidth(READABLE_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(card)  # centred, at most READABLE_WIDTH wide
        layout.addStretch(1)

    def set_welcome(self, on: bool) -> None:
        """The first-start heading: on while there are no profiles, no history, nothing decoded."""
        self.title.setVisible(on)
        self.intro.setText(WELCOME_TEXT if on else EMPTY_TEXT)

    @property
    def welcome(self) -> bool:
        return not self.title.isHidden()
