"""One recorded exchange of a HAR, opened from the Diagnose panel's timeline: its request and
response with every secret masked (see :mod:`inspector.ui.har_display`), and a button per token
it carries that opens the whole token in the Decoder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector.ui.har_display import show
from inspector.ui.models.pairs import PairsModel
from inspector.ui.views.tables import make_table

if TYPE_CHECKING:
    from inspector.core.har.model import HarExchange
    from inspector.core.redact import Redactor


def _line(name: str) -> QLabel:
    label = QLabel()
    label.setAccessibleName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ExchangeDetail(QWidget):
    """Emits ``open_token_requested(token)`` for a token button."""

    open_token_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build()
        self._layout()
        self.show_exchange(None, None)

    def _build(self) -> None:
        self.title = _line("Exchange")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.request_line = QLineEdit()  # one line that scrolls: a long URL must not widen the window
        self.request_line.setAccessibleName("Request line")
        self.request_line.setReadOnly(True)
        self.request_line.setFrame(False)
        self.params = PairsModel(self)
        self.params_view = make_table(self.params, "Request parameters", (200,))
        self.request_headers = PairsModel(self)
        self.request_headers_view = make_table(self.request_headers, "Request headers", (200,))
        self.response_line = _line("Response status")
        self.response_headers = PairsModel(self)
        self.response_headers_view = make_table(self.response_headers, "Response headers", (200,))
        self.carried = PairsModel(self)
        self.carried_label = QLabel("Carried back to the application (masked):")
        self.carried_view = make_table(self.carried, "Authorization response", (200,))
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setAccessibleName("Response body")
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Exchange details")
        for view in (self.params_view, self.request_headers_view, self.response_headers_view, self.carried_view):
            view.setMinimumHeight(60)
        self.body.setMinimumHeight(60)
        self.tokens_box = QWidget()
        self.tokens_layout = QHBoxLayout(self.tokens_box)
        self.tokens_layout.setContentsMargins(0, 0, 0, 0)
        self.token_buttons: list[QPushButton] = []

    def _layout(self) -> None:
        request = QWidget()
        request_layout = QVBoxLayout(request)
        request_layout.addWidget(self.request_line)
        request_layout.addWidget(self.params_view, 1)
        response = QWidget()
        response_layout = QVBoxLayout(response)
        response_layout.addWidget(self.response_line)
        response_layout.addWidget(self.carried_label)
        response_layout.addWidget(self.carried_view, 1)
        response_layout.addWidget(self.body, 2)
        self.tabs.addTab(request, "Re&quest")
        self.tabs.addTab(self.request_headers_view, "Request headers")
        self.tabs.addTab(response, "Respo&nse")
        self.tabs.addTab(self.response_headers_view, "Response headers")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.tokens_box)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)

    def show_exchange(self, exchange: "HarExchange | None", redactor: "Redactor | None") -> None:
        """Show ``exchange`` masked by its recording's ``redactor``; None empties the view."""
        self._set_tokens(())
        if exchange is None or redactor is None:
            self.title.setText("Select an exchange in the timeline to see its request and response.")
            self.tabs.setVisible(False)
            return
        shown = show(exchange, redactor)
        self.title.setText(shown.title)
        self.request_line.setText(shown.request_line)
        self.request_line.setCursorPosition(0)
        self.params.set_pairs(shown.params)
        self.request_headers.set_pairs(shown.request_headers)
        self.response_line.setText(shown.response_line)
        self.response_headers.set_pairs(shown.response_headers)
        self.carried.set_pairs(shown.carried)
        self.carried_label.setVisible(bool(shown.carried))
        self.carried_view.setVisible(bool(shown.carried))
        self.body.setPlainText(shown.body)
        self.body.setVisible(bool(shown.body))
        self.tabs.setVisible(True)
        self._set_tokens(shown.tokens)

    def _set_tokens(self, tokens: tuple[tuple[str, str], ...]) -> None:
        for button in self.token_buttons:
            button.hide()
            button.deleteLater()
        self.token_buttons = []
        for label, token in tokens:
            button = QPushButton(label)
            button.setAccessibleName(label)
            button.clicked.connect(lambda _checked=False, t=token: self.open_token_requested.emit(t))
            self.tokens_layout.addWidget(button)
            self.token_buttons.append(button)
        self.tokens_box.setVisible(bool(tokens))
