"""``introspect`` (RFC 7662): the token goes to the chosen issuer's introspection endpoint only,
with the client's authentication, and never before discovery has vouched for that endpoint."""

import httpx
import pytest

from inspector.cli import introspect
from tests.support.cli import invoke_with_provider
from tests.support.fake_provider import ISSUER, FakeProvider

TOKEN = "at-" + "q" * 40
CLIENT = ("--issuer", ISSUER, "--client-id", "rs", "--client-secret", "rs-secret-value")


def run(provider, *args):
    return invoke_with_provider(introspect, "introspect", provider, *args)


def sent_the_token(request):
    return TOKEN in str(request.url) or TOKEN.encode() in request.content or any(
        TOKEN in value for value in request.headers.values())


def test_the_token_goes_only_to_the_introspection_endpoint_with_basic_client_auth():
    provider = FakeProvider()
    provider.on("/introspect", httpx.Response(200, json={"active": True, "scope": "api"}))
    code, lines, text = run(provider, TOKEN, *CLIENT, "--json")
    assert code == 0 and lines[-1]["status"] == "ok"
    assert [request.url.path for request in provider.calls if sent_the_token(request)] == ["/introspect"]
    assert provider.calls[-1].headers["authorization"].startswith("Basic ")
    assert "rs-secret-value" not in text


def test_an_inactive_token_is_a_result_not_a_failure():
    provider = FakeProvider()
    provider.on("/introspect", httpx.Response(200, json={"active": False}))
    code, lines, _ = run(provider, TOKEN, *CLIENT, "--json")
    assert code == 0 and lines[1]["introspection"] == {"active": False}


def test_a_discovery_issuer_mismatch_stops_before_the_token_is_sent():
    provider = FakeProvider()
    provider.metadata["issuer"] = "https://evil.example"
    provider.metadata["introspection_endpoint"] = "https://evil.example/introspect"
    code, lines, _ = run(provider, TOKEN, *CLIENT, "--json")
    assert code == 1 and "discovery_issuer_mismatch" in [f["code"] for f in lines[-1]["findings"]]
    assert not any(sent_the_token(request) for request in provider.calls)


def test_no_introspection_endpoint_is_endpoint_missing_and_nothing_is_sent():
    provider = FakeProvider()
    del provider.metadata["introspection_endpoint"]
    code, lines, _ = run(provider, TOKEN, *CLIENT, "--json")
    assert code == 1 and "endpoint_missing" in [f["code"] for f in lines[-1]["findings"]]
    assert not any(sent_the_token(request) for request in provider.calls)


@pytest.mark.parametrize("answer, code", [(httpx.Response(401, json={"error": "invalid_client"}), "introspection_error"),
                                          (httpx.Response(200, text="<html>", headers={"content-type": "text/html"}),
                                           "invalid_response")])
def test_a_refused_or_unreadable_answer_exits_1_with_its_finding(answer, code):
    provider = FakeProvider()
    provider.on("/introspect", answer)
    exit_code, lines, _ = run(provider, TOKEN, *CLIENT, "--json")
    assert exit_code == 1 and code in [f["code"] for f in lines[-1]["findings"]]


def test_human_output_shows_the_answer_and_never_the_secret():
    provider = FakeProvider()
    provider.on("/introspect", httpx.Response(200, json={"active": True}))
    code, _, text = run(provider, TOKEN, *CLIENT)
    assert code == 0 and 'introspection: {"active": true}' in text and "rs-secret-value" not in text
