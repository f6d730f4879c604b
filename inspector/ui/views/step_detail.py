"""One step in detail: editable parameters before it runs; request, response, findings, tokens.

A failed, skipped or cancelled step says why under its title. The browser's part of the
authorization code flow has no HTTP exchange of this app's own: its Request and Response tabs
show the authorization request as sent and the authorization response the listener received.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector.core.advice import SettingNamer
from inspector.core.findings import Severity
from inspector.core.redact import is_masked
from inspector.ui.models.findings import FindingsModel
from inspector.ui.models.pairs import PairsModel
from inspector.ui.models.steps import STATUS_TEXT, status_value
from inspector.ui.views.claim_delegate import ClaimDelegate
from inspector.ui.views.flow_layout import FlowLayout
from inspector.ui.views.tables import findings_table, make_table

#: (response member, words in a sentence): "Open ID token in decoder".
TOKEN_FIELDS = (("access_token", "access token"), ("id_token", "ID token"), ("refresh_token", "refresh token"))
#: Output fields shown in the Request and Response tabs instead of the Output tab.
BROWSER_OUTPUTS = ("authorization_request", "authorization_response")


def _pairs_view(model: PairsModel, name: str) -> QTableView:
    view = make_table(model, name, (220,))
    view.setAlternatingRowColors(False)
    return view


def _text_view(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setAccessibleName(name)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return view


def pretty_body(body: Any) -> str:
    """A body or output already redacted by the core (:meth:`Step.redacted`), as readable text."""
    if body is None:
        return ""
    if isinstance(body, dict):
        return json.dumps(body, indent=2, ensure_ascii=False)
    if isinstance(body, (list, int, float, bool)):
        return json.dumps(body, indent=2)
    return str(body)


class StepDetail(QWidget):
    """Shows one Step record as the core redacts it (secrets masked at any depth and wherever they
    come back, tokens abbreviated unless shown); ``open_token_requested(token)`` for the Open in
    decoder buttons, which hand over the whole token."""

    open_token_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step: Any = None
        self.title = QLabel()
        self.title.setAccessibleName("Step title")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.title.setFont(font)
        self.reason = QLabel()
        self.reason.setAccessibleName("Why")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.params_box = QWidget()
        self.params_model = PairsModel(self)
        self.params_view = _pairs_view(self.params_model, "Parameters to send")
        self.new_param = QLineEdit()
        self.new_param.setAccessibleName("New parameter name")
        self.new_param.setPlaceholderText("add a parameter, e.g. prompt")
        self.add_param_button = QPushButton("&Add")
        self.add_param_button.setAccessibleName("Add parameter")
        self.remove_param_button = QPushButton("Remo&ve")
        self.remove_param_button.setAccessibleName("Remove parameter")
        params_layout = QVBoxLayout(self.params_box)
        params_layout.setContentsMargins(0, 0, 0, 0)
        params_layout.addWidget(QLabel("Parameters (edit before sending; double-click a value):"))
        params_layout.addWidget(self.params_view)
        row = QHBoxLayout()
        row.addWidget(self.new_param, 1)
        row.addWidget(self.add_param_button)
        row.addWidget(self.remove_param_button)
        params_layout.addLayout(row)

        self.exchange_choice = QComboBox()
        self.exchange_choice.setAccessibleName("Exchange")
        self.request_line = QLabel()
        self.request_line.setAccessibleName("Request line")
        self.request_line.setWordWrap(True)
        self.request_params = PairsModel(self)
        self.request_headers = PairsModel(self)
        self.response_line = QLabel()
        self.response_line.setAccessibleName("Response status")
        self.response_line.setWordWrap(True)
        self.response_headers = PairsModel(self)
        self.response_body = _text_view("Response body")
        self.show_tokens = QCheckBox("Show &tokens in full")
        self.show_tokens.setAccessibleName("Show tokens in full")
        self.findings_model = FindingsModel(self)
        findings_view = findings_table(self.findings_model, "Step findings")
        findings_view.setItemDelegate(ClaimDelegate(self, mark_severity=False))
        self.output_view = _text_view("Step output")

        request = QWidget()
        request_layout = QVBoxLayout(request)
        request_layout.addWidget(self.request_line)
        request_layout.addWidget(_pairs_view(self.request_params, "Request parameters"), 2)
        request_layout.addWidget(QLabel("Headers (secrets masked):"))
        request_layout.addWidget(_pairs_view(self.request_headers, "Request headers"), 1)
        self.proof_box = QWidget()
        proof_layout = QVBoxLayout(self.proof_box)
        proof_layout.setContentsMargins(0, 0, 0, 0)
        proof_head = QHBoxLayout()
        self.proof_line = QLabel()
        self.proof_line.setAccessibleName("DPoP proof summary")
        self.proof_line.setWordWrap(True)
        self.open_proof_button = QPushButton("Open DPoP proof in decoder")
        self.open_proof_button.setAccessibleName("Open DPoP proof in decoder")
        proof_head.addWidget(self.proof_line, 1)
        proof_head.addWidget(self.open_proof_button)
        proof_layout.addLayout(proof_head)
        self.proof_view = _text_view("DPoP proof")
        proof_layout.addWidget(self.proof_view)
        request_layout.addWidget(self.proof_box, 2)
        response = QWidget()
        response_layout = QVBoxLayout(response)
        top = QHBoxLayout()
        top.addWidget(self.response_line, 1)
        top.addWidget(self.show_tokens)
        response_layout.addLayout(top)
        response_layout.addWidget(_pairs_view(self.response_headers, "Response headers"), 1)
        response_layout.addWidget(self.response_body, 2)
        self.tokens_box = QWidget()
        self.tokens_layout = FlowLayout(self.tokens_box)
        self.tokens_layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Step details")
        self.tabs.addTab(request, "&Request")
        self.tabs.addTab(response, "Res&ponse")
        self.tabs.addTab(findings_view, "&Findings")
        self.tabs.addTab(self.output_view, "&Output")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.exchange_choice)
        layout.addLayout(head)
        layout.addWidget(self.reason)
        layout.addWidget(self.params_box, 1)
        layout.addWidget(self.tokens_box)
        layout.addWidget(self.tabs, 3)

        self.open_proof_button.clicked.connect(self.on_open_proof_clicked)
        self.exchange_choice.currentIndexChanged.connect(self._show_exchange)
        self.show_tokens.toggled.connect(lambda _on: self._show_exchange(self.exchange_choice.currentIndex()))
        self.add_param_button.clicked.connect(self.on_add_param_clicked)
        self.new_param.returnPressed.connect(self.on_add_param_clicked)
        self.remove_param_button.clicked.connect(
            lambda: self.params_model.remove_row(self.params_view.currentIndex().row()))
        self.show_step(None, editable=False)

    @property
    def setting_names(self) -> SettingNamer | None:
        """How advice names settings: the fields of the profile the flow ran with."""
        return self.findings_model.setting_names

    @setting_names.setter
    def setting_names(self, namer: SettingNamer | None) -> None:
        self.findings_model.setting_names = namer

    def show_step(self, step: Any, *, editable: bool, inputs: dict[str, str] | None = None) -> None:
        """Render ``step``; its inputs are editable when it has not run yet and nothing runs.
        ``inputs`` is the dict edits go to when ``step`` is a snapshot: the live step's."""
        self.step = step
        if step is None:
            self.title.setText("Choose a grant and press Next step (Ctrl+Return) or Run all.")
            self.reason.setVisible(False)
            self.params_box.setVisible(False)
            self.tabs.setVisible(False)
            self.exchange_choice.setVisible(False)
            self._show_tokens({})
            return
        status = status_value(step)
        self.title.setText(f"{step.title} — {STATUS_TEXT.get(status, ('', status))[1]}")
        why = self.why(step)
        self.reason.setText(why)
        self.reason.setVisible(bool(why))
        can_edit = editable and status == "pending" and step.prepared
        target = (step.inputs if inputs is None else inputs) if can_edit else None
        self.params_model.set_pairs(step.inputs if target is None else target, target=target)
        self.params_box.setVisible(can_edit or (status == "pending" and bool(step.inputs)))
        self.add_param_button.setEnabled(can_edit)
        self.remove_param_button.setEnabled(can_edit)
        self.new_param.setEnabled(can_edit)
        self.tabs.setVisible(status != "pending")
        count = len(step.exchanges)
        self.exchange_choice.blockSignals(True)
        self.exchange_choice.clear()
        self.exchange_choice.addItems([f"Exchange {i + 1} of {count}" for i in range(count)])
        self.exchange_choice.setCurrentIndex(count - 1)
        self.exchange_choice.blockSignals(False)
        self.exchange_choice.setVisible(count > 1)
        self._show_exchange(count - 1)
        shown = step.redacted()
        self.findings_model.set_findings(shown.findings)
        if step.findings:
            self.tabs.setTabText(2, f"&Findings ({len(step.findings)})")
        else:
            self.tabs.setTabText(2, "&Findings")
        output = {k: v for k, v in shown.output.items() if k != "token" and k not in BROWSER_OUTPUTS}
        self.output_view.setPlainText(pretty_body(output) if output else "(nothing yet)")
        token_response = step.output.get("token")
        self._show_tokens(token_response if isinstance(token_response, dict) else {})

    def why(self, step: Any) -> str:
        """Why a step failed, was skipped or was cancelled, in words (its first error, its skip
        reason), with any advice worded for this app; empty for a step that went well."""
        status = status_value(step)
        if status == "cancelled":
            return "■ Cancelled: the flow was stopped before this step finished."
        wanted = {"error": Severity.ERROR, "skipped": Severity.INFO}.get(status)
        found = next((f for f in step.findings if f.severity is wanted), None) if wanted else None
        if found is None:
            return "✖ Failed without a finding; see the Request and Response tabs." if status == "error" else ""
        return f"{'✖ Failed' if status == 'error' else '– Skipped'}: {found.text(self.setting_names)}"

    def _show_exchange(self, index: int) -> None:
        exchanges = self.step.exchanges if self.step is not None else []
        self.request_params.mask = True
        self._show_proof(index)
        if not 0 <= index < len(exchanges):
            self.request_params.set_pairs({})
            self.request_headers.set_pairs({})
            self.response_line.setText("")
            self.response_headers.set_pairs({})
            self.response_body.setPlainText("")
            if not self._show_browser_message():
                skipped = self.step is not None and status_value(self.step) == "skipped"
                self.request_line.setText("Skipped: nothing was sent." if skipped else "No HTTP request in this step.")
            return
        exchange = exchanges[index].redacted(self.step.redactor(self.show_tokens.isChecked()))
        self.request_line.setText(f"{exchange.method} {exchange.url}")
        self.request_params.set_pairs(exchange.params)
        self.request_headers.set_pairs(exchange.request_headers)
        if exchange.status is None:
            self.response_line.setText(f"No response: {exchange.error or 'the request did not complete'}")
        else:
            self.response_line.setText(f"HTTP {exchange.status} · {exchange.elapsed * 1000:.0f} ms")
        self.response_headers.set_pairs(exchange.response_headers)
        self.response_body.setPlainText(pretty_body(exchange.body))

    def _proof(self, index: int) -> dict[str, Any] | None:
        """The DPoP proof (RFC 9449 §4.2) sent with exchange ``index``, as the core decoded it."""
        proofs = self.step.output.get("dpop_proofs") if self.step is not None else None
        return next((proof for proof in proofs or () if isinstance(proof, dict) and proof.get("exchange") == index + 1),
                    None)

    def _show_proof(self, index: int) -> None:
        """A proof is public by design (its key is the public half): shown whole, decoded."""
        proof = self._proof(index)
        self.proof_box.setVisible(proof is not None)
        if proof is None:
            self.proof_view.setPlainText("")
            return
        nonce = proof.get("nonce")
        self.proof_line.setText("DPoP proof sent with this request (the DPoP header), decoded"
                                + (f"; it carries the server's nonce {nonce!r}" if nonce else "") + ":")
        self.proof_view.setPlainText(pretty_body({"header": proof.get("header"), "claims": proof.get("claims")}))
        self.open_proof_button.setEnabled(isinstance(proof.get("proof"), str))

    def on_open_proof_clicked(self) -> None:
        proof = self._proof(self.exchange_choice.currentIndex() if self.exchange_choice.count() else -1)
        if proof is not None and isinstance(proof.get("proof"), str):
            self.open_token_requested.emit(proof["proof"])

    def _show_browser_message(self) -> bool:
        """The authorization request as sent through the browser, or the authorization response
        the loopback listener received (code masked): RFC 6749 §4.1.1, §4.1.2."""
        output = self.step.redacted().output if self.step is not None else {}
        request, response = output.get("authorization_request"), output.get("authorization_response")
        self.request_params.mask = False  # masked when recorded: abbreviating again would misstate lengths
        if isinstance(request, dict):
            self.request_line.setText(f"{request.get('method', 'GET')} {request.get('url', '')} — sent by your "
                                      "browser, not by this app")
            self.request_params.set_pairs(request.get("params") or {})
            self.response_line.setText("The provider answers in your browser (its sign-in page, or an error page); "
                                       "the authorization response comes back in the next step.")
            return True
        if isinstance(response, dict):
            params = response.get("params") or {}
            self.request_line.setText(f"GET {response.get('url', '')} — your browser brought the authorization "
                                      "response to this app")
            self.request_params.set_pairs(params)
            self.response_line.setText("The authorization response's parameters (the code is masked):")
            self.response_body.setPlainText(json.dumps(params, indent=2, ensure_ascii=False))
            return True
        return False

    def _show_tokens(self, response: dict[str, Any]) -> None:
        while self.tokens_layout.count():
            item = self.tokens_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        found = [(name, label) for name, label in TOKEN_FIELDS  # a saved flow keeps refresh tokens abbreviated
                 if isinstance(value := response.get(name), str) and not is_masked(value)]
        for name, label in found:
            button = QPushButton(f"Open {label} in decoder")
            button.setAccessibleName(f"Open {label} in decoder")
            button.clicked.connect(lambda _c=False, t=response[name]: self.open_token_requested.emit(t))
            self.tokens_layout.addWidget(button)
        self.tokens_box.setVisible(bool(found))

    def on_add_param_clicked(self) -> None:
        name = self.new_param.text().strip()
        if name:
            self.params_model.add_pair(name)
            self.new_param.clear()
            row = self.params_model.rowCount() - 1
            self.params_view.setCurrentIndex(self.params_model.index(row, 1))
            self.params_view.edit(self.params_model.index(row, 1))
