"""The Flows panel runs a DPoP flow against the real provider (a profile with DPoP on): the step
view shows each proof sent, decoded, beside its request, and the Decoder opens it as a proof."""

from __future__ import annotations

import pytest

from inspector.core.storage.profile_model import Profile
from tests.support.flows import ScriptedBrowser
from tests.ui.views.test_flows_panel_runs import RUN_TIMEOUT, flows, use_profile, wait_finished

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser():
    scripted = ScriptedBrowser()
    yield scripted
    scripted.close()


def test_the_step_view_shows_the_decoded_proofs_of_a_dpop_flow(window, qtbot, context, oidc_provider, browser):
    context.open_url = browser.open
    use_profile(window, qtbot, context, Profile(name="dpop", issuer=oidc_provider.issuer, client_id="dpop-nonce-client",
                                                auth_method="none", scopes=("openid", "email"), dpop=True))
    panel = flows(window, qtbot, "auth_code")
    panel.run_all_button.click()
    wait_finished(qtbot, panel)
    flow = panel.session.flow
    assert flow.status.value == "ok", [f.message for f in flow.all_findings()]
    panel.steps_view.setCurrentIndex(panel.steps_model.index(panel.steps_model.row_of(flow.step("token"))))
    detail = panel.detail
    assert detail.exchange_choice.count() == 2  # use_dpop_nonce, then the retry with the nonce
    assert detail.proof_box.isVisibleTo(panel)
    retried = detail.proof_view.toPlainText()
    assert '"typ": "dpop+jwt"' in retried and '"htu": "' + oidc_provider.issuer + '/token"' in retried
    assert '"nonce": "' in retried and "server's nonce" in detail.proof_line.text()
    detail.exchange_choice.setCurrentIndex(0)
    assert '"nonce"' not in detail.proof_view.toPlainText()
    assert "dpop_nonce_retry" in [f.code for f in flow.step("token").findings]

    panel.steps_view.setCurrentIndex(panel.steps_model.index(panel.steps_model.row_of(flow.step("userinfo"))))
    assert '"ath": "' in detail.proof_view.toPlainText()
    detail.open_proof_button.click()
    assert window.current_panel_name == "Decoder"
    decoder = window.panels["Decoder"]
    qtbot.waitUntil(lambda: decoder.proof is not None, timeout=RUN_TIMEOUT)
    assert decoder.header_label.text().startswith("DPoP proof (RFC 9449)") and decoder.proof.valid
