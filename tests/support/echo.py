"""A HAR whose token endpoint echoes the client secret it was sent back in error_description:
once sent as a form parameter (client_secret_post), once in Basic credentials (RFC 7617), the
answer quoting the secret raw and the credentials as base64."""

from __future__ import annotations

import base64

from tests.support.har import HarBuilder

__all__ = ["BASIC", "IDP", "SECRET", "echoing_har"]

IDP = "https://login.example.com"
SECRET = "very-secret-client-value-42"
BASIC = base64.b64encode(f"web:{SECRET}".encode()).decode()


def echoing_har() -> bytes:
    har = HarBuilder("chrome")
    har.token(f"{IDP}/token", {"grant_type": "client_credentials", "client_id": "web", "client_secret": SECRET},
              status=401, json={"error": "invalid_client", "error_description": f"client_secret {SECRET} is wrong"})
    har.token(f"{IDP}/token", {"grant_type": "client_credentials"}, status=401,
              json={"error": "invalid_client", "error_description": f"Basic {BASIC} rejected for {SECRET}"},
              request_headers=[("Authorization", f"Basic {BASIC}")])
    return har.dumps()
