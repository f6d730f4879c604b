"""The Flows panel against the real provider: step by step, all at once, device code, cancel."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

from inspector.core.storage.profile_model import Profile
from inspector.ui.views.flows_panel import FlowsPanel
from tests.support.flows import ScriptedBrowser
from tests.support.user_agent import UserAgent

pytestmark = pytest.mark.e2e

RUN_TIMEOUT = 30_000


@pytest.fixture
def browser():
    scripted = ScriptedBrowser()
    yield scripted
    scripted.close()


@pytest.fixture
def panel(qtbot, context, oidc_provider, browser):
    context.storage.profiles.add(Profile(name="local", issuer=oidc_provider.issuer, client_id="public-client",
                                         auth_method="none", scopes=("openid", "email")))
    context.active_profile = "local"
    context.open_url = browser.open
    widget = FlowsPanel(context)
    qtbot.addWidget(widget)
    widget.show()
    widget.load()
    yield widget
    widget.session.cancel()
    qtbot.waitUntil(lambda: not widget.session.busy, timeout=RUN_TIMEOUT)


def choose(panel: FlowsPanel, grant: str, qtbot) -> None:
    qtbot.waitUntil(lambda: panel.steps_model.rowCount() > 0, timeout=RUN_TIMEOUT)  # the core is loaded
    panel.grant.setCurrentIndex(panel.grant.findData(grant))


def wait_idle(qtbot, panel: FlowsPanel) -> None:
    qtbot.waitUntil(lambda: not panel.session.busy and panel.session.runner is not None, timeout=RUN_TIMEOUT)


def statuses(panel: FlowsPanel) -> list[str]:
    return [step.status.value for step in panel.session.flow.steps]


def test_auth_code_flow_step_by_step_with_an_edited_parameter(panel, qtbot, context):
    choose(panel, "auth_code", qtbot)
    assert [panel.steps_model.step(r).name for r in range(panel.steps_model.rowCount())][:3] == [
        "discovery", "par", "authorize"]
    panel.next_button.click()
    wait_idle(qtbot, panel)
    assert statuses(panel)[0] == "ok"
    assert "Next: Send the person to sign in" in panel.state_label.text()

    panel.steps_view.setCurrentIndex(panel.steps_model.index(2))
    model = panel.detail.params_model
    assert model.editable, "the prepared authorize step's parameters are editable"
    scope_row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "scope")
    assert model.setData(model.index(scope_row, 1), "openid")

    while not panel.session.runner.finished:
        panel.next_button.click()
        wait_idle(qtbot, panel)
        if panel.session.flow.step("authorize").status.value == "ok" and panel.prompt.isVisible():
            assert panel.prompt.url.text().startswith(context.storage.profiles.get("local").issuer)
    flow = panel.session.flow
    assert flow.status.value == "ok", [f.to_json() for f in flow.all_findings()]
    assert statuses(panel) == ["ok", "skipped", "ok", "ok", "ok", "ok", "ok", "skipped"]  # PAR not required; no API
    assert "scope=openid&" in flow.step("authorize").output["url"]
    assert "✔ The flow completed." in panel.state_label.text()
    qtbot.waitUntil(lambda: {e.kind for e in context.storage.history.entries()} >= {"access", "id"},
                    timeout=RUN_TIMEOUT)


def test_a_token_opens_in_the_decoder_from_the_token_step(window, qtbot, context, oidc_provider, browser):
    context.storage.profiles.add(Profile(name="local", issuer=oidc_provider.issuer, client_id="public-client",
                                         auth_method="none", scopes=("openid",)))
    context.open_url = browser.open
    window.panels["Profiles"].load()
    qtbot.waitUntil(lambda: window.profile_bar.combo.findText("local") >= 0, timeout=5000)
    window.profile_bar.select("local")
    panel = window.show_panel("Flows")
    choose(panel, "auth_code", qtbot)
    panel.run_all_button.click()
    wait_idle(qtbot, panel)
    assert panel.session.flow.status.value == "ok", [f.to_json() for f in panel.session.flow.all_findings()]
    panel.steps_view.setCurrentIndex(panel.steps_model.index(4))
    buttons = [w for w in panel.detail.tokens_box.findChildren(type(panel.next_button)) if w.isVisibleTo(panel)]
    id_button = next(b for b in buttons if "ID token" in b.text())
    id_button.click()
    assert window.current_panel_name == "Decoder"
    decoder = window.panels["Decoder"]
    assert decoder.decoded is not None and decoder.decoded.claims["iss"] == oidc_provider.issuer


def assert_step_names_whole(panel: FlowsPanel) -> None:
    """Every step line fits the list (else it is elided), and its tooltip names the step in full."""
    view, model = panel.steps_view, panel.steps_model
    for row in range(model.rowCount()):
        index = model.index(row)
        assert view.sizeHintForIndex(index).width() <= view.viewport().width(), f"{index.data()!r} is cut off"
        assert model.step(row).title in index.data(Qt.ItemDataRole.ToolTipRole)


class Widths(QObject):
    """Every width a widget is given, also for a moment (while a step waits for the browser)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.seen: list[int] = []
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self.seen.append(event.size().width())
        return False


