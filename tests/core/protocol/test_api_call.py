"""Calling an API with a token (MockTransport): the token only in the Authorization header and
masked in the record, the body shown by its type, redirects kept on the API's origin, plain http
refused off loopback, a retry when the authorizer asks for one."""

import gzip
import json

import httpx
import pytest

from inspector.core.errors import ProtocolError
from inspector.core.protocol.api_call import (MAX_REDIRECTS, ApiRequest, BearerAuthorizer, call_api, check_target,
                                              is_secret_header)
from inspector.core.protocol.http import make_client
from inspector.core.redact import MASK
from tests.support.jose import compact

API = "https://api.example.com"
TOKEN = "at-" + "x" * 40
NOW = 1_700_000_000


def call(handler, request=None, token=TOKEN, **kwargs):
    calls = []

    def record(sent):
        calls.append(sent)
        return handler(sent)

    with make_client(timeout=5, transport=httpx.MockTransport(record)) as client:
        answer = call_api(client, request or ApiRequest("GET", f"{API}/things"), token, now=lambda: NOW, **kwargs)
    return answer, calls


def codes(answer):
    return [finding.code for finding in answer.findings]


def test_the_token_goes_as_a_bearer_header_and_the_record_masks_it():
    answer, [sent] = call(lambda request: httpx.Response(200, json={"items": [1, 2]}))
    assert sent.headers["authorization"] == f"Bearer {TOKEN}" and TOKEN not in str(sent.url)
    assert answer.ok and answer.status == 200 and answer.body.kind == "json" and answer.body.value == {"items": [1, 2]}
    document = json.dumps(answer.to_json())
    assert TOKEN not in document and answer.exchanges[0].request_headers["authorization"] == MASK
    assert answer.findings == []


def test_the_token_echoed_by_the_api_is_abbreviated_unless_shown():
    answer, _ = call(lambda request: httpx.Response(200, json={"seen": request.headers["authorization"]}))
    assert TOKEN not in json.dumps(answer.to_json())
    assert TOKEN in json.dumps(answer.to_json(show_tokens=True)["body"])


def test_user_headers_that_carry_secrets_are_masked_wherever_they_come_back():
    request = ApiRequest("GET", f"{API}/things", (("X-Api-Key", "key-123456789"), ("Cookie", "sid=abcdefgh123")))
    answer, [sent] = call(lambda r: httpx.Response(200, text=f"key {r.headers['x-api-key']}"), request)
    assert sent.headers["x-api-key"] == "key-123456789"
    document = json.dumps(answer.to_json())
    assert "key-123456789" not in document and "abcdefgh123" not in document
    assert answer.to_json()["request"]["headers"]["x-api-key"] == MASK


@pytest.mark.parametrize("name", ["Authorization", "X-Auth-Token", "X-API-KEY", "api_key", "Proxy-Authorization",
                                  "X-Session-Id"])
def test_secret_header_names(name):
    assert is_secret_header(name)


@pytest.mark.parametrize("name", ["Accept", "Content-Type", "X-Request-Id", "If-None-Match"])
def test_plain_header_names(name):
    assert not is_secret_header(name)


def test_a_body_is_sent_as_given_with_its_content_type():
    request = ApiRequest("POST", f"{API}/things", (("Content-Type", "application/json"),), b'{"name": "a"}')
    answer, [sent] = call(lambda r: httpx.Response(201, json={"id": 1}), request)
    assert sent.method == "POST" and sent.content == b'{"name": "a"}'
    assert sent.headers["content-type"] == "application/json"
    assert answer.ok and answer.to_json()["request"]["body"] == {"name": "a"}


def test_json_types_with_a_suffix_are_json_and_broken_json_is_text_with_a_warning():
    answer, _ = call(lambda r: httpx.Response(400, headers={"content-type": "application/problem+json"},
                                              content=b'{"title": "bad"}'))
    assert answer.body.kind == "json" and answer.body.value == {"title": "bad"}
    answer, _ = call(lambda r: httpx.Response(200, headers={"content-type": "application/json"}, content=b"{oops"))
    assert answer.body.kind == "text" and "body_not_json" in codes(answer)


def test_a_binary_body_is_summarised_not_shown():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    answer, _ = call(lambda r: httpx.Response(200, headers={"content-type": "image/png"}, content=png))
    assert answer.body.kind == "binary" and "264 bytes" in answer.body.value and "image/png" in answer.body.value
    assert answer.exchanges[0].body == answer.body.value


