"""Masking for display, logs and recorded exchanges: secrets never show, tokens only abbreviated
unless the user asks for them."""

import pytest

from inspector.core.redact import MASK, SECRET_NAMES, abbreviate, redact_mapping, redact_url, redact_value

TOKEN = "eyJhbGciOiJSUzI1NiJ9." + "x" * 800


@pytest.mark.parametrize("name", sorted(SECRET_NAMES) + ["Authorization", "CLIENT_SECRET", "Set-Cookie"])
def test_secrets_are_masked_whatever_the_case_even_when_tokens_are_shown(name):
    assert redact_value(name, "Basic c3ZjOnMz-secret", show_tokens=True) == MASK


@pytest.mark.parametrize("name", ["access_token", "refresh_token", "id_token", "device_code", "code", "Refresh_Token"])
def test_tokens_are_abbreviated_by_default_and_whole_on_request(name):
    shown = redact_value(name, TOKEN)
    assert shown == f"eyJhbG…({len(TOKEN)} chars)" and TOKEN[6:20] not in shown
    assert redact_value(name, TOKEN, show_tokens=True) == TOKEN


def test_a_short_token_is_masked_entirely_since_half_of_it_would_be_most_of_it():
    assert abbreviate("abcdef123456") == MASK
    assert abbreviate("abcdef1234567") == "abcdef…(13 chars)"


def test_other_values_pass_through():
    assert redact_value("scope", "openid email") == "openid email"


def test_a_mapping_is_copied_with_only_string_secrets_and_tokens_changed():
    original = {"client_secret": "s3cr3t", "refresh_token": TOKEN, "expires_in": 300, "token_type": "Bearer"}
    redacted = redact_mapping(original)
    assert redacted == {"client_secret": MASK, "refresh_token": abbreviate(TOKEN), "expires_in": 300,
                        "token_type": "Bearer"}
    assert original["client_secret"] == "s3cr3t"


@pytest.mark.parametrize("url, shown", [
    ("https://user:pw@op.example/x", f"https://user:{MASK}@op.example/x"),
    ("https://op.example/t?client_secret=s&scope=a", f"https://op.example/t?client_secret={MASK}&scope=a"),
    ("https://op.example/t?Client_Secret=s", f"https://op.example/t?Client_Secret={MASK}"),
    ("https://user@op.example/x?a=1&b", "https://user@op.example/x?a=1&b"),
    ("https://op.example/authorize?state=abc&code_challenge=xyz", "https://op.example/authorize?state=abc&code_challenge=xyz"),
    ("http://[::1", "http://[::1"),
])
def test_urls_lose_their_password_and_secret_parameters_only(url, shown):
    assert redact_url(url) == shown
