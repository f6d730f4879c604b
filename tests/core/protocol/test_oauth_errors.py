"""The one table of OAuth error codes: every provider error gets a plain cause and a next step."""

import httpx
import pytest

from inspector.core.protocol.http import make_client, send
from inspector.core.protocol.oauth_errors import OAUTH_ERRORS, meaning
from inspector.core.protocol.responses import read_json

RFC_6749_TOKEN_ERRORS = ("invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
                         "unsupported_grant_type", "invalid_scope")
AUTHORIZATION_ERRORS = ("access_denied", "unsupported_response_type", "server_error", "temporarily_unavailable",
                        "login_required", "consent_required", "interaction_required")


@pytest.mark.parametrize("code", RFC_6749_TOKEN_ERRORS + AUTHORIZATION_ERRORS + ("expired_token", "invalid_token",
                                                                               "invalid_request_uri"))
def test_every_standard_error_has_a_cause_and_a_next_step(code):
    known = meaning(code)
    assert known is not None and known.cause and known.advice.text.endswith(".")
    for setting in known.advice.settings:
        assert "{" + setting + "}" in known.advice.text


def test_only_invalid_client_is_about_client_authentication():
    assert [code for code, entry in OAUTH_ERRORS.items() if entry.client_auth] == ["invalid_client"]


def answer(status, body):
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body))
    with make_client(timeout=5, transport=transport) as client:
        return read_json(send(client, "POST", "https://op.example/token"), endpoint="token endpoint",
                         error_code="token_error")


def test_a_provider_error_says_what_it_means_and_what_to_do():
    result = answer(401, {"error": "invalid_client", "error_description": "client authentication failed"})
    finding = result.findings[0]
    assert result.oauth_error == "invalid_client"
    assert finding.message.startswith("The token endpoint answered with the OAuth error 'invalid_client': client "
                                      "authentication failed (HTTP 401). This means the provider did not accept")
    assert "{client_secret}" in finding.advice.text and "client_secret" in finding.advice.settings


def test_an_unknown_error_is_reported_as_it_came_without_a_guess():
    finding = answer(400, {"error": "vendor_specific", "error_description": "odd"}).findings[0]
    assert finding.message == "The token endpoint answered with the OAuth error 'vendor_specific': odd (HTTP 400)."
    assert finding.advice is None
