"""Export report… on the Flows panel: the flow just run, as its record, against the real provider;
no token or secret of the flow in the report."""

from __future__ import annotations

import pytest

from inspector.core.storage.profile_model import Profile
from inspector.ui.views.flows_panel import FlowsPanel

pytestmark = pytest.mark.e2e

TIMEOUT = 30_000


@pytest.fixture
def panel(qtbot, context, oidc_provider):
    context.storage.profiles.add(Profile(name="service", issuer=oidc_provider.issuer, client_id="service-client",
                                         auth_method="client_secret_basic", scopes=("api:read",)),
                                 secrets={"client_secret": oidc_provider.secrets["service-client"]})
    context.active_profile = "service"
    widget = FlowsPanel(context)
    qtbot.addWidget(widget)
    widget.show()
    widget.load()
    qtbot.waitUntil(lambda: widget.steps_model.rowCount() > 0, timeout=TIMEOUT)
    widget.grant.setCurrentIndex(widget.grant.findData("client_credentials"))
    return widget


def test_the_flow_just_run(qtbot, panel, oidc_provider):
    assert not panel.report_button.isEnabled()  # nothing run yet
    panel.run_all_button.click()
    qtbot.waitUntil(lambda: panel.session.runner is not None and panel.session.runner.finished
                    and not panel.session.busy, timeout=TIMEOUT)
    assert panel.report_button.isEnabled()
    panel.report_button.click()
    dialog = panel.report_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=TIMEOUT)
    text = dialog.data.decode()
    assert "the Client credentials flow: a flow record (client_credentials)" in text
    access = panel.last_tokens["access_token"]
    assert access not in text and oidc_provider.secrets["service-client"] not in text