def test_text_and_empty_bodies():
    answer, _ = call(lambda r: httpx.Response(200, headers={"content-type": "text/plain; charset=utf-8"},
                                              content="héllo".encode()))
    assert (answer.body.kind, answer.body.value) == ("text", "héllo")
    answer, _ = call(lambda r: httpx.Response(204))
    assert answer.ok and answer.body.kind == "empty" and answer.to_json()["body"] is None


def test_a_compressed_body_is_read_within_the_cap():
    bomb = gzip.compress(b"a" * 5_000_000)
    answer, _ = call(lambda r: httpx.Response(200, headers={"content-encoding": "gzip"}, content=bomb), limit=1000)
    assert answer.status == 200 and not answer.ok and codes(answer) == ["response_too_large"]


def test_a_refusal_is_explained_from_the_challenge():
    header = 'Bearer realm="api", error="invalid_token", error_description="The access token expired"'
    answer, _ = call(lambda r: httpx.Response(401, headers={"www-authenticate": header}))
    assert not answer.ok and codes(answer) == ["invalid_token"]
    assert answer.challenges[0].params["error"] == "invalid_token"
    assert answer.to_json()["challenges"][0]["scheme"] == "Bearer"


def test_insufficient_scope_compares_with_the_jwt_scopes():
    token = compact({"alg": "RS256", "typ": "at+jwt"}, {"scope": "read", "exp": NOW + 60})
    header = 'Bearer error="insufficient_scope", scope="read write"'
    answer, _ = call(lambda r: httpx.Response(403, headers={"www-authenticate": header}), token=token)
    [finding] = answer.findings
    assert finding.code == "insufficient_scope" and "missing: 'write'" in finding.message


def test_an_error_without_a_challenge_is_an_http_error():
    answer, _ = call(lambda r: httpx.Response(404))
    assert codes(answer) == ["http_error"] and "404 Not Found" in answer.findings[0].message
    answer, _ = call(lambda r: httpx.Response(503))
    assert "on its side" in answer.findings[0].message


def test_a_redirect_without_a_location_is_an_http_error():
    answer, _ = call(lambda r: httpx.Response(302))
    assert codes(answer) == ["http_error"] and "no Location header" in answer.findings[0].message


def test_a_redirect_to_another_origin_is_not_followed():
    answer, calls = call(lambda r: httpx.Response(302, headers={"location": "https://evil.example/steal"}))
    assert len(calls) == 1 and answer.status == 302 and not answer.ok
    [finding] = answer.findings
    assert finding.code == "redirect_not_followed" and "https://evil.example/steal" in finding.message
    assert "https://evil.example" in finding.message and "token was not sent" in finding.message


@pytest.mark.parametrize("location", ["http://api.example.com/things", "https://api.example.com:8443/things",
                                      "//other.example.com/things"])
def test_a_change_of_scheme_port_or_host_is_another_origin(location):
    answer, calls = call(lambda r: httpx.Response(301, headers={"location": location}))
    assert len(calls) == 1 and codes(answer) == ["redirect_not_followed"]


def test_a_same_origin_redirect_is_followed_with_the_token():
    def handler(request):
        if request.url.path == "/things":
            return httpx.Response(301, headers={"location": "/things/"})
        return httpx.Response(200, json={"ok": True})

    answer, calls = call(handler)
    assert [str(c.url) for c in calls] == [f"{API}/things", f"{API}/things/"]
    assert all(c.headers["authorization"] == f"Bearer {TOKEN}" for c in calls)
    assert answer.ok and codes(answer) == ["redirect_followed"] and len(answer.exchanges) == 2


def test_a_303_after_a_post_is_a_get_without_the_body():
    def handler(request):
        if request.method == "POST":
            return httpx.Response(303, headers={"location": "/result"})
        return httpx.Response(200, json={"method": request.method, "body": request.content.decode()})

    request = ApiRequest("POST", f"{API}/jobs", (("Content-Type", "application/json"),), b"{}")
    answer, calls = call(handler, request)
    assert answer.body.value == {"method": "GET", "body": ""} and "content-type" not in calls[1].headers


def test_a_307_keeps_the_method_and_body():
    def handler(request):
        if request.url.path == "/a":
            return httpx.Response(307, headers={"location": "/b"})
        return httpx.Response(200, json={"method": request.method, "body": request.content.decode()})

    request = ApiRequest("PUT", f"{API}/a", (("Content-Type", "text/plain"),), b"data")
    answer, _ = call(handler, request)
    assert answer.body.value == {"method": "PUT", "body": "data"}


