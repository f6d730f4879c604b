"""Which entries are OAuth exchanges, of which kind, with their parameters read from wherever each
browser put them; and that the noise of a page (images, scripts, analytics) is never one."""

from __future__ import annotations

import json

import pytest

from inspector.core.har.model import CallbackSource, ExchangeKind
from inspector.core.har.reader import read_har
from tests.support.har import HarBuilder, form_post_page

IDP, CB = "https://idp.example", "https://app.example/cb"
BROWSERS = ["chrome", "firefox", "safari"]
DISCOVERY = {
    "issuer": IDP, "authorization_endpoint": f"{IDP}/oauth2/authz", "token_endpoint": f"{IDP}/oauth2/tok",
    "userinfo_endpoint": f"{IDP}/me", "jwks_uri": f"{IDP}/oauth2/k", "introspection_endpoint": f"{IDP}/oauth2/i",
    "revocation_endpoint": f"{IDP}/oauth2/r", "device_authorization_endpoint": f"{IDP}/oauth2/d",
    "pushed_authorization_request_endpoint": f"{IDP}/oauth2/push",
}  # fmt: skip


def read(har: HarBuilder):
    return read_har(har.dumps()).exchanges


def only(har: HarBuilder):
    exchanges = read(har)
    assert len(exchanges) == 1, [exchange.kind for exchange in exchanges]
    return exchanges[0]


@pytest.mark.parametrize("browser", BROWSERS)
def test_an_authorization_request_keeps_every_parameter_value(browser):
    har = HarBuilder(browser)
    har.authorize(f"{IDP}/authorize", client_id="web", redirect_uri=CB, state="s1", scope="openid profile",
                  extra=[("scope", "email")])
    exchange = only(har)
    assert exchange.kind is ExchangeKind.AUTHORIZE and exchange.method == "GET" and exchange.status == 200
    assert exchange.params["scope"] == ("openid profile", "email") and exchange.param("redirect_uri") == CB
    assert exchange.response_text and "Sign in" in exchange.response_text


def test_a_pushed_request_reference_is_an_authorization_request():
    har = HarBuilder()
    har.authorize(f"{IDP}/authorize", client_id="web", request_uri="urn:ietf:params:oauth:request_uri:abc")
    assert only(har).kind is ExchangeKind.AUTHORIZE


def test_an_authorization_request_posted_as_a_form_reads_its_body():
    har = HarBuilder()
    har.authorize(f"{IDP}/authorize", method="POST", client_id="web", redirect_uri=CB, state="s1")
    exchange = only(har)
    assert exchange.kind is ExchangeKind.AUTHORIZE and exchange.method == "POST" and exchange.param("state") == "s1"


@pytest.mark.parametrize("browser", BROWSERS)
def test_an_authorize_answered_by_a_redirect_is_also_the_callback_it_carries(browser):
    har = HarBuilder(browser)
    har.authorize(f"{IDP}/authorize", client_id="web", redirect_uri=CB, state="s1",
                  location=f"{CB}?code=c1&state=s1&iss=https%3A%2F%2Fidp.example")
    authorize, callback = read(har)
    assert authorize.kind is ExchangeKind.AUTHORIZE and callback.kind is ExchangeKind.CALLBACK
    assert authorize.index == callback.index == 0
    assert callback.callback == {"code": ("c1",), "state": ("s1",), "iss": (IDP,)}
    assert callback.callback_source is CallbackSource.REDIRECT_QUERY and not callback.callback_source.delivered
    assert callback.redirect_url == f"{CB}?code=c1&state=s1&iss=https%3A%2F%2Fidp.example"
    assert callback.header("location") == callback.header("Location") == callback.redirect_url


def test_an_error_in_a_redirect_fragment_is_a_callback_from_the_fragment():
    har = HarBuilder()
    har.redirect(f"{CB}#error=access_denied&error_description=User+cancelled&state=s1", url=f"{IDP}/consent")
    exchange = only(har)
    assert exchange.callback_source is CallbackSource.REDIRECT_FRAGMENT
    assert exchange.callback["error_description"] == ("User cancelled",)


