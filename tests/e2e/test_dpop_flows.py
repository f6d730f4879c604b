"""DPoP (RFC 9449) through our flows against the real oidc-provider: auth code with proofs (and
dpop_jkt), the forced nonce round, refresh and userinfo with the same key, a JWT access token's
cnf.jkt checked, and a DPoP-bound token sent as Bearer refused with a finding that says why."""

import pytest

from inspector.core.flows.model import FlowStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.jose.dpop_key import DpopKey
from tests.support.flows import ScriptedBrowser, environment
from tests.support.provider import TEST_API_SCOPE

pytestmark = pytest.mark.e2e


def sign_in(provider, client_id="dpop-client", scope="openid email", **extra):
    browser = ScriptedBrowser()
    try:
        flow = FlowRunner("auth_code", FlowSettings(issuer=provider.issuer, client_id=client_id, scope=scope,
                                                    timeout=30, dpop=True, **extra), environment(browser)).run_all()
    finally:
        browser.close()
    return flow


def token_alone(provider, grant, token, **settings):
    return FlowRunner(grant, FlowSettings(issuer=provider.issuer, client_id="dpop-client", token=token, timeout=30,
                                          **settings)).run_all()


def codes(step):
    return [finding.code for finding in step.findings]


def test_auth_code_with_dpop_gets_a_bound_token_and_calls_userinfo_with_it(oidc_provider):
    flow = sign_in(oidc_provider)
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    key = DpopKey.from_private_jwk(flow.dpop_key)
    assert f"dpop_jkt={key.thumbprint}" in flow.step("authorize").output["url"]
    token = flow.step("token")
    assert token.output["token"]["token_type"] == "DPoP"
    [proof] = token.output["dpop_proofs"]
    assert proof["header"]["typ"] == "dpop+jwt" and proof["header"]["jwk"]["kty"] == "EC"
    assert proof["claims"]["htm"] == "POST" and proof["claims"]["htu"] == f"{oidc_provider.issuer}/token"
    assert {"dpop_token_type", "dpop_binding_unknown"} <= set(codes(token))  # opaque: introspection would tell
    userinfo = flow.step("userinfo")
    assert userinfo.output["authorization_scheme"] == "DPoP" and userinfo.output["claims"]["email"]
    assert "ath" in userinfo.output["dpop_proofs"][0]["claims"]


def test_the_nonce_round_is_taken_once_and_the_flow_succeeds(oidc_provider):
    flow = sign_in(oidc_provider, client_id="dpop-nonce-client")
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    token = flow.step("token")
    assert [exchange.status for exchange in token.exchanges] == [400, 200]
    assert token.exchanges[0].body["error"] == "use_dpop_nonce"
    first, second = token.output["dpop_proofs"]
    assert "nonce" not in first["claims"] and second["claims"]["nonce"] == second["nonce"]
    assert "dpop_nonce_retry" in codes(token)


def test_refresh_and_userinfo_later_with_the_same_key_and_refresh_with_another_key_refused(oidc_provider):
    flow = sign_in(oidc_provider, scope="openid email offline_access")
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    tokens = flow.step("token").output["token"]
    refreshed = token_alone(oidc_provider, "refresh", tokens["refresh_token"], dpop=True, dpop_key=flow.dpop_key)
    assert refreshed.status is FlowStatus.OK, [f.to_json() for f in refreshed.all_findings()]
    assert refreshed.step("token").output["token"]["token_type"] == "DPoP"
    assert refreshed.step("token").output["dpop_proofs"][0]["claims"]["htm"] == "POST"
    claims = token_alone(oidc_provider, "userinfo", refreshed.step("token").output["token"]["access_token"],
                         dpop=True, dpop_key=flow.dpop_key)
    assert claims.status is FlowStatus.OK, [f.to_json() for f in claims.all_findings()]
    assert claims.step("userinfo").output["claims"]["email"]
    stolen = token_alone(oidc_provider, "refresh", refreshed.step("token").output["token"]["refresh_token"],
                         dpop=True)  # a new key: not the one the refresh token is bound to
    assert stolen.status is FlowStatus.ERROR and stolen.step("token").output["error"] == "invalid_grant"


def test_a_jwt_access_token_is_bound_to_the_flows_key(oidc_provider):
    flow = sign_in(oidc_provider, client_id="dpop-jwt-client", scope=TEST_API_SCOPE,
                   client_secret=oidc_provider.secrets["dpop-jwt-client"])
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    [bound] = [f for f in flow.step("token").findings if f.code == "dpop_bound"]
    assert DpopKey.from_private_jwk(flow.dpop_key).thumbprint in bound.message


def test_a_dpop_bound_token_sent_as_bearer_to_userinfo_is_refused_and_the_finding_says_why(oidc_provider):
    flow = sign_in(oidc_provider)
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    as_bearer = token_alone(oidc_provider, "userinfo", flow.step("token").output["token"]["access_token"])
    assert as_bearer.status is FlowStatus.ERROR
    step = as_bearer.step("userinfo")
    assert step.exchanges[0].status == 401 and step.output["authorization_scheme"] == "Bearer"
    [why] = [f for f in step.findings if f.code == "dpop_required"]
    assert "sent as Bearer" in why.message and "DPoP" in why.message
    assert why.advice.settings == ("dpop",)


def test_userinfo_with_a_new_key_is_refused_and_says_the_key_was_new(oidc_provider):
    flow = sign_in(oidc_provider)
    refused = token_alone(oidc_provider, "userinfo", flow.step("token").output["token"]["access_token"], dpop=True)
    assert refused.status is FlowStatus.ERROR
    assert "dpop_new_key" in codes(refused.step("userinfo"))


@pytest.fixture(scope="module")
def nonce_everywhere(tmp_path_factory):
    """A provider that wants its nonce in every DPoP proof, userinfo's included (RFC 9449 §8, §9)."""
    from tests.support.provider import start_provider, stop_provider

    provider = start_provider(tmp_path_factory.mktemp("nonce-provider"), dpop_nonce=True)
    yield provider
    stop_provider(provider)


def test_a_provider_that_wants_its_nonce_everywhere_gets_it_and_userinfo_reuses_the_origins_nonce(nonce_everywhere):
    flow = sign_in(nonce_everywhere)
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    token, userinfo = flow.step("token"), flow.step("userinfo")
    assert [exchange.status for exchange in token.exchanges] == [400, 200] and "dpop_nonce_retry" in codes(token)
    # the nonce the token endpoint gave belongs to the origin (§8.2), so userinfo's first proof has it
    assert [exchange.status for exchange in userinfo.exchanges] == [200]
    assert userinfo.output["dpop_proofs"][0]["nonce"] == userinfo.output["dpop_proofs"][0]["claims"]["nonce"]
