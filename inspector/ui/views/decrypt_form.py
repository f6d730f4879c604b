"""The decryption section of the Decoder: shown for an encrypted token (JWE) only.

The key is pasted (or loaded from a file) or is the active profile's decryption key from the
keyring; decrypting, loading the file and reading the keyring all run in workers. Like the
Verify form, a result never outlives its inputs: a new token or key clears it (``result_cleared``).
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.jose.parse import DecodedToken
from inspector.ui.context import AppContext
from inspector.ui.decryption import DecryptRequest, DecryptSource, read_key_file, run_decryption
from inspector.ui.views.secret_field import SecretTextField

SOURCES = ((DecryptSource.PASTED, "&Pasted key"), (DecryptSource.PROFILE, "Profile's decr&yption key"))
PROFILE_NOTE = "Uses the decryption key stored (in the keyring) with the profile chosen at the top of the window."


def choose_key_file(parent: QWidget) -> str:
    """The file dialog; "" when the person cancels it."""
    return QFileDialog.getOpenFileName(parent, "Open a decryption key", "",
                                       "Keys (*.json *.jwk *.jwks *.pem *.key);;All files (*)")[0]


class DecryptForm(QGroupBox):
    """Emits ``decrypted(Decryption)`` (failed ones too: their findings say why) and
    ``result_cleared`` when the inputs of a shown result changed."""

    decrypted = Signal(object)
    result_cleared = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Decrypt", parent)
        self.context = context
        self.setAccessibleName("Decrypt")
        self._decoded: DecodedToken | None = None
        self._worker: Any = None
        self._has_result = False
        self._profile = ""  # the profile that ran the flow the token came from; "": the Profile box's
        self.choose_file = choose_key_file  # a seam: tests answer without a dialog

        self.source_group = QButtonGroup(self)
        self.source_buttons = []
        for number, (_source, label) in enumerate(SOURCES):
            button = QRadioButton(label)
            button.setAccessibleName(f"Decryption key from {label.replace('&', '')}")
            self.source_group.addButton(button, number)
            self.source_buttons.append(button)
        self.source_buttons[0].setChecked(True)
        self.key = SecretTextField("Decryption key")
        self.key.edit.setPlaceholderText("Paste the recipient's private JWK, JWK Set or PEM key")
        self.file_button = QPushButton("Load from &file…")
        self.file_button.setAccessibleName("Load decryption key from file")
        self.profile_note = QLabel(PROFILE_NOTE)
        self.profile_note.setWordWrap(True)
        self.decrypt_button = QPushButton("&Decrypt")
        self.decrypt_button.setAccessibleName("Decrypt token")
        self.state_label = QLabel("")
        self.state_label.setAccessibleName("Decryption state")
        self.state_label.setWordWrap(True)
        self._layout()
        self._connect()
        self.set_token(None)

    def _layout(self) -> None:
        row = QHBoxLayout()
        row.addWidget(QLabel("Key:"))
        for button in self.source_buttons:
            row.addWidget(button)
        row.addWidget(self.key, 1)
        row.addWidget(self.profile_note, 1)
        row.addWidget(self.file_button)
        row.addWidget(self.decrypt_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.state_label)

    def _connect(self) -> None:
        self.source_group.idToggled.connect(self.on_source_group_id_toggled)
        self.key.edit.textChanged.connect(self.inputs_changed)
        self.file_button.clicked.connect(self.on_file_button_clicked)
        self.decrypt_button.clicked.connect(self.decrypt)
        self.on_source_group_id_toggled(0, True)

    @property
    def source(self) -> DecryptSource:
        return SOURCES[max(self.source_group.checkedId(), 0)][0]

    def on_source_group_id_toggled(self, number: int, checked: bool) -> None:
        if checked:
            pasted = SOURCES[number][0] is DecryptSource.PASTED
            for widget in (self.key, self.file_button):
                widget.setVisible(pasted)
            self.profile_note.setVisible(not pasted)
            self.inputs_changed()

    def use_profile(self, profile: str) -> None:
        """A token a flow obtained is decrypted with the key of the profile that ran the flow
        (whatever the Profile box shows later); ``""`` (a token from elsewhere): the Profile box's."""
        self._profile = profile
        if profile:
            self.source_buttons[[source for source, _ in SOURCES].index(DecryptSource.PROFILE)].setChecked(True)
            self.profile_note.setText(f"Uses the decryption key of profile {profile!r}, which ran the flow.")
        else:
            self.profile_note.setText(PROFILE_NOTE)
        self.inputs_changed()

    def set_token(self, decoded: DecodedToken | None) -> None:
        """A new token: shown only for a JWE; a running or shown decryption (of the old one) goes."""
        self._decoded = decoded
        self.setVisible(decoded is not None and decoded.format == "jwe")
        self.inputs_changed()

    def inputs_changed(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        self.decrypt_button.setEnabled(self._decoded is not None and self._decoded.format == "jwe")
        self._say("")
        if self._has_result:
            self._has_result = False
            self.result_cleared.emit()

    def _say(self, text: str) -> None:
        self.state_label.setText(text)
        self.state_label.setVisible(bool(text))

    def on_file_button_clicked(self) -> None:
        path = self.choose_file(self)
        if path:
            self.load_key_file(path)

    def load_key_file(self, path: str) -> None:
        """Read ``path`` in a worker, then put its text in the (masked) key field."""
        self._say("Reading the key file…")
        self.context.pool.start(lambda _job: read_key_file(path), on_finished=self.on_key_file_read,
                                on_errored=self.on_worker_errored, name="decrypt-key-file")

    def on_key_file_read(self, text: str) -> None:
        self.key.setText(text)
        self._say("Key loaded from the file: press Decrypt.")

    def request(self) -> DecryptRequest:
        return DecryptRequest(token=self._decoded.raw if self._decoded is not None else "", source=self.source,
                              key_text=self.key.text(), profile=self._profile or self.context.active_profile)

    def decrypt(self) -> None:
        if self._decoded is None or not self.decrypt_button.isEnabled():
            return
        request = self.request()
        self.inputs_changed()
        self.decrypt_button.setEnabled(False)
        self._say("Decrypting…")
        ticket: list[Any] = []

        def if_current(handler: Callable[..., None]) -> Callable[..., None]:
            # A decryption superseded by a new token reports later; it must not touch the new one.
            return lambda *args: handler(*args) if ticket and self._worker is ticket[0] else None

        self._worker = self.context.pool.start(
            lambda _job: run_decryption(request, self.context),
            on_finished=if_current(self.on_worker_finished), on_errored=if_current(self.on_worker_errored),
            name="decrypt")
        ticket.append(self._worker)

    def on_worker_finished(self, result: Any) -> None:
        self._worker = None
        self.decrypt_button.setEnabled(True)
        self._say(f"✔ Decrypted with {result.key.label}." if result.decrypted else
                  "✖ Not decrypted: see the findings below. Nothing of the content is shown.")
        self._has_result = True
        self.decrypted.emit(result)

    def on_worker_errored(self, exc: BaseException) -> None:
        from inspector.ui.errorhook import describe

        self._worker = None
        self.decrypt_button.setEnabled(self._decoded is not None and self._decoded.format == "jwe")
        self._say(f"Could not decrypt: {describe(exc)}")
