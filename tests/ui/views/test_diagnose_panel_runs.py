"""Diagnose from the Flows panel, against the real provider: a flow that failed opens on the
Diagnose panel with its profile, and its first cause is the real one."""

from __future__ import annotations

import pytest

from inspector.core.storage.profile_model import Profile
from tests.support.widget_text import shown_text
from tests.ui.views.test_flows_panel_runs import RUN_TIMEOUT, WRONG_SECRET, flows, use_profile, wait_finished

pytestmark = pytest.mark.e2e


def test_a_wrong_client_secret_is_diagnosed_as_invalid_client(window, qtbot, context, oidc_provider):
    use_profile(window, qtbot, context, Profile(name="service", issuer=oidc_provider.issuer,
                                                client_id="service-client", auth_method="client_secret_basic",
                                                scopes=("api:read",)),
                secrets={"client_secret": WRONG_SECRET})
    panel = flows(window, qtbot, "client_credentials")
    assert not panel.diagnose_button.isEnabled()
    panel.run_all_button.click()
    wait_finished(qtbot, panel)
    assert panel.session.flow.status.value == "error" and panel.diagnose_button.isEnabled()
    panel.diagnose_button.click()
    assert window.current_panel_name == "Diagnose"
    diagnose = window.panels["Diagnose"]
    qtbot.waitUntil(lambda: diagnose.outcome is not None, timeout=RUN_TIMEOUT)
    card = diagnose.cards.cards[0]
    assert (card.diagnosis.cause, card.confidence_label.text()) == ("invalid_client", "✖ certain")
    assert diagnose.subject_label.text().startswith(
        "Diagnosed the failed client credentials flow (profile 'service'), read as a flow record. Expected: "
        f"profile 'service', issuer {oidc_provider.issuer}, client id service-client.")
    assert WRONG_SECRET not in shown_text(diagnose)


def test_a_flow_that_went_well_offers_no_diagnosis(window, qtbot, context, oidc_provider):
    use_profile(window, qtbot, context, Profile(name="service", issuer=oidc_provider.issuer,
                                                client_id="service-client", auth_method="client_secret_basic",
                                                scopes=("api:read",)),
                secrets={"client_secret": oidc_provider.secrets["service-client"]})
    panel = flows(window, qtbot, "client_credentials")
    panel.run_all_button.click()
    wait_finished(qtbot, panel)
    assert panel.session.flow.status.value == "ok" and not panel.diagnose_button.isEnabled()
