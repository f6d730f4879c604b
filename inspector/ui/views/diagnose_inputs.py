"""The Diagnose panel's inputs: the box anything is pasted or dropped into, and what the failing
application expected (folded away until wanted, like the CLI's options)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QFontDatabase, QTextOption
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.diagnosis.token_kind import name_of
from inspector.ui.diagnosis_session import Expectations

#: Pasted text longer than this is diagnosed without being put in the box (a HAR pasted whole
#: would make the editor lay out megabytes on the GUI thread).
LARGE_PASTE = 100_000
EXPECTED_KINDS = (("any kind", ""), ("ID token", "id_token"), ("access token", "access_token"),
                  ("refresh token", "refresh_token"))


def local_files(source: QMimeData) -> list[Path]:
    return [Path(url.toLocalFile()) for url in source.urls() if url.isLocalFile()] if source.hasUrls() else []


class ArtifactBox(QPlainTextEdit):
    """Emits ``pasted`` after a paste, ``files_given(paths)`` for files dropped or pasted (never
    inserted as text), and ``large_text_pasted(text)`` for text too long to show."""

    pasted = Signal()
    files_given = Signal(list)
    large_text_pasted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.setPlaceholderText("Paste a token, a callback URL or a provider's error answer — or drop a HAR or flow "
                                "record file here. Nothing is sent anywhere; a HAR's URLs are never fetched.")
        self.setAccessibleName("Artifact to diagnose")
        self.setAccessibleDescription("A token, callback URL, error answer, flow record or HAR; files can be dropped.")
        self.setTabChangesFocus(True)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 - Qt override
        return bool(local_files(source)) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        files = local_files(source)
        if files:
            self.files_given.emit(files)
            return
        if source.hasText() and len(source.text()) > LARGE_PASTE:
            self.large_text_pasted.emit(source.text())
            return
        super().insertFromMimeData(source)
        self.pasted.emit()


class ExpectationsForm(QWidget):
    """Issuer, client id, nonce and kind of token expected; empty fields are filled from
    ``profile`` (the active one, or the profile a flow or saved token was made with)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = ""
        self._build()
        self._layout()
        self.toggle.toggled.connect(self.on_toggle_toggled)
        for field in (self.issuer, self.client_id, self.nonce):
            field.textChanged.connect(self._summarise)
        self.expect.currentIndexChanged.connect(self._summarise)
        self.fetch.toggled.connect(self._summarise)
        self.on_toggle_toggled(False)
        self._summarise()

    def _build(self) -> None:
        self.toggle = QToolButton()
        self.toggle.setText("What the application &expected (optional)")
        self.toggle.setAccessibleName("Show what the application expected")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.summary = QLabel()
        self.summary.setAccessibleName("Expected so far")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.fields = QWidget()
        self.issuer = self._field("Issuer", "https://login.example.com (default: the profile's)")
        self.client_id = self._field("Client ID", "the client it is (default: the profile's)")
        self.nonce = self._field("Nonce", "the nonce it sent, if any")
        self.expect = QComboBox()
        self.expect.setAccessibleName("Expected kind of token")
        for label, value in EXPECTED_KINDS:
            self.expect.addItem(label, value)
        self.fetch = QCheckBox("Fetch the issuer's metadata and &keys")
        self.fetch.setAccessibleName("Fetch the issuer's metadata and keys")
        self.fetch.setToolTip("Only the issuer's discovery document and JWKS are fetched, and only when a diagnosis "
                              "needs them (a key rotation, a clock, the methods it supports). A HAR's URLs are "
                              "never fetched.")

    @staticmethod
    def _field(name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(name)
        field.setPlaceholderText(placeholder)
        field.setClearButtonEnabled(True)
        return field

    def _layout(self) -> None:
        grid = QGridLayout(self.fields)
        grid.setContentsMargins(18, 0, 0, 0)
        for row, column, name, widget in ((0, 0, "&Issuer:", self.issuer), (0, 2, "C&lient ID:", self.client_id),
                                          (1, 0, "N&once:", self.nonce), (1, 2, "&Token:", self.expect)):
            label = QLabel(name)
            label.setBuddy(widget)
            grid.addWidget(label, row, column)
            grid.addWidget(widget, row, column + 1)
        grid.addWidget(self.fetch, 2, 1, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        head = QHBoxLayout()
        head.addWidget(self.toggle)
        head.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.fields)

    def on_toggle_toggled(self, shown: bool) -> None:
        self.fields.setVisible(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def set_profile(self, name: str) -> None:
        self.profile = name or ""
        self._summarise()

    def expectations(self) -> Expectations:
        return Expectations(issuer=self.issuer.text(), client_id=self.client_id.text(), nonce=self.nonce.text(),
                            expect=self.expect.currentData() or "", profile=self.profile,
                            fetch=self.fetch.isChecked())

    def _summarise(self) -> None:
        given = [f"{name} {field.text().strip()}" for name, field in
                 (("issuer", self.issuer), ("client", self.client_id), ("nonce", self.nonce)) if field.text().strip()]
        if self.expect.currentData():
            given.append(name_of(self.expect.currentData()))
        if self.profile:
            given.append(f"the rest from profile {self.profile!r}" if given else f"from profile {self.profile!r}")
        if self.fetch.isChecked():
            given.append("issuer's keys fetched")
        self.summary.setText(" · ".join(given) if given else "nothing given: the artifact speaks for itself")