def test_a_relative_location_or_only_a_redirect_url_still_gives_the_callback():
    har = HarBuilder()
    relative = har.redirect("/cb?code=c1&state=s1", url="https://app.example/login/return")
    relative["response"]["redirectURL"] = ""
    bare = har.redirect(f"{CB}?code=c2&state=s2", url=f"{IDP}/login")
    bare["response"]["headers"] = [header for header in bare["response"]["headers"] if header["name"] != "location"]
    first, second = read(har)
    assert first.redirect_url == "https://app.example/cb?code=c1&state=s1" and first.callback["code"] == ("c1",)
    assert second.redirect_url == f"{CB}?code=c2&state=s2" and second.callback["code"] == ("c2",)


def test_the_delivered_callback_is_read_from_the_query_and_firefox_fragments():
    har = HarBuilder("firefox")
    har.callback(CB, code="c1", state="s1")
    har.callback(CB, fragment=True, code="c2", state="s2")
    query, fragment = read(har)
    assert query.callback_source is CallbackSource.URL_QUERY and query.callback_source.delivered
    assert fragment.callback_source is CallbackSource.URL_FRAGMENT and fragment.callback["code"] == ("c2",)
    assert fragment.url == f"{CB}#code=c2&state=s2"


def test_chrome_drops_the_fragment_so_a_fragment_callback_is_only_seen_in_the_redirect():
    har = HarBuilder("chrome")
    har.redirect(f"{CB}#code=c1&state=s1", url=f"{IDP}/login", method="POST")
    har.callback(CB, fragment=True, code="c1", state="s1")
    exchange = only(har)
    assert exchange.callback_source is CallbackSource.REDIRECT_FRAGMENT and exchange.index == 0


def test_a_form_post_page_and_the_form_it_submits_are_both_callbacks():
    har = HarBuilder()
    har.form_post(CB, url=f"{IDP}/login", code="c1", state="s1", session_state="x.y")
    har.callback(CB, method="POST", status=302, location="/home", code="c1", state="s1")
    page, delivered = read(har)
    assert page.kind is delivered.kind is ExchangeKind.CALLBACK
    assert page.callback_source is CallbackSource.FORM_POST_PAGE and page.redirect_url == CB
    assert page.callback == {"code": ("c1",), "state": ("s1",), "session_state": ("x.y",)}
    assert delivered.callback_source is CallbackSource.FORM_BODY and delivered.callback["code"] == ("c1",)


def test_an_authorize_answered_by_a_form_post_page_is_authorize_and_callback():
    har = HarBuilder()
    har.authorize(f"{IDP}/authorize", client_id="web", redirect_uri=CB, state="s1", response_mode="form_post",
                  page=form_post_page(CB, id_token="eyJ.x.y", state="s1"))
    authorize, callback = read(har)
    assert (authorize.kind, callback.kind) == (ExchangeKind.AUTHORIZE, ExchangeKind.CALLBACK)
    assert callback.callback["id_token"] == ("eyJ.x.y",)


def test_a_callback_without_state_counts_only_at_a_redirect_uri_of_an_authorization_request():
    har = HarBuilder()
    har.authorize(f"{IDP}/authorize", client_id="web", redirect_uri=f"{CB}?tenant=1")
    har.callback(CB, code="c1")                                  # the client sent no state
    har.get("https://shop.example/product?code=SUMMER25")        # a discount code, not OAuth
    authorize, callback = read(har)
    assert callback.kind is ExchangeKind.CALLBACK and callback.callback == {"code": ("c1",)}


