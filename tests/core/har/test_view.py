"""One candidate entry read once: how endpoints compare, where a redirect goes, what a missing answer is."""

from __future__ import annotations

import pytest

from inspector.core.har.view import EntryView, endpoint_of


def view(url: str = "https://idp.example/authorize", response=None, method: str = "get") -> EntryView:
    entry = {"request": {"url": url, "method": method}}
    if response is not None:
        entry["response"] = response
    return EntryView(0, entry, raw_params=False)


@pytest.mark.parametrize("url, endpoint", [
    ("HTTPS://IdP.Example:8443/Token?x=1#f", "https://idp.example:8443/Token"),   # the path keeps its case
    ("https://user:pw@idp.example/token", "https://idp.example/token"),
    ("https://[::1/token", ""),
])
def test_endpoints_compare_by_scheme_host_port_and_path(url, endpoint):
    assert endpoint_of(url) == endpoint


def test_a_location_counts_only_on_a_redirect_and_redirect_url_always():
    redirect = {"status": 302, "headers": [{"name": "location", "value": "/next"}], "redirectURL": ""}
    assert view(response=redirect).location == "https://idp.example/next"
    ok_with_header = {"status": 200, "headers": [{"name": "Location", "value": "/next"}]}
    assert view(response=ok_with_header).location is None
    assert view(response={"status": 0, "redirectURL": "https://app.example/cb"}).location == "https://app.example/cb"


@pytest.mark.parametrize("response", [None, "junk", {"status": "200"}, {"status": True}, {"status": -1}, {}])
def test_no_usable_answer_is_status_zero_with_no_headers_or_body(response):
    entry = view(response=response)
    assert (entry.status, entry.response_headers, entry.text, entry.json, entry.location) == (0, (), None, None, None)


def test_the_method_is_upper_case_and_the_host_has_no_userinfo():
    entry = view("https://u:p@IDP.example:444/x", method="post")
    assert (entry.method, entry.host, entry.path) == ("POST", "idp.example:444", "/x")
    assert view("https://[::1/x").host == "" and view("https://[::1/x").query == {}
