"""The Diagnose panel against the real provider: a flow that failed on the Flows panel opens there
with its profile, and a browser's recording of a failed login reads as its cause; the first cause
is the real one, and nothing secret of either reaches a widget."""

from __future__ import annotations

import pytest

from inspector.core.har.reader import read_har
from inspector.core.storage.profile_model import Profile
from inspector.ui.views.diagnose_panel import DiagnosePanel
from tests.support.har_recorder import PASSWORD, login_with_a_changed_redirect_uri
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


def test_a_recorded_login_whose_token_request_changed_the_redirect_uri(qtbot, context, oidc_provider, tmp_path):
    recording = login_with_a_changed_redirect_uri(oidc_provider.issuer)
    path = recording.write(tmp_path / "orders-login.har")
    exchanges = read_har(path.read_bytes()).exchanges
    code = next(e.param("code") for e in exchanges if e.kind.value == "token")
    panel = DiagnosePanel(context)
    qtbot.addWidget(panel)
    panel.resize(1100, 800)
    panel.show()
    panel.open_file(path)
    qtbot.waitUntil(lambda: panel.outcome is not None, timeout=RUN_TIMEOUT)
    card = panel.cards.cards[0]
    assert (card.diagnosis.cause, card.confidence_label.text()) == ("redirect_uri_mismatch", "✖ certain")
    assert "'http://127.0.0.1:5173/callback/'" in card.summary_label.text()
    marked = panel.timeline_model.exchange(panel.timeline_view.currentIndex().row())
    assert (marked.kind.value, marked.status) == ("token", 400)
    for row in range(panel.timeline_model.rowCount()):
        panel.timeline_view.selectRow(row)
        text = shown_text(panel)
        assert PASSWORD not in text and code not in text, row
