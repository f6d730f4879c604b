"""Playing the client against the real provider by hand (httpx), without our flow code: sign in
through the scripted user agent up to the redirect back, redeem the code, and make DPoP proofs.

Independent of ``inspector`` on purpose: the provider's own behaviour is checked with this, so a
mistake in our protocol code cannot hide behind the same mistake in the test.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support.provider import NATIVE_REDIRECT, TestProvider
from tests.support.user_agent import UserAgent


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class DPoPKey:
    """An ES256 key that signs DPoP proofs (RFC 9449 §4.2), its public JWK in the header."""

    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.private.public_key()))

    @property
    def thumbprint(self) -> str:
        """RFC 7638: SHA-256 of the required members in lexicographic order, no whitespace."""
        members = {name: self.jwk[name] for name in ("crv", "kty", "x", "y")}
        return b64url(hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest())

    def proof(self, method: str, url: str, *, nonce: str | None = None, access_token: str | None = None,
              iat: int | None = None) -> str:
        claims: dict[str, Any] = {"htm": method, "htu": url, "iat": int(time.time()) if iat is None else iat,
                                  "jti": secrets.token_urlsafe(16)}
        if nonce is not None:
            claims["nonce"] = nonce
        if access_token is not None:
            claims["ath"] = b64url(hashlib.sha256(access_token.encode("ascii")).digest())
        return jwt.encode(claims, self.private, algorithm="ES256", headers={"typ": "dpop+jwt", "jwk": self.jwk})


@dataclass
class Authorization:
    """An authorization request's parameters and the PKCE verifier that goes with them."""

    params: dict[str, str]
    verifier: str


def authorization(client_id: str, scope: str = "openid email", **extra: str) -> Authorization:
    verifier = secrets.token_urlsafe(48)
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": NATIVE_REDIRECT, "scope": scope,
              "state": secrets.token_urlsafe(12), "code_challenge": b64url(hashlib.sha256(verifier.encode()).digest()),
              "code_challenge_method": "S256", **extra}
    if "openid" in scope.split():  # a nonce without openid is refused (OIDC Core §3.1.2.1)
        params.setdefault("nonce", secrets.token_urlsafe(12))
    if "offline_access" in scope.split():
        params.setdefault("prompt", "consent")
    return Authorization(params, verifier)


def metadata(provider: TestProvider) -> dict[str, Any]:
    return httpx.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).json()


def browser_answer(provider: TestProvider, query: dict[str, str]) -> dict[str, str]:
    """The authorization response's parameters after the person signs in and consents."""
    return sign_in(f"{metadata(provider)['authorization_endpoint']}?{urlencode(query)}")


def sign_in(url: str) -> dict[str, str]:
    """The authorization response's parameters when the browser is sent to ``url``."""
    with UserAgent() as agent:
        back = agent.redirect_back(url)
    return dict(parse_qsl(urlsplit(back).query))


def redeem(provider: TestProvider, request: Authorization, code: str, *, auth: tuple[str, str] | None = None,
           dpop: DPoPKey | None = None, nonce: str | None = None) -> httpx.Response:
    """The token request for ``code`` (RFC 6749 §4.1.3), public unless ``auth`` (basic) is given."""
    token_endpoint = metadata(provider)["token_endpoint"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": request.params["redirect_uri"],
            "code_verifier": request.verifier}
    if auth is None:
        form["client_id"] = request.params["client_id"]
    headers = {"DPoP": dpop.proof("POST", token_endpoint, nonce=nonce)} if dpop is not None else {}
    return httpx.post(token_endpoint, data=form, auth=auth, headers=headers, timeout=5)
