"""Endpoints set by hand replace discovery (a provider without a discovery document): no metadata
request, the endpoints step says so, and the rest of each flow behaves as after discovery."""

import httpx
import jwt

from inspector.cli.setting_names import flag_namer
from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER, FakeProvider
from tests.support.id_tokens import NOW, id_token, provider_with
from tests.support.keys import ec_private, private_pem

TOKEN = f"{ISSUER}/token"
JWKS = f"{ISSUER}/jwks"


def run(grant, provider, **settings):
    env = FlowEnvironment(transport=provider.transport(), clock=lambda: NOW + 10, open_browser=lambda url: False)
    return FlowRunner(grant, FlowSettings(**{"issuer": "", "client_id": "app", **settings}), env).run_all()


def codes(step):
    return [finding.code for finding in step.findings]


def test_client_credentials_with_only_a_token_endpoint_sends_no_discovery_request():
    provider = FakeProvider()
    flow = run("client_credentials", provider, client_secret="s3", endpoints={"token_endpoint": TOKEN})
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert [step.name for step in flow.steps] == ["endpoints", "token", "api_call"]
    assert provider.paths() == ["/token"]
    step = flow.step("endpoints")
    assert codes(step) == ["endpoints_configured"] and step.exchanges == []
    assert step.output["endpoints"] == {"token_endpoint": TOKEN}


def test_a_missing_endpoint_the_grant_needs_stops_the_flow_naming_the_option():
    provider = FakeProvider()
    flow = run("auth_code", provider, endpoints={"token_endpoint": TOKEN})
    assert flow.status is FlowStatus.ERROR
    step = flow.step("endpoints")
    assert codes(step) == ["endpoints_configured", "endpoint_missing"]
    assert step.findings[1].claim == "authorization_endpoint"
    assert step.findings[1].advice.settings == ("authorization_endpoint",)
    assert "--authorization-endpoint URL" in step.findings[1].text(flag_namer())
    assert "--" not in step.findings[1].text(), "a CLI flag would leak into the desktop app"
    assert provider.paths() == [] and flow.step("authorize").status is StepStatus.PENDING


def test_plain_http_off_loopback_is_refused_before_anything_is_sent():
    provider = FakeProvider()
    flow = run("client_credentials", provider, client_secret="s3", endpoints={"token_endpoint": "http://as.example/t"})
    assert flow.status is FlowStatus.ERROR
    assert codes(flow.step("endpoints")) == ["endpoints_configured", "insecure_endpoint"]
    assert provider.paths() == []


def refresh(provider, **settings):
    return run("refresh", provider, client_secret="s", scope="openid", token="rt", **settings)


def test_the_id_token_is_verified_with_the_configured_jwks_uri_and_issuer():
    provider = provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token()})
    flow = refresh(provider, issuer=ISSUER, endpoints={"token_endpoint": TOKEN, "jwks_uri": JWKS})
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert provider.paths() == ["/token", "/jwks"]
    assert flow.step("id_token").output["valid"] is True  # ES256: allowed although nothing advertises it

    other = provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token(iss="https://evil")})
    flow = refresh(other, issuer=ISSUER, endpoints={"token_endpoint": TOKEN, "jwks_uri": JWKS})
    assert flow.status is FlowStatus.ERROR
    assert "iss_mismatch" in codes(flow.step("id_token"))


def test_without_an_issuer_the_id_token_iss_is_reported_unchecked():
    provider = provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token()})
    flow = refresh(provider, endpoints={"token_endpoint": TOKEN, "jwks_uri": JWKS})
    assert flow.status is FlowStatus.OK
    assert "issuer_unchecked" in codes(flow.step("id_token"))


def test_without_a_jwks_uri_the_id_token_step_names_the_field_to_set():
    provider = provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token()})
    flow = refresh(provider, issuer=ISSUER, endpoints={"token_endpoint": TOKEN})
    assert flow.status is FlowStatus.ERROR
    missing = next(f for f in flow.step("id_token").findings if f.code == "endpoint_missing")
    assert missing.claim == "jwks_uri" and missing.advice.settings == ("jwks_uri",)
    assert missing.text() == "No jwks_uri is configured, and this flow needs it. Set the JWKS URL."


def test_a_client_assertion_is_addressed_to_the_token_endpoint_when_no_issuer_is_known():
    provider = FakeProvider()
    flow = run("client_credentials", provider, auth_method="private_key_jwt", private_key_pem=private_pem(ec_private()),
               endpoints={"token_endpoint": TOKEN})
    assert flow.status is FlowStatus.OK
    claims = jwt.decode(provider.form()["client_assertion"], options={"verify_signature": False})
    assert claims["aud"] == TOKEN


def test_userinfo_runs_only_when_its_endpoint_is_configured():
    response = {"access_token": "at", "token_type": "Bearer"}
    provider = provider_with(response, httpx.Response(200, json={"sub": "ann"}))
    flow = run("userinfo", provider, token="at", endpoints={"userinfo_endpoint": f"{ISSUER}/userinfo"})
    assert flow.status is FlowStatus.OK and flow.step("userinfo").output["claims"] == {"sub": "ann"}
