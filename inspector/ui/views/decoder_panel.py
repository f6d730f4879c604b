"""The Decoder panel: paste a token, see it coloured, its claims explained, and every finding.

Decoding runs on the GUI thread (the parser is stdlib-only and fast); verification, which may
fetch a JWKS, runs in a worker (see :mod:`inspector.ui.views.verify_form`), and so does decrypting
an encrypted token (see :mod:`inspector.ui.views.decrypt_form`): then the claims shown are the
decrypted ones, marked as such, with the JWE's header beside the nested JWS's. Whole tokens are
recorded in the history per the user's preference (see :mod:`inspector.ui.recording`), and a
significant clock skew is explained next to the time findings it may have decided. "Compare
with…" asks the window to compare this token with another (see :mod:`compare_dialog`). A DPoP
proof is checked as one at once (the core's :func:`~inspector.core.jose.dpop_check.check_proof`,
one small signature with the key it carries), and its findings join the decoding's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector.core.errors import MalformedTokenError, describe
from inspector.core.findings import Finding
from inspector.core.jose.parse import DecodedToken, decode
from inspector.core.protocol.clock import clock_skew_finding
from inspector.ui.context import AppContext
from inspector.ui.models.claims import ClaimsModel, value_text
from inspector.ui.models.findings import FindingsModel
from inspector.ui.models.roles import ObjectRole
from inspector.ui.recording import PASTE, TYPING, VERIFY, HistoryRecorder
from inspector.ui.views.colours import severity_colour
from inspector.ui.views.empty_state import EmptyState
from inspector.ui.views.splitters import size_when_shown
from inspector.ui.views.tables import findings_table, make_table, row_height
from inspector.ui.views.token_editor import TokenEditor

if TYPE_CHECKING:
    from inspector.ui.flow_expectations import FlowExpectations

TYPING_DELAY_MS = 150
#: Typing must pause this long before a typed token is recorded in the history.
RECORD_DELAY_MS = 1500
TIME_REFRESH_MS = 15_000
CLIPBOARD_EMPTY = "The clipboard holds no text: copy a token, then paste it here (Ctrl+V)."
#: The findings table shows at least this many one-line rows (wrapped messages take more).
FINDINGS_LINES = 4


def header_summary(decoded: DecodedToken, proof: Any = None) -> str:
    """``JWS · alg RS256 · kid rsa-1 · typ JWT``: what kind of token, at a glance; a decrypted one
    reads ``JWE (encrypted) · alg RSA-OAEP … → decrypted: JWS (signed) · alg RS256 …``; a DPoP
    proof (``proof``, its :class:`~inspector.core.jose.dpop_check.ProofCheck`) shows its key's thumbprint."""
    if decoded.format == "opaque":
        return f"Opaque token · {len(decoded.raw)} characters · not a JWT, nothing to decode"
    if proof is not None:
        parts = ["DPoP proof (RFC 9449)", f"alg {value_text((decoded.header or {}).get('alg'), 60)}"]
        if proof.thumbprint is not None:
            parts.append(f"key thumbprint {proof.thumbprint}")
        parts.append("for an API call (ath)" if proof.resource_request else "for the token endpoint (no ath)")
        return " · ".join(parts)
    if decoded.decrypted:
        inside = _summary("JWS (signed)", decoded.header) if decoded.format == "jws" else "claims, not signed"
        return f"{_summary('JWE (encrypted)', decoded.jwe_header)} → decrypted: {inside}"
    return _summary("JWE (encrypted)" if decoded.format == "jwe" else "JWS (signed)", decoded.header)


def _summary(kind: str, header: dict | None) -> str:
    parts = [kind]
    for name in ("alg", "enc", "kid", "typ", "cty"):
        value = (header or {}).get(name)
        if value is not None:
            parts.append(f"{name} {value_text(value, 60)}")
    return " · ".join(parts)


