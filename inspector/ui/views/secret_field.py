"""Masked fields with a reveal toggle, for client secrets, shared keys and private keys."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QToolButton, QWidget

from inspector.core.redact import MASK


class SecretField(QWidget):
    """Masked by default; the toggle reveals the text until pressed again."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(name)
        self.reveal = QToolButton()
        self.reveal.setText("Show")
        self.reveal.setCheckable(True)
        self.reveal.setAccessibleName(f"Show {name.lower()}")
        self.reveal.toggled.connect(self.on_reveal_toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.reveal)
        self.setFocusProxy(self.edit)

    def on_reveal_toggled(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.reveal.setText("Hide" if shown else "Show")

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 - mirrors QLineEdit
        self.edit.setText(text)
        self.reveal.setChecked(False)

    def setPlaceholderText(self, text: str) -> None:  # noqa: N802 - mirrors QLineEdit
        self.edit.setPlaceholderText(text)


class SecretTextField(QWidget):
    """A multi-line secret (a PEM private key): hidden behind a "stored" line until revealed."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName(name)
        self.edit.setTabChangesFocus(True)
        self.edit.setMaximumHeight(90)
        self.edit.setPlaceholderText("-----BEGIN PRIVATE KEY----- … (for private_key_jwt)")
        self.masked = QLineEdit()
        self.masked.setReadOnly(True)
        self.masked.setAccessibleName(f"{name} (hidden)")
        self.reveal = QToolButton()
        self.reveal.setText("Show")
        self.reveal.setCheckable(True)
        self.reveal.setAccessibleName(f"Show {name.lower()}")
        self.reveal.toggled.connect(self.on_reveal_toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.masked, 1)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.reveal)
        self.edit.textChanged.connect(self._update_mask)
        self.on_reveal_toggled(False)

    def on_reveal_toggled(self, shown: bool) -> None:
        self.edit.setVisible(shown)
        self.masked.setVisible(not shown)
        self.reveal.setText("Hide" if shown else "Show")
        self.setFocusProxy(self.edit if shown else self.reveal)

    def _update_mask(self) -> None:
        self.masked.setText(MASK if self.edit.toPlainText() else "")
        self.masked.setPlaceholderText("none — press Show to paste one")

    def text(self) -> str:
        return self.edit.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - mirrors QLineEdit
        self.edit.setPlainText(text)
        self.reveal.setChecked(False)
        self._update_mask()
