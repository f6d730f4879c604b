"""Token responses as shared steps read them (RFC 6749 §5.1)."""

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


def test_token_response_without_access_token_is_invalid():
    flow = run(provider_with({"token_type": "Bearer"}))
    assert [f.code for f in flow.step("token").findings] == ["invalid_response"]


def test_unusual_token_type_is_a_warning():
    flow = run(provider_with({"access_token": "at", "token_type": "mac"}))
    assert flow.status is FlowStatus.OK
    assert [f.code for f in flow.step("token").findings][0] == "token_type_unexpected"
