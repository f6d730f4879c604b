"""ID token validation inside a flow, with tokens signed by a local key published as the JWKS."""

import json

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER, FakeProvider

KEY = ec.generate_private_key(ec.SECP256R1())
PUBLIC = dict(json.loads(ECAlgorithm.to_jwk(KEY.public_key())), kid="k1", alg="ES256", use="sig")
NOW = 1_800_000_000


def id_token(**claims):
    base = {"iss": ISSUER, "sub": "ann", "aud": "app", "iat": NOW, "exp": NOW + 300}
    base.update(claims)
    return jwt.encode(base, KEY, algorithm="ES256", headers={"kid": "k1"})


def provider_with(token_response, userinfo=None):
    provider = FakeProvider()
    provider.on("/jwks", httpx.Response(200, json={"keys": [PUBLIC]}))
    provider.on("/token", httpx.Response(200, json=token_response))
    if userinfo is not None:
        provider.on("/userinfo", userinfo)
    return provider


def run(provider, scope="openid"):
    env = FlowEnvironment(transport=provider.transport(), clock=lambda: NOW + 10)
    settings = FlowSettings(issuer=ISSUER, client_id="app", client_secret="s", scope=scope, token="rt-old")
    return FlowRunner("refresh", settings, env).run_all()


def test_a_valid_id_token_is_verified_against_the_jwks():
    flow = run(provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token()}))
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    step = flow.step("id_token")
    assert step.output["valid"] is True and step.output["claims"]["sub"] == "ann"
    assert step.output["key"] == {"kid": "k1", "kty": "EC"}
    assert [e.url for e in step.exchanges] == [f"{ISSUER}/jwks"]


def test_a_wrong_audience_fails_the_id_token_step():
    flow = run(provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token(aud="other")}))
    assert flow.status is FlowStatus.ERROR
    assert flow.step("id_token").status is StepStatus.ERROR
    assert flow.step("id_token").output["valid"] is False


def test_an_expired_id_token_fails():
    flow = run(provider_with({"access_token": "at", "token_type": "Bearer",
                              "id_token": id_token(iat=NOW - 7200, exp=NOW - 3600)}))
    assert flow.step("id_token").status is StepStatus.ERROR
