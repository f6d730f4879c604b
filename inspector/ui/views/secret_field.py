"""Masked fields with a reveal toggle, for client secrets, shared keys and private keys.

A revealed secret is masked again as soon as the keyboard leaves the field for another widget
(the reveal button itself excepted) and whenever new text is loaded (another profile), so a
secret shown once does not stay on screen while the user works elsewhere.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QHBoxLayout, QLineEdit, QPlainTextEdit, QToolButton, QWidget

from inspector.core.redact import MASK


class _RevealableField(QWidget):
    """The reveal toggle and the re-masking rules; subclasses show or hide their editor."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reveal = QToolButton()
        self.reveal.setText("Show")
        self.reveal.setCheckable(True)
        self.reveal.setAccessibleName(f"Show {name.lower()}")
        self.reveal.toggled.connect(self.on_reveal_toggled)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        QApplication.instance().focusChanged.connect(self.on_app_focus_changed)

    @property
    def revealed(self) -> bool:
        return self.reveal.isChecked()

    def mask(self) -> None:
        self.reveal.setChecked(False)

    def on_reveal_toggled(self, shown: bool) -> None:
        self.reveal.setText("Hide" if shown else "Show")
        self._show_secret(shown)

    def on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # None: the whole window lost focus (another application); keep the field as it is.
        if new is not None and self.revealed and not self.isAncestorOf(new):
            self.mask()

    def _show_secret(self, shown: bool) -> None:
        raise NotImplementedError


class SecretField(_RevealableField):
    """One line, in password echo mode until revealed."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(name)
        self._row.addWidget(self.edit, 1)
        self._row.addWidget(self.reveal)
        self.setFocusProxy(self.edit)

    def _show_secret(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 - mirrors QLineEdit
        self.edit.setText(text)
        self.mask()

    def setPlaceholderText(self, text: str) -> None:  # noqa: N802 - mirrors QLineEdit
        self.edit.setPlaceholderText(text)


class SecretTextField(_RevealableField):
    """A multi-line secret (a PEM private key): hidden behind a "stored" line until revealed."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName(name)
        self.edit.setTabChangesFocus(True)
        self.edit.setMaximumHeight(90)
        self.edit.setPlaceholderText("-----BEGIN PRIVATE KEY----- … (for private_key_jwt)")
        self.masked = QLineEdit()
        self.masked.setReadOnly(True)
        self.masked.setAccessibleName(f"{name} (hidden)")
        self.masked.setPlaceholderText("none — press Show to paste one")
        self._row.addWidget(self.masked, 1)
        self._row.addWidget(self.edit, 1)
        self._row.addWidget(self.reveal)
        self.edit.textChanged.connect(self._update_mask)
        self._show_secret(False)

    def _show_secret(self, shown: bool) -> None:
        self.edit.setVisible(shown)
        self.masked.setVisible(not shown)
        self.setFocusProxy(self.edit if shown else self.reveal)

    def _update_mask(self) -> None:
        self.masked.setText(MASK if self.edit.toPlainText() else "")

    def text(self) -> str:
        return self.edit.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - mirrors QLineEdit
        self.edit.setPlainText(text)
        self.mask()
        self._update_mask()
