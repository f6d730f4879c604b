"""Userinfo inside a flow: JSON or a signed JWT, and its sub checked against the ID token's."""

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER
from tests.support.id_tokens import KEY, NOW, id_token, provider_with


def device_flow_with_userinfo(userinfo):
    """The device grant exercises id_token + userinfo without a browser."""
    provider = provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token()}, userinfo)
    provider.on("/device", httpx.Response(200, json={"device_code": "dc", "user_code": "U", "verification_uri": "v",
                                                     "interval": 1}))
    env = FlowEnvironment(transport=provider.transport(), clock=lambda: NOW + 10, sleep=lambda s: None)
    flow = FlowRunner("device", FlowSettings(issuer=ISSUER, client_id="app", scope="openid"), env).run_all()
    return flow, provider


def test_userinfo_sub_must_match_the_id_token():
    flow, provider = device_flow_with_userinfo(httpx.Response(200, json={"sub": "mallory"}))
    assert flow.status is FlowStatus.ERROR
    assert [f.code for f in flow.step("userinfo").findings] == ["userinfo_sub_mismatch"]
    assert provider.calls[-1].headers["authorization"] == "Bearer at"


def test_userinfo_match_and_bearer_header_is_redacted_in_the_record():
    flow, _ = device_flow_with_userinfo(httpx.Response(200, json={"sub": "ann", "email": "a@x"}))
    assert flow.status is FlowStatus.OK
    assert flow.step("userinfo").output["claims"]["email"] == "a@x"
    assert flow.step("userinfo").exchanges[0].request_headers["authorization"] == "••••••"


def test_userinfo_401_is_a_userinfo_error_and_its_challenge_is_explained():
    flow, _ = device_flow_with_userinfo(httpx.Response(401, headers={"www-authenticate": 'Bearer error="invalid_token"'}))
    assert [f.code for f in flow.step("userinfo").findings] == ["userinfo_error", "invalid_token"]
    assert "invalid_token" in flow.step("userinfo").findings[0].message
    assert "did not accept the token" in flow.step("userinfo").findings[1].message


def signed_userinfo(**claims):
    body = jwt.encode(claims, KEY, algorithm="ES256", headers={"kid": "k1"})
    return httpx.Response(200, content=body.encode(), headers={"content-type": "application/jwt"})


def test_a_signed_userinfo_response_is_verified_with_the_provider_keys():
    flow, _ = device_flow_with_userinfo(signed_userinfo(sub="ann", iss=ISSUER, aud="app", email="a@x"))
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    step = flow.step("userinfo")
    assert step.output["signed"] is True and step.output["claims"]["email"] == "a@x"
    assert "userinfo_sub_match" in [f.code for f in step.findings]


def test_a_signed_userinfo_for_another_audience_is_rejected():
    flow, _ = device_flow_with_userinfo(signed_userinfo(sub="ann", iss=ISSUER, aud="someone-else"))
    assert flow.status is FlowStatus.ERROR
    assert "claims" not in flow.step("userinfo").output


def test_a_signed_userinfo_with_a_bad_signature_is_rejected():
    other = ec.generate_private_key(ec.SECP256R1())
    body = jwt.encode({"sub": "ann"}, other, algorithm="ES256", headers={"kid": "k1"})
    flow, _ = device_flow_with_userinfo(httpx.Response(200, content=body.encode(),
                                                     headers={"content-type": "application/jwt"}))
    assert flow.status is FlowStatus.ERROR
    assert "claims" not in flow.step("userinfo").output
