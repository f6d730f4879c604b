"""Artifacts for diagnosis tests: tokens shaped like the providers' own, a provider answering
discovery and JWKS through a MockTransport (with a Date header: the issuer's clock), and HAR
exchanges built directly (the HAR reader has its own tests)."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any

from inspector.core.diagnosis.model import DiagnosisContext
from inspector.core.har.model import ExchangeKind, HarExchange, HarTimeline
from inspector.core.jose.keys import load_jwks
from tests.support import keys as test_keys
from tests.support.jose import sign

NOW = 1_800_000_000
ISSUER = "https://login.example.com"
CLIENT = "web-app"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def private(index: int = 0) -> Any:
    """Test RSA key ``index`` (0 is the one other tests sign with, ``rsa_private()``)."""
    return test_keys.rsa_private(index) if index else test_keys.rsa_private()


def jwk(index: int = 0, kid: str = "k1") -> dict[str, Any]:
    return test_keys.public_jwk(private(index), kid=kid, use="sig", alg="RS256")


def keys(index: int = 0, kid: str = "k1") -> tuple:
    return tuple(load_jwks({"keys": [jwk(index, kid)]}))


def id_token(index: int = 0, kid: str = "k1", header: dict | None = None, **claims: Any) -> str:
    """An ID token as an OpenID Provider issues it (OIDC Core §2), signed with test key ``index``."""
    body = {"iss": ISSUER, "sub": "248289761001", "aud": CLIENT, "iat": NOW - 60, "exp": NOW + 3600,
            "nonce": "n-0S6_WzA2Mj", "auth_time": NOW - 90, "name": "Jane Doe"}
    body.update(claims)
    return sign({k: v for k, v in body.items() if v is not None}, private(index), "RS256",
                kid=kid, **(header or {}))


def okta_access_token(**claims: Any) -> str:
    """An Okta custom authorization server's access token: cid, uid and scp, no nonce."""
    body = {"ver": 1, "jti": "AT.kHq2Zpz6S2PUgU7J5vK4xFhN", "iss": f"{ISSUER}/oauth2/default", "aud": "api://default",
            "iat": NOW - 60, "exp": NOW + 3600, "cid": "0oa1qj9fz3QZx7Jd4h7", "uid": "00u1qj9fz3QZx7Jd4h8",
            "scp": ["openid", "profile"], "sub": "jane@example.com"}
    body.update(claims)
    return sign(body, test_keys.rsa_private(), "RS256", kid="k1")


def entra_v1_access_token(**claims: Any) -> str:
    """An Entra ID v1.0 access token: issued by sts.windows.net, typ JWT, scp, appid."""
    body = {"aud": "api://orders", "iss": f"https://sts.windows.net/{TENANT}/", "iat": NOW - 60, "nbf": NOW - 60,
            "exp": NOW + 3600, "appid": "5f0a1c9e-2c3b-4e6a-9d1f-0a3c8b7e6d5f", "scp": "user_impersonation",
            "tid": TENANT, "ver": "1.0", "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ"}
    body.update(claims)
    return sign(body, test_keys.rsa_private(), "RS256", kid="k1", typ="JWT")


def context(**values: Any) -> DiagnosisContext:
    values.setdefault("clock", lambda: NOW)
    return DiagnosisContext(**values)


def causes(report: Any) -> list[tuple[str, str]]:
    return [(d.cause, d.confidence.value) for d in report.diagnoses]


def http_date(epoch: float) -> str:
    return format_datetime(datetime.fromtimestamp(epoch, timezone.utc), usegmt=True)


class FakeIssuer:
    """Discovery and JWKS over a MockTransport; ``jwks`` may change between fetches (a rotation),
    ``server_time`` is what its Date header says. Counts requests per path."""

    def __init__(self, issuer: str = ISSUER, jwks: dict | None = None, server_time: float = NOW,
                 metadata: dict | None = None) -> None:
        self.issuer = issuer
        self.jwks = jwks if jwks is not None else {"keys": [jwk()]}
        self.server_time = server_time
        self.metadata = {"issuer": issuer, "jwks_uri": f"{issuer}/jwks", "token_endpoint": f"{issuer}/token",
                         "authorization_endpoint": f"{issuer}/authorize", "response_types_supported": ["code"],
                         "token_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt"],
                         **(metadata or {})}
        self.requests: list[str] = []

    def handler(self, request: Any) -> Any:
        import httpx

        self.requests.append(request.url.path)
        headers = {"Date": http_date(self.server_time)}
        if request.url.path.endswith("/.well-known/openid-configuration"):
            return httpx.Response(200, json=self.metadata, headers=headers)
        if request.url.path.endswith("/jwks"):
            return httpx.Response(200, json=self.jwks, headers=headers)
        return httpx.Response(404, headers=headers)

    def transport(self) -> Any:
        import httpx

        return httpx.MockTransport(self.handler)

    def source(self, **options: Any) -> Any:
        from inspector.core.diagnosis.remote import IssuerSource

        return IssuerSource(issuer=options.pop("issuer", self.issuer), transport=self.transport(),
                            clock=lambda: NOW, **options)


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(NOW + seconds, timezone.utc)


def exchange(index: int, kind: ExchangeKind, url: str, *, params: dict[str, str] | None = None,
             callback: dict[str, str] | None = None, status: int = 200, body: Any = None, started: float = 0.0,
             server_time: float | None = None, method: str | None = None, request_headers: dict | None = None,
             response_headers: dict | None = None) -> HarExchange:
    """One recorded OAuth exchange, ``started`` seconds after NOW on the browser's clock."""
    return HarExchange(
        index, kind, at(started), method or ("POST" if kind is ExchangeKind.TOKEN else "GET"), url, status,
        {name: (value,) for name, value in (params or {}).items()},
        {name: (value,) for name, value in callback.items()} if callback is not None else None,
        tuple((request_headers or {}).items()), tuple((response_headers or {}).items()),
        body if isinstance(body, str) else None, body if isinstance(body, dict) else None,
        server_date=at(server_time) if server_time is not None else None, elapsed_ms=40.0)


def timeline(*exchanges: HarExchange) -> HarTimeline:
    return HarTimeline(tuple(exchanges), entry_count=len(exchanges) * 3, creator="WebInspector 537.36")
