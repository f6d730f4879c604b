"""Pushed authorization requests (RFC 9126): when to push, the push with client authentication,
the provider's answer checked, the request_uri's lifetime respected, the browser's URL."""

from functools import partial
from urllib.parse import parse_qs, parse_qsl, urlsplit

import httpx
import pytest

from inspector.core.protocol.client_auth import apply_client_auth
from inspector.core.protocol.http import make_client, send
from inspector.core.protocol.par import (OPEN_MARGIN, PAR_ENDPOINT, PushedRequest, browser_url, choose,
                                         expiry_finding, push, push_form)

PAR_URL = "https://op.example/par"
PARAMS = {"response_type": "code", "client_id": "app", "redirect_uri": "http://127.0.0.1:5000/callback",
          "scope": "openid", "state": "s-1", "code_challenge": "c" * 43, "code_challenge_method": "S256"}


class Clock:
    def __init__(self, now=100.0):
        self.now = now

    def __call__(self):
        return self.now


def pushing(respond):
    seen = []

    def handler(request):
        seen.append(request)
        return respond(request)

    return make_client(timeout=5, transport=httpx.MockTransport(handler)), seen


def created(body, status=201):
    return lambda request: httpx.Response(status, json=body)


# -- choose -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("metadata", "setting", "use"), [
    ({PAR_ENDPOINT: PAR_URL}, None, False),
    ({PAR_ENDPOINT: PAR_URL}, True, True),
    ({PAR_ENDPOINT: PAR_URL, "require_pushed_authorization_requests": True}, None, True),
    ({PAR_ENDPOINT: PAR_URL, "require_pushed_authorization_requests": False}, None, False),
    ({}, None, False),
    (None, None, False),
])
def test_par_is_on_when_asked_for_or_required_by_the_metadata(metadata, setting, use):
    choice = choose(metadata, setting)
    assert choice.use is use and choice.findings == ()
    assert choice.endpoint == (PAR_URL if use else (metadata or {}).get(PAR_ENDPOINT))


def test_required_by_the_metadata_says_so_as_the_reason():
    choice = choose({PAR_ENDPOINT: PAR_URL, "require_pushed_authorization_requests": True}, None)
    assert choice.required and "required by the provider" in choice.reason


def test_asking_for_par_without_an_endpoint_is_an_error_in_plain_words():
    choice = choose({"authorization_endpoint": "https://op.example/authorize"}, True)
    assert not choice.use
    [finding] = choice.findings
    assert finding.code == "par_unavailable" and finding.severity.value == "error"
    assert "no pushed_authorization_request_endpoint" in finding.message
    assert "Turn pushed authorization requests off" in finding.text()


def test_required_without_an_endpoint_is_the_providers_contradiction():
    choice = choose({"require_pushed_authorization_requests": True}, None)
    assert not choice.use and choice.required
    assert [f.code for f in choice.findings] == ["par_unavailable"]
    assert "offers nowhere to push them" in choice.findings[0].message


def test_turning_par_off_where_it_is_required_is_allowed_with_a_warning():
    choice = choose({PAR_ENDPOINT: PAR_URL, "require_pushed_authorization_requests": True}, False)
    assert not choice.use
    assert [(f.code, f.severity.value) for f in choice.findings] == [("par_required_off", "warning")]


def test_a_par_endpoint_that_is_not_a_string_counts_as_none():
    assert choose({PAR_ENDPOINT: 42}, None).endpoint is None


# -- push ---------------------------------------------------------------------------------------


def test_the_push_sends_every_parameter_with_client_authentication_and_reads_the_request_uri():
    client, seen = pushing(created({"request_uri": "urn:ietf:params:oauth:request_uri:abc", "expires_in": 60}))
    authenticate = partial(apply_client_auth, "client_secret_basic", client_id="app", secret="s3cret",
                           audience="https://op.example")
    with client:
        answer = push(client, PAR_URL, PARAMS, authenticate=authenticate, clock=Clock(100.0))
    assert answer.ok and answer.findings == []
    assert answer.pushed == PushedRequest("urn:ietf:params:oauth:request_uri:abc", 60, 100.0)
    [request] = seen
    assert request.method == "POST" and str(request.url) == PAR_URL
    assert dict(parse_qsl(request.content.decode())) == PARAMS
    assert request.headers["Authorization"].startswith("Basic ")
    assert answer.exchange.request_headers["authorization"] != request.headers["Authorization"]  # masked
    assert answer.exchange.status == 201