def test_at_900x600_the_step_list_keeps_one_width_and_shows_every_step_name_whole(
        small_window, qtbot, context, oidc_provider, browser):
    context.storage.profiles.add(Profile(name="local", issuer=oidc_provider.issuer, client_id="public-client",
                                         auth_method="none", scopes=("openid", "email")))
    context.open_url = browser.open
    small_window.panels["Profiles"].load()
    qtbot.waitUntil(lambda: small_window.profile_bar.combo.findText("local") >= 0, timeout=5000)
    small_window.profile_bar.select("local")
    panel = small_window.show_panel("Flows")
    choose(panel, "auth_code", qtbot)
    width = panel.steps_view.width()
    widths = Widths(panel.steps_view)
    assert_step_names_whole(panel)
    while panel.session.runner is None or not panel.session.runner.finished:
        panel.next_button.click()
        wait_idle(qtbot, panel)
        assert_step_names_whole(panel)
    assert panel.session.flow.status.value == "ok", [f.to_json() for f in panel.session.flow.all_findings()]
    for row in range(panel.steps_model.rowCount()):
        panel.steps_view.setCurrentIndex(panel.steps_model.index(row))
    assert set(widths.seen) <= {width} and panel.steps_view.width() == width


def test_device_flow_shows_the_code_and_backs_off_on_slow_down(panel, qtbot, context):
    waits: list[float] = []
    countdowns: list[str] = []

    def poll_wait(cancel, seconds):
        waits.append(seconds)
        if len(waits) == 3:
            uri = panel.session.flow.step("device_authorization").output["verification_uri_complete"]
            with UserAgent(login="bob") as phone:
                assert "Success" in phone.approve_device(uri).text
        return cancel.wait(0.01)

    context.poll_wait = poll_wait
    panel.session.wait.connect(lambda _seconds: countdowns.append(panel.prompt.countdown.text()))
    choose(panel, "device", qtbot)
    panel.run_all_button.click()
    qtbot.waitUntil(lambda: panel.prompt.user_code.isVisible(), timeout=RUN_TIMEOUT)
    user_code = panel.prompt.user_code.text()
    assert user_code and panel.prompt.url.text().startswith(context.storage.profiles.get("local").issuer)
    wait_idle(qtbot, panel)
    flow = panel.session.flow
    assert flow.status.value == "ok", [f.to_json() for f in flow.all_findings()]
    assert waits == [5, 5, 10]
    assert countdowns[0].startswith("Waiting for approval: next check in 0:05 (every 5 s)")
    assert "every 10 s — the provider asked to slow down" in countdowns[2]
    assert flow.step("id_token").output["claims"]["sub"] == "bob"


def test_cancel_mid_flow_leaves_the_app_usable(panel, qtbot, context):
    opened: list[str] = []
    context.open_url = lambda url: opened.append(url) or True  # a browser nobody signs in to
    panel.prompt._open_url = context.open_url
    choose(panel, "auth_code", qtbot)
    panel.run_all_button.click()
    qtbot.waitUntil(lambda: "Waiting for the browser" in panel.prompt.countdown.text(), timeout=RUN_TIMEOUT)
    assert opened and panel.cancel_button.isEnabled()
    panel.cancel_button.click()
    wait_idle(qtbot, panel)
    assert panel.session.flow.status.value == "cancelled"
    assert panel.session.flow.step("callback").status.value == "cancelled"
    assert panel.again_button.isEnabled() and panel.grant.isEnabled()

    panel.again_button.click()
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=RUN_TIMEOUT)
    qtbot.keyClick(panel, "\x1b")  # Esc cancels too
    panel.session.cancel()
    wait_idle(qtbot, panel)
    assert panel.session.flow.status.value == "cancelled"


def test_without_a_profile_it_says_what_to_do(qtbot, context):
    widget = FlowsPanel(context)
    qtbot.addWidget(widget)
    widget.load()
    qtbot.waitUntil(lambda: widget.steps_model.rowCount() > 0, timeout=RUN_TIMEOUT)
    widget.next_button.click()
    assert "Choose a profile" in widget.state_label.text()
    assert not widget.session.busy