def test_same_origin_redirects_stop_after_the_bound():
    answer, calls = call(lambda r: httpx.Response(302, headers={"location": f"/loop{len(r.url.path)}"}))
    assert len(calls) == MAX_REDIRECTS + 1 and "too_many_redirects" in codes(answer)


def test_the_authorizer_is_asked_per_attempt_and_may_retry_once():
    class Nonce(BearerAuthorizer):
        def __init__(self):
            self.asked = []

        def headers(self, method, url, token):
            self.asked.append((method, url))
            return {"Authorization": f"Bearer {token}", "X-Attempt": str(len(self.asked))}

        def retry(self, response):
            return response.status_code == 401

    authorizer = Nonce()
    answer, calls = call(lambda r: httpx.Response(401 if r.headers["x-attempt"] == "1" else 200), authorizer=authorizer)
    assert authorizer.asked == [("GET", f"{API}/things")] * 2 and answer.ok and len(answer.exchanges) == 2
    authorizer = Nonce()
    answer, calls = call(lambda r: httpx.Response(401), authorizer=authorizer)
    assert len(calls) == 2 and not answer.ok


def test_without_a_token_nothing_is_added_and_the_challenge_says_what_the_api_wants():
    answer, [sent] = call(lambda r: httpx.Response(401, headers={"www-authenticate": 'Bearer realm="api"'}),
                          token=None)
    assert "authorization" not in sent.headers and codes(answer) == ["no_token"]


def test_an_id_token_sent_to_an_api_is_a_warning():
    token = compact({"alg": "RS256"}, {"nonce": "n", "aud": "client", "exp": NOW + 60})
    answer, _ = call(lambda r: httpx.Response(200), token=token)
    assert codes(answer) == ["not_an_access_token"] and answer.ok
    answer, _ = call(lambda r: httpx.Response(200), kind="refresh_token")
    assert "refresh token" in answer.findings[0].message


def test_a_token_with_a_line_break_is_refused_before_sending():
    with pytest.raises(ProtocolError) as caught:
        call(lambda r: httpx.Response(200), token="abc\ndef")
    assert caught.value.code == "invalid_token_text"


def test_a_token_and_an_authorization_header_together_are_refused():
    request = ApiRequest("GET", f"{API}/x", (("Authorization", "Basic dXNlcjpwYXNz"),))
    with pytest.raises(ProtocolError) as caught:
        call(lambda r: httpx.Response(200), request)
    assert caught.value.code == "conflicting_credentials"


def test_an_own_authorization_header_is_sent_and_masked():
    request = ApiRequest("GET", f"{API}/x", (("Authorization", "Basic dXNlcjpwYXNzd29yZDE="),))
    answer, [sent] = call(lambda r: httpx.Response(200, text="hello user:password1"), request, token=None)
    assert sent.headers["authorization"] == "Basic dXNlcjpwYXNzd29yZDE="
    assert "password1" not in json.dumps(answer.to_json())


@pytest.mark.parametrize("url", ["ftp://api.example.com/x", "file:///etc/passwd", "https:///nohost", "not a url"])
def test_urls_that_are_not_http_cannot_be_called(url):
    with pytest.raises(ProtocolError) as caught:
        check_target(url, credentials=True)
    assert caught.value.code == "invalid_url"


def test_credentials_in_the_url_are_refused():
    with pytest.raises(ProtocolError) as caught:
        check_target("https://user:pw@api.example.com/", credentials=True)
    assert caught.value.code == "invalid_url" and "pw" not in caught.value.message


def test_plain_http_off_loopback_is_refused_with_a_token_unless_allowed():
    with pytest.raises(ProtocolError) as caught:
        check_target("http://api.example.com/x", credentials=True)
    assert caught.value.code == "insecure_url" and "--allow-http" in str(caught.value)
    [warning] = check_target("http://api.example.com/x", credentials=True, allow_http=True)
    assert warning.code == "insecure_transport"
    assert check_target("http://api.example.com/x", credentials=False) == []
    assert check_target("http://127.0.0.1:8080/x", credentials=True) == []
    assert check_target("http://localhost/x", credentials=True) == []


def test_a_failed_connection_is_a_finding_without_status():
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    answer, _ = call(refuse)
    assert answer.status is None and not answer.ok and codes(answer) == ["network_error"]
    assert answer.to_json()["body"] is None
