import httpx

from inspector.core.protocol.http import make_client, send
from inspector.core.protocol.responses import read_json


def _answer(response):
    client = make_client(timeout=5, transport=httpx.MockTransport(lambda request: response))
    return read_json(send(client, "POST", "https://op.example/token"), endpoint="token endpoint",
                     error_code="token_error")


def test_oauth_error_object_becomes_token_error_with_its_code():
    answer = _answer(httpx.Response(400, json={"error": "invalid_grant", "error_description": "code used"}))
    assert answer.data is None
    assert answer.oauth_error == "invalid_grant"
    assert [f.code for f in answer.findings] == ["token_error"]
    assert "invalid_grant" in answer.findings[0].message and "code used" in answer.findings[0].message


def test_html_page_is_an_invalid_response():
    answer = _answer(httpx.Response(200, text="<!DOCTYPE html><html>login</html>",
                                    headers={"content-type": "text/html"}))
    assert [f.code for f in answer.findings] == ["invalid_response"]
    assert "HTML" in answer.findings[0].message


def test_broken_json_is_an_invalid_response():
    answer = _answer(httpx.Response(200, text='{"access_token": ', headers={"content-type": "application/json"}))
    assert [f.code for f in answer.findings] == ["invalid_response"]


def test_json_that_is_not_an_object_is_an_invalid_response():
    answer = _answer(httpx.Response(200, json=["a"]))
    assert [f.code for f in answer.findings] == ["invalid_response"]


def test_5xx_is_a_server_error():
    answer = _answer(httpx.Response(503, text="Service Unavailable"))
    assert [f.code for f in answer.findings] == ["server_error"]
    assert "503" in answer.findings[0].message


def test_non_2xx_without_error_object_is_an_http_error():
    answer = _answer(httpx.Response(404, json={"detail": "nope"}))
    assert [f.code for f in answer.findings] == ["http_error"]


def test_success_returns_the_object():
    answer = _answer(httpx.Response(200, json={"access_token": "x"}))
    assert answer.ok and answer.data == {"access_token": "x"}


def test_a_redirect_is_reported_with_its_target():
    answer = _answer(httpx.Response(301, headers={"location": "https://op.example/v2/token"}))
    assert [f.code for f in answer.findings] == ["unexpected_redirect"]
    assert "https://op.example/v2/token" in answer.findings[0].message