def test_flows_that_cannot_be_loaded_say_so_and_report_the_error(qtbot, context, monkeypatch):
    monkeypatch.setitem(sys.modules, "inspector.core.flows.auth_code", None)  # the import now fails
    reported: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _type, exc, _tb: reported.append(exc))
    widget = FlowsPanel(context)
    qtbot.addWidget(widget)
    widget.load()
    qtbot.waitUntil(lambda: bool(reported), timeout=RUN_TIMEOUT)
    assert isinstance(reported[0], ImportError)
    assert "could not be loaded" in widget.state_label.text()
    assert widget.steps_model.rowCount() == 0
    monkeypatch.delitem(sys.modules, "inspector.core.flows.auth_code")
    widget.load()  # a second try is possible once the cause is gone
    qtbot.waitUntil(lambda: widget.steps_model.rowCount() > 0, timeout=RUN_TIMEOUT)


def test_closing_the_app_stops_a_waiting_flow(panel, qtbot, context):
    context.open_url = lambda url: True  # nobody signs in
    choose(panel, "auth_code", qtbot)
    panel.run_all_button.click()
    qtbot.waitUntil(lambda: "Waiting for the browser" in panel.prompt.countdown.text(), timeout=RUN_TIMEOUT)
    assert context.pool.shutdown(5000), "the listener wait did not stop when the workers were cancelled"
    qtbot.waitUntil(lambda: not panel.session.busy, timeout=RUN_TIMEOUT)
    assert panel.session.flow.status.value == "cancelled"


def test_a_failed_history_save_is_described_not_shown_as_a_raw_exception(qtbot, broken_storage_context):
    widget = FlowsPanel(broken_storage_context)
    qtbot.addWidget(widget)
    from inspector.ui.flow_bridge import FlowBridge

    bridge = FlowBridge(widget.session, issuer="")
    bridge.report = widget.session._on_progress  # as the worker's progress channel delivers it
    with qtbot.waitSignal(widget.status_message, timeout=RUN_TIMEOUT) as said:
        bridge.token_obtained(SimpleNamespace(grant="client_credentials"), None,
                              {"access_token": "eyJhbGciOiJub25lIn0.e30."})
    message = said.args[0]
    assert message.startswith("Tokens not saved to the history: An unexpected internal error occurred")
    assert "'history'" not in message and "KeyError(" not in message


def add_profile(context, name: str, **fields) -> None:
    secrets = fields.pop("secrets", None)
    context.storage.profiles.add(Profile(name=name, **fields), **({"secrets": secrets} if secrets else {}))
    context.active_profile = name


def test_a_refused_redirect_uri_shows_what_to_register_while_waiting_and_cancel_is_at_hand(panel, qtbot, context,
                                                                                          oidc_provider):
    pages: list = []

    def provider_error_page(url: str) -> bool:  # the browser lands on the provider's error page
        with UserAgent() as agent:
            pages.append(agent.client.get(url))
        return True

    add_profile(context, "unregistered", issuer=oidc_provider.issuer, client_id="public-client", auth_method="none",
                scopes=("openid",), redirect_path="/not-registered")
    context.open_url = provider_error_page
    choose(panel, "auth_code", qtbot)
    panel.run_all_button.click()
    qtbot.waitUntil(lambda: panel.prompt.cancel_button.isVisible() and bool(pages), timeout=RUN_TIMEOUT)
    assert pages[0].status_code == 400 and "redirect_uri did not match" in pages[0].text
    sent = panel.session.flow.step("authorize").output["redirect_uri"]
    assert sent.endswith("/not-registered")
    hint = panel.prompt.hint.text()
    assert panel.prompt.hint.isVisible() and f"the client must have exactly {sent} registered" in hint
    assert "the Redirect Port field of profile 'unregistered' (Profiles panel)" in hint and "--" not in hint
    panel.prompt.cancel_button.click()
    wait_idle(qtbot, panel)
    assert panel.session.flow.status.value == "cancelled"
    assert not panel.prompt.cancel_button.isVisible()


def test_a_sign_in_that_times_out_names_the_apps_setting_not_a_command_line_flag(panel, qtbot, context,
                                                                                 oidc_provider):
    add_profile(context, "slow", issuer=oidc_provider.issuer, client_id="public-client", auth_method="none",
                scopes=("openid",))
    context.open_url = lambda url: True  # nobody signs in
    context.sign_in_timeout = 0.5
    choose(panel, "auth_code", qtbot)
    panel.run_all_button.click()
    wait_idle(qtbot, panel)
    callback = panel.session.flow.step("callback")
    assert callback.status.value == "error" and callback.findings[0].message.endswith("within 0.5 seconds.")
    panel.steps_view.setCurrentIndex(panel.steps_model.index(3))
    why = panel.detail.reason.text()
    assert why.startswith("✖ Failed: No authorization response reached")
    assert why.endswith("allow more time with Settings › Time to sign in.") and "--timeout" not in why


