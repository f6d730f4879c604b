"""HTML answers: form_post pages read as the browser would submit them, and providers' own error
pages recognised by the table, with the error they state, only on the provider's host."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.har.model import CallbackSource, ExchangeKind
from inspector.core.har.pages import MAX_WORDING, clean, error_page, form_post
from inspector.core.har.reader import read_har
from tests.support.error_pages import SAMPLES
from tests.support.har import HarBuilder, form_post_page, login_page

CB = "https://app.example/cb"


def test_a_form_post_page_gives_its_action_method_and_decoded_fields():
    page = form_post_page(CB, code="c&1", state="s\"1", iss="https://idp.example")
    posted = form_post(page)
    assert posted.action == CB and posted.method == "POST"
    assert posted.fields == {"code": ("c&1",), "state": ('s"1',), "iss": ("https://idp.example",)}


def test_the_form_with_the_callback_is_chosen_among_several():
    page = (f'<form action="/search"><input name="q" value="x"></form>'
            f"<FORM METHOD=post ACTION='{CB}'><INPUT TYPE=hidden NAME=error VALUE=login_required>"
            f"<input type=hidden name=state value=s1></FORM>")
    posted = form_post(page)
    assert posted.action == CB and posted.fields == {"error": ("login_required",), "state": ("s1",)}


@pytest.mark.parametrize("page", [login_page(), "<html><body><p>code: 42</p></body></html>", "",
                                  '<input name="code" value="outside any form">', "<![foo <form><input name=code>"])
def test_pages_without_a_form_carrying_a_callback_are_no_form_post(page):
    assert form_post(page) is None


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_providers_error_page_is_recognised_with_what_it_states(name):
    sample = SAMPLES[name]
    stated = error_page(sample.html)
    assert (stated.provider, stated.error, stated.description) == (sample.provider, sample.error, sample.description)


@pytest.mark.parametrize("page", [login_page(), form_post_page(CB, code="c", state="s"),
                                  "<html><body>We are glad you are here. Error handling docs.</body></html>",
                                  '<script>$Config={"strings":{"AADSTS50126":"Wrong password"}};</script>'])
def test_ordinary_pages_are_no_error_page(page):
    assert error_page(page) is None


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_an_error_page_on_the_providers_host_is_an_error_page_exchange(name):
    sample = SAMPLES[name]
    har = HarBuilder()
    har.authorize(sample.url, client_id="web", redirect_uri="https://evil.example/cb", state="s1",
                  status=sample.status, page=sample.html)
    authorize, page = read_har(har.dumps()).exchanges
    assert authorize.kind is ExchangeKind.AUTHORIZE and page.kind is ExchangeKind.ERROR_PAGE
    assert page.index == 0 and page.page_provider == sample.provider and page.response_text == sample.html
    assert page.callback_source is CallbackSource.ERROR_PAGE
    expected = {name: (value,) for name, value in (("error", sample.error), ("error_description", sample.description))
                if value}
    assert page.callback == expected


def test_an_error_page_states_in_its_url_what_the_page_does_not():
    sample = SAMPLES["auth0"]
    har = HarBuilder()
    har.authorize(sample.url, client_id="web", redirect_uri="https://evil.example/cb", state="s1",
                  location="https://tenant.auth0.com/error?client_id=web&error=unauthorized_client"
                           "&error_description=Callback%20URL%20mismatch.")
    har.get("https://tenant.auth0.com/error?client_id=web&error=unauthorized_client"
            "&error_description=Callback%20URL%20mismatch.", status=400, text=sample.html)
    page = read_har(har.dumps()).of_kind(ExchangeKind.ERROR_PAGE)[0]
    assert page.callback == {"error": ("unauthorized_client",), "error_description": ("Callback URL mismatch.",)}


def test_the_same_page_off_the_providers_host_is_not_an_error_page():
    har = HarBuilder()
    har.authorize("https://idp.example/authorize", client_id="web", state="s1")
    har.get("https://blog.example/keycloak-errors", text=SAMPLES["keycloak"].html)
    assert [exchange.kind for exchange in read_har(har.dumps()).exchanges] == [ExchangeKind.AUTHORIZE]


def test_a_discovery_documents_authorization_endpoint_makes_its_host_the_providers():
    har = HarBuilder()
    har.json("https://op.example/.well-known/openid-configuration",
             {"issuer": "https://op.example", "authorization_endpoint": "https://login.op.example/auth"})
    har.get("https://login.op.example/error", status=400, text=SAMPLES["oidc-provider"].html)
    assert read_har(har.dumps()).exchanges[-1].page_provider == "oidc-provider"


def test_cleaning_decodes_entities_and_script_escapes_and_caps_the_length():
    assert clean("<b>It\\u0027s</b>  &amp;\n <i>done\\x21</i> \\ud800") == "It's & done! \ufffd"
    assert len(clean("x" * 10_000)) == MAX_WORDING


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' \\&#;!-[]abcdeinoprstuxAEGHIKLNORS0123456789.:\n")),
               max_size=300))
def test_hostile_html_never_breaks_the_page_readers(page):
    form_post(page)
    error_page(page)
    clean(page)
