"""The profile form: every field of a profile, secrets masked; reads and builds Profile records.

Validation is the core's (:func:`inspector.core.storage.profile_model.validate`); the form only
turns text into the record's types.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from inspector.core.errors import StorageError
from inspector.core.storage.profile_model import AUTH_METHODS, REDIRECT_HOSTS, Profile
from inspector.ui.views.secret_field import SecretField, SecretTextField

#: A certificate chain or a key: far below this; a larger file is not one.
MAX_PEM_BYTES = 64 * 1024

ENDPOINT_LABELS = {
    "authorization_endpoint": "Authorization",
    "pushed_authorization_request_endpoint": "Pushed authorization request",
    "token_endpoint": "Token",
    "device_authorization_endpoint": "Device authorization",
    "userinfo_endpoint": "Userinfo",
    "introspection_endpoint": "Introspection",
    "revocation_endpoint": "Revocation",
    "jwks_uri": "JWKS",
}
#: The profile's use_par (RFC 9126) as the form offers it.
PAR_CHOICES = (("As the provider requires", None), ("Always", True), ("Never", False))


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def parse_params(text: str) -> dict[str, str]:
    """``name=value`` per line (blank lines ignored) → a dict; a line without '=' is an error."""
    params: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise StorageError(f"Extra parameter line {number} ({line.strip()!r}) is not name=value.")
        params[name.strip()] = value.strip()
    return params


class ProfileForm(QWidget):
    """``changed`` fires on any edit; ``secrets_edited`` holds which secret fields were touched."""

    changed = Signal()
    #: A PEM file could not be loaded: the reason, in words.
    load_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.name = _line("Profile name", "e.g. acme-dev")
        self.issuer = _line("Issuer URL", "https://login.example.com")
        self.client_id = _line("Client id")
        self.auth_method = QComboBox()
        self.auth_method.setAccessibleName("Client authentication method")
        for method in AUTH_METHODS:
            self.auth_method.addItem("Automatic" if method == "auto" else method, method)
        self.client_secret = SecretField("Client secret")
        self.client_secret.setPlaceholderText("kept in your keyring, never in a file")
        self.private_key = SecretTextField("Private key (PEM)")
        self.decryption_key = SecretTextField("Decryption key")
        self.decryption_key.edit.setPlaceholderText("Private JWK, JWK Set or PEM that encrypted tokens (JWE) are "
                                                    "encrypted to; kept in your keyring")
        self.client_cert = QPlainTextEdit()
        self.client_cert.setAccessibleName("Client certificate (PEM)")
        self.client_cert.setPlaceholderText("-----BEGIN CERTIFICATE----- … (mutual TLS, RFC 8705)")
        self.client_cert.setTabChangesFocus(True)
        self.client_cert.setMaximumHeight(90)
        self.client_key = SecretTextField("Client certificate key (PEM)")
        self.client_key.edit.setPlaceholderText("-----BEGIN PRIVATE KEY----- … (the client certificate's key)")
        self.scopes = _line("Scopes", "openid profile email")
        self.use_par = QComboBox()
        self.use_par.setAccessibleName("Pushed authorization requests")
        self.use_par.setToolTip("Push the authorization request to the provider first (PAR, RFC 9126), so the "
                                "browser carries only client_id and a request_uri")
        for label, value in PAR_CHOICES:
            self.use_par.addItem(label, value)
        self.resources = _line("Resources", "resource indicators (RFC 8707), space-separated; optional")
        self.redirect_host = QComboBox()
        self.redirect_host.setAccessibleName("Redirect host")
        self.redirect_host.addItems(REDIRECT_HOSTS)
        self.redirect_port = QSpinBox()
        self.redirect_port.setAccessibleName("Redirect port")
        self.redirect_port.setRange(0, 65535)
        self.redirect_port.setSpecialValueText("any free port")
        self.redirect_path = _line("Redirect path", "/callback")
        self.extra_params = QPlainTextEdit()
        self.extra_params.setAccessibleName("Extra authorization parameters")
        self.extra_params.setPlaceholderText("name=value, one per line (e.g. prompt=login)")
        self.extra_params.setTabChangesFocus(True)
        self.extra_params.setMaximumHeight(60)
        self.ca_bundle = _line("CA bundle file", "optional PEM file with extra trusted CAs")
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(60)
        self.endpoints = {name: _line(f"{label} endpoint") for name, label in ENDPOINT_LABELS.items()}
        self.dpop = QCheckBox("Use DPoP: bind the tokens to a key (RFC 9449)")
        self.dpop.setAccessibleName("Use DPoP")
        self.dpop_keep_key = QCheckBox("Keep a DPoP key for this profile (in your keyring)")
        self.dpop_keep_key.setAccessibleName("Keep a DPoP key for this profile")
        self.dpop_keep_key.setToolTip("Without a kept key each flow makes a new one. With one, tokens bound to it "
                                      "stay usable in later runs (userinfo, refresh, API calls).")
        #: The kept key's private JWK as loaded from the keyring, or made when the box is ticked.
        self._dpop_key: str | None = None

        client = QGroupBox("Client")
        form = QFormLayout(client)
        for label, widget in (("&Name", self.name), ("&Issuer", self.issuer), ("Client &id", self.client_id),
                              ("&Authentication", self.auth_method), ("Client &secret", self.client_secret),
                              ("Private &key", self.private_key), ("&Decryption key", self.decryption_key),
                              ("Sco&pes", self.scopes), ("Reso&urces", self.resources),
                              ("Pushed requests (PAR)", self.use_par), ("DPoP", self.dpop), ("", self.dpop_keep_key)):
            form.addRow(label, widget)
        form.addRow("Client certificate", self._with_loader(self.client_cert, "Load client certificate from a file",
                                                            self._load_client_cert))
        form.addRow("Certificate key", self._with_loader(self.client_key, "Load client certificate key from a file",
                                                         self._load_client_key))
        redirect = QGroupBox("Redirect (loopback, RFC 8252) and extras")
        form2 = QFormLayout(redirect)
        for label, widget in (("Host", self.redirect_host), ("Port", self.redirect_port),
                              ("Path", self.redirect_path), ("E&xtra parameters", self.extra_params),
                              ("CA bundle", self.ca_bundle), ("Notes", self.notes)):
            form2.addRow(label, widget)
        endpoints = QGroupBox("Endpoints (filled by Discover; set by hand if there is no discovery)")
        form3 = QFormLayout(endpoints)
        for name, label in ENDPOINT_LABELS.items():
            form3.addRow(label, self.endpoints[name])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for group in (client, endpoints, redirect):
            layout.addWidget(group)
        layout.addStretch(1)

        self.secrets_edited: set[str] = set()
        for edit in (self.name, self.issuer, self.client_id, self.scopes, self.resources, self.redirect_path,
                     self.ca_bundle,
                     *self.endpoints.values()):
            edit.textEdited.connect(self._edited)
        for text in (self.extra_params, self.notes, self.client_cert):
            text.textChanged.connect(self._edited)
        self.auth_method.activated.connect(self._edited)
        self.redirect_host.activated.connect(self._edited)
        self.use_par.activated.connect(self._edited)
        self.redirect_port.valueChanged.connect(self._edited)
        self.client_secret.edit.textEdited.connect(lambda _t: self._secret_edited("client_secret"))
        self.private_key.edit.textChanged.connect(lambda: self._secret_edited("private_key"))
        self.decryption_key.edit.textChanged.connect(lambda: self._secret_edited("decryption_key"))
        self.client_key.edit.textChanged.connect(lambda: self._secret_edited("client_key"))
        self.dpop.toggled.connect(self._edited)
        self.dpop_keep_key.toggled.connect(lambda _on: self._secret_edited("dpop_key"))

    @staticmethod
    def _with_loader(field: QWidget, name: str, load: Any) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        button = QPushButton("Load…")
        button.setAccessibleName(name)
        button.clicked.connect(load)
        layout.addWidget(field, 1)
        layout.addWidget(button)
        return row

    def _ask_pem_file(self, title: str) -> str:
        path, _filter = QFileDialog.getOpenFileName(self, title, "", "PEM files (*.pem *.crt *.cer *.key);;All files (*)")
        return path

    def _load_client_cert(self) -> None:
        path = self._ask_pem_file("Client certificate")
        if path:
            self.load_pem(self.client_cert, path)

    def _load_client_key(self) -> None:
        path = self._ask_pem_file("Client certificate key")
        if path:
            self.load_pem(self.client_key, path)

    def load_pem(self, field: QPlainTextEdit | SecretTextField, path: str) -> bool:
        """Put the PEM text of ``path`` (read within bounds) into ``field``; False, with
        ``load_failed`` emitted, when it cannot be read or is not text."""
        from inspector.core.files import read_bounded

        try:
            text = read_bounded(path, limit=MAX_PEM_BYTES, what="the PEM file", error=StorageError).decode("ascii")
        except StorageError as exc:
            self.load_failed.emit(exc.message)
            return False
        except UnicodeDecodeError:
            self.load_failed.emit(f"{path} is not a PEM text file.")
            return False
        editor = field if isinstance(field, QPlainTextEdit) else field.edit
        editor.setPlainText(text)
        return True

    def _edited(self, *_args: object) -> None:
        """A person changed a field (filling the form from a record does not count)."""
        if not self._loading:
            self.changed.emit()

    def _secret_edited(self, kind: str) -> None:
        if not self._loading:
            self.secrets_edited.add(kind)
            self.changed.emit()

    def show_profile(self, profile: Profile | None, secrets: dict[str, str] | None = None) -> None:
        """Fill the form (empty for a new profile); secrets come from the keyring, masked."""
        self._loading = True
        p = profile or Profile(name="", issuer="")
        self.name.setText(p.name)
        self.issuer.setText(p.issuer)
        self.client_id.setText(p.client_id)
        self.auth_method.setCurrentIndex(self.auth_method.findData(p.auth_method))
        self.scopes.setText(" ".join(p.scopes))
        self.use_par.setCurrentIndex(next(i for i, (_label, value) in enumerate(PAR_CHOICES) if value is p.use_par))
        self.resources.setText(" ".join(p.resources))
        self.redirect_host.setCurrentText(p.redirect_host)
        self.redirect_port.setValue(p.redirect_port)
        self.redirect_path.setText(p.redirect_path)
        self.extra_params.setPlainText("\n".join(f"{k}={v}" for k, v in p.extra_params.items()))
        self.ca_bundle.setText(p.ca_bundle)
        self.notes.setPlainText(p.notes)
        self.client_cert.setPlainText(p.client_cert)
        for name, edit in self.endpoints.items():
            edit.setText(p.endpoints.get(name, ""))
        secrets = secrets or {}
        self.client_secret.setText(secrets.get("client_secret", ""))
        self.private_key.setText(secrets.get("private_key", ""))
        self.decryption_key.setText(secrets.get("decryption_key", ""))
        self.client_key.setText(secrets.get("client_key", ""))
        self.dpop.setChecked(p.dpop)
        self._dpop_key = secrets.get("dpop_key")
        self.dpop_keep_key.setChecked(self._dpop_key is not None or "dpop_key" in p.secrets)
        self.secrets_edited = set()
        self._loading = False

    def fill_endpoints(self, metadata: dict[str, Any]) -> None:
        for name, edit in self.endpoints.items():
            value = metadata.get(name)
            if isinstance(value, str) and value:
                edit.setText(value)
        self.changed.emit()

    def profile(self) -> Profile:
        """The record the form describes (validated by the core: StorageError names the problem)."""
        from inspector.core.storage.profile_model import validate

        return validate(Profile(
            name=self.name.text().strip(),
            issuer=self.issuer.text().strip(),
            endpoints={n: e.text().strip() for n, e in self.endpoints.items() if e.text().strip()},
            client_id=self.client_id.text().strip(),
            auth_method=self.auth_method.currentData(),
            scopes=tuple(self.scopes.text().split()),
            resources=tuple(self.resources.text().split()),
            redirect_host=self.redirect_host.currentText(),
            redirect_port=self.redirect_port.value(),
            redirect_path=self.redirect_path.text().strip() or "/callback",
            extra_params=parse_params(self.extra_params.toPlainText()),
            ca_bundle=self.ca_bundle.text().strip(),
            client_cert=self.client_cert.toPlainText().strip(),
            notes=self.notes.toPlainText(),
            dpop=self.dpop.isChecked(),
            use_par=self.use_par.currentData(),
        ))

    def edited_secrets(self) -> dict[str, str | None]:
        """Secrets the user changed: the new value, or None when a field was emptied (delete)."""
        values = {"client_secret": self.client_secret.text(), "private_key": self.private_key.text(),
                  "decryption_key": self.decryption_key.text(), "client_key": self.client_key.text(),
                  "dpop_key": self._kept_dpop_key()}
        return {kind: (values[kind] or None) for kind in self.secrets_edited}

    def _kept_dpop_key(self) -> str:
        """The DPoP key to keep: the loaded one, or a new ES256 key when the box was just ticked;
        empty (delete it) when the box is clear."""
        if not self.dpop_keep_key.isChecked():
            return ""
        if self._dpop_key is None:
            from inspector.core.jose.dpop_key import DpopKey

            self._dpop_key = DpopKey.generate().to_private_jwk()
        return self._dpop_key
