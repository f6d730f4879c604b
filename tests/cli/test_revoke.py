"""``revoke`` (RFC 7009): HTTP 200 means revoked, whatever the body; refusals exit 1 with a
finding; the client secret sent with it never appears in the record."""

import httpx

from inspector.cli import revoke
from tests.support.cli import invoke_with_provider
from tests.support.fake_provider import ISSUER, FakeProvider

TOKEN = "rt-" + "r" * 40
CLIENT = ("--issuer", ISSUER, "--client-id", "app", "--client-secret", "app-secret-value")


def run(provider, *args):
    return invoke_with_provider(revoke, "revoke", provider, *args)


def test_an_empty_200_means_revoked():
    provider = FakeProvider()
    provider.on("/revoke", httpx.Response(200))
    code, lines, _ = run(provider, TOKEN, *CLIENT, "--json")
    assert code == 0 and lines[1]["revoked"] is True
    assert "token_revoked" in [f["code"] for f in lines[1]["findings"]]
    assert [request.url.path for request in provider.calls] == ["/.well-known/openid-configuration", "/revoke"]


def test_unsupported_token_type_is_a_revocation_error_with_exit_1():
    provider = FakeProvider()
    provider.on("/revoke", httpx.Response(400, json={"error": "unsupported_token_type"}))
    code, lines, _ = run(provider, TOKEN, *CLIENT, "--json")
    assert code == 1 and lines[1]["revoked"] is False
    assert "revocation_error" in [f["code"] for f in lines[-1]["findings"]]


def test_client_secret_post_sends_the_secret_in_the_form_and_the_record_masks_it():
    provider = FakeProvider()
    provider.metadata["revocation_endpoint_auth_methods_supported"] = ["client_secret_post"]
    provider.on("/revoke", httpx.Response(200))
    code, lines, text = run(provider, TOKEN, *CLIENT, "--auth-method", "client_secret_post", "--json")
    assert code == 0 and provider.form()["client_secret"] == "app-secret-value"
    assert lines[1]["request"]["params"]["client_secret"] == "••••••"
    assert "app-secret-value" not in text


def test_a_server_error_is_not_reported_as_revoked():
    provider = FakeProvider()
    provider.on("/revoke", httpx.Response(503, text="maintenance"))
    code, lines, text = run(provider, TOKEN, *CLIENT)
    assert code == 1 and "revoked: False" in text
