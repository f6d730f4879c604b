"""The Flows panel against the real provider and the test resource server: a grant's last step
calls the API given beside the grant, its answer in the step view; the Call tab then uses the
flow's access token."""

from __future__ import annotations

import httpx
import pytest

from inspector.core.storage.profile_model import Profile
from inspector.ui.views.flows_panel import FlowsPanel
from tests.support.direct_client import metadata
from tests.support.resource_server import ResourceServer

pytestmark = pytest.mark.e2e

TIMEOUT = 30_000
SERVICE = "service-client"


@pytest.fixture
def api(oidc_provider):
    endpoint = metadata(oidc_provider)["introspection_endpoint"]
    auth = (SERVICE, oidc_provider.secrets[SERVICE])
    with ResourceServer(introspect=lambda token: httpx.post(endpoint, data={"token": token}, auth=auth,
                                                            timeout=5).json(),
                        scopes={"/admin": "admin"}) as server:
        yield server


@pytest.fixture
def panel(qtbot, context, oidc_provider):
    context.storage.profiles.add(Profile(name="service", issuer=oidc_provider.issuer, client_id=SERVICE,
                                         auth_method="client_secret_basic", scopes=("api:read",)),
                                 secrets={"client_secret": oidc_provider.secrets[SERVICE]})
    context.active_profile = "service"
    widget = FlowsPanel(context)
    qtbot.addWidget(widget)
    widget.show()
    widget.load()
    qtbot.waitUntil(lambda: widget.steps_model.rowCount() > 0, timeout=TIMEOUT)
    widget.grant.setCurrentIndex(widget.grant.findData("client_credentials"))
    yield widget
    qtbot.waitUntil(lambda: not widget.session.busy and not widget.call_panel.busy, timeout=TIMEOUT)


def run_all(qtbot, panel):
    panel.run_all_button.click()
    qtbot.waitUntil(lambda: panel.session.runner is not None and panel.session.runner.finished
                    and not panel.session.busy, timeout=TIMEOUT)


def test_the_step_after_the_grant_shows_the_apis_answer(qtbot, panel, api):
    assert panel.api_url.isVisible()
    panel.api_url.setText(f"{api.url}/me")
    run_all(qtbot, panel)
    flow = panel.session.flow
    assert flow.status.value == "ok" and flow.steps[-1].name == "api_call"
    assert panel.steps_model.step(panel.steps_view.currentIndex().row()).name == "api_call"
    assert panel.detail.response_line.text().startswith("HTTP 200")
    assert '"status": 200' in panel.detail.output_view.toPlainText()
    assert api.received[0].headers["authorization"] == f"Bearer {panel.last_tokens['access_token']}"


def test_a_refusal_fails_the_step_and_without_a_url_it_is_skipped(qtbot, panel, api):
    panel.api_url.setText(f"{api.url}/admin")
    run_all(qtbot, panel)
    step = panel.session.flow.steps[-1]
    assert step.status.value == "error" and "insufficient_scope" in [f.code for f in step.findings]
    assert "failed at step 3, Call an API" in panel.state_label.text()
    panel.api_url.setText("")
    panel.again_button.click()
    qtbot.waitUntil(lambda: panel.session.runner.finished and not panel.session.busy, timeout=TIMEOUT)
    assert panel.session.flow.status.value == "ok" and panel.session.flow.steps[-1].status.value == "skipped"


def test_the_call_tab_uses_the_last_flows_access_token(qtbot, panel, api):
    run_all(qtbot, panel)
    panel.tabs.setCurrentWidget(panel.call_panel)
    call = panel.call_panel
    call.token_source.setCurrentIndex(call.token_source.findData("flow"))
    call.url.setText(f"{api.url}/me")
    call.send_button.click()
    qtbot.waitUntil(lambda: not call.busy, timeout=TIMEOUT)
    assert call.state.text().startswith("✔ HTTP 200"), call.state.text()
    assert api.received[-1].headers["authorization"] == f"Bearer {panel.last_tokens['access_token']}"


def test_the_calls_request_is_edited_in_the_step_view_before_it_goes(qtbot, panel, api):
    panel.api_url.setText(f"{api.url}/me")
    for _ in range(2):  # discovery, then the token request; the call is then prepared, not sent
        panel.next_button.click()
        qtbot.waitUntil(lambda: panel.session.runner is not None and not panel.session.busy, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: panel.session.flow.step("token").status.value == "ok", timeout=TIMEOUT)
    panel.steps_view.setCurrentIndex(panel.steps_model.index(2))
    detail = panel.detail
    assert detail.params_model.editable
    detail.new_param.setText("X-Trace")
    detail.add_param_button.click()
    row = detail.params_model.rowCount() - 1
    assert detail.params_model.setData(detail.params_model.index(row, 1), "trace-7")
    panel.next_button.click()
    qtbot.waitUntil(lambda: panel.session.runner.finished and not panel.session.busy, timeout=TIMEOUT)
    assert panel.session.flow.status.value == "ok" and api.received[-1].headers["x-trace"] == "trace-7"
