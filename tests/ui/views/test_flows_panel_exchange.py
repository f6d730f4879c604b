"""Token exchange and the JWT bearer grant in the Flows panel, against the real provider: the
token box gives the subject token, the step's parameters take the rest, and the assertion's
claims are parameters a person edits before it is signed."""

from __future__ import annotations

import jwt
import pytest

from inspector.core.storage.profile_model import Profile
from inspector.ui.views.flows_panel import FlowsPanel
from tests.support.provider import TEST_API

pytestmark = pytest.mark.e2e

RUN_TIMEOUT = 30_000


def open_panel(qtbot, context, profile: Profile, secrets: dict[str, str]) -> FlowsPanel:
    context.storage.profiles.add(profile, secrets=secrets)
    context.active_profile = profile.name
    widget = FlowsPanel(context)
    qtbot.addWidget(widget)
    widget.show()
    widget.load()
    qtbot.waitUntil(lambda: widget.steps_model.rowCount() > 0, timeout=RUN_TIMEOUT)
    return widget


def choose(panel: FlowsPanel, grant: str) -> None:
    panel.grant.setCurrentIndex(panel.grant.findData(grant))


def wait_idle(qtbot, panel: FlowsPanel) -> None:
    qtbot.waitUntil(lambda: not panel.session.busy and panel.session.runner is not None, timeout=RUN_TIMEOUT)


def add_param(panel: FlowsPanel, name: str, value: str) -> None:
    panel.detail.new_param.setText(name)
    panel.detail.add_param_button.click()
    model = panel.detail.params_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == name)
    assert model.setData(model.index(row, 1), value)


def param_row(panel: FlowsPanel, name: str) -> int:
    model = panel.detail.params_model
    return next(r for r in range(model.rowCount()) if model.index(r, 0).data() == name)


def test_token_exchange_takes_the_last_access_token_as_subject_and_shows_the_issued_type(qtbot, context,
                                                                                          oidc_provider):
    panel = open_panel(qtbot, context, Profile(name="svc", issuer=oidc_provider.issuer, client_id="service-client",
                                               scopes=("api:read",)),
                       {"client_secret": oidc_provider.secrets["service-client"]})
    choose(panel, "client_credentials")
    panel.run_all_button.click()
    wait_idle(qtbot, panel)
    subject = panel.session.flow.step("token").output["token"]["access_token"]

    choose(panel, "token_exchange")
    assert panel.token_input.isVisible() and panel.token_input.text() == subject
    assert panel.token_input.placeholderText().startswith("subject token for this flow")
    panel.next_button.click()  # discovery; the token step is then prepared and editable
    wait_idle(qtbot, panel)
    panel.steps_view.setCurrentIndex(panel.steps_model.index(1))
    model = panel.detail.params_model
    assert model.editable
    assert model.index(param_row(panel, "subject_token_type"), 1).data() == \
        "urn:ietf:params:oauth:token-type:access_token"
    add_param(panel, "resource", TEST_API)
    panel.next_button.click()
    wait_idle(qtbot, panel)

    flow = panel.session.flow
    assert flow.status.value == "ok", [f.to_json() for f in flow.all_findings()]
    step = flow.step("token")
    assert step.output["issued_token_type"] == "urn:ietf:params:oauth:token-type:access_token"
    issued = jwt.decode(step.output["token"]["access_token"], options={"verify_signature": False})
    assert issued["aud"] == TEST_API and issued["act"] == {"sub": "service-client"}
    panel.steps_view.setCurrentIndex(panel.steps_model.index(1))
    assert "urn:ietf:params:oauth:token-type:access_token" in panel.detail.output_view.toPlainText()
    assert subject not in panel.detail.output_view.toPlainText()


def test_jwt_bearer_signs_the_edited_claims_with_the_profiles_key_and_shows_them_decoded(qtbot, context,
                                                                                          oidc_provider):
    key = oidc_provider.key_pem_path.read_text()
    panel = open_panel(qtbot, context, Profile(name="jwt", issuer=oidc_provider.issuer, client_id="jwt-client",
                                               auth_method="private_key_jwt"), {"private_key": key})
    choose(panel, "jwt_bearer")
    assert not panel.token_input.isVisible()
    panel.next_button.click()
    wait_idle(qtbot, panel)
    panel.steps_view.setCurrentIndex(panel.steps_model.index(1))
    model = panel.detail.params_model
    assert model.index(param_row(panel, "assertion.iss"), 1).data() == "jwt-client"
    assert model.index(param_row(panel, "assertion.aud"), 1).data() == f"{oidc_provider.issuer}/token"
    assert model.setData(model.index(param_row(panel, "assertion.exp"), 1), "99999999999")
    panel.next_button.click()
    wait_idle(qtbot, panel)
    assert panel.session.flow.status.value == "error"
    assert "one signed here lives an hour at most" in panel.detail.reason.text()

    panel.run_again()  # fresh claims: five minutes
    qtbot.waitUntil(lambda: panel.session.runner is not None and panel.session.flow.status.value != "pending",
                    timeout=RUN_TIMEOUT)
    wait_idle(qtbot, panel)
    while not panel.session.runner.finished:
        panel.next_button.click()
        wait_idle(qtbot, panel)
    flow = panel.session.flow
    assert flow.status.value == "ok", [f.to_json() for f in flow.all_findings()]
    panel.steps_view.setCurrentIndex(panel.steps_model.index(1))
    shown = panel.detail.output_view.toPlainText()
    assert '"assertion_claims"' in shown and '"iss": "jwt-client"' in shown and '"alg": "ES256"' in shown
