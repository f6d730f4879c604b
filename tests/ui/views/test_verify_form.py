"""The verify form: one key source shown at a time; Verify only for signed tokens, also after a cancel."""

from __future__ import annotations

import pytest

from inspector.core.jose.parse import decode
from inspector.ui.verification import KeySource
from inspector.ui.views.verify_form import VerifyForm
from tests.support.hanging_transport import HangingTransport
from tests.support.jose import compact, segment

JWS = compact({"alg": "RS256", "kid": "k"}, {"sub": "alice"})
JWE = ".".join([segment({"alg": "dir", "enc": "A256GCM"}), "", "aXYtaXYtaXYtaXY", "Y2lwaGVy", "dGFnLXRhZy10YWc"])


@pytest.fixture
def form(qtbot, context):
    widget = VerifyForm(context)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_only_the_chosen_key_source_is_shown(form):
    for source, widget in zip(KeySource, form.source_widgets):
        form.select_source(source)
        assert [w for w in form.source_widgets if w.isVisibleTo(form)] == [widget]


def test_an_encrypted_token_cannot_be_verified_and_says_why(form):
    form.set_token(decode(JWE))
    assert not form.verify_button.isEnabled()
    assert "Only signed tokens (JWS)" in form.state_label.text()
    form.set_token(decode(JWS))
    assert form.verify_button.isEnabled() and form.state_label.text() == ""


def test_a_new_encrypted_token_during_a_verification_keeps_verify_off(form, qtbot, context):
    transport = HangingTransport()
    context.transport = transport
    form.set_token(decode(JWS))
    form.select_source(KeySource.JWKS_URL)
    form.jwks_url.setText("https://login.acme.dev/jwks")
    form.verify_button.click()
    assert transport.entered.wait(10), "the JWKS request never started"
    form.set_token(decode(JWE))  # cancels the running verification
    qtbot.waitUntil(lambda: context.pool.active == 0, timeout=10_000)
    assert not form.verify_button.isEnabled()
    assert "Only signed tokens (JWS)" in form.state_label.text()


def test_the_request_is_a_snapshot_of_the_form(form, context):
    context.active_profile = "acme-dev"
    form.set_token(decode(JWS))
    form.audience.setText("billing-api, web-app")
    form.algorithms.setText("RS256 ES256")
    form.leeway.setValue(5)
    request = form.request()
    form.audience.setText("changed later")
    assert request.token == JWS and request.profile == "acme-dev"
    assert request.audiences == ("billing-api", "web-app") and request.algorithms == ("RS256", "ES256")
    assert request.leeway == 5.0


def test_a_verification_cancelled_by_a_new_token_does_not_end_the_next_one(form, qtbot, context):
    context.transport = first = HangingTransport()
    form.set_token(decode(JWS))
    form.select_source(KeySource.JWKS_URL)
    form.jwks_url.setText("https://login.acme.dev/jwks")
    form.verify_button.click()
    assert first.entered.wait(10)
    form.set_token(decode(compact({"alg": "RS256", "kid": "k"}, {"sub": "bob"})))  # cancels the first
    context.transport = second = HangingTransport()
    form.verify_button.click()
    assert second.entered.wait(10)
    qtbot.waitUntil(lambda: context.pool.active == 1, timeout=10_000)  # the first has reported
    assert form.state_label.text() == "Verifying…"
    assert not form.verify_button.isEnabled()


def test_a_flow_token_is_verified_with_its_flow_profile_and_a_token_from_elsewhere_expects_nothing(form, context):
    from inspector.ui.flow_expectations import FlowExpectations

    context.active_profile = "chosen-later"
    form.set_token(decode(JWS))
    form.select_source(KeySource.SECRET)
    form.expect(FlowExpectations(profile="ran-the-flow", issuer="https://login.acme.dev", audience="web",
                                 client_id="web", nonce="n-1"))
    request = form.request()
    assert request.source is KeySource.PROFILE and request.profile == "ran-the-flow"
    assert (request.issuer, request.audiences, request.client_id, request.nonce) == (
        "https://login.acme.dev", ("web",), "web", "n-1")
    assert "ran-the-flow" in form.profile_note.text()

    form.expect(None)  # opened from the history, or pasted
    request = form.request()
    assert request.profile == "chosen-later"
    assert (request.issuer, request.audiences, request.client_id, request.nonce) == ("", (), "", "")
