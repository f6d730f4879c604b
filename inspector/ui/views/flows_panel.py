"""The Flows panel: pick a grant, run it step by step (or all at once), see every exchange.

Uses the active profile from the window's profile chooser, loaded as saved at every run (Run
again too). Tokens obtained go to the history (saved by the flow's worker) and get "Open in
decoder" buttons, which hand the Decoder what the flow expects of them; the flow's record goes
to the history when it ends. A flow saved in the history opens here read-only
(:mod:`inspector.ui.views.saved_flow`), in place of the runner until Back. Ctrl+Return runs the
next step, Esc cancels.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QStackedLayout,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector.core.errors import describe
from inspector.core.flows.grants import GRANTS
from inspector.ui.context import AppContext
from inspector.ui.flow_expectations import from_flow
from inspector.ui.flow_session import FlowSession
from inspector.ui.models.steps import StepsModel
from inspector.ui.setting_names import gui_namer
from inspector.ui.api_call_job import LastFlow
from inspector.ui.views.api_call_panel import ApiCallPanel
from inspector.ui.views.claim_delegate import ClaimDelegate
from inspector.ui.views.prompt_box import PromptBox
from inspector.ui.views.saved_flow import SavedFlowView
from inspector.ui.views.splitters import size_when_shown
from inspector.ui.views.step_detail import StepDetail

#: Horizontal padding of a step in the list, in pixels.
STEP_PADDING = 6


def steps_width(view: QListView, titles: list[str]) -> int:
    """Room for the longest step line of any grant, timing included ("✔ 3 Receive the
    authorization response   25 ms"), in bold (a running or failed step), so the list keeps
    one width whatever the grant and the step."""
    font = QFont(view.font())
    font.setBold(True)
    metrics = QFontMetrics(font)
    longest = max((metrics.horizontalAdvance(f"✔ 9 {title}   9999 ms") for title in titles), default=0)
    return longest + 2 * STEP_PADDING + 2 * view.frameWidth() + 8  # 8: the item's own text margins


class FlowsPanel(QWidget):
    open_requested = Signal(str, object)  # a token, its FlowExpectations
    status_message = Signal(str)
    listener_state = Signal(str)
    diagnose_requested = Signal(object, str)  # the failed Flow record, the profile it ran with
    saved_diagnose_requested = Signal(object, object, object)  # a saved flow: history entry, record, flow

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAccessibleName("Flows")
        self.session = FlowSession(context, self)
        self.last_tokens: dict[str, str] = {}
        self._wait_interval: float | None = None

        self.grant = QComboBox()
        self.grant.setAccessibleName("Grant")
        for name, grant in GRANTS.items():
            self.grant.addItem(grant.label, name)
        grant_label = QLabel("&Grant:")
        grant_label.setBuddy(self.grant)
        self.token_input = QLineEdit()
        self.token_input.setAccessibleName("Token to use")
        self.token_input.setPlaceholderText("token for this flow (prefilled from the last tokens obtained)")
        self.token_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_url = QLineEdit()
        self.api_url.setAccessibleName("API to call at the end")
        self.api_url.setPlaceholderText("API URL to call with the access token (optional)")
        self.api_url.setToolTip("The flow's last step calls this API with the access token it obtained; empty: "
                                "that step is skipped")
        self.run_all_button = QPushButton("Run &all")
        self.run_all_button.setAccessibleName("Run all steps")
        self.next_button = QPushButton("&Next step")
        self.next_button.setAccessibleName("Run next step")
        self.next_button.setToolTip("Run the next step (Ctrl+Return)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel flow")
        self.cancel_button.setToolTip("Stop the running step (Esc)")
        self.again_button = QPushButton("Run a&gain")
        self.again_button.setAccessibleName("Run again")
        self.diagnose_button = QPushButton("&Diagnose")
        self.diagnose_button.setAccessibleName("Diagnose the failed flow")
        self.diagnose_button.setToolTip("Why did it fail? Opens the flow on the Diagnose panel (Ctrl+5)")
        self.report_button = QPushButton("Export &report…")
        self.report_button.setAccessibleName("Export report")
        self.report_button.setToolTip("A redacted report of this flow to share: preview, then save")
        self.report_dialog: Any = None
        self.state_label = QLabel()
        self.state_label.setAccessibleName("Flow state")
        self.state_label.setWordWrap(True)

        self.steps_model = StepsModel(self)
        self.steps_view = QListView()
        self.steps_view.setModel(self.steps_model)
        self.steps_view.setItemDelegate(ClaimDelegate(self, mark_severity=False))
        self.steps_view.setAccessibleName("Steps")
        self.steps_view.setStyleSheet(f"QListView::item {{ padding: 4px {STEP_PADDING}px; }}")
        self.prompt = PromptBox(context.open_url, self)
        self.detail = StepDetail(self)
        self.call_panel = ApiCallPanel(context, self.last_flow, self)

        choice = QHBoxLayout()
        choice.addWidget(grant_label)
        choice.addWidget(self.grant)
        choice.addWidget(self.token_input, 3)
        choice.addWidget(self.api_url, 3)
        buttons = QHBoxLayout()  # a row of their own: beside the grant they made the window wider than 900 px
        for button in (self.run_all_button, self.next_button, self.cancel_button, self.again_button,
                       self.diagnose_button, self.report_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        top = QVBoxLayout()
        top.addLayout(choice)
        top.addLayout(buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.prompt)
        right_layout.addWidget(self.detail, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.steps_view)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)  # the list keeps its width; the step view takes the rest
        self.splitter.setChildrenCollapsible(False)
        runner_page = QWidget()
        layout = QVBoxLayout(runner_page)
        layout.addLayout(top)
        layout.addWidget(self.state_label)
        layout.addWidget(self.splitter, 1)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Flows and API calls")
        self.tabs.addTab(runner_page, "Run a &flow")
        self.tabs.addTab(self.call_panel, "&Call an API")
        self.live = QWidget()  # the runner and the Call tab; a saved flow is shown in its place
        live_layout = QVBoxLayout(self.live)
        live_layout.setContentsMargins(0, 0, 0, 0)
        live_layout.addWidget(self.tabs)
        self.saved_view: SavedFlowView | None = None  # built when a saved flow is first opened
        self.pages = QStackedLayout(self)
        self.pages.addWidget(self.live)

        self.grant.currentIndexChanged.connect(self.on_grant_current_index_changed)
        self.run_all_button.clicked.connect(lambda: self.run(all_steps=True))
        self.next_button.clicked.connect(lambda: self.run(all_steps=False))
        self.cancel_button.clicked.connect(self.cancel)
        self.prompt.cancel_requested.connect(self.cancel)
        self.again_button.clicked.connect(self.run_again)
        self.diagnose_button.clicked.connect(
            lambda: self.diagnose_requested.emit(self.session.flow, self.session.profile_name))
        self.report_button.clicked.connect(self.export_report)
        self.steps_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.detail.open_token_requested.connect(self.on_detail_open_token_requested)
        session = self.session
        for signal, slot in ((session.step_started, self.on_step_started), (session.step_finished, self.on_step_finished),
                             (session.step_ready, self.on_step_ready), (session.question, self.on_question),
                             (session.wait, self.on_wait), (session.tokens_saved, self.on_tokens_saved),
                             (session.tokens_not_saved, self.on_tokens_not_saved),
                             (session.flow_finished, self.on_flow_finished), (session.flow_saved, self.on_flow_saved),
                             (session.flow_not_saved, self.on_flow_not_saved)):
            signal.connect(slot)
            signal.connect(lambda *_: self._update_buttons())
        self.session.busy_changed.connect(lambda _busy: self._update_buttons())
        self.session.failed.connect(self.on_session_failed)
        self.session.flow_created.connect(self.on_session_flow_created)
        for keys, slot in (("Ctrl+Return", lambda: self.run(all_steps=False)), ("Ctrl+Enter", lambda: self.run(all_steps=False)),
                           ("Escape", self.cancel)):
            QShortcut(QKeySequence(keys), self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._grants: dict[str, Any] | None = None
        self._loading = False
        self._last_all = False
        self._starting = False
        self._profile_hint = False  # the last start failed for want of a usable profile
        self.initial_focus = self.grant  # where Ctrl+1..4 puts the keyboard
        self._update_buttons()

    # -- choosing -----------------------------------------------------------------------------
    @property
    def grant_name(self) -> str:
        return self.grant.currentData()

    def load(self) -> None:
        """List the grant's steps; the grants' step modules (and httpx) are imported in a worker first."""
        if self._grants is not None or self._loading:
            return
        self._loading = True

        def job(_job: Any) -> Any:
            return {name: grant.steps for name, grant in GRANTS.items()}

        def loaded(grants: Any) -> None:
            self._grants = grants
            width = steps_width(self.steps_view, [spec.title for specs in grants.values() for spec in specs])
            size_when_shown(self.splitter, lambda room: [width, max(room - width, 0)])
            self._preview()

        def failed(exc: BaseException) -> None:
            self._loading = False  # opening the panel again tries again
            self.state_label.setText(
                f"The flows could not be loaded: {describe(exc)} Reinstalling Token Inspector should fix this."
            )
            sys.excepthook(type(exc), exc, exc.__traceback__)

        self.context.pool.start(job, on_finished=loaded, on_errored=failed, name="flows-import")

    def activate(self) -> None:
        self.load()

    def on_grant_current_index_changed(self, _index: int) -> None:
        if not self.session.busy:
            self.session.close()
            self.session.runner = None
            self._preview()

    def on_profile_changed(self, name: str) -> None:
        """Another profile in the Profile box: a hint to choose one no longer applies."""
        if name and self._profile_hint and not self.session.busy:
            self._profile_hint = False
            self.state_label.setText(f"Profile {name!r} chosen: press Run all, or Next step (Ctrl+Return).")

    def _preview(self) -> None:
        if self._grants is None:
            return
        specs = self._grants[self.grant_name]
        self.steps_model.set_steps([SimpleNamespace(name=s.name, title=s.title, status="pending", duration=0.0,
                                                    inputs={}, prepared=False, exchanges=[], findings=[], output={})
                                    for s in specs])
        record = GRANTS[self.grant_name]
        needed = record.token  # prefilled from the last token response
        self.token_input.setVisible(needed is not None)
        what = (record.token_option or "token").replace("_", " ")
        self.token_input.setAccessibleName(f"{what.capitalize()} to use")
        self.token_input.setPlaceholderText(f"{what} for this flow (prefilled from the last tokens obtained)")
        self.api_url.setVisible(GRANTS[self.grant_name].issues_tokens)
        if needed and self.last_tokens.get(needed):
            self.token_input.setText(self.last_tokens[needed])
        self.prompt.reset()
        self.detail.show_step(None, editable=False)
        self.state_label.setText("")
        self._update_buttons()

    # -- running ------------------------------------------------------------------------------
    def run(self, *, all_steps: bool) -> None:
        if self.session.busy or self.pages.currentWidget() is not self.live:  # a saved flow never runs
            return
        self._last_all = all_steps
        if self.session.runner is None or self.session.grant != self.grant_name:
            self._start()
        elif not self.session.runner.finished:
            self.session.step(all_steps=all_steps)

    def run_again(self) -> None:
        """A fresh flow of the same grant, with the active profile as saved now."""
        if self.session.runner is not None and self.session.runner.finished:
            self.prompt.reset()
            self._start()

    def _start(self) -> None:
        token = self.token_input.text().strip() if GRANTS[self.grant_name].token else None
        self.state_label.setText("Starting…")
        self._starting = True
        api_url = self.api_url.text().strip() if GRANTS[self.grant_name].issues_tokens else None
        self.session.start(self.grant_name, self.context.active_profile, token, "all" if self._last_all else "next",
                           api_url=api_url)

    def cancel(self) -> None:
        if self.session.busy:
            self.session.cancel()
            self.state_label.setText("Cancelling…")

    def on_session_flow_created(self, flow: Any) -> None:
        self._starting = self._profile_hint = False
        self.detail.setting_names = gui_namer(self.session.profile_name)
        self.steps_model.set_steps([step.snapshot() for step in flow.steps])  # no worker runs yet
        self.prompt.reset()
        self.state_label.setText(f"Running {GRANTS[flow.grant].label} with profile {self.session.profile_name!r}.")

    def on_session_failed(self, message: str) -> None:
        self._profile_hint, self._starting = self._starting, False
        self.state_label.setText(message)
        self._update_buttons()

    def on_step_started(self, step: Any) -> None:
        self.steps_model.refresh(step)
        self._select(step)
        if step.name == "callback":
            listener = self._authorize_input("redirect_uri", "the loopback listener")
            self.prompt.start_countdown(self.session.runner.context.settings.sign_in_wait,
                                        f"Waiting for the browser on {listener}… (timeout in {{}})")
            self.listener_state.emit(f"Listening on {listener}")

    def on_step_finished(self, step: Any) -> None:
        self.steps_model.refresh(step)
        if step.name in ("callback", "token"):
            self.prompt.stop_countdown({"ok": "Done.", "cancelled": "Cancelled."}.get(step.status.value, ""))
            self.listener_state.emit("")
        if step.name == "callback" and step.status.value == "ok":
            self.prompt.set_hint("")  # the browser came back: the advice for a refused redirect URI is moot
        if isinstance(token_response := step.output.get("token"), dict):
            from inspector.core.storage.history import response_token_values

            self.last_tokens.update(response_token_values(token_response))
        self._select(step)

    def on_step_ready(self, step: Any) -> None:
        self.steps_model.refresh(step)
        self.state_label.setText(f"Next: {step.title}. Select it to review or edit its parameters, then press "
                                 "Next step (Ctrl+Return).")

    def on_question(self, question: Any) -> None:
        if question.kind == "open_url":
            listener = self._authorize_input("redirect_uri", "")
            hint = question.if_refused.render(self.detail.setting_names)
            self.prompt.show_open_url(question.url, question.opened, listener,
                                      f"{hint} In that case press Cancel (Esc), fix the registration and press "
                                      "Run again.")
        else:
            self.prompt.show_device_code(question.user_code, question.verification_uri,
                                         question.verification_uri_complete)
            if question.expires_in:
                self.prompt.start_countdown(question.expires_in, "The code expires in {}.")

    def on_wait(self, seconds: float) -> None:
        slowed = self._wait_interval is not None and seconds > self._wait_interval
        self._wait_interval = seconds
        note = " — the provider asked to slow down" if slowed else ""
        self.prompt.start_countdown(seconds, f"Waiting for approval: next check in {{}} (every {seconds:g} s{note}).")

    def on_tokens_saved(self, count: int) -> None:
        self.status_message.emit(f"{count} token(s) saved to the history.")

    def on_tokens_not_saved(self, why: str) -> None:
        self.status_message.emit(f"Tokens not saved to the history: {why}")

    def on_flow_saved(self, entry: Any) -> None:
        self.status_message.emit(f"The flow was saved to the history ({entry.id}).")

    def on_flow_not_saved(self, why: str) -> None:
        self.status_message.emit(f"The flow was not saved to the history: {why}")

    def on_flow_finished(self, flow: Any) -> None:
        self._wait_interval = None
        self.prompt.stop_countdown(self.prompt.countdown.text() if flow.status.value == "ok" else "")
        failed = next((step for step in flow.steps if step.status.value == "error"), None)
        where = f" at step {flow.steps.index(failed) + 1}, {failed.title}" if failed is not None else ""
        words = {"ok": "✔ The flow completed.", "error": f"✖ The flow failed{where}: the step says why.",
                 "cancelled": "■ Cancelled. Press Run again to start over."}
        self.state_label.setText(f"{words.get(flow.status.value, flow.status.value)} ({flow.duration:.1f} s)")
        self.status_message.emit(words.get(flow.status.value, ""))
        self.listener_state.emit("")

    def export_report(self) -> None:
        """The current flow's record (as ``flow --json`` would save it) in the report dialog."""
        flow = self.session.flow if self.session.runner is not None else None
        if flow is None or self.session.busy:
            return
        from inspector.core.report.source import ReportSource
        from inspector.ui.views.report_dialog import ReportDialog

        record = flow.to_json(show_tokens=True)
        name = f"the {GRANTS[flow.grant].label} flow"
        if self.report_dialog is not None:
            self.report_dialog.close()
        self.report_dialog = ReportDialog(self.context, lambda: ReportSource("flow_record", record, name),
                                          subject=name, parent=self)
        self.report_dialog.open()

    def last_flow(self) -> LastFlow:
        """What the last flow left for the Call tab: its access token, token type and DPoP session."""
        runner = self.session.runner
        if runner is None or self.session.busy:
            return LastFlow(self.last_tokens.get("access_token"))
        response = runner.context.token_response or {}
        token = response.get("access_token")
        return LastFlow(token if isinstance(token, str) else self.last_tokens.get("access_token"),
                        response.get("token_type"), runner.context.dpop)

    def on_detail_open_token_requested(self, token: str) -> None:
        runner = self.session.runner
        expected = from_flow(runner.context, self.session.profile_name, token) if runner is not None else None
        self.open_requested.emit(token, expected)

    # -- a saved flow -------------------------------------------------------------------------
    def show_saved(self, entry: Any, record: Any, flow: Any) -> None:
        """Show a flow from the history read-only, in place of the runner (which keeps its state)."""
        if self.saved_view is None:
            self.saved_view = SavedFlowView({name: grant.label for name, grant in GRANTS.items()}, self)
            self.saved_view.back_requested.connect(self.show_live)
            self.saved_view.open_requested.connect(lambda token: self.open_requested.emit(token, None))
            self.saved_view.diagnose_requested.connect(self.saved_diagnose_requested)
            self.saved_view.report_requested.connect(self.export_saved_report)
            self.pages.addWidget(self.saved_view)
        self.saved_view.show_flow(entry, record, flow)
        self.pages.setCurrentWidget(self.saved_view)

    def export_saved_report(self) -> None:
        """The saved flow shown, as its record, in the report dialog (as History's Export report…)."""
        view = self.saved_view
        if view is None or view.flow is None:
            return
        from inspector.core.report.source import ReportSource
        from inspector.ui.views.report_dialog import ReportDialog

        record, name = view.flow.to_json(show_tokens=True), f"history entry {view.entry.id}"
        if self.report_dialog is not None:
            self.report_dialog.close()
        self.report_dialog = ReportDialog(self.context, lambda: ReportSource("flow_record", record, name),
                                          subject=name, parent=self)
        self.report_dialog.open()

    def show_live(self) -> None:
        self.pages.setCurrentWidget(self.live)

    # -- display ------------------------------------------------------------------------------
    def _authorize_input(self, name: str, default: str) -> str:
        """An input of the authorization request as shown (a snapshot: the worker may be running):
        the authorize step's, or with PAR the pushed request's (the browser carries only client_id
        and request_uri)."""
        for step_name in ("authorize", "par"):
            step = self.steps_model.named(step_name)
            if step is not None and name in step.inputs:
                return step.inputs[name]
        return default

    def _select(self, step: Any) -> None:
        row = self.steps_model.row_of(step)
        if row >= 0:
            self.steps_view.selectionModel().setCurrentIndex(
                self.steps_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._show_selected()

    def _show_selected(self) -> None:
        index = self.steps_view.currentIndex()
        step = self.steps_model.step(index.row()) if index.isValid() else None
        if isinstance(step, SimpleNamespace):
            step = None
        busy = self.session.busy
        # The list shows snapshots; edits go to the live step, which no worker touches between jobs.
        flow = None if busy or step is None else self.session.flow
        live = next((s for s in flow.steps if s.name == step.name), None) if flow is not None else None
        self.detail.show_step(step, editable=not busy, inputs=live.inputs if live is not None else None)

    def _update_buttons(self) -> None:
        busy = self.session.busy
        runner = self.session.runner
        finished = runner is not None and runner.finished
        self.grant.setEnabled(not busy)
        self.run_all_button.setEnabled(not busy and not finished)
        self.next_button.setEnabled(not busy and not finished)
        self.cancel_button.setEnabled(busy)
        self.again_button.setEnabled(not busy and finished)
        self.diagnose_button.setEnabled(not busy and finished and self.session.flow.status.value == "error")
        self.report_button.setEnabled(not busy and runner is not None)
        if not busy:
            self._show_selected()