def test_a_wrong_client_secret_says_which_method_was_used_and_where_to_fix_the_secret(panel, qtbot, context,
                                                                                     oidc_provider):
    add_profile(context, "bad-secret", issuer=oidc_provider.issuer, client_id="basic-client",
                scopes=("openid",), secrets={"client_secret": "not-the-secret"})
    choose(panel, "auth_code", qtbot)
    panel.run_all_button.click()
    wait_idle(qtbot, panel)
    assert panel.session.flow.step("token").status.value == "error"
    panel.steps_view.setCurrentIndex(panel.steps_model.index(4))
    why = panel.detail.reason.text()
    assert "'invalid_client'" in why and "client_secret_basic (chosen automatically)" in why
    assert "the provider supports client_secret_basic" in why and "token_endpoint_auth_methods_supported" in why
    assert "Check the Client secret field of profile 'bad-secret' (Profiles panel)" in why and "--" not in why
    assert panel.state_label.text().startswith("✖ The flow failed at step 5, Exchange the code for tokens: the step "
                                               "says why.")


def test_without_openid_the_skipped_steps_say_why_in_the_step_view(panel, qtbot, context, oidc_provider):
    add_profile(context, "plain-oauth", issuer=oidc_provider.issuer, client_id="public-client", auth_method="none",
                scopes=("email",))
    choose(panel, "auth_code", qtbot)
    panel.run_all_button.click()
    wait_idle(qtbot, panel)
    assert panel.session.flow.status.value == "ok"
    for row in (5, 6):
        panel.steps_view.setCurrentIndex(panel.steps_model.index(row))
        why = panel.detail.reason.text()
        assert why.startswith("– Skipped: ") and "did not include openid" in why
        assert why.endswith("Add openid to the Scopes field of profile 'plain-oauth' (Profiles panel) to get an ID "
                            "token and the userinfo claims.")


def test_the_browser_step_shows_the_authorization_request_and_the_callback_with_the_code_masked(panel, qtbot,
                                                                                               context):
    choose(panel, "auth_code", qtbot)
    panel.run_all_button.click()
    wait_idle(qtbot, panel)
    flow = panel.session.flow
    assert flow.status.value == "ok", [f.to_json() for f in flow.all_findings()]
    panel.steps_view.setCurrentIndex(panel.steps_model.index(2))
    sent = shown(panel.detail.request_params)
    assert {"client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge"} <= set(sent)
    assert sent["redirect_uri"] == flow.step("authorize").output["redirect_uri"]
    panel.steps_view.setCurrentIndex(panel.steps_model.index(3))
    received = shown(panel.detail.request_params)
    assert received["state"] == sent["state"] and received["code"].endswith(" chars)")
    assert flow.step("callback").output["code"] not in panel.detail.response_body.toPlainText()
    assert not panel.prompt.hint.isVisible(), "the browser came back: no advice about a refused redirect URI"


def shown(model) -> dict[str, str]:
    return {model.index(row, 0).data(): model.index(row, 1).data() for row in range(model.rowCount())}


def test_auth_code_with_par_shows_the_push_and_its_request_uri_in_the_step_view(panel, qtbot, context,
                                                                                oidc_provider, browser):
    add_profile(context, "par", issuer=oidc_provider.issuer, client_id="par-required-client", use_par=True,
                scopes=("openid",), secrets={"client_secret": oidc_provider.secrets["par-required-client"]})
    choose(panel, "auth_code", qtbot)
    panel.run_all_button.click()
    wait_idle(qtbot, panel)
    flow = panel.session.flow
    assert flow.status.value == "ok", [f.to_json() for f in flow.all_findings()]
    request_uri = flow.step("par").output["request_uri"]
    panel.steps_view.setCurrentIndex(panel.steps_model.index(panel.steps_model.row_of(flow.step("par"))))
    assert "Push the authorization request" in panel.detail.title.text()
    assert panel.detail.request_line.text().startswith("POST " + oidc_provider.issuer)
    pushed = shown(panel.detail.request_params)
    assert {"redirect_uri", "state", "code_challenge"} <= set(pushed)
    assert shown(panel.detail.request_headers)["authorization"] == "••••••"  # client_secret_basic, masked
    assert request_uri in panel.detail.response_body.toPlainText()
    output = panel.detail.output_view.toPlainText()
    assert request_uri in output and '"expires_in": 60' in output
    panel.steps_view.setCurrentIndex(panel.steps_model.index(panel.steps_model.row_of(flow.step("authorize"))))
    assert set(shown(panel.detail.request_params)) == {"client_id", "request_uri"}
    redirect_uri = flow.step("authorize").output["redirect_uri"]
    assert redirect_uri.startswith("http://127.0.0.1:") and f"comes back to {redirect_uri}." in panel.prompt.message.text()
