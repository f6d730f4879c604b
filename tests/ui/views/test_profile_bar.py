"""The top bar's clock indicator: "clock: not checked" until an exchange with the active profile's
issuer has happened (discovery, a flow step, a JWKS fetch), then "● clock ±N s" coloured by size."""

from __future__ import annotations

from email.utils import formatdate

import httpx
import pytest

from inspector.core.protocol.clock import format_offset
from inspector.core.storage.profile_model import Profile
from inspector.ui.views.colours import level_colour

NOW = 1_800_000_000.0
ISSUER = "https://login.acme.dev"
METADATA = {"issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/authorize", "token_endpoint": f"{ISSUER}/token",
            "jwks_uri": f"{ISSUER}/jwks", "response_types_supported": ["code"],
            "grant_types_supported": ["client_credentials"], "token_endpoint_auth_methods_supported": ["client_secret_basic"]}


def server(skew: float, seen: list[str] | None = None, keys: list | None = None) -> httpx.MockTransport:
    """An issuer whose clock is ``skew`` seconds ahead of ours; every response has a Date."""
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(f"{request.method} {request.url.path}")
        date = {"Date": formatdate(NOW + skew, usegmt=True)}
        if request.url.path.endswith("/openid-configuration"):
            return httpx.Response(200, json=METADATA, headers=date)
        if request.url.path == "/jwks":
            return httpx.Response(200, json={"keys": keys or []}, headers=date)
        if request.url.path == "/token":
            return httpx.Response(200, json={"access_token": "at-" + "x" * 30, "token_type": "Bearer",
                                             "expires_in": 300}, headers=date)
        return httpx.Response(404, headers=date)

    return httpx.MockTransport(handler)


@pytest.fixture
def bar(window, context):
    context.clock = lambda: NOW
    context.storage.profiles.add(Profile("acme", issuer=ISSUER, client_id="svc", auth_method="client_secret_basic"),
                                 secrets={"client_secret": "s3cr3t"})
    window.profile_bar.set_profiles({"acme": ISSUER, "other": "https://other.example"})
    window.profile_bar.select("acme")
    assert context.active_profile == "acme"
    return window.profile_bar


def discover(window, qtbot) -> None:
    panel = window.show_panel("Profiles")
    panel.load(select="acme")
    qtbot.waitUntil(lambda: panel.form.isEnabled() and panel.form.issuer.text() == ISSUER, timeout=10_000)
    panel.discover_button.click()
    qtbot.waitUntil(lambda: panel.discover_button.isEnabled(), timeout=10_000)


def test_the_clock_is_not_checked_before_any_exchange(bar):
    assert bar.clock_label.text() == "clock: not checked"
    assert bar.clock_reading is None
    assert "Discover" in bar.clock_label.toolTip()


@pytest.mark.parametrize(("skew", "level"), [(2, "ok"), (-30, "warning"), (185, "error")])
def test_discovery_shows_the_skew_coloured_by_size(window, bar, qtbot, context, skew, level):
    seen: list[str] = []
    context.transport = server(skew, seen)
    discover(window, qtbot)
    assert seen == ["GET /.well-known/openid-configuration"], "no request is made just for the clock"
    qtbot.waitUntil(lambda: bar.clock_reading is not None, timeout=10_000)
    reading = bar.clock_reading
    assert skew <= reading.skew <= skew + 2 * reading.uncertainty
    assert bar.clock_level == level
    colour = level_colour(level, bar.palette()).name()
    assert bar.clock_label.text() == f'<span style="color:{colour}">●</span> clock {format_offset(reading.offset)}'
    tip = bar.clock_label.toolTip()
    assert ("behind login.acme.dev" if skew > 0 else "ahead of login.acme.dev") in tip
    assert f"From GET {ISSUER}/.well-known/openid-configuration" in tip


def test_another_profile_has_its_own_reading(window, bar, qtbot, context):
    context.transport = server(3)
    discover(window, qtbot)
    qtbot.waitUntil(lambda: bar.clock_reading is not None, timeout=10_000)
    bar.select("other")
    assert bar.clock_label.text() == "clock: not checked"
    bar.select("acme")
    assert bar.clock_level == "ok"


def test_a_flow_step_reads_the_clock(window, bar, qtbot, context):
    context.transport = server(-90)
    flows = window.show_panel("Flows")
    qtbot.waitUntil(lambda: flows.steps_model.rowCount() > 0, timeout=10_000)
    flows.grant.setCurrentIndex(flows.grant.findData("client_credentials"))
    flows.run(all_steps=True)
    qtbot.waitUntil(lambda: flows.session.runner is not None and flows.session.runner.finished
                    and not flows.session.busy, timeout=10_000)
    assert flows.session.flow.status.value == "ok", [f.message for f in flows.session.flow.all_findings()]
    assert bar.clock_level == "error"
    assert bar.clock_reading.source == f"POST {ISSUER}/token"


def test_verify_with_the_profile_jwks_reads_the_clock_and_explains_an_expiry(window, bar, qtbot, context):
    import json

    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    from inspector.ui.verification import KeySource
    from tests.support.jose import sign

    private = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key())) | {"kid": "ec-1"}
    context.transport = server(-200, keys=[jwk])  # the server is 200 s behind: our clock is ahead
    decoder = window.show_panel("Decoder")
    token = sign({"iss": ISSUER, "sub": "x", "exp": int(NOW) - 100}, private, "ES256", kid="ec-1")
    decoder.set_token_text(token)
    assert "clock_skew" not in {f.code for f in decoder.findings_model.findings()}, "not checked yet"
    decoder.verify_form.select_source(KeySource.PROFILE)
    with qtbot.waitSignal(decoder.verify_form.report_ready, timeout=10_000):
        decoder.verify_form.verify_button.click()
    assert bar.clock_level == "error"
    notes = [f for f in decoder.findings_model.findings() if f.code == "clock_skew"]
    assert len(notes) == 1 and notes[0].severity.value == "info"
    assert notes[0].message.startswith("Your clock is 3 min") and "ahead of login.acme.dev" in notes[0].message
    assert "expired" in {f.code for f in decoder.findings_model.findings()}


def test_a_small_skew_adds_no_note_to_the_decoder(window, bar, qtbot, context):
    from tests.support.jose import compact

    context.transport = server(4)
    discover(window, qtbot)
    qtbot.waitUntil(lambda: bar.clock_reading is not None, timeout=10_000)
    decoder = window.show_panel("Decoder")
    decoder.set_token_text(compact({"alg": "HS256"}, {"iss": ISSUER, "exp": NOW - 1}))
    assert "clock_skew" not in {f.code for f in decoder.findings_model.findings()}
