"""Flows with a client certificate (RFC 8705): mTLS client authentication, the metadata's
mtls_endpoint_aliases, the token's binding checked, and unusable certificates stopped locally."""

import datetime
import time

import httpx
import pytest

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.protocol.client_cert import check_client_certificate
from tests.support.fake_provider import ISSUER, FakeProvider
from tests.support.mtls import issue, make_pki
from tests.support.storage import fake_jwt


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


def run(provider, pki, grant="client_credentials", **settings):
    base = dict(issuer=ISSUER, client_id="svc", auth_method="tls_client_auth", scope="api",
                client_cert_pem=pki.client.cert_pem, client_key_pem=pki.client.key_pem)
    base.update(settings)
    return FlowRunner(grant, FlowSettings(**base), FlowEnvironment(transport=provider.transport())).run_all()


def aliased(provider):
    provider.metadata["mtls_endpoint_aliases"] = {"token_endpoint": f"{ISSUER}/mtls/token",
                                                  "introspection_endpoint": f"{ISSUER}/mtls/introspect"}
    return provider


def test_tls_client_auth_sends_only_the_client_id_to_the_mtls_alias_and_finds_the_token_bound(pki):
    thumbprint = check_client_certificate(pki.client.cert_pem, pki.client.key_pem, now=time.time).thumbprint
    provider = aliased(FakeProvider())
    provider.on("/mtls/token", httpx.Response(200, json={"access_token": fake_jwt({"cnf": {"x5t#S256": thumbprint}}),
                                                         "token_type": "Bearer"}))
    flow = run(provider, pki)
    assert flow.status is FlowStatus.OK
    assert provider.paths()[-1] == "/mtls/token"
    assert provider.form() == {"grant_type": "client_credentials", "scope": "api", "client_id": "svc"}
    assert "authorization" not in provider.calls[-1].headers
    assert "cert_bound" in [f.code for f in flow.step("token").findings]


def test_a_token_bound_to_another_certificate_is_an_error(pki):
    provider = aliased(FakeProvider())
    provider.on("/mtls/token", httpx.Response(200, json={"access_token": fake_jwt({"cnf": {"x5t#S256": "x" * 43}}),
                                                         "token_type": "Bearer"}))
    flow = run(provider, pki, auth_method="self_signed_tls_client_auth")
    assert "cert_binding_mismatch" in [f.code for f in flow.step("token").findings]


def test_without_aliases_the_ordinary_endpoint_is_used(pki):
    provider = FakeProvider()
    flow = run(provider, pki)
    assert provider.paths()[-1] == "/token"
    assert "cert_binding_unknown" in [f.code for f in flow.step("token").findings]


def test_without_a_certificate_the_aliases_are_not_used_and_introspection_says_the_token_is_bound(pki):
    provider = aliased(FakeProvider())
    provider.on("/introspect", httpx.Response(200, json={"active": True, "cnf": {"x5t#S256": "y" * 43}}))
    flow = run(provider, pki, grant="introspect", auth_method="client_secret_basic", client_secret="s3",
               client_cert_pem=None, client_key_pem=None, token="opaque-token")
    assert provider.paths()[-1] == "/introspect"
    assert "cert_bound_elsewhere" in [f.code for f in flow.step("introspection").findings]


def test_introspection_over_mtls_compares_the_binding(pki):
    thumbprint = check_client_certificate(pki.client.cert_pem, pki.client.key_pem,
                                          now=time.time).thumbprint
    provider = aliased(FakeProvider())
    provider.on("/mtls/introspect", httpx.Response(200, json={"active": True, "cnf": {"x5t#S256": thumbprint}}))
    flow = run(provider, pki, grant="introspect", token="opaque-token")
    assert [f.code for f in flow.step("introspection").findings] == ["token_active", "cert_bound"]


def test_a_key_that_does_not_match_stops_the_flow_before_anything_is_sent(pki):
    provider = FakeProvider()
    flow = run(provider, pki, client_key_pem=pki.self_signed.key_pem)
    assert flow.status is FlowStatus.ERROR
    assert [f.code for f in flow.step("discovery").findings] == ["client_cert_key_mismatch"]
    assert provider.calls == []


def test_an_expired_certificate_stops_the_flow_before_anything_is_sent(pki):
    old = issue("old", issuer=pki.ca, valid_from=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
    provider = FakeProvider()
    flow = run(provider, pki, client_cert_pem=old.cert_pem, client_key_pem=old.key_pem)
    assert [f.code for f in flow.step("discovery").findings] == ["client_cert_expired"]
    assert provider.calls == []


def test_an_invalid_client_answer_to_tls_client_auth_says_which_certificate_was_presented(pki):
    provider = aliased(FakeProvider())
    provider.on("/mtls/token", httpx.Response(401, json={"error": "invalid_client"}))
    flow = run(provider, pki)
    [finding] = [f for f in flow.step("token").findings if f.severity.value == "error"]
    assert pki.client.subject in finding.message and "tls_client_auth_subject_dn" in finding.message
    assert finding.advice.settings == ("client_cert_pem", "client_key_pem", "client_id", "auth_method")
    assert "secret" not in finding.advice.render()


@pytest.mark.parametrize("settings, words", [
    (dict(client_cert_pem=None, client_key_pem=None), "tls_client_auth needs a client certificate and its key"),
    (dict(auth_method="none", client_key_pem=None), "needs both"),
])  # fmt: skip
def test_settings_without_certificate_or_key_cannot_work(pki, settings, words):
    base = dict(issuer=ISSUER, client_id="svc", auth_method="tls_client_auth", client_cert_pem=pki.client.cert_pem,
                client_key_pem=pki.client.key_pem)
    problems = FlowSettings(**(base | settings)).problems()
    assert len(problems) == 1 and words in problems[0] and "the client certificate" in problems[0]