def test_a_private_key_jwt_client_pushes_an_assertion_which_the_record_masks():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    client, seen = pushing(created({"request_uri": "urn:x", "expires_in": 90}))
    authenticate = partial(apply_client_auth, "private_key_jwt", client_id="app", key_pem=pem,
                           audience="https://op.example")
    with client:
        answer = push(client, PAR_URL, PARAMS, authenticate=authenticate)
    sent = parse_qs(seen[0].content.decode())
    assert sent["client_assertion_type"] == ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]
    assert answer.exchange.params["client_assertion"] != sent["client_assertion"][0]


def test_empty_parameters_and_a_request_uri_are_not_pushed():
    assert push_form({"scope": "openid", "prompt": "", "request_uri": "urn:old"}) == {"scope": "openid"}


def test_a_given_sender_sends_the_push_and_builds_a_fresh_authenticated_form_each_time():
    client, seen = pushing(created({"request_uri": "urn:x", "expires_in": 60}))
    authenticate = partial(apply_client_auth, "client_secret_jwt", client_id="app", secret="s" * 40,
                           audience="https://op.example")
    built = []

    def send_form(url, build):  # as a DPoP sender does: a proof header, and the form built again for a retry
        first, second = build(), build()
        built.extend([first, second])
        return send(client, "POST", url, data=second[0], headers={**second[1], "DPoP": "proof.jwt.value"})

    with client:
        answer = push(client, PAR_URL, PARAMS, authenticate=authenticate, send_form=send_form)
    assert answer.ok and len(seen) == 1 and seen[0].headers["DPoP"] == "proof.jwt.value"
    assert built[0][0]["client_assertion"] != built[1][0]["client_assertion"]
    assert dict(parse_qsl(seen[0].content.decode()))["client_assertion"] == built[1][0]["client_assertion"]
    assert built[0][0]["scope"] == "openid"


def test_client_authentication_notes_come_first_in_the_findings():
    client, _seen = pushing(created({"request_uri": "urn:x", "expires_in": 60}))
    authenticate = partial(apply_client_auth, "client_secret_jwt", client_id="app", secret="short",
                           audience="https://op.example")
    with client:
        answer = push(client, PAR_URL, PARAMS, authenticate=authenticate)
    assert answer.ok and [f.code for f in answer.findings] == ["client_secret_short"]


def test_an_oauth_error_is_worded_from_the_table():
    client, _seen = pushing(lambda request: httpx.Response(
        401, json={"error": "invalid_client", "error_description": "client authentication failed"}))
    with client:
        answer = push(client, PAR_URL, PARAMS)
    assert not answer.ok and answer.oauth_error == "invalid_client"
    [finding] = answer.findings
    assert finding.code == "par_error"
    assert finding.message.startswith("The pushed authorization request endpoint answered with the OAuth error "
                                      "'invalid_client': client authentication failed (HTTP 401). This means")


def test_a_network_failure_is_a_finding():
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    client, _seen = pushing(refuse)
    with client:
        answer = push(client, PAR_URL, PARAMS)
    assert not answer.ok and [f.code for f in answer.findings] == ["network_error"]


