"""The profile form: every field of a profile, secrets masked; reads and builds Profile records.

Validation is the core's (:func:`inspector.core.storage.profile_model.validate`); the form only
turns text into the record's types.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from inspector.core.errors import StorageError
from inspector.core.storage.profile_model import AUTH_METHODS, ENDPOINTS, REDIRECT_HOSTS, Profile
from inspector.ui.views.secret_field import SecretField, SecretTextField

ENDPOINT_LABELS = {
    "authorization_endpoint": "Authorization",
    "token_endpoint": "Token",
    "device_authorization_endpoint": "Device authorization",
    "userinfo_endpoint": "Userinfo",
    "introspection_endpoint": "Introspection",
    "revocation_endpoint": "Revocation",
    "jwks_uri": "JWKS",
}


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
        self.scopes = _line("Scopes", "openid profile email")
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

        client = QGroupBox("Client")
        form = QFormLayout(client)
        for label, widget in (("&Name", self.name), ("&Issuer", self.issuer), ("Client &id", self.client_id),
                              ("&Authentication", self.auth_method), ("Client &secret", self.client_secret),
                              ("Private &key", self.private_key), ("Sco&pes", self.scopes),
                              ("Reso&urces", self.resources)):
            form.addRow(label, widget)
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
        for text in (self.extra_params, self.notes):
            text.textChanged.connect(self._edited)
        self.auth_method.activated.connect(self._edited)
        self.redirect_host.activated.connect(self._edited)
        self.redirect_port.valueChanged.connect(self._edited)
        self.client_secret.edit.textEdited.connect(lambda _t: self._secret_edited("client_secret"))
        self.private_key.edit.textChanged.connect(lambda: self._secret_edited("private_key"))

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
        self.resources.setText(" ".join(p.resources))
        self.redirect_host.setCurrentText(p.redirect_host)
        self.redirect_port.setValue(p.redirect_port)
        self.redirect_path.setText(p.redirect_path)
        self.extra_params.setPlainText("\n".join(f"{k}={v}" for k, v in p.extra_params.items()))
        self.ca_bundle.setText(p.ca_bundle)
        self.notes.setPlainText(p.notes)
        for name, edit in self.endpoints.items():
            edit.setText(p.endpoints.get(name, ""))
        secrets = secrets or {}
        self.client_secret.setText(secrets.get("client_secret", ""))
        self.private_key.setText(secrets.get("private_key", ""))
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
            notes=self.notes.toPlainText(),
        ))

    def edited_secrets(self) -> dict[str, str | None]:
        """Secrets the user changed: the new value, or None when a field was emptied (delete)."""
        values = {"client_secret": self.client_secret.text(), "private_key": self.private_key.text()}
        return {kind: (values[kind] or None) for kind in self.secrets_edited}
