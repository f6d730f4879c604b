"""What the person must do now: sign in in the browser, or enter a device code — with countdowns.

Renders the core's question objects (OpenUrlQuestion, DeviceCodeQuestion) and the wait events
of the running step; a one-second timer keeps the countdown current. While a step waits, its
Cancel button sits next to the countdown, and for the browser a hint says what to check if the
provider shows an error page instead of signing in.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60}:{seconds % 60:02d}"


class PromptBox(QFrame):
    """Hidden until a question arrives; ``open_url`` re-opens the URL on request;
    ``cancel_requested`` when the person stops the wait."""

    cancel_requested = Signal()

    def __init__(self, open_url: Callable[[str], Any], parent: QWidget | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("What to do now")
        self._open_url = open_url
        self._monotonic = monotonic
        self._deadline: float | None = None
        self._countdown_text = ""
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Instructions")
        self.user_code = QLabel()
        self.user_code.setAccessibleName("User code")
        font = QFont(self.font())
        font.setPointSize(max(font.pointSize(), 10) * 2 + 4)
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 3)
        self.user_code.setFont(font)
        self.user_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url = QLineEdit()
        self.url.setReadOnly(True)
        self.url.setAccessibleName("URL to open")
        self.copy_button = QPushButton("Cop&y URL")
        self.copy_button.setAccessibleName("Copy URL")
        self.open_button = QPushButton("Open in &browser")
        self.open_button.setAccessibleName("Open URL in browser")
        self.countdown = QLabel()
        self.countdown.setWordWrap(True)  # "Waiting for the browser on http://127.0.0.1:…" would widen the step view
        self.countdown.setAccessibleName("Countdown")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("If something goes wrong")
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setAccessibleName("Stop waiting")
        self.cancel_button.setToolTip("Stop waiting and end the flow (Esc)")
        self._layout()
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)
        self.copy_button.clicked.connect(self.on_copy_clicked)
        self.open_button.clicked.connect(lambda: self._open_url(self.url.text()))
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.reset()

    def _layout(self) -> None:
        url_row = QHBoxLayout()
        url_row.addWidget(self.url, 1)
        url_row.addWidget(self.copy_button)
        url_row.addWidget(self.open_button)
        wait_row = QHBoxLayout()
        wait_row.addWidget(self.countdown, 1)
        wait_row.addWidget(self.cancel_button)
        layout = QGridLayout(self)
        layout.addWidget(self.message, 0, 0)
        layout.addWidget(self.user_code, 1, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(url_row, 2, 0)
        layout.addLayout(wait_row, 3, 0)
        layout.addWidget(self.hint, 4, 0)

    def reset(self) -> None:
        self._timer.stop()
        self._deadline = None
        self.setVisible(False)
        self.user_code.setVisible(False)
        self.hint.setVisible(False)
        self.cancel_button.setVisible(False)
        self.countdown.clear()

    def show_open_url(self, url: str, opened: bool, listener: str, hint: str = "") -> None:
        """``hint``: what to check if the browser shows an error instead of a sign-in page."""
        self.message.setText(
            ("Opened in your browser. " if opened else "Your browser could not be opened: open the URL yourself. ")
            + f"Sign in there; the answer comes back to {listener}.")
        self.set_hint(hint)
        self.url.setText(url)
        self.url.setCursorPosition(0)
        self.copy_button.setText("Cop&y URL")
        self.user_code.setVisible(False)
        self.setVisible(True)

    def set_hint(self, text: str) -> None:
        """What to check if something goes wrong; empty hides it (e.g. once signing in worked)."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def show_device_code(self, user_code: str, verification_uri: str, complete: str | None) -> None:
        self.message.setText(f"On any device, open {verification_uri} and enter this code:")
        self.set_hint("")
        self.user_code.setText(user_code)
        self.user_code.setVisible(True)
        self.url.setText(complete or verification_uri)
        self.url.setCursorPosition(0)
        self.copy_button.setText("Cop&y URL")
        self.setVisible(True)

    def start_countdown(self, seconds: float, template: str) -> None:
        """``template`` has one ``{}`` for the remaining m:ss, e.g. "Next check in {}"."""
        self._deadline = self._monotonic() + seconds
        self._countdown_text = template
        self._tick()
        self._timer.start()
        self.cancel_button.setVisible(True)

    def stop_countdown(self, final: str = "") -> None:
        self._timer.stop()
        self._deadline = None
        self.countdown.setText(final)
        self.cancel_button.setVisible(False)

    def _tick(self) -> None:
        if self._deadline is None:
            return
        remaining = self._deadline - self._monotonic()
        self.countdown.setText(self._countdown_text.format(clock_text(remaining)))
        if remaining <= 0:
            self._timer.stop()

    def on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.url.text())
        self.copy_button.setText("Copied")