@pytest.mark.parametrize(("body", "claim"), [
    ({"expires_in": 60}, "request_uri"),
    ({"request_uri": "", "expires_in": 60}, "request_uri"),
    ({"request_uri": ["urn:x"], "expires_in": 60}, "request_uri"),
    ({"request_uri": "urn:x"}, "expires_in"),
    ({"request_uri": "urn:x", "expires_in": 0}, "expires_in"),
    ({"request_uri": "urn:x", "expires_in": -5}, "expires_in"),
    ({"request_uri": "urn:x", "expires_in": "60"}, "expires_in"),
    ({"request_uri": "urn:x", "expires_in": 1.5}, "expires_in"),
    ({"request_uri": "urn:x", "expires_in": True}, "expires_in"),
])
def test_an_answer_without_a_usable_request_uri_or_lifetime_is_invalid(body, claim):
    client, _seen = pushing(created(body))
    with client:
        answer = push(client, PAR_URL, PARAMS)
    assert not answer.ok
    assert [(f.code, f.claim) for f in answer.findings] == [("invalid_response", claim)]


def test_an_integral_float_lifetime_is_a_number_of_seconds():
    client, _seen = pushing(created({"request_uri": "urn:x", "expires_in": 60.0}))
    with client:
        answer = push(client, PAR_URL, PARAMS)
    assert answer.ok and answer.pushed.expires_in == 60


def test_a_200_answer_is_used_with_a_warning_about_the_status():
    client, _seen = pushing(created({"request_uri": "urn:x", "expires_in": 60}, status=200))
    with client:
        answer = push(client, PAR_URL, PARAMS)
    assert answer.ok and [f.code for f in answer.findings] == ["par_status"]


def test_an_html_page_is_an_invalid_response():
    client, _seen = pushing(lambda request: httpx.Response(200, text="<html>login</html>",
                                                          headers={"content-type": "text/html"}))
    with client:
        answer = push(client, PAR_URL, PARAMS)
    assert not answer.ok and [f.code for f in answer.findings] == ["invalid_response"]


# -- lifetime -----------------------------------------------------------------------------------


def test_the_lifetime_counts_from_before_the_request_was_sent():
    clock = Clock(100.0)

    def slow(request):
        clock.now += 3  # the answer takes 3 s: the provider's lifetime started somewhere in between
        return httpx.Response(201, json={"request_uri": "urn:x", "expires_in": 60})

    client, _seen = pushing(slow)
    with client:
        answer = push(client, PAR_URL, PARAMS, clock=clock)
    assert answer.pushed.pushed_at == 100.0 and answer.pushed.expires_at == 160.0
    assert answer.pushed.remaining(clock()) == 57.0


def test_a_request_uri_is_usable_until_the_margin_before_its_end():
    pushed = PushedRequest("urn:x", 60, 100.0)
    assert expiry_finding(pushed, 100.0) is None
    assert expiry_finding(pushed, 160.0 - OPEN_MARGIN - 0.5) is None
    assert not pushed.expired(159.0) and pushed.expired(160.0)


def test_an_expired_request_uri_is_refused_and_the_finding_says_why():
    finding = expiry_finding(PushedRequest("urn:x", 60, 100.0), 190.0, part="authorize")
    assert finding.code == "request_uri_expired" and finding.part == "authorize"
    assert "ran out 30 s ago" in finding.message and "valid for 60 s" in finding.message
    assert "the browser is not sent to it" in finding.message
    assert "Push the authorization request again" in finding.text()


def test_a_request_uri_within_the_margin_is_about_to_run_out():
    finding = expiry_finding(PushedRequest("urn:x", 60, 100.0), 159.0)
    assert finding is not None and "is about to run out" in finding.message


# -- the browser's URL ------------------------------------------------------------------------


def test_the_browser_url_carries_only_the_client_id_and_the_request_uri():
    url = browser_url("https://op.example/authorize", "app", "urn:ietf:params:oauth:request_uri:abc")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://op.example/authorize"
    assert parse_qsl(parts.query) == [("client_id", "app"), ("request_uri", "urn:ietf:params:oauth:request_uri:abc")]


def test_the_browser_url_keeps_the_endpoints_own_query():
    url = browser_url("https://op.example/authorize?p=B2C_1_signin", "app", "urn:x")
    assert parse_qsl(urlsplit(url).query) == [("p", "B2C_1_signin"), ("client_id", "app"), ("request_uri", "urn:x")]
