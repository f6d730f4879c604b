"""The Flows panel's "Call an API" tab: send a request with an access token and see what the API
answered — status, headers, the body pretty-printed, what a refusal means in plain words, and the
DPoP proofs sent, decoded (the CLI's ``token-inspector call``).

The token comes from a pasted value, the last flow's access token, or a history entry; with DPoP
on, the key from the last flow, the history entry or the active profile. Sending runs in a worker
(:func:`inspector.ui.api_call_job.send_call`) that Cancel stops at once; the view only shows.
"""

from __future__ import annotations

import json
from typing import Any, Callable

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
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector.core.errors import describe
from inspector.ui.api_call_job import KEY_SOURCES, TOKEN_SOURCES, CallSpec, LastFlow, send_call
from inspector.ui.context import AppContext
from inspector.ui.models.findings import FindingsModel
from inspector.ui.models.pairs import PairsModel
from inspector.ui.views.splitters import size_when_shown
from inspector.ui.views.step_detail import pretty_body
from inspector.ui.views.tables import findings_table, make_table

#: The methods offered (any other can be typed).
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


def _text_view(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setAccessibleName(name)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return view


class ApiCallPanel(QWidget):
    """One request at a time; ``last_flow`` tells what the Flows tab's last flow left to call with."""

    answered = Signal(object)  # the ApiAnswer shown

    def __init__(self, context: AppContext, last_flow: Callable[[], LastFlow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.last_flow = last_flow
        self.worker: Any = None
        self._build()
        self._lay_out()
        self._connect()
        self._update()

    # -- build / lay out / connect ------------------------------------------------------------
    def _build(self) -> None:
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(METHODS)
        self.method.setAccessibleName("Method")
        self.url = QLineEdit()
        self.url.setAccessibleName("API URL")
        self.url.setPlaceholderText("https://api.example.com/resource")
        self.send_button = QPushButton("&Send")
        self.send_button.setAccessibleName("Send the request")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the request")
        self.token_source = QComboBox()
        self.token_source.setAccessibleName("Token source")
        for value, words in TOKEN_SOURCES:
            self.token_source.addItem(words, value)
        self.token = QLineEdit()
        self.token.setAccessibleName("Access token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("paste the access token")
        self.history_id = QLineEdit()
        self.history_id.setAccessibleName("History entry ID")
        self.history_id.setPlaceholderText("history entry ID (4+ characters)")
        self.dpop = QCheckBox("DPo&P")
        self.dpop.setToolTip("Send the token as DPoP-bound (RFC 9449), with a proof of its key")
        self.key_source = QComboBox()
        self.key_source.setAccessibleName("DPoP key source")
        for value, words in KEY_SOURCES:
            self.key_source.addItem(words, value)
        self.headers = QPlainTextEdit()
        self.headers.setAccessibleName("Request headers")
        self.headers.setPlaceholderText("One header per line, e.g.\nAccept: application/json")
        self.body = QPlainTextEdit()
        self.body.setAccessibleName("Request body")
        self.body.setPlaceholderText("The request body (JSON is sent as application/json)")
        self.state = QLabel()
        self.state.setAccessibleName("Call state")
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer_body = _text_view("Answer body")
        self.headers_model = PairsModel(self)
        self.findings_model = FindingsModel(self)
        self.proofs = _text_view("DPoP proofs sent")

    def _lay_out(self) -> None:
        line = QHBoxLayout()
        line.addWidget(self.method)
        line.addWidget(self.url, 1)
        line.addWidget(self.send_button)
        line.addWidget(self.cancel_button)
        source = QHBoxLayout()
        token_label = QLabel("&Token:")
        token_label.setBuddy(self.token_source)
        source.addWidget(token_label)
        source.addWidget(self.token_source)
        source.addWidget(self.token, 3)
        source.addWidget(self.history_id, 3)
        source.addWidget(self.dpop)
        source.addWidget(self.key_source)
        source.addStretch(1)
        self.request_tabs = QTabWidget()
        self.request_tabs.setAccessibleName("Request")
        self.request_tabs.addTab(self.headers, "Headers")
        self.request_tabs.addTab(self.body, "Body")
        self.answer_tabs = QTabWidget()
        self.answer_tabs.setAccessibleName("Answer")
        self.answer_tabs.addTab(self.answer_body, "Body")
        self.answer_tabs.addTab(make_table(self.headers_model, "Answer headers", (220,)), "Headers")
        self.answer_tabs.addTab(findings_table(self.findings_model, "Findings"), "Findings")
        self.answer_tabs.addTab(self.proofs, "DPoP proofs")
        answer = QWidget()
        answer_layout = QVBoxLayout(answer)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        answer_layout.addWidget(self.state)
        answer_layout.addWidget(self.answer_tabs, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.request_tabs)
        self.splitter.addWidget(answer)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        size_when_shown(self.splitter, lambda room: [room // 4, room - room // 4])  # the answer is what one reads
        layout = QVBoxLayout(self)
        layout.addLayout(line)
        layout.addLayout(source)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        self.send_button.clicked.connect(self.send)
        self.url.returnPressed.connect(self.send)
        self.cancel_button.clicked.connect(self.cancel)
        self.token_source.currentIndexChanged.connect(lambda _index: self._update())
        self.dpop.toggled.connect(lambda _on: self._update())

    # -- sending ------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.worker is not None

    def spec(self) -> CallSpec:
        """The request as the fields say now."""
        return CallSpec(method=self.method.currentText(), url=self.url.text(), headers=self.headers.toPlainText(),
                        body=self.body.toPlainText(), token_source=self.token_source.currentData(),
                        pasted=self.token.text(), history_id=self.history_id.text(), dpop=self.dpop.isChecked(),
                        key_source=self.key_source.currentData(), profile=self.context.active_profile,
                        last_flow=self.last_flow())

    def send(self) -> None:
        if self.busy:
            return
        spec, context = self.spec(), self.context
        self.state.setText(f"Sending {spec.method.strip().upper() or 'the request'} {spec.url.strip()}…")
        self.worker = context.pool.start(lambda job: send_call(context, spec, job.cancel),
                                         on_finished=self.on_worker_finished, on_errored=self.on_worker_errored,
                                         on_cancelled=self.on_worker_cancelled, name="api-call")
        self.worker.signals.done.connect(self.on_worker_done)
        self._update()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.state.setText("Cancelling…")

    def on_worker_finished(self, result: Any) -> None:
        answer, redactor = result
        self.show_answer(answer, redactor)
        self.answered.emit(answer)

    def on_worker_errored(self, exc: BaseException) -> None:
        self.state.setText(f"✖ Not sent: {describe(exc)}")

    def on_worker_cancelled(self) -> None:
        self.state.setText("■ Cancelled.")

    def on_worker_done(self) -> None:
        self.worker = None
        self._update()

    # -- display ------------------------------------------------------------------------------
    def show_answer(self, answer: Any, redactor: Any) -> None:
        """The answer as the core redacts it: secrets masked, the token abbreviated where it comes back."""
        findings = [redactor.finding(finding) for finding in answer.findings]
        if answer.status is None:
            self.state.setText("✖ No answer: " + (findings[0].message if findings else "the request failed."))
        else:
            mark = "✔" if answer.ok else "✖"
            tries = f" after {len(answer.exchanges)} requests" if len(answer.exchanges) > 1 else ""
            self.state.setText(f"{mark} HTTP {answer.status} {answer.reason}".rstrip() + tries
                               + (f" — {findings[0].message}" if not answer.ok and findings else ""))
        body = answer.body.to_json(redactor) if answer.body is not None else None
        self.answer_body.setPlainText("(empty body)" if body is None else pretty_body(body))
        self.headers_model.set_pairs([(name, str(redactor.value(value, name))) for name, value in answer.headers])
        self.findings_model.set_findings(findings)
        proofs = answer.decoded_proofs()
        self.proofs.setPlainText("\n\n".join(f"Proof {number} of {len(proofs)}:\n{json.dumps(proof, indent=2)}"
                                             for number, proof in enumerate(proofs, 1)) or "(no DPoP proof sent)")
        self.answer_tabs.setTabText(2, f"Findings ({len(findings)})")
        self.answer_tabs.setTabText(3, f"DPoP proofs ({len(proofs)})")

    def _update(self) -> None:
        source = self.token_source.currentData()
        self.token.setVisible(source == "pasted")
        self.history_id.setVisible(source == "history")
        self.key_source.setEnabled(self.dpop.isChecked())
        self.send_button.setEnabled(not self.busy)
        self.cancel_button.setEnabled(self.busy)
