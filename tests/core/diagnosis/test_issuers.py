"""Naming how two issuers differ: the difference is most of the fix."""

import pytest

from inspector.core.diagnosis.issuers import issuer_difference

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OTHER = "0b5d2a6c-2c4e-4a1e-8f3b-6d7e8f9a0b1c"


@pytest.mark.parametrize("actual, expected, kind, phrase", [
    ("https://a.example/", "https://a.example", "trailing_slash", "a trailing slash"),
    ("http://a.example", "https://a.example", "scheme", "the scheme (http instead of https)"),
    ("https://A.example", "https://a.example", "case", "letter case"),
    ("https://a.example:8443", "https://a.example", "port", "the port (8443 instead of default)"),
    ("https://dev.a.example", "https://a.example", "host", "the host ('dev.a.example' instead of 'a.example')"),
    ("https://kc.example/realms/dev", "https://kc.example/realms/prod", "path", "the realm in the path"),
    ("https://kc.example/auth/realms/dev", "https://kc.example/auth/realms/prod", "path", "the realm"),
    (f"https://login.microsoftonline.com/{OTHER}/v2.0", f"https://login.microsoftonline.com/{TENANT}/v2.0", "path",
     "the tenant in the path"),
    ("https://dev-1.okta.com/oauth2/aus1", "https://dev-1.okta.com/oauth2/default", "path",
     "the authorization server in the path"),
    ("https://dev-1.okta.com", "https://dev-1.okta.com/oauth2/default", "path", "goes further than"),
    (f"https://sts.windows.net/{TENANT}/", f"https://login.microsoftonline.com/{TENANT}/v2.0", "entra_version",
     "an Entra v1.0 token where v2.0 is expected"),
])
def test_each_difference_is_named(actual, expected, kind, phrase):
    difference = issuer_difference(actual, expected)
    assert difference.kind == kind and phrase in difference.phrase


def test_a_host_difference_is_not_the_same_host():
    assert not issuer_difference("https://a.example", "https://b.example").same_host
    assert issuer_difference("https://a.example/", "https://a.example").same_host


def test_urls_that_do_not_parse_are_still_compared():
    assert issuer_difference("http://[::1", "https://a.example").kind == "host"