@pytest.mark.parametrize("browser", BROWSERS)
def test_a_token_request_reads_its_form_as_each_browser_records_it(browser):
    har = HarBuilder(browser)
    params = {"grant_type": "authorization_code", "code": "a b/c+d%", "redirect_uri": CB, "code_verifier": "v"}
    har.token(f"{IDP}/token", params, status=400, json={"error": "invalid_grant", "error_description": "bad code"})
    exchange = only(har)
    assert exchange.kind is ExchangeKind.TOKEN and exchange.status == 400
    assert {name: values[0] for name, values in exchange.params.items()} == params
    assert exchange.response_json == {"error": "invalid_grant", "error_description": "bad code"}


@pytest.mark.parametrize("browser", ["chrome", "firefox"])
def test_a_form_recorded_only_as_params_is_decoded_as_that_browser_encodes_it(browser):
    har = HarBuilder(browser)
    entry = har.token(f"{IDP}/token", {"grant_type": "authorization_code", "redirect_uri": CB})
    del entry["request"]["postData"]["text"]
    assert only(har).param("redirect_uri") == CB


def test_a_token_request_with_a_json_body_and_a_base64_answer():
    har = HarBuilder()
    entry = har.token(f"{IDP}/token", {"grant_type": "client_credentials", "client_id": "svc"}, json_body=True)
    entry["response"]["content"].update(text="eyJhY2Nlc3NfdG9rZW4iOiAiYXQifQ==", encoding="base64")
    exchange = only(har)
    assert exchange.param("grant_type") == "client_credentials" and exchange.response_json == {"access_token": "at"}


def test_a_token_answer_that_is_bad_base64_or_binary_is_left_out_and_counted():
    har = HarBuilder()
    har.token(f"{IDP}/token", {"grant_type": "refresh_token"})["response"]["content"].update(
        text="%%% not base64 %%%", encoding="base64")
    har.token(f"{IDP}/token", {"grant_type": "refresh_token"})["response"]["content"].update(
        text="iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk", encoding="base64")
    har.token(f"{IDP}/token", {"grant_type": "refresh_token"})["response"]["content"]["text"] = "GIF89a\x00\x01"
    timeline = read_har(har.dumps())
    assert [exchange.response_text for exchange in timeline.exchanges] == [None, None, None]
    assert timeline.skipped_bodies == 3 and timeline.skipped_entries == 0


def test_pushed_authorization_requests_by_path_or_by_answer():
    har = HarBuilder()
    har.post(f"{IDP}/oauth2/par", form={"response_type": "code", "client_id": "web"}, status=400,
             json={"error": "invalid_request"})
    har.post(f"{IDP}/as/push", form={"response_type": "code", "client_id": "web"}, status=201,
             json={"request_uri": "urn:ietf:params:oauth:request_uri:x", "expires_in": 60})
    assert [exchange.kind for exchange in read(har)] == [ExchangeKind.PAR, ExchangeKind.PAR]


def test_a_device_authorization_request_even_when_it_fails():
    har = HarBuilder()
    har.post(f"{IDP}/oauth/device/code", form={"client_id": "tv", "scope": "openid"}, status=400,
             json={"error": "invalid_client"})
    har.post(f"{IDP}/x", form={"client_id": "tv"}, json={"device_code": "d", "user_code": "U", "verification_uri": "v"})
    har.post("https://app.example/api/devices", form={"client_id": "tv", "name": "kitchen"}, json={"id": 7})
    assert [exchange.kind for exchange in read(har)] == [ExchangeKind.DEVICE, ExchangeKind.DEVICE]


def test_userinfo_jwks_and_discovery_by_their_usual_paths_and_content():
    har = HarBuilder()
    har.json(f"{IDP}/.well-known/openid-configuration", {"issuer": IDP})
    har.json(f"{IDP}/.well-known/oauth-authorization-server/tenant", {"issuer": IDP})
    har.json(f"{IDP}/protocol/openid-connect/userinfo", {"sub": "alice"},
             request_headers=[("Authorization", "Bearer at")])
    har.json(f"{IDP}/protocol/openid-connect/certs", {"keys": [{"kty": "RSA", "n": "x", "e": "AQAB"}]})
    har.json("https://app.example/api/orders", {"keys": ["a", "b"]})  # keys, but no JWKs
    exchanges = read(har)
    assert [exchange.kind.value for exchange in exchanges] == ["discovery", "discovery", "userinfo", "jwks"]
    assert exchanges[2].header("authorization", response=False) == "Bearer at"


