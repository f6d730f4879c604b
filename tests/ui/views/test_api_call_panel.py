"""The Flows panel's Call an API tab against the real test resource server: status, body and
findings shown, the token from each source, DPoP proofs decoded, Cancel stops a hung request,
and nothing runs on the GUI thread."""

from __future__ import annotations

import time

import jwt
import pytest

from inspector.core.protocol.dpop_session import DpopSession
from inspector.ui.api_call_job import LastFlow
from inspector.ui.views.api_call_panel import ApiCallPanel
from tests.support.keys import rsa_private
from tests.support.resource_server import ResourceServer
from tests.support.slow_server import SlowServer

AUD = "https://api.test"
TIMEOUT = 15_000


def jwks():
    public = jwt.algorithms.RSAAlgorithm.to_jwk(rsa_private().public_key(), as_dict=True)
    return {"keys": [{**public, "kid": "rs1", "alg": "RS256"}]}


def access_token(**claims):
    body = {"sub": "ann", "aud": AUD, "exp": int(time.time()) + 300, "scope": "read", **claims}
    return jwt.encode(body, rsa_private(), algorithm="RS256", headers={"kid": "rs1", "typ": "at+jwt"})


@pytest.fixture
def make_panel(qtbot, context):
    def make(last_flow=LastFlow()):
        panel = ApiCallPanel(context, lambda: last_flow)
        qtbot.addWidget(panel)
        panel.show()
        return panel

    yield make
    context.pool.shutdown(5000)


def send(qtbot, panel):
    panel.send_button.click()
    assert panel.busy and not panel.send_button.isEnabled() and panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.busy, timeout=TIMEOUT)


def test_a_pasted_token_is_sent_and_the_status_body_and_headers_are_shown(qtbot, qtmodeltester, make_panel):
    panel = make_panel()
    token = access_token()
    with ResourceServer(jwks=jwks(), audience=AUD) as api:
        panel.url.setText(f"{api.url}/things")
        panel.token.setText(token)
        send(qtbot, panel)
    assert panel.state.text().startswith("✔ HTTP 200 OK")
    assert '"sub": "ann"' in panel.answer_body.toPlainText()
    names = [panel.headers_model.index(row, 0).data() for row in range(panel.headers_model.rowCount())]
    assert "content-type" in names
    assert api.received[0].headers["authorization"] == f"Bearer {token}"
    assert panel.answer_tabs.tabText(2) == "Findings (0)" and panel.answer_tabs.tabText(3) == "DPoP proofs (0)"
    qtmodeltester.check(panel.headers_model)


def test_a_refusal_shows_the_finding_in_plain_words(qtbot, qtmodeltester, make_panel):
    panel = make_panel()
    with ResourceServer(jwks=jwks(), audience=AUD, scopes={"/admin": "read admin"}) as api:
        panel.url.setText(f"{api.url}/admin")
        panel.token.setText(access_token())
        send(qtbot, panel)
    assert panel.state.text().startswith("✖ HTTP 403")
    codes = [finding.code for finding in panel.findings_model.findings()]
    assert "insufficient_scope" in codes and "admin" in panel.state.text()
    qtmodeltester.check(panel.findings_model)


def test_the_last_flows_dpop_bound_token_goes_with_proofs_shown_decoded(qtbot, make_panel):
    session = DpopSession.start()
    token = access_token(cnf={"jkt": session.key.thumbprint})
    panel = make_panel(LastFlow(token, "DPoP", session))
    panel.token_source.setCurrentIndex(panel.token_source.findData("flow"))
    assert not panel.token.isVisible() and not panel.key_source.isEnabled()
    panel.dpop.setChecked(True)
    assert panel.key_source.isEnabled() and panel.key_source.currentData() == "flow"
    with ResourceServer(jwks=jwks(), audience=AUD, schemes=("DPoP",), dpop_nonce="n-9") as api:
        panel.url.setText(f"{api.url}/things")
        panel.method.setCurrentText("PUT")
        panel.body.setPlainText('{"a": 1}')
        send(qtbot, panel)
    assert panel.state.text().startswith("✔ HTTP 200 OK after 2 requests"), panel.state.text()
    proofs = panel.proofs.toPlainText()
    assert "Proof 2 of 2" in proofs and '"nonce": "n-9"' in proofs and '"htm": "PUT"' in proofs
    assert api.received[-1].headers["authorization"] == f"DPoP {token}" and api.received[-1].body == b'{"a": 1}'


def test_the_token_of_a_history_entry(qtbot, context, make_panel):
    token = access_token()
    entry = context.storage.history.add(token, kind="access")
    panel = make_panel()
    panel.token_source.setCurrentIndex(panel.token_source.findData("history"))
    assert panel.history_id.isVisible() and not panel.token.isVisible()
    with ResourceServer(jwks=jwks(), audience=AUD) as api:
        panel.url.setText(f"{api.url}/things")
        panel.history_id.setText(entry.id[:6])
        send(qtbot, panel)
    assert panel.state.text().startswith("✔ HTTP 200") and api.received[0].headers["authorization"] == f"Bearer {token}"


@pytest.mark.parametrize("setup, words", [
    (lambda panel: panel.url.setText(""), "No API URL to call"),
    (lambda panel: panel.headers.setPlainText("no colon"), "is not 'Name: value'"),
    (lambda panel: panel.token_source.setCurrentIndex(panel.token_source.findData("flow")),
     "No flow has obtained an access token yet"),
    (lambda panel: panel.dpop.setChecked(True), "The last flow ran without DPoP"),
])
def test_what_cannot_be_sent_is_said_in_words(qtbot, make_panel, setup, words):
    panel = make_panel()
    panel.url.setText("https://api.example.com/x")
    panel.token.setText("abc")
    setup(panel)
    send(qtbot, panel)
    assert panel.state.text().startswith("✖ Not sent:") and words in panel.state.text()


def test_cancel_stops_a_request_the_api_never_answers(qtbot, make_panel):
    panel = make_panel()
    with SlowServer("silent") as server:
        panel.url.setText(f"{server.url}/x")
        panel.token.setText("abc")
        panel.send_button.click()
        qtbot.waitUntil(lambda: panel.state.text().startswith("Sending"), timeout=TIMEOUT)
        panel.cancel_button.click()
        qtbot.waitUntil(lambda: not panel.busy, timeout=TIMEOUT)
    assert panel.state.text() == "■ Cancelled." and panel.send_button.isEnabled()


def test_a_dpop_key_source_without_a_key_says_so(qtbot, context, make_panel):
    from inspector.core.storage.profile_model import Profile

    entry = context.storage.history.add(access_token(), kind="access")
    panel = make_panel()
    panel.url.setText("https://api.example.com/x")
    panel.token_source.setCurrentIndex(panel.token_source.findData("history"))
    panel.history_id.setText(entry.id)
    panel.dpop.setChecked(True)
    panel.key_source.setCurrentIndex(panel.key_source.findData("history"))
    send(qtbot, panel)
    assert "The history entry keeps no DPoP key" in panel.state.text()
    panel.key_source.setCurrentIndex(panel.key_source.findData("profile"))
    send(qtbot, panel)
    assert "No profile is chosen" in panel.state.text()
    context.storage.profiles.add(Profile(name="plain", issuer="https://op.example"))
    context.active_profile = "plain"
    send(qtbot, panel)
    assert "The profile 'plain' keeps no DPoP key" in panel.state.text()
