"""htu: without query and fragment, normalised as the request line shows it; compared as servers do."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector.core.jose.dpop_htu import normalise_htu, origin_of, same_htu


@pytest.mark.parametrize("url, htu", [
    ("https://server.example.com/token", "https://server.example.com/token"),
    ("https://Server.Example.COM/token?x=1#frag", "https://server.example.com/token"),
    ("HTTPS://example.com:443/a", "https://example.com/a"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com?only=query", "https://example.com/"),
    ("https://example.com/a/./b/../c", "https://example.com/a/c"),
    ("https://user:password@example.com/token", "https://example.com/token"),
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ("https://example.com/%7euser/A%2fb", "https://example.com/%7euser/A%2fb"),
])
def test_normalise_htu(url, htu):
    assert normalise_htu(url) == htu


def test_the_userinfo_password_never_reaches_a_proof():
    assert "password" not in normalise_htu("https://client:password@op.example/token")


@pytest.mark.parametrize("url", ["/token", "ftp://example.com/x", "https://example.com:99999/x", "mailto:a@b"])
def test_not_an_absolute_http_url_is_a_value_error(url):
    with pytest.raises(ValueError):
        normalise_htu(url)


def test_normalise_htu_agrees_with_the_request_httpx_sends():
    import httpx

    for url in ("https://EXAMPLE.com:443/a/./b/../c?x#f", "http://example.com:80", "https://u:p@ex.com/%7e/a%2F"):
        request = httpx.Request("GET", url)
        target = request.url.raw_path.decode().partition("?")[0]
        assert normalise_htu(url) == f"{request.url.scheme}://{request.headers['host']}{target}"


def test_dot_segments_are_removed_as_rfc3986_says():
    assert normalise_htu("https://ex.com/a/b/c/./../../g") == "https://ex.com/a/g"
    assert normalise_htu("https://ex.com/a/b/..") == "https://ex.com/a/"
    assert normalise_htu("https://ex.com/../../x") == "https://ex.com/x"


@pytest.mark.parametrize("claim, url", [
    ("https://example.com/token", "https://EXAMPLE.com:443/token?code=1"),
    ("https://example.com/%7Euser", "https://example.com/~user"),
    ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
    ("https://example.com/a/b", "https://example.com/a/x/../b"),
])
def test_same_htu_normalises_both_sides(claim, url):
    assert same_htu(claim, url)


@pytest.mark.parametrize("claim, url", [
    ("https://example.com/token", "http://example.com/token"),
    ("https://example.com/token", "https://example.com/token/"),
    ("https://example.com/a%2Fb", "https://example.com/a/b"),
    ("not a url", "https://example.com/"),
])
def test_same_htu_tells_different_uris_apart(claim, url):
    assert not same_htu(claim, url)


def test_origin_of_is_per_server():
    assert origin_of("https://OP.example:443/token?x") == origin_of("https://op.example/par") == "https://op.example"
    assert origin_of("https://op.example:8443/token") == "https://op.example:8443"


@given(st.text(max_size=60))
def test_normalise_htu_only_ever_raises_value_error(text):
    try:
        result = normalise_htu(text)
    except ValueError:
        return
    assert "?" not in result and "#" not in result and "@" not in result.split("/")[2]