class DecoderPanel(QWidget):
    """Decode as you type (after a short pause) and at once on paste."""

    status_message = Signal(str)
    decoded_changed = Signal(object)  # DecodedToken | None
    compare_requested = Signal(str)  # this token, to compare with another
    way_in_requested = Signal(str, str)  # (panel, action): a way in of the empty state, for the window to carry out

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAccessibleName("Decoder")
        self.decoded: DecodedToken | None = None
        self.proof: Any = None  # the ProofCheck of a DPoP proof, else None
        self.decryption: Any = None  # the core's Decryption of the shown JWE, once decrypted
        self._offset = 0
        self._emphasis: str | None = None
        self._findings: list[Finding] = []  # decode or verify findings, before the clock note
        self.recorder = HistoryRecorder(context, self)

        self.editor = TokenEditor()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Decoder message")
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.header_label = QLabel()
        self.header_label.setAccessibleName("Header summary")
        self.header_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.claims_model = ClaimsModel(lambda: self.context.clock(), self)
        self.claims_view = make_table(self.claims_model, "Claims", (190, 330))
        self.findings_model = FindingsModel(self)
        self.findings_view = findings_table(self.findings_model, "Findings")
        self.empty_state = EmptyState(parent=self)
        self._delegates_ready = False

        self.copy_value_button = QPushButton("Copy &value")
        self.copy_value_button.setAccessibleName("Copy claim value")
        self.copy_json_button = QPushButton("Copy &JSON")
        self.copy_json_button.setAccessibleName("Copy claims as JSON")
        self.clear_button = QPushButton("C&lear")
        self.clear_button.setAccessibleName("Clear token")
        self.save_button = QPushButton("&Save to history")
        self.save_button.setAccessibleName("Save token to history")
        self.save_button.setToolTip("Keep this token in the encrypted history (Ctrl+S)")
        self.save_button.setEnabled(False)
        self.compare_button = QPushButton("Co&mpare with…")
        self.compare_button.setAccessibleName("Compare with another token")
        self.compare_button.setToolTip("Compare this token with another one, pasted or from the history")

        self._layout()
        self.initial_focus = self.editor  # where Ctrl+1..4 puts the keyboard
        self._typing_timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._typing_timer.timeout.connect(self.decode_now)
        self.record_timer = QTimer(self, singleShot=True, interval=RECORD_DELAY_MS)
        self.record_timer.timeout.connect(self.on_record_timer_timeout)
        self._time_timer = QTimer(self, interval=TIME_REFRESH_MS)
        self._time_timer.timeout.connect(self.claims_model.refresh_times)
        self._time_timer.start()
        self.editor.textChanged.connect(self._typing_timer.start)
        self.editor.textChanged.connect(self.record_timer.start)
        self.editor.pasted.connect(self.on_editor_pasted)
        self.recorder.status_message.connect(self.status_message)
        self.recorder.done.connect(self._update_save_button)
        self.context.clocks.changed.connect(self.on_clocks_changed)
        self.copy_value_button.clicked.connect(self.copy_selected_value)
        self.copy_json_button.clicked.connect(self.copy_claims_json)
        self.clear_button.clicked.connect(self.editor.clear)
        self.save_button.clicked.connect(self.save_to_history)
        self.compare_button.clicked.connect(lambda: self.compare_requested.emit(self.editor.toPlainText()))
        self.findings_view.selectionModel().currentRowChanged.connect(self.on_findings_current_row_changed)
        self.empty_state.chosen.connect(self.way_in_requested)
        self._show_message("")

    def _layout(self) -> None:
        from inspector.ui.views.decrypt_form import DecryptForm
        from inspector.ui.views.verify_form import VerifyForm

        self.decrypt_form = DecryptForm(self.context, self)
        self.decrypt_form.decrypted.connect(self.on_decrypt_form_decrypted)
        self.decrypt_form.result_cleared.connect(self.on_decrypt_form_result_cleared)
        self.verify_form = VerifyForm(self.context, self)
        self.verify_form.report_ready.connect(self.on_verify_form_report_ready)
        self.verify_form.verification_started.connect(self.on_verify_form_verification_started)
        self.verify_form.result_cleared.connect(self.on_verify_form_result_cleared)
        claims_box = QWidget()
        claims_layout = QVBoxLayout(claims_box)
        claims_layout.setContentsMargins(0, 0, 0, 0)
        top_row = QHBoxLayout()  # the header on a line of its own: with five buttons beside it, 900 px was too narrow
        top_row.addStretch(1)
        for button in (self.copy_value_button, self.copy_json_button, self.save_button, self.compare_button,
                       self.clear_button):
            top_row.addWidget(button)
        claims_layout.addWidget(self.header_label)
        claims_layout.addLayout(top_row)
        claims_layout.addWidget(self.claims_view, 1)
        claims_layout.addWidget(self.decrypt_form)
        claims_layout.addWidget(self.verify_form)  # so the claims, not the findings, make room as it grows
        self.details = QSplitter(Qt.Orientation.Vertical)  # what there is to see once there is a token
        self.details.addWidget(claims_box)
        self.details.addWidget(self.findings_view)
        self.details.setStretchFactor(0, 2)
        self.details.setStretchFactor(1, 1)
        self.details.setChildrenCollapsible(False)
        self.body = QStackedWidget()
        self.body.addWidget(self.empty_state)
        self.body.addWidget(self.details)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.editor, 1)
        upper_layout.addWidget(self.message_label)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.body)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        size_when_shown(self.splitter, self._split_token)
        size_when_shown(self.details, self._split_details)

    def _split_token(self, room: int) -> list[int]:
        """The token box: an eighth of the height, at least three lines and at most six."""
        line = self.editor.fontMetrics().lineSpacing()
        chrome = 2 * self.editor.frameWidth() + 2 * round(self.editor.document().documentMargin())
        editor = max(3 * line, min(room // 8, 6 * line)) + chrome
        return [editor, max(room - editor, 0)]

    def _split_details(self, room: int) -> list[int]:
        """The findings: FINDINGS_LINES lines, or a quarter of the room in a tall window; the
        claims and the verify form above them get the rest (but never less than they need)."""
        view = self.findings_view
        lines = max(FINDINGS_LINES * row_height(view), room // 4)
        findings = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth() + lines
        upper = max(room - findings, self.details.widget(0).minimumSizeHint().height())
        return [upper, max(room - upper, 0)]

    def after_paint(self) -> None:
        """After the first paint: delegates and shortcuts (the tables are empty until a token is
        decoded, so the first frame looks the same; creating them costs Qt class and enum setup)."""
        self._ensure_delegates()

    def _ensure_delegates(self) -> None:
        if self._delegates_ready:
            return
        from inspector.ui.views.claim_delegate import ClaimDelegate

        self.claims_view.setItemDelegate(ClaimDelegate(self))
        self.findings_view.setItemDelegate(ClaimDelegate(self, mark_severity=False))
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_to_history,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Copy, self.claims_view, self.copy_selected_value,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.verify_form.install_shortcuts()
        self._delegates_ready = True

    # -- decoding -----------------------------------------------------------------------------
    def set_token_text(self, text: str, expected: "FlowExpectations | None" = None) -> None:
        """Show ``text`` (from the history, or a token a flow obtained and recorded) and decode it
        at once. It is in the history already, so it is not recorded again. The Verify form
        expects of it what its flow expected (``expected``), or nothing for a token from the history."""
        self.editor.setPlainText(text)
        self.decode_now()
        self.verify_form.expect(expected)
        self.decrypt_form.use_profile(expected.profile if expected is not None else "")
        self.record_timer.stop()
        if self.decoded is not None:
            self.recorder.mark_known(self.decoded.raw)
        self._update_save_button()

    def paste_token(self) -> None:
        """The empty state's Paste from clipboard: what Ctrl+V in the token box does (decoded at
        once, recorded like any paste), or how to do it when the clipboard holds no text."""
        self.editor.setFocus()
        if QGuiApplication.clipboard().text().strip():
            self.editor.selectAll()
            self.editor.paste()
        else:
            self._show_message(CLIPBOARD_EMPTY)

    def on_editor_pasted(self) -> None:
        self.decode_now()
        self.verify_form.expect(None)  # what was expected of the last token is not this one's business
        self.decrypt_form.use_profile("")
        self.record_timer.stop()
        self._record(PASTE)

    def _record(self, trigger: str) -> None:
        if self.recorder.offer(self.decoded, trigger):
            self._update_save_button()

    def on_record_timer_timeout(self) -> None:
        """Typing settled: record the token if it is whole by now."""
        if self._typing_timer.isActive():
            self.decode_now()
        self._record(TYPING)

    def decode_now(self) -> None:
        self._typing_timer.stop()
        text = self.editor.toPlainText()
        if not text.strip():
            self._show(None, "")
            return
        try:
            decoded = decode(text)
        except MalformedTokenError as exc:
            self._show(None, f"Not a token we can read. {exc}", error=True)
            return
        index = text.find(decoded.raw)
        self._offset = len(text[:index].encode("utf-16-le")) // 2 if index > 0 else 0
        self._show(decoded, "")

    def _show(self, decoded: DecodedToken | None, message: str, *, error: bool = False) -> None:
        self._ensure_delegates()
        self.decoded = decoded
        self.proof = _proof_check(decoded, self.context.clock())
        self.decryption = None
        self._emphasis = None
        self.claims_model.set_token(decoded)
        self._set_findings(self._base_findings())
        self.header_label.setText(header_summary(decoded, self.proof) if decoded is not None else "")
        self.decrypt_form.set_token(decoded)
        self._show_message(message, error=error)
        self.body.setCurrentWidget(self.details if self.editor.toPlainText().strip() else self.empty_state)
        if decoded is None:
            self.editor.clear_spans()
        else:
            self.editor.show_spans(self._offset, decoded.spans)
            self.status_message.emit("Checked a DPoP proof with the key it carries." if self.proof is not None
                                     else f"Decoded a {decoded.format.upper()} token (not verified).")
        self.verify_form.set_token(decoded)
        self._update_save_button()
        self.decoded_changed.emit(decoded)

    def _update_save_button(self) -> None:
        """Enabled for a token not yet in the history (saved, recorded, or opened from it)."""
        known = self.decoded is not None and self.recorder.is_known(self.decoded.raw)
        self.save_button.setEnabled(self.decoded is not None and not known)
        self.save_button.setToolTip("This token is in the history." if known else
                                    "Keep this token in the encrypted history (Ctrl+S)")

    @property
    def shown(self) -> DecodedToken | None:
        """The token whose claims are shown: the decrypted content once a JWE is decrypted."""
        return self.decryption.token if self.decryption is not None else self.decoded

    def _base_findings(self) -> list[Finding]:
        """What decoding (and decrypting) found before any verification; for a DPoP proof, what
        checking it found."""
        if self.decryption is not None:
            return self.decryption.all_findings
        if self.decoded is None:
            return []
        return self.decoded.findings + (self.proof.findings if self.proof is not None else [])

    def _set_findings(self, findings: list[Finding]) -> None:
        """Show ``findings`` plus, from the core, a note when a clock skew may have decided one."""
        self._findings = list(findings)
        shown = list(findings)
        decoded = self.shown
        if decoded is not None and decoded.claims is not None:
            issuer = decoded.claims.get("iss")
            clocks = self.context.clocks
            reading = (clocks.latest(issuer) if isinstance(issuer, str) else None) or clocks.newest()
            note = clock_skew_finding(reading, findings, decoded.claims, self.context.clock())
            if note is not None:
                shown.append(note)
        self.claims_model.set_findings(shown)
        self.findings_model.set_findings(shown)

    def on_clocks_changed(self) -> None:
        if self.decoded is not None:
            self._set_findings(self._findings)

    def _show_message(self, message: str, *, error: bool = False) -> None:
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))
        colour = severity_colour("error", self.palette()) if error else None
        self.message_label.setStyleSheet(f"color: {colour.name()}; font-weight: bold;" if colour else "")

    # -- decryption results -------------------------------------------------------------------
    def on_decrypt_form_decrypted(self, result: Any) -> None:
        """Show the decrypted claims (a failure: the JWE as it was, with the findings saying why);
        the Verify form then verifies the nested JWS."""
        if result.decrypted:
            self.decryption = result
            self.claims_model.set_token(result.token)
            self.header_label.setText(header_summary(result.token))
            self.verify_form.set_token(result.token)
            self.status_message.emit(f"Decrypted with {result.key.label} (not verified yet).")
        else:
            self.status_message.emit("Not decrypted: see the findings.")
        self._set_findings(result.all_findings)

    def on_decrypt_form_result_cleared(self) -> None:
        """The key or token changed: back to the JWE as decoded, nothing of the old content kept."""
        if self.decryption is not None:
            self.decryption = None
            self.claims_model.set_token(self.decoded)
            self.header_label.setText(header_summary(self.decoded) if self.decoded is not None else "")
            self.verify_form.set_token(self.decoded)
        self._set_findings(self._base_findings())

    # -- verification results -----------------------------------------------------------------
    def on_verify_form_verification_started(self) -> None:
        self._record(VERIFY)

    def on_verify_form_result_cleared(self) -> None:
        """The shown verification no longer matches the form: back to what decoding found."""
        self._set_findings(self._base_findings())

    def on_verify_form_report_ready(self, report: object) -> None:
        findings = list(getattr(report, "findings", []))
        if self.decryption is not None:
            findings[:0] = self.decryption.findings
        self._set_findings(findings)
        self.status_message.emit("Verified: valid." if getattr(report, "valid", False) else
                                 f"Verified: not valid ({len(findings)} findings).")

    # -- selection and copying ----------------------------------------------------------------
    def on_findings_current_row_changed(self, current, _previous) -> None:  # noqa: ANN001
        if not current.isValid():
            return
        finding = self.findings_model.finding(current.row())
        if finding.claim:
            row = self.claims_model.row_of(finding.claim, finding.part)
            if row >= 0:
                index = self.claims_model.index(row, 0)
                self.claims_view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                self.claims_view.scrollTo(index)
        if self.decoded is not None:
            self._emphasis = finding.part
            self.editor.show_spans(self._offset, self.decoded.spans, finding.part)

    def copy_selected_value(self) -> None:
        index = self.claims_view.currentIndex()
        if not index.isValid():
            self.status_message.emit("Select a claim first, then copy its value.")
            return
        value = self.claims_model.index(index.row(), 0).data(ObjectRole)
        QGuiApplication.clipboard().setText(value_text(value, None))
        self.status_message.emit("Claim value copied.")

    def copy_claims_json(self) -> None:
        if self.shown is None or self.shown.claims is None:
            self.status_message.emit("There are no claims to copy.")
            return
        QGuiApplication.clipboard().setText(self.claims_model.claim_json())
        self.status_message.emit("Claims copied as JSON.")

    def save_to_history(self) -> None:
        """The manual save (Ctrl+S), for when recording is off or the keyring was unusable."""
        if self.decoded is None or not self.save_button.isEnabled():
            return
        token, profile = self.decoded.raw, self.context.active_profile or ""

        def job(_job: object) -> None:
            with self.context.storage_lock:
                self.context.storage.history.add(token, source="pasted", profile=profile)

        self.context.pool.start(
            job, on_finished=lambda _r: self.on_saved(token),
            on_errored=lambda exc: self.status_message.emit(f"Not saved: {describe(exc)}"), name="history-save")

    def on_saved(self, token: str) -> None:
        self.recorder.mark_known(token)
        self.recorder.keyring_works()
        self._update_save_button()
        self.status_message.emit("Token saved to the history (encrypted).")


def _proof_check(decoded: DecodedToken | None, now: float) -> Any:
    """The core's checks of a DPoP proof (``typ: dpop+jwt``); None for any other token."""
    from inspector.core.jose.token_kind import is_dpop_proof

    if decoded is None or decoded.format != "jws" or not is_dpop_proof(decoded.header):
        return None
    from inspector.core.jose.dpop_check import check_proof

    return check_proof(decoded, now=now)
