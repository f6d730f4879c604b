"""Core flows driven in-process against the real provider: step-by-step editing (the GUI's way),
key rotation through the shared JWKS cache, and the device flow's slow_down via the CLI, a
denial on the phone and a code that expires. Device polling waits on a fake clock."""

import json

import pytest

from inspector.cli import flow as flow_cli
from inspector.cli.main import build_parser
from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.protocol.jwks import JwksCache
from tests.support.flows import PollingClock, ScriptedBrowser, environment
from tests.support.user_agent import UserAgent

pytestmark = pytest.mark.e2e


def public_settings(provider, **extra):
    return FlowSettings(issuer=provider.issuer, client_id="public-client", scope="openid email", timeout=30, **extra)


def test_step_by_step_with_edited_parameters(oidc_provider):
    browser = ScriptedBrowser()
    runner = FlowRunner("auth_code", public_settings(oidc_provider), environment(browser))
    try:
        assert runner.run_next().name == "discovery"
        authorize = runner.prepare_next()
        assert authorize.name == "authorize" and authorize.status is StepStatus.PENDING
        assert authorize.inputs["scope"] == "openid email"
        authorize.inputs["scope"] = "openid"  # the person edits a parameter before sending
        while not runner.finished:
            runner.run_next()
    finally:
        runner.close()
        browser.close()
    flow = runner.flow
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert "scope=openid&" in flow.step("authorize").output["url"]
    assert "email" not in flow.step("userinfo").output["claims"]
    assert [step.status for step in flow.steps] == [StepStatus.OK, StepStatus.SKIPPED] + [StepStatus.OK] * 5 \
        + [StepStatus.SKIPPED]  # PAR not required; no API URL


def test_key_rotation_between_two_verifications_refetches_the_jwks_once(oidc_provider):
    cache = JwksCache()

    def sign_in():
        browser = ScriptedBrowser()
        try:
            flow = FlowRunner("auth_code", public_settings(oidc_provider), environment(browser, jwks=cache)).run_all()
        finally:
            browser.close()
        assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
        return flow.step("id_token")

    before = sign_in()
    assert len(before.exchanges) == 1 and before.output["jwks_refetched"] is False
    oidc_provider.rotate_keys()
    after = sign_in()
    assert after.output["jwks_refetched"] is True
    assert [e.url for e in after.exchanges] == [oidc_provider.issuer + "/jwks"]
    assert after.output["key"] != before.output["key"]
    assert after.output["valid"] is True
    again = sign_in()
    assert again.exchanges == [] and again.output["jwks_refetched"] is False


def test_device_flow_via_the_cli_honours_the_default_interval_and_slow_down(oidc_provider):
    lines: list[dict] = []
    clock = PollingClock()

    class Out:
        def write(self, text):
            lines.extend(json.loads(part) for part in text.splitlines() if part)

        def flush(self):
            pass

    def sleep(seconds):
        clock.sleep(seconds)
        if seconds == 10:  # after slow_down, the person approves on their phone
            device = next(line for line in lines if line["step"] == "device_authorization")
            with UserAgent(login="bob") as phone:
                assert "Success" in phone.approve_device(device["verification_uri_complete"]).text

    args = build_parser("flow").parse_args(["device", "--issuer", oidc_provider.issuer, "--client-id",
                                            "public-client", "--scope", "openid email", "--json"])
    code = flow_cli.run(args, env=FlowEnvironment(sleep=sleep, monotonic=clock.monotonic), out=Out())
    assert code == 0, lines
    device = next(line for line in lines if line["step"] == "device_authorization")
    assert set(device) >= {"user_code", "verification_uri", "verification_uri_complete", "expires_in"}
    assert device["interval"] == 5
    assert "device_interval_default" in [f["code"] for f in device["findings"]]
    token = next(line for line in lines if line["step"] == "token")
    assert clock.sleeps == [5, 5, 10] and token["waits"] == [5, 5, 10]
    assert token["polls"] == 3
    assert [e["response"]["body"].get("error") for e in token["exchanges"]] == ["authorization_pending", "slow_down", None]
    assert "device_slow_down" in [f["code"] for f in token["findings"]]
    assert next(line for line in lines if line["step"] == "id_token")["claims"]["sub"] == "bob"
    assert lines[-1] == {**lines[-1], "step": "done", "status": "ok"}


def device_flow_ending_at_the_first_poll(provider, before_polling):
    """Run a device flow step by step; ``before_polling(device_step, token_step)`` plays what
    happens between showing the code and the first poll. Returns the flow's token step and
    asserts that one wait and one poll ended the flow with an error."""
    clock = PollingClock()
    runner = FlowRunner("device", FlowSettings(issuer=provider.issuer, client_id="public-client", scope="openid"),
                        clock.environment())
    try:
        assert runner.run_next().name == "discovery"
        device = runner.run_next()
        assert device.name == "device_authorization" and device.status is StepStatus.OK, device.to_json()
        before_polling(device, runner.prepare_next())
        flow = runner.run_all()
    finally:
        runner.close()
    assert flow.status is FlowStatus.ERROR
    token = flow.step("token")
    assert clock.sleeps == [5] and token.output["polls"] == 1, token.to_json()
    return token


def test_device_flow_denied_on_the_phone_ends_with_access_denied(oidc_provider):
    """The person presses Abort on their phone while the code is shown; the next poll ends the flow."""

    def deny(device, _token):
        with UserAgent() as phone:
            page = phone.approve_device(device.output["verification_uri_complete"], approve=False)
        assert "The Sign-in request was interrupted" in page.text

    token = device_flow_ending_at_the_first_poll(oidc_provider, deny)
    assert token.output.get("error") == "access_denied", token.to_json()
    assert [f.code for f in token.findings] == ["token_error"]


def test_device_code_nobody_approves_in_time_ends_with_expired_token(oidc_provider):
    """The provider's lifetime for the code runs out before anyone approves it (its test knob moves
    the expiry into the past instead of the test waiting ten minutes); the next poll ends the flow
    with the provider's own expired_token answer (RFC 8628 §3.5)."""
    token = device_flow_ending_at_the_first_poll(
        oidc_provider, lambda _device, token: oidc_provider.expire_device_code(token.inputs["device_code"]))
    assert token.output.get("error") == "expired_token", token.to_json()
    assert [f.code for f in token.findings] == ["token_error"]
    assert "expired_token" in token.findings[0].message


def test_no_secret_reaches_the_logs_even_at_debug_level(oidc_provider, caplog):
    import logging

    secret = oidc_provider.secrets["service-client"]
    caplog.set_level(logging.DEBUG)
    settings = FlowSettings(issuer=oidc_provider.issuer, client_id="service-client", client_secret=secret,
                            scope="api:read")
    flow = FlowRunner("client_credentials", settings).run_all()
    assert flow.status is FlowStatus.OK
    import base64

    basic = base64.b64encode(f"service-client:{secret}".encode()).decode()
    logged = "\n".join(record.getMessage() + repr(record.args) for record in caplog.records)
    assert caplog.records, "httpx/httpcore logged nothing at DEBUG; the check would be empty"
    assert secret not in logged and basic not in logged
    assert secret not in json.dumps(flow.to_json(show_tokens=True))
