"""The first look at every entry: noise is dropped at once, OAuth-looking entries are candidates,
and other HTML/JSON answers are kept only when the login's hosts or their content make them worth it."""

from __future__ import annotations

import base64

import pytest

from inspector.core.har.model import ExchangeKind
from inspector.core.har.reader import read_har
from inspector.core.har.triage import CANDIDATE, MAYBE, NOISE, quick_host, triage, worth_a_look
from tests.support.error_pages import SAMPLES
from tests.support.har import HarBuilder, form_post_page

IDP, CB = "https://idp.example", "https://app.example/cb"


def look(entry) -> int:
    return triage(entry["request"], entry.get("response"))


def test_images_scripts_styles_and_preflights_are_noise():
    har = HarBuilder()
    entries = [har.asset("https://cdn.example/a.png?v=3"), har.script("https://cdn.example/app.js?code_version=9"),
               har.script("https://cdn.example/app.css", mime="text/css"),
               har.entry("OPTIONS", f"{IDP}/token?code=x", status=204, mime=""),
               har.post("https://analytics.example/collect", json_body={"event": "view"}, status=204)]
    assert [look(entry) for entry in entries] == [NOISE] * 5


@pytest.mark.parametrize("url", [f"{IDP}/authorize?response_type=code", f"{CB}?state=s&code=c", f"{CB}#code=c",
                                 f"{IDP}/userinfo", f"{IDP}/.well-known/openid-configuration",
                                 f"{IDP}/token/introspection", f"{IDP}/oauth/revoke"])
def test_oauth_urls_are_candidates_whatever_their_answer(url):
    assert triage({"method": "GET", "url": url}, {"status": 200, "content": {"mimeType": "image/gif"}}) == CANDIDATE


@pytest.mark.parametrize("post_data", [
    {"mimeType": "application/x-www-form-urlencoded", "text": "grant_type=client_credentials"},
    {"mimeType": "application/x-www-form-urlencoded", "text": "x=1&client_id=tv&scope=openid"},
    {"mimeType": "application/json", "text": '{"token": "t", "token_type_hint": "access_token"}'},
    {"mimeType": "multipart/form-data; boundary=b", "text": '--b\r\nContent-Disposition: form-data; name="code"'},
    {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "response_type", "value": "code"}]},
    {"text": base64.b64encode(b"grant_type=refresh_token").decode(), "encoding": "base64"},
], ids=["form", "later field", "json", "multipart", "params only", "base64"])
def test_a_post_naming_an_oauth_parameter_in_its_body_is_a_candidate(post_data):
    request = {"method": "POST", "url": "https://x.example/endpoint", "postData": post_data}
    assert triage(request, {"status": 200, "content": {"mimeType": "text/plain"}}) == CANDIDATE


def test_a_post_of_other_fields_is_not_even_with_oauth_words_inside_values():
    request = {"method": "POST", "url": "https://x.example/api", "postData": {
        "mimeType": "application/x-www-form-urlencoded", "text": "message=send+the+code+and+token&zipcode=1"}}
    assert triage(request, {"status": 200, "content": {"mimeType": "text/plain"}}) == NOISE


def test_redirects_are_candidates_and_other_html_or_json_answers_are_maybes():
    har = HarBuilder()
    assert look(har.redirect("/next", url="https://app.example/x")) == CANDIDATE
    assert look(har.get("https://app.example/")) == MAYBE
    assert look(har.json("https://app.example/api/orders", {"items": []})) == MAYBE
    assert look(har.get("https://app.example/me", mime="Application/JWT")) == MAYBE


def test_a_maybe_is_worth_a_look_on_the_logins_hosts_or_with_a_callback_form_or_a_key_set():
    har = HarBuilder()
    page = har.get("https://app.example/", text="<html>plain</html>")
    assert not worth_a_look(page, set()) and worth_a_look(page, {"app.example"})
    assert worth_a_look(har.get("https://x.example/", text=form_post_page(CB, code="c", state="s")), set())
    assert worth_a_look(har.json("https://x.example/k", {"keys": []}), set())
    assert not worth_a_look(har.json("https://x.example/orders", {"items": []}), set())
    broken = har.get("https://x.example/", text="%%%")
    broken["response"]["content"]["encoding"] = "base64"
    assert not worth_a_look(broken, set())


def test_maybes_on_the_providers_host_or_a_discovered_endpoint_are_classified():
    har = HarBuilder()
    har.json(f"{IDP}/.well-known/openid-configuration", {"issuer": IDP, "userinfo_endpoint": "https://api.idp.example/me"})
    har.authorize(f"{IDP}/authorize", client_id="web", state="s1", status=400, page=SAMPLES["keycloak"].html)
    har.json("https://api.idp.example/me", {"sub": "alice"})
    assert [exchange.kind for exchange in read_har(har.dumps()).exchanges] == [
        ExchangeKind.DISCOVERY, ExchangeKind.AUTHORIZE, ExchangeKind.ERROR_PAGE, ExchangeKind.USERINFO]


@pytest.mark.parametrize("url, host", [("https://User:pw@IdP.Example:8443/a?b#c", "idp.example:8443"),
                                       ("http://idp.example?x=1", "idp.example"), ("/relative", ""), ("", "")])
def test_quick_host_reads_the_authority_alone(url, host):
    assert quick_host(url) == host