def test_a_discovery_document_names_the_endpoints_whatever_their_paths():
    har = HarBuilder()
    har.json(f"{IDP}/.well-known/openid-configuration", DISCOVERY)
    har.get(f"{IDP}/oauth2/authz", status=400, mime="text/html", text="<p>missing response_type</p>")
    har.post(f"{IDP}/oauth2/tok", form={"code": "c1"}, status=400, json={"error": "invalid_request"})
    har.json(f"{IDP}/me", {"sub": "alice"})
    har.json(f"{IDP}/oauth2/k", {"keys": []})
    har.post(f"{IDP}/oauth2/i", form={"token": "t"}, json={"active": False})
    har.post(f"{IDP}/oauth2/r", form={"token": "t"})
    har.post(f"{IDP}/oauth2/d", form={"client_id": "tv"}, status=400, json={"error": "invalid_client"})
    har.post(f"{IDP}/oauth2/push", form={"client_id": "web", "request": "eyJ.x.y"}, status=400, json={"error": "x"})
    assert [exchange.kind.value for exchange in read(har)] == [
        "discovery", "authorize", "token", "userinfo", "jwks", "introspect", "revoke", "device", "par"]


def test_introspection_and_revocation_by_path_or_by_answer():
    har = HarBuilder()
    har.post(f"{IDP}/token/introspection", form={"token": "t"}, status=401, json={"error": "invalid_client"})
    har.post(f"{IDP}/check", form={"token": "t"}, json={"active": True, "sub": "alice"})
    har.post(f"{IDP}/protocol/openid-connect/revoke", form={"token": "t"})
    har.post(f"{IDP}/logout-all", form={"token": "t", "token_type_hint": "refresh_token"})
    assert [exchange.kind.value for exchange in read(har)] == ["introspect", "introspect", "revoke", "revoke"]


def test_a_cors_preflight_to_the_token_endpoint_is_not_a_token_request():
    har = HarBuilder()
    har.json(f"{IDP}/.well-known/openid-configuration", DISCOVERY)
    har.entry("OPTIONS", f"{IDP}/oauth2/tok", status=204, mime="")
    har.entry("GET", f"{IDP}/oauth2/tok", status=405, mime="")
    assert [exchange.kind.value for exchange in read(har)] == ["discovery"]


def test_http2_pseudo_headers_are_kept_and_headers_are_found_whatever_their_case():
    har = HarBuilder("chrome")
    har.token(f"{IDP}/token", {"grant_type": "client_credentials"}, request_headers=[("Authorization", "Basic eA==")])
    exchange = only(har)
    assert (":authority", "idp.example") in exchange.request_headers
    assert exchange.header("AUTHORIZATION", response=False) == "Basic eA=="
    assert exchange.header("Content-Type") == "application/json"


def test_a_post_beacon_with_a_token_field_in_json_is_not_a_revocation():
    har = HarBuilder()
    har.post("https://analytics.example/track", json_body={"token": "proj-1", "event": "login"}, status=200)
    har.post("https://analytics.example/collect", form={"v": "1", "token": "t"}, status=204)
    assert read(har) == ()


def test_json_answers_are_read_only_when_they_are_objects():
    har = HarBuilder()
    entry = har.token(f"{IDP}/token", {"grant_type": "password"})
    entry["response"]["content"]["text"] = json.dumps(["not", "an", "object"])
    assert only(har).response_json is None


def test_a_path_named_introspect_without_a_token_parameter_is_no_introspection():
    har = HarBuilder()  # Okta's sign-in widget: POST /idp/idx/introspect {"stateHandle": ...}
    har.post("https://example.okta.com/idp/idx/introspect", json_body={"stateHandle": "02x"}, json={"version": "1"})
    assert read(har) == ()
