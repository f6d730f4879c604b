import httpx

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER, FakeProvider


def run(grant, provider, **settings):
    env = FlowEnvironment(transport=provider.transport())
    base = dict(issuer=ISSUER, client_id="rs", client_secret="s", token="tok-" + "t" * 30)
    base.update(settings)
    return FlowRunner(grant, FlowSettings(**base), env).run_all()


def test_introspection_active_and_inactive_are_results():
    provider = FakeProvider()
    provider.on("/introspect", httpx.Response(200, json={"active": True, "sub": "ann"}))
    flow = run("introspect", provider, token_type_hint="access_token")
    assert flow.status is FlowStatus.OK
    assert flow.step("introspection").output["introspection"]["sub"] == "ann"
    assert provider.form() == {"token": "tok-" + "t" * 30, "token_type_hint": "access_token"}
    assert provider.calls[-1].headers["authorization"].startswith("Basic ")
    provider.on("/introspect", httpx.Response(200, json={"active": False}))
    flow = run("introspect", provider)
    assert flow.status is FlowStatus.OK
    assert "token_inactive" in [f.code for f in flow.step("introspection").findings]


def test_introspection_refused_is_an_introspection_error():
    provider = FakeProvider()
    provider.on("/introspect", httpx.Response(401, json={"error": "invalid_client"}))
    flow = run("introspect", provider)
    assert flow.status is FlowStatus.ERROR
    assert [f.code for f in flow.step("introspection").findings] == ["introspection_error"]


def test_revocation_200_with_empty_body_is_success():
    provider = FakeProvider()
    provider.on("/revoke", httpx.Response(200))
    flow = run("revoke", provider)
    assert flow.status is FlowStatus.OK
    assert flow.step("revocation").output["revoked"] is True


def test_revocation_errors_and_outages():
    provider = FakeProvider()
    provider.on("/revoke", httpx.Response(400, json={"error": "unsupported_token_type"}))
    flow = run("revoke", provider)
    assert [f.code for f in flow.step("revocation").findings] == ["revocation_error"]
    provider.on("/revoke", httpx.Response(503, text="maintenance"))
    flow = run("revoke", provider)
    assert [f.code for f in flow.step("revocation").findings] == ["server_error"]


def test_userinfo_alone_sends_the_token_as_bearer():
    provider = FakeProvider()
    provider.on("/userinfo", httpx.Response(200, json={"sub": "ann"}))
    flow = run("userinfo", provider, client_id=None, client_secret=None)
    assert flow.status is FlowStatus.OK
    assert provider.calls[-1].headers["authorization"] == "Bearer tok-" + "t" * 30
