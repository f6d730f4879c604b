"""DPoP in the flows (RFC 9449) on MockTransport: a proof on each token request and on userinfo
(with ath), the nonce round once, token_type and cnf.jkt checked, each proof shown decoded, and
a DPoP-bound token sent as Bearer explained."""

import hashlib
import json

import httpx
import jwt
import pytest

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.jose.b64 import b64url_encode
from inspector.core.jose.dpop_key import DpopKey
from tests.support.fake_provider import ISSUER, FakeProvider
from tests.support.id_tokens import KEY, NOW, PUBLIC, id_token

SECRET = "client-Secret-value-0123456789"
AT = "at-" + "a" * 40


def proof_of(request: httpx.Request) -> tuple[dict, dict]:
    """The request's DPoP proof, verified with the key it carries (as a server does, §4.3)."""
    proof = request.headers["dpop"]
    header = jwt.get_unverified_header(proof)
    key = jwt.PyJWK(header["jwk"]).key
    return header, jwt.decode(proof, key, algorithms=[header["alg"]], options={"verify_iat": False})


def thumbprint(header: dict) -> str:
    jwk = header["jwk"]
    members = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    return b64url_encode(hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest())


def run(provider, grant="client_credentials", **settings):
    base = dict(issuer=ISSUER, client_id="svc", client_secret=SECRET, scope="api", dpop=True)
    env = FlowEnvironment(transport=provider.transport(), clock=lambda: NOW + 10, sleep=lambda s: None)
    return FlowRunner(grant, FlowSettings(**{**base, **settings}), env).run_all()


def bound_token_answer(token_type="DPoP", cnf_of=None):
    """A token endpoint that binds: a JWT access token whose cnf.jkt is the proof's key's (or ``cnf_of``'s)."""

    def answer(request):
        header, _claims = proof_of(request)
        jkt = cnf_of or thumbprint(header)
        access_token = jwt.encode({"iss": ISSUER, "sub": "svc", "cnf": {"jkt": jkt}, "exp": NOW + 300}, KEY,
                                  algorithm="ES256", headers={"typ": "at+jwt", "kid": "k1"})
        return httpx.Response(200, json={"access_token": access_token, "token_type": token_type, "expires_in": 300})

    return answer


def codes(step):
    return [finding.code for finding in step.findings]


def test_a_token_request_carries_a_proof_for_its_method_and_url_and_the_step_shows_it_decoded():
    provider = FakeProvider()
    provider.on("/token", bound_token_answer())
    flow = run(provider)
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    header, claims = proof_of(provider.calls[-1])
    assert header["typ"] == "dpop+jwt" and header["alg"] == "ES256" and "d" not in header["jwk"]
    assert claims["htm"] == "POST" and claims["htu"] == f"{ISSUER}/token" and claims["iat"] == NOW + 10
    assert "ath" not in claims and "nonce" not in claims
    step = flow.step("token")
    [shown] = step.output["dpop_proofs"]
    assert shown["header"] == header and shown["claims"] == claims and shown["exchange"] == 1
    assert step.output["dpop_jkt"] == thumbprint(header)
    assert {"dpop_token_type", "dpop_bound"} <= set(codes(step))
    assert step.to_json()["dpop_proofs"][0]["claims"]["htu"] == f"{ISSUER}/token"


def test_the_nonce_round_sends_once_more_with_the_nonce_and_a_fresh_client_assertion():
    provider = FakeProvider()
    answers = [httpx.Response(400, json={"error": "use_dpop_nonce"}, headers={"DPoP-Nonce": "n-1"})]

    def token(request):
        return answers.pop(0) if answers else bound_token_answer()(request)

    provider.on("/token", token)
    flow = run(provider, auth_method="client_secret_jwt")
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    first, second = provider.calls[-2:]
    assert "nonce" not in proof_of(first)[1] and proof_of(second)[1]["nonce"] == "n-1"
    assertions = [provider.form(index)["client_assertion"] for index in (-2, -1)]
    assert jwt.decode(assertions[0], options={"verify_signature": False})["jti"] != \
        jwt.decode(assertions[1], options={"verify_signature": False})["jti"]
    step = flow.step("token")
    assert len(step.exchanges) == 2 and [p["nonce"] for p in step.output["dpop_proofs"]] == [None, "n-1"]
    assert [p["exchange"] for p in step.output["dpop_proofs"]] == [1, 2]
    assert "dpop_nonce_retry" in codes(step)


def test_a_server_that_refuses_the_retry_too_is_not_asked_a_third_time():
    provider = FakeProvider()
    provider.on("/token", lambda request: httpx.Response(400, json={"error": "use_dpop_nonce"},
                                                         headers={"DPoP-Nonce": f"n-{len(provider.calls)}"}))
    flow = run(provider)
    assert flow.status is FlowStatus.ERROR
    assert provider.paths().count("/token") == 2
    assert "dpop_nonce_refused" in codes(flow.step("token"))


