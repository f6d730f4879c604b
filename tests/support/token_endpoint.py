"""A token endpoint on 127.0.0.1 for processes under test (the bundle, an installed wheel): it
answers every POST with a bearer token and records the Authorization header it was sent, so a
test can tell which client secret a child process read back from its keyring."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

from tests.support.json_server import JsonServer


class TokenEndpoint(JsonServer):
    """``with TokenEndpoint() as endpoint:`` → ``endpoint.url``; ``endpoint.authorizations``."""

    def __init__(self) -> None:
        self.authorizations: list[str] = []
        super().__init__(self._answer, method="POST")
        self.url = f"{self.base}/token"

    def _answer(self, handler: BaseHTTPRequestHandler) -> dict[str, object]:
        self.authorizations.append(handler.headers.get("Authorization", ""))
        return {"access_token": "at-" + "x" * 40, "token_type": "Bearer", "expires_in": 300}
