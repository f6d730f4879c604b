"""A local ES256 key published as the fake provider's JWKS, ID tokens signed with it, and a
refresh flow run against that provider: the setup the id_token, userinfo and token-response
unit tests share."""

from __future__ import annotations

import json

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import Flow
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER, FakeProvider

KEY = ec.generate_private_key(ec.SECP256R1())
PUBLIC = dict(json.loads(ECAlgorithm.to_jwk(KEY.public_key())), kid="k1", alg="ES256", use="sig")
NOW = 1_800_000_000


def id_token(**claims) -> str:
    """A valid ID token for client "app" from ISSUER, with ``claims`` added or replaced."""
    base = {"iss": ISSUER, "sub": "ann", "aud": "app", "iat": NOW, "exp": NOW + 300}
    base.update(claims)
    return jwt.encode(base, KEY, algorithm="ES256", headers={"kid": "k1"})


def provider_with(token_response: dict, userinfo: httpx.Response | None = None) -> FakeProvider:
    provider = FakeProvider()
    provider.on("/jwks", httpx.Response(200, json={"keys": [PUBLIC]}))
    provider.on("/token", httpx.Response(200, json=token_response))
    if userinfo is not None:
        provider.on("/userinfo", userinfo)
    return provider


def run_refresh(provider: FakeProvider, scope: str = "openid") -> Flow:
    """A confidential client's refresh flow, ten seconds after the tokens were issued."""
    env = FlowEnvironment(transport=provider.transport(), clock=lambda: NOW + 10)
    settings = FlowSettings(issuer=ISSUER, client_id="app", client_secret="s", scope=scope, token="rt-old")
    return FlowRunner("refresh", settings, env).run_all()
