"""An in-memory provider on httpx.MockTransport for unit tests: routes by path, records every
call, and answers discovery with sane metadata unless told otherwise."""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import parse_qs

import httpx

ISSUER = "https://op.example"

Handler = Callable[[httpx.Request], httpx.Response]


class FakeProvider:
    def __init__(self, issuer: str = ISSUER) -> None:
        self.issuer = issuer
        self.calls: list[httpx.Request] = []
        self.metadata: dict[str, Any] = {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "device_authorization_endpoint": f"{issuer}/device",
            "introspection_endpoint": f"{issuer}/introspect",
            "revocation_endpoint": f"{issuer}/revoke",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": True,
        }
        self.routes: dict[str, Handler | httpx.Response] = {
            "/.well-known/openid-configuration": lambda request: httpx.Response(200, json=self.metadata),
            "/token": httpx.Response(200, json={"access_token": "at-" + "x" * 40, "token_type": "Bearer",
                                                "expires_in": 300}),
        }

    def on(self, path: str, answer: Handler | httpx.Response) -> None:
        self.routes[path] = answer

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        answer = self.routes.get(request.url.path)
        if answer is None:
            return httpx.Response(404, json={"error": "not_found"})
        return answer(request) if callable(answer) else answer

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def paths(self) -> list[str]:
        return [request.url.path for request in self.calls]

    def form(self, index: int = -1) -> dict[str, str]:
        """The form body of a recorded call, as single values."""
        return {name: values[0] for name, values in parse_qs(self.calls[index].content.decode()).items()}


#: What :func:`client_credentials_flow` sends and gets: a secret, and a refresh token beside the access token.
CLIENT_SECRET = "client-Secret-value-0123456789"
REFRESH_TOKEN = "rt-" + "r" * 40
ACCESS_TOKEN = "at-" + "a" * 40


def client_credentials_flow(provider: FakeProvider | None = None, token_answer: httpx.Response | None = None,
                            **settings: Any) -> Any:
    """A finished client credentials flow (a Flow record) against ``provider`` (a fresh one by
    default) whose token endpoint gives ``token_answer`` (by default an access and a refresh token)."""
    from inspector.core.flows.context import FlowEnvironment
    from inspector.core.flows.runner import FlowRunner
    from inspector.core.flows.settings import FlowSettings

    provider = provider or FakeProvider()
    provider.on("/token", token_answer or httpx.Response(200, json={
        "access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN, "token_type": "Bearer", "expires_in": 300}))
    base = dict(issuer=provider.issuer, client_id="svc", client_secret=CLIENT_SECRET, scope="api")
    runner = FlowRunner("client_credentials", FlowSettings(**{**base, **settings}),
                        FlowEnvironment(transport=provider.transport()))
    return runner.run_all()
