"""``userinfo`` (OIDC Core §5.3): the access token travels only in the Authorization header of a
request to the chosen issuer's userinfo endpoint, and the recorded request masks it."""

import httpx

from inspector.cli import userinfo
from tests.support.cli import invoke_with_provider
from tests.support.fake_provider import ISSUER, FakeProvider

TOKEN = "at-" + "u" * 40


def run(provider, *args):
    return invoke_with_provider(userinfo, "userinfo", provider, *args)


def test_the_token_is_sent_only_as_a_bearer_header_to_the_userinfo_endpoint_and_masked_in_the_record():
    provider = FakeProvider()
    provider.on("/userinfo", httpx.Response(200, json={"sub": "ann"}))
    code, lines, text = run(provider, TOKEN, "--issuer", ISSUER, "--json")
    assert code == 0
    discovery, fetch = provider.calls
    assert TOKEN not in str(discovery.url) and "authorization" not in discovery.headers
    assert fetch.url.path == "/userinfo" and TOKEN not in str(fetch.url) and fetch.content == b""
    assert fetch.headers["authorization"] == f"Bearer {TOKEN}"
    recorded = lines[1]["request"]
    assert recorded["headers"]["authorization"] == "••••••" and TOKEN not in text


def test_a_refused_token_is_userinfo_error_with_the_challenge():
    provider = FakeProvider()
    provider.on("/userinfo", httpx.Response(401, headers={"www-authenticate": 'Bearer error="invalid_token"'}))
    code, lines, _ = run(provider, TOKEN, "--issuer", ISSUER, "--json")
    finding, explained = [f for f in lines[-1]["findings"] if f["severity"] == "error"]
    assert code == 1 and finding["code"] == "userinfo_error" and 'error="invalid_token"' in finding["message"]
    assert explained["code"] == "invalid_token" and "did not accept the token" in explained["message"]


def test_a_userinfo_endpoint_that_is_not_http_is_never_called():
    provider = FakeProvider()
    provider.metadata["userinfo_endpoint"] = "file:///etc/passwd"
    code, lines, _ = run(provider, TOKEN, "--issuer", ISSUER, "--json")
    assert code == 1 and "invalid_endpoint" in [f["code"] for f in lines[-1]["findings"]]
    assert [request.url.path for request in provider.calls] == ["/.well-known/openid-configuration"]


def test_a_userinfo_endpoint_set_by_hand_needs_no_discovery():
    provider = FakeProvider()
    provider.on("/userinfo", httpx.Response(200, json={"sub": "ann"}))
    code, lines, _ = run(provider, TOKEN, "--userinfo-endpoint", f"{ISSUER}/userinfo", "--json")
    assert code == 0 and lines[-2]["claims"] == {"sub": "ann"}
    assert [request.url.path for request in provider.calls] == ["/userinfo"]
