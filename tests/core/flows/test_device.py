import httpx

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER, FakeProvider

DEVICE = {"device_code": "dc-" + "d" * 40, "user_code": "ABCD-EFGH", "verification_uri": f"{ISSUER}/activate",
          "verification_uri_complete": f"{ISSUER}/activate?user_code=ABCD-EFGH", "expires_in": 600}
TOKEN = {"access_token": "at-" + "x" * 40, "token_type": "Bearer"}


def answers(*bodies):
    queue = list(bodies)

    def handler(request):
        body = queue.pop(0)
        return httpx.Response(400 if "error" in body else 200, json=body)

    return handler


def run_device(provider, *, monotonic=None, sleep=None, env_extra=None):
    sleeps = []

    def fake_sleep(seconds):
        sleeps.append(seconds)
        if sleep:
            sleep(seconds)

    env = FlowEnvironment(transport=provider.transport(), sleep=fake_sleep, **(env_extra or {}))
    if monotonic is not None:
        env.monotonic = monotonic
    flow = FlowRunner("device", FlowSettings(issuer=ISSUER, client_id="tv", scope="read"), env).run_all()
    return flow, sleeps


def test_default_interval_then_plus_five_on_each_slow_down():
    provider = FakeProvider()
    provider.on("/device", httpx.Response(200, json=DEVICE))
    provider.on("/token", answers({"error": "authorization_pending"}, {"error": "slow_down"},
                                  {"error": "authorization_pending"}, {"error": "slow_down"}, TOKEN))
    flow, sleeps = run_device(provider)
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert sleeps == [5, 5, 10, 10, 15]
    token = flow.step("token")
    assert token.output["polls"] == 5 and token.output["token"] == TOKEN
    assert [f.code for f in token.findings] == ["device_slow_down", "device_slow_down"]
    assert provider.form()["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code"
    assert provider.form()["device_code"] == DEVICE["device_code"] and provider.form()["client_id"] == "tv"
    assert flow.step("device_authorization").output["user_code"] == "ABCD-EFGH"


def test_the_interval_the_provider_gives_is_used():
    provider = FakeProvider()
    provider.on("/device", httpx.Response(200, json=dict(DEVICE, interval=2)))
    provider.on("/token", answers({"error": "authorization_pending"}, TOKEN))
    flow, sleeps = run_device(provider)
    assert sleeps == [2, 2]
    assert "device_interval_default" not in [f.code for f in flow.all_findings()]


def test_access_denied_and_expired_token_stop_polling_with_the_error_code():
    for error in ("access_denied", "expired_token"):
        provider = FakeProvider()
        provider.on("/device", httpx.Response(200, json=DEVICE))
        provider.on("/token", answers({"error": "authorization_pending"}, {"error": error}))
        flow, sleeps = run_device(provider)
        assert flow.status is FlowStatus.ERROR
        token = flow.step("token")
        assert token.output["error"] == error
        assert [f.code for f in token.findings] == ["token_error"]
        assert error in token.findings[0].message
        assert sleeps == [5, 5]


def test_the_device_code_lifetime_bounds_polling():
    provider = FakeProvider()
    provider.on("/device", httpx.Response(200, json=dict(DEVICE, expires_in=12)))
    provider.on("/token", lambda request: httpx.Response(400, json={"error": "authorization_pending"}))
    now = [1000.0]
    flow, sleeps = run_device(provider, monotonic=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    assert flow.status is FlowStatus.ERROR
    assert [f.code for f in flow.step("token").findings] == ["device_code_expired"]
    assert sleeps == [5, 5, 5]


def test_cancel_during_polling_cancels_the_flow():
    provider = FakeProvider()
    provider.on("/device", httpx.Response(200, json=DEVICE))
    provider.on("/token", lambda request: httpx.Response(400, json={"error": "authorization_pending"}))
    env = FlowEnvironment(transport=provider.transport())
    env.sleep = lambda seconds: env.cancel.cancel()
    flow = FlowRunner("device", FlowSettings(issuer=ISSUER, client_id="tv"), env).run_all()
    assert flow.status is FlowStatus.CANCELLED
    assert flow.step("token").status is StepStatus.CANCELLED
    assert provider.paths().count("/token") == 0


def test_incomplete_device_response_is_invalid():
    provider = FakeProvider()
    provider.on("/device", httpx.Response(200, json={"device_code": "x"}))
    flow, _ = run_device(provider)
    assert [f.code for f in flow.step("device_authorization").findings] == ["invalid_response"]


def test_no_device_endpoint_is_reported():
    provider = FakeProvider()
    del provider.metadata["device_authorization_endpoint"]
    flow, _ = run_device(provider)
    assert [f.code for f in flow.step("device_authorization").findings] == ["endpoint_missing"]


def test_an_interval_of_10_to_309_falls_back_to_the_default():
    """cancel.wait(10**309) raised OverflowError: the token step ended as an internal error."""
    provider = FakeProvider()
    provider.on("/device", httpx.Response(200, json=dict(DEVICE, interval=10**309)))
    provider.on("/token", answers(TOKEN))
    flow, sleeps = run_device(provider)
    assert flow.status is FlowStatus.OK and sleeps == [5]
    finding = next(f for f in flow.all_findings() if f.code == "device_interval_default")
    assert "not a whole number of seconds from 1 to 3600" in finding.message


def test_an_expires_in_of_10_to_309_is_ignored_and_the_timeout_bounds_polling():
    """monotonic() + 10**309 raised OverflowError."""
    provider = FakeProvider()
    provider.on("/device", httpx.Response(200, json=dict(DEVICE, expires_in=10**309)))
    provider.on("/token", answers(TOKEN))
    flow, _ = run_device(provider)
    assert flow.status is FlowStatus.OK
    assert flow.step("device_authorization").output["expires_in"] is None
