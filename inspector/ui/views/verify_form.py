"""The verification section: where the key comes from, what to expect, and a Verify button.

Verification runs in a worker (a JWKS URL or a profile's JWKS means HTTP); the report comes
back through ``report_ready``. The token's own header never chooses the key.

A result never outlives its inputs: any change to the token, the key source or an expected
value cancels a running verification and clears the shown result (``result_cleared``), so an
old "valid" can never sit beside a new error. The verdict says what was checked and what not.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.jose.parse import DecodedToken
from inspector.ui.context import AppContext
from inspector.ui.flow_expectations import FlowExpectations
from inspector.ui.verification import KeySource, VerifyRequest, run_verification
from inspector.ui.views.secret_field import SecretField

#: The field that turns on each check a report can list as not checked (no field: not in this form).
EXPECTATION_FIELDS = {"issuer": "Issuer", "audiences": "Audience", "nonce": "Nonce", "client_id": "Client id"}

SOURCES = (
    (KeySource.PROFILE, "Profile &JWKS"),
    (KeySource.JWKS_URL, "JWKS U&RL"),
    (KeySource.PASTED, "Paste &key/JWKS/PEM"),
    (KeySource.SECRET, "S&ecret (HS*)"),
)


PROFILE_NOTE = "Uses the JWKS of the profile chosen at the top of the window."


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit


def verdict(report: Any) -> str:
    """What was checked and what was not, never more (the core's summary), and which of this
    form's fields would check the rest."""
    text = f"{'✔' if report.valid else '✖'} {report.summary()}"
    fields = [EXPECTATION_FIELDS[name] for name in report.not_checked if name in EXPECTATION_FIELDS]
    if fields:
        text += f" Fill in {', '.join(fields)} to check {'it' if len(fields) == 1 else 'them'}."
    return text if report.valid else f"{text} See the findings below."


class VerifyForm(QGroupBox):
    """Emits ``report_ready(VerificationReport)``; errors loading keys arrive as a message;
    ``result_cleared`` when the inputs of a shown result changed."""

    report_ready = Signal(object)
    verification_started = Signal()
    result_cleared = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Verify", parent)
        self.context = context
        self.setAccessibleName("Verify")
        self._decoded: DecodedToken | None = None
        self._worker = None
        self._profile = ""  # the profile that ran the flow the token came from; "": the Profile box's
        self._has_result = False

        self.source_group = QButtonGroup(self)
        source_row = QHBoxLayout()
        source_row.addWidget(QLabel("Key from:"))
        for number, (source, label) in enumerate(SOURCES):
            button = QRadioButton(label)
            button.setAccessibleName(f"Key from {label.replace('&', '')}")
            self.source_group.addButton(button, number)
            source_row.addWidget(button)
        self.source_group.button(0).setChecked(True)

        self.profile_note = QLabel(PROFILE_NOTE)
        self.profile_note.setWordWrap(True)
        self.jwks_url = _line("JWKS URL", "https://login.example.com/.well-known/jwks.json")
        self.key_text = QPlainTextEdit()
        self.key_text.setAccessibleName("Key, JWKS or PEM")
        self.key_text.setPlaceholderText("Paste a JWK, a JWKS, or a PEM public key or certificate")
        self.key_text.setTabChangesFocus(True)
        self.key_text.setMaximumHeight(64)
        self.secret = SecretField("Shared secret")
        self.source_widgets: tuple[QWidget, ...] = (self.profile_note, self.jwks_url, self.key_text, self.secret)
        for widget in self.source_widgets:
            source_row.addWidget(widget, 1)

        self.issuer = _line("Expected issuer", "from the profile if empty")
        self.audience = _line("Expected audience", "space-separated, e.g. billing-api")
        self.nonce = _line("Expected nonce")
        self.client_id = _line("Expected client id", "from the profile if empty")
        self.algorithms = _line("Allowed algorithms", "e.g. RS256 ES256; empty: what the key allows")
        self.leeway = QDoubleSpinBox()
        self.leeway.setAccessibleName("Leeway in seconds")
        self.leeway.setRange(0, 3600)
        self.leeway.setDecimals(0)
        self.leeway.setSuffix(" s")
        self.leeway.setValue(30)

        expect = QGridLayout()
        pairs = (("&Issuer", self.issuer), ("&Audience", self.audience), ("&Nonce", self.nonce),
                 ("&Client id", self.client_id), ("Al&gorithms", self.algorithms), ("&Leeway", self.leeway))
        for number, (label_text, widget) in enumerate(pairs):
            label = QLabel(label_text)
            label.setBuddy(widget)
            row, column = divmod(number, 3)
            expect.addWidget(label, row, column * 2)
            expect.addWidget(widget, row, column * 2 + 1)
        for column in (1, 3):
            expect.setColumnStretch(column, 1)
        self.verify_button = QPushButton("&Verify")
        self.verify_button.setAccessibleName("Verify token")
        self.verify_button.setToolTip("Check the signature and claims (Ctrl+Return)")
        self.state_label = QLabel("")
        self.state_label.setAccessibleName("Verification state")
        self.state_label.setWordWrap(True)
        self.state_label.setVisible(False)
        expect.addWidget(self.verify_button, 1, 6)

        layout = QVBoxLayout(self)
        layout.addLayout(source_row)
        layout.addLayout(expect)
        layout.addWidget(self.state_label)

        self.source_group.idToggled.connect(self.on_source_group_id_toggled)
        self.on_source_group_id_toggled(0, True)
        self.verify_button.clicked.connect(self.verify)
        self._connect_inputs()
        self.set_token(None)

    def _connect_inputs(self) -> None:
        """Every input of a verification: a change makes the shown result stale."""
        for edit in (self.jwks_url, self.secret.edit, self.issuer, self.audience, self.nonce, self.client_id,
                     self.algorithms):
            edit.textChanged.connect(self.inputs_changed)
        self.key_text.textChanged.connect(self.inputs_changed)
        self.leeway.valueChanged.connect(self.inputs_changed)

    def on_source_group_id_toggled(self, number: int, checked: bool) -> None:
        if checked:
            for index, widget in enumerate(self.source_widgets):
                widget.setVisible(index == number)
            self.inputs_changed()

    def install_shortcuts(self) -> None:
        QShortcut(QKeySequence("Ctrl+Return"), self, self.verify, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _say(self, text: str) -> None:
        self.state_label.setText(text)
        self.state_label.setVisible(bool(text))

    @property
    def source(self) -> KeySource:
        return SOURCES[max(self.source_group.checkedId(), 0)][0]

    def select_source(self, source: KeySource) -> None:
        self.source_group.button([s for s, _ in SOURCES].index(source)).setChecked(True)

    def expect(self, expected: FlowExpectations | None) -> None:
        """Fill Issuer, Audience, Client id and Nonce with what a flow expected of its token, and
        take the keys of that flow's profile; ``None`` (a token from elsewhere) empties them."""
        expected = expected or FlowExpectations()
        for edit, value in ((self.issuer, expected.issuer), (self.audience, expected.audience),
                            (self.client_id, expected.client_id), (self.nonce, expected.nonce)):
            edit.setText(value)
        self._profile = expected.profile
        if expected.profile:
            self.select_source(KeySource.PROFILE)
            self.profile_note.setText(f"Uses the JWKS of profile {expected.profile!r}, which ran the flow.")
        else:
            self.profile_note.setText(PROFILE_NOTE)

    def set_token(self, decoded: DecodedToken | None) -> None:
        """A new token: the running verification (of the old one) is cancelled and forgotten."""
        self._decoded = decoded
        self.inputs_changed()

    def inputs_changed(self) -> None:
        """The token, key source or an expected value changed: a running verification is
        cancelled, and a result shown for the old inputs is cleared."""
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        self._show_idle()
        self._clear_result()

    def _clear_result(self) -> None:
        if self._has_result:
            self._has_result = False
            self.result_cleared.emit()

    def _show_idle(self) -> None:
        """Nothing running: Verify only for a signed token, and say why not otherwise."""
        decoded = self._decoded
        self.verify_button.setEnabled(decoded is not None and decoded.format == "jws")
        self._say("" if decoded is None or decoded.format == "jws" else
                  "Only signed tokens (JWS) can be verified here.")

    def request(self) -> VerifyRequest:
        return VerifyRequest(
            token=self._decoded.raw if self._decoded is not None else "",
            source=self.source,
            profile=self._profile or self.context.active_profile,
            jwks_url=self.jwks_url.text().strip(),
            key_text=self.key_text.toPlainText(),
            secret=self.secret.text(),
            issuer=self.issuer.text().strip(),
            audiences=tuple(self.audience.text().replace(",", " ").split()),
            nonce=self.nonce.text().strip(),
            client_id=self.client_id.text().strip(),
            algorithms=tuple(self.algorithms.text().replace(",", " ").split()),
            leeway=float(self.leeway.value()),
        )

    def verify(self) -> None:
        if self._decoded is None or not self.verify_button.isEnabled():
            return
        request = self.request()
        self._clear_result()
        self.verify_button.setEnabled(False)
        self._say("Verifying…")
        ticket: list[Any] = []

        def if_current(handler: Callable[..., None]) -> Callable[..., None]:
            # A verification cancelled by a new token reports later; it must not end the new one.
            return lambda *args: handler(*args) if ticket and self._worker is ticket[0] else None

        self._worker = self.context.pool.start(
            lambda job: run_verification(request, self.context, job.cancel),
            on_finished=if_current(self.on_worker_finished),
            on_errored=if_current(self.on_worker_errored),
            on_cancelled=if_current(self.on_worker_cancelled),
            name="verify",
        )
        ticket.append(self._worker)
        self.verification_started.emit()

    def on_worker_finished(self, report: Any) -> None:
        self._worker = None
        self._show_idle()
        self._say(verdict(report))
        self._has_result = True
        self.report_ready.emit(report)

    def on_worker_errored(self, exc: BaseException) -> None:
        from inspector.core.errors import describe

        self._worker = None
        self._show_idle()
        self._say(f"Could not verify: {describe(exc)}")

    def on_worker_cancelled(self) -> None:
        self._worker = None
        self._show_idle()