def test_a_bearer_answer_to_a_proof_says_the_provider_ignored_dpop():
    provider = FakeProvider()
    flow = run(provider)
    assert "dpop" in provider.calls[-1].headers
    assert "dpop_ignored" in codes(flow.step("token"))


def test_a_dpop_token_type_without_a_proof_is_unexpected():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(200, json={"access_token": AT, "token_type": "DPoP"}))
    flow = run(provider, dpop=False)
    assert "dpop" not in provider.calls[-1].headers
    assert "dpop_unexpected" in codes(flow.step("token"))


def test_a_token_bound_to_another_key_is_a_binding_mismatch():
    provider = FakeProvider()
    provider.on("/token", bound_token_answer(cnf_of="another-thumbprint"))
    flow = run(provider)
    assert flow.status is FlowStatus.ERROR
    [mismatch] = [f for f in flow.step("token").findings if f.code == "dpop_binding_mismatch"]
    assert "another-thumbprint" in mismatch.message


def test_an_opaque_bound_token_says_its_binding_cannot_be_read_from_it():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(200, json={"access_token": AT, "token_type": "DPoP"}))
    flow = run(provider)
    assert flow.status is FlowStatus.OK
    assert "dpop_binding_unknown" in codes(flow.step("token"))


def test_the_profiles_kept_key_signs_the_proofs_and_the_flow_keeps_it_for_the_history_only():
    kept = DpopKey.generate()
    provider = FakeProvider()
    provider.on("/token", bound_token_answer())
    flow = run(provider, dpop_key=kept.to_private_jwk())
    assert thumbprint(proof_of(provider.calls[-1])[0]) == kept.thumbprint
    assert flow.dpop_key == kept.to_private_jwk()
    assert flow.snapshot().dpop_key is None
    shown = json.dumps(flow.to_json(show_tokens=True))
    assert json.loads(kept.to_private_jwk())["d"] not in shown and "dpop_key" not in shown


def test_a_kept_key_that_cannot_be_loaded_stops_the_flow_before_anything_is_sent():
    provider = FakeProvider()
    flow = run(provider, dpop_key='{"kty": "EC"}')
    assert flow.status is FlowStatus.ERROR and provider.calls == []
    assert codes(flow.steps[0]) == ["key_source"]


def test_without_dpop_no_key_is_made():
    flow = run(FakeProvider(), dpop=False)
    assert flow.dpop_key is None and "dpop_proofs" not in flow.step("token").output


def test_refresh_carries_a_proof():
    provider = FakeProvider()
    provider.on("/token", bound_token_answer())
    flow = run(provider, grant="refresh", token="rt-" + "r" * 40, scope=None)
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert provider.form()["grant_type"] == "refresh_token"
    assert proof_of(provider.calls[-1])[1]["htm"] == "POST"
    assert len(flow.step("token").output["dpop_proofs"]) == 1


def device_provider(token_answer, userinfo):
    provider = FakeProvider()
    provider.on("/jwks", httpx.Response(200, json={"keys": [PUBLIC]}))
    provider.on("/device", httpx.Response(200, json={"device_code": "dc", "user_code": "U", "verification_uri": "v",
                                                     "interval": 1}))
    provider.on("/token", token_answer)
    provider.on("/userinfo", userinfo)
    return provider


def test_device_polls_carry_proofs_and_userinfo_presents_the_token_with_dpop_and_its_hash():
    pending = [httpx.Response(400, json={"error": "authorization_pending"})]

    def token(request):
        proof_of(request)
        return pending.pop() if pending else httpx.Response(200, json={
            "access_token": AT, "token_type": "DPoP", "id_token": id_token(aud="svc")})

    provider = device_provider(token, httpx.Response(200, json={"sub": "ann"}))
    flow = run(provider, grant="device", scope="openid", client_secret=None)
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert len(flow.step("token").output["dpop_proofs"]) == 2
    userinfo = provider.calls[-1]
    assert userinfo.headers["authorization"] == f"DPoP {AT}"
    _header, claims = proof_of(userinfo)
    assert claims["htm"] == "GET" and claims["htu"] == f"{ISSUER}/userinfo"
    assert claims["ath"] == b64url_encode(hashlib.sha256(AT.encode()).digest())
    step = flow.step("userinfo")
    assert step.output["authorization_scheme"] == "DPoP" and step.output["dpop_proofs"][0]["claims"] == claims
    assert step.exchanges[0].request_headers["authorization"] == "••••••"


