"""The Flows panel saves each flow's record in the history when it ends — finished, failed or
cancelled — against the real provider, through the core's saver on the flow's worker; History
then opens it read-only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from inspector.core.redact import SCRIPT_TOKENS
from inspector.core.storage.profile_model import Profile
from inspector.ui.views.flows_panel import FlowsPanel

pytestmark = pytest.mark.e2e

RUN_TIMEOUT = 30_000


def use_profile(window, qtbot, context, profile: Profile, secrets: dict[str, str] | None = None) -> None:
    context.storage.profiles.add(profile, secrets=secrets)
    window.panels["Profiles"].load()
    qtbot.waitUntil(lambda: window.profile_bar.combo.findText(profile.name) >= 0, timeout=RUN_TIMEOUT)
    window.profile_bar.select(profile.name)


def flows_panel(window, qtbot, grant: str) -> FlowsPanel:
    panel = window.show_panel("Flows")
    qtbot.waitUntil(lambda: panel.steps_model.rowCount() > 0, timeout=RUN_TIMEOUT)
    panel.grant.setCurrentIndex(panel.grant.findData(grant))
    return panel


def run_until_saved(qtbot, panel: FlowsPanel, start) -> str:
    with qtbot.waitSignal(panel.status_message, check_params_cb=lambda text: "flow was saved" in text,
                          timeout=RUN_TIMEOUT) as said:
        start()
    qtbot.waitUntil(lambda: not panel.session.busy, timeout=RUN_TIMEOUT)
    return said.args[0]


def saved_flows(context) -> list:
    with context.storage_lock:
        return list(context.storage.history.search("", kind="flow"))


def service(window, qtbot, context, oidc_provider, secret: str) -> None:
    use_profile(window, qtbot, context, Profile(name="service", issuer=oidc_provider.issuer,
                                                client_id="service-client", auth_method="client_secret_basic",
                                                scopes=("api:read",)), secrets={"client_secret": secret})


def test_a_finished_flow_is_saved_whole_and_opens_from_history(window, qtbot, context, oidc_provider):
    secret = oidc_provider.secrets["service-client"]
    service(window, qtbot, context, oidc_provider, secret)
    panel = flows_panel(window, qtbot, "client_credentials")
    message = run_until_saved(qtbot, panel, panel.run_all_button.click)
    [entry] = saved_flows(context)
    assert f"({entry.id})" in message
    assert (entry.status, entry.source, entry.profile, entry.issuer) == ("ok", "client_credentials", "service",
                                                                        oidc_provider.issuer)
    flow = panel.session.flow
    record = context.storage.history.flow_record(entry.id)
    assert list(record.lines) == [s.to_json(show_tokens=SCRIPT_TOKENS) for s in flow.steps] + [
        flow.done_json(show_tokens=SCRIPT_TOKENS)]
    assert secret not in str(record.lines)

    history = window.show_panel("History")
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=RUN_TIMEOUT)  # the access token and the flow
    row = next(r for r in range(2) if history.proxy.index(r, 2).data() == "flow")
    history.view.selectRow(row)
    history.view.setFocus()
    qtbot.keyClick(history.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.saved_view, timeout=RUN_TIMEOUT)
    assert panel.saved_view.detail.response_line.text().startswith("HTTP 200")


def test_a_failed_flow_is_saved_with_its_outcome(window, qtbot, context, oidc_provider):
    service(window, qtbot, context, oidc_provider, "not-the-service-secret-0123456789")
    panel = flows_panel(window, qtbot, "client_credentials")
    run_until_saved(qtbot, panel, panel.run_all_button.click)
    [entry] = saved_flows(context)
    assert entry.status == "error"
    token = next(line for line in context.storage.history.flow_record(entry.id).lines if line["step"] == "token")
    assert token["error"] == "invalid_client"


def test_a_cancelled_flow_is_saved_as_cancelled(window, qtbot, context, oidc_provider):
    use_profile(window, qtbot, context, Profile(name="local", issuer=oidc_provider.issuer, client_id="public-client",
                                                auth_method="none", scopes=("openid",)))
    opened: list[str] = []
    context.open_url = lambda url: opened.append(url) or True  # nobody signs in
    panel = flows_panel(window, qtbot, "auth_code")

    def start_then_cancel() -> None:
        panel.run_all_button.click()
        qtbot.waitUntil(lambda: bool(opened), timeout=RUN_TIMEOUT)
        panel.cancel_button.click()

    run_until_saved(qtbot, panel, start_then_cancel)
    [entry] = saved_flows(context)
    assert entry.status == "cancelled" and entry.source == "auth_code"
    steps = [line["step"] for line in context.storage.history.flow_record(entry.id).lines]
    assert steps[:3] == ["discovery", "par", "authorize"] and steps[-1] == "done"