def test_userinfo_takes_the_nonce_round_too():
    answers = [httpx.Response(401, headers={"WWW-Authenticate": 'DPoP error="use_dpop_nonce"',
                                            "DPoP-Nonce": "rs-1"})]

    def userinfo(request):
        return answers.pop() if answers else httpx.Response(200, json={"sub": "ann"})

    provider = device_provider(httpx.Response(200, json={"access_token": AT, "token_type": "DPoP",
                                                         "id_token": id_token(aud="svc")}), userinfo)
    flow = run(provider, grant="device", scope="openid", client_secret=None)
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert proof_of(provider.calls[-1])[1]["nonce"] == "rs-1"
    assert "dpop_nonce_retry" in codes(flow.step("userinfo"))


@pytest.mark.parametrize("token_type", ["DPoP", "Bearer"])
def test_userinfo_follows_the_token_type_when_the_provider_did_not_bind(token_type):
    provider = device_provider(httpx.Response(200, json={"access_token": AT, "token_type": token_type,
                                                         "id_token": id_token(aud="svc")}),
                               httpx.Response(200, json={"sub": "ann"}))
    run(provider, grant="device", scope="openid", client_secret=None)
    assert provider.calls[-1].headers["authorization"] == f"{token_type} {AT}"
    assert ("dpop" in provider.calls[-1].headers) is (token_type == "DPoP")


BOUND_REFUSAL = httpx.Response(401, headers={
    "WWW-Authenticate": 'DPoP realm="op", error="invalid_token", error_description="invalid token provided", '
                        'algs="ES256 PS256"'})


def test_a_bound_jwt_token_sent_as_bearer_is_refused_and_the_finding_says_why():
    bound = jwt.encode({"sub": "ann", "cnf": {"jkt": "jkt-of-the-key"}}, KEY, algorithm="ES256")
    provider = FakeProvider()
    provider.on("/userinfo", BOUND_REFUSAL)
    env = FlowEnvironment(transport=provider.transport(), clock=lambda: NOW)
    flow = FlowRunner("userinfo", FlowSettings(issuer=ISSUER, token=bound), env).run_all()
    assert flow.status is FlowStatus.ERROR
    step = flow.step("userinfo")
    assert provider.calls[-1].headers["authorization"] == f"Bearer {bound}"
    assert {"userinfo_error", "invalid_token", "dpop_required", "dpop_bound_as_bearer"} <= set(codes(step))
    [why] = [f for f in step.findings if f.code == "dpop_bound_as_bearer"]
    assert "jkt-of-the-key" in why.message and "Authorization: DPoP" in why.text()
    assert why.advice.settings == ("dpop",)


def test_a_token_issued_as_dpop_but_sent_as_bearer_names_its_token_type():
    provider = device_provider(httpx.Response(200, json={"access_token": AT, "token_type": "DPoP",
                                                         "id_token": id_token(aud="svc")}), BOUND_REFUSAL)
    flow = run(provider, grant="device", scope="openid", client_secret=None, dpop=False)
    [why] = [f for f in flow.step("userinfo").findings if f.code == "dpop_bound_as_bearer"]
    assert "token_type DPoP" in why.message


def test_userinfo_alone_with_dpop_and_no_kept_key_says_the_key_is_new():
    provider = FakeProvider()
    provider.on("/userinfo", httpx.Response(401, headers={
        "WWW-Authenticate": 'DPoP error="invalid_dpop_proof", error_description="invalid DPoP key binding"'}))
    env = FlowEnvironment(transport=provider.transport(), clock=lambda: NOW)
    flow = FlowRunner("userinfo", FlowSettings(issuer=ISSUER, token=AT, dpop=True), env).run_all()
    step = flow.step("userinfo")
    assert provider.calls[-1].headers["authorization"] == f"DPoP {AT}"
    assert {"invalid_dpop_proof", "dpop_new_key"} <= set(codes(step))


def test_a_long_device_poll_shows_the_first_proof_and_the_latest_ones():
    from inspector.core.flows.dpop import PROOFS_KEPT

    pending = [httpx.Response(400, json={"error": "authorization_pending"}) for _ in range(PROOFS_KEPT + 2)]

    def token(request):
        return pending.pop() if pending else httpx.Response(200, json={"access_token": AT, "token_type": "DPoP"})

    provider = device_provider(token, httpx.Response(200, json={"sub": "ann"}))
    flow = run(provider, grant="device", scope="", client_secret=None)
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    step = flow.step("token")
    assert len(step.exchanges) == PROOFS_KEPT + 3
    shown = step.output["dpop_proofs"]
    assert len(shown) == PROOFS_KEPT and step.output["dpop_proofs_omitted"] == 3
    assert [proof["exchange"] for proof in shown] == [1, *range(5, PROOFS_KEPT + 4)]
