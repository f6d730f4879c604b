"""Masking for display, logs and recorded exchanges: secrets never show, tokens only abbreviated
unless the user asks for them."""

import base64

import pytest

from inspector.core.redact import (
    MASK, MIN_ECHO, SCRIPT_TOKENS, SECRET_NAMES, Redactor, SentValues, abbreviate, is_masked, redact_mapping, redact_text,
    redact_url, redact_value,
)

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


def test_secrets_and_tokens_are_masked_by_name_at_any_depth():
    echoed = {"debug": [{"received": {"Client_Secret": "s3cr3t-value", "refresh_token": TOKEN,
                                      "authorization": {"scheme": "Basic", "value": "d2ViOnM="}}}],
              "expires_in": 300}
    assert redact_mapping(echoed) == {"debug": [{"received": {"Client_Secret": MASK, "refresh_token": abbreviate(TOKEN),
                                                              "authorization": MASK}}], "expires_in": 300}
    assert redact_mapping(echoed, show_tokens=True)["debug"][0]["received"]["refresh_token"] == TOKEN


def test_only_the_named_tokens_are_shown_in_full():
    response = {"access_token": TOKEN, "id_token": TOKEN, "refresh_token": TOKEN}
    assert redact_mapping(response, show_tokens=SCRIPT_TOKENS) == {
        "access_token": TOKEN, "id_token": TOKEN, "refresh_token": abbreviate(TOKEN)}


def test_basic_credentials_sent_are_masked_decoded_encoded_and_alone_wherever_they_come_back():
    sent = SentValues()
    sent.add_request([], [("Authorization", "Basic " + base64.b64encode(b"web:p%40ss+word-42").decode())])
    redactor = Redactor.of(sent)
    encoded = base64.b64encode(b"web:p%40ss+word-42").decode()
    for echo in ("web:p%40ss+word-42", "web:p@ss word-42", encoded, "p@ss word-42", "p%40ss+word-42"):
        assert redactor.text(f"got [{echo}]") == f"got [{MASK}]"
    assert redactor.value({"a": [f"x {encoded}"], "key web:p@ss word-42": 1}) == {"a": [f"x {MASK}"], f"key {MASK}": 1}


def test_form_values_sent_are_masked_as_sent_and_percent_encoded():
    sent = SentValues()
    sent.add_request([("client_secret", "a/b+c d=e-long"), ("code_verifier", "v" * 43), ("scope", "openid email")], [])
    redactor = Redactor.of(sent)
    assert redactor.text("client_secret=a%2Fb%2Bc+d%3De-long&v=" + "v" * 43) == f"client_secret={MASK}&v={MASK}"
    assert redactor.text("scope openid email") == "scope openid email"  # not a secret


def test_a_sent_token_comes_back_abbreviated_unless_its_kind_is_shown():
    sent = SentValues()
    sent.add_request([("refresh_token", TOKEN)], [("Authorization", "Bearer at-" + "a" * 30)])
    assert Redactor.of(sent).text(f"revoked {TOKEN}") == f"revoked {abbreviate(TOKEN)}"
    assert Redactor.of(sent, SCRIPT_TOKENS).text(f"revoked {TOKEN}") == f"revoked {abbreviate(TOKEN)}"
    assert Redactor.of(sent, True).text(f"revoked {TOKEN}") == f"revoked {TOKEN}"
    assert Redactor.of(sent, SCRIPT_TOKENS).text("at-" + "a" * 30) == "at-" + "a" * 30


def test_short_sent_values_are_masked_by_name_only():
    sent = SentValues()
    sent.add_request([("client_secret", "s"), ("refresh_token", "rt")], [])
    assert Redactor.of(sent).text("status: success, rt ok") == "status: success, rt ok"
    sent.add_secret("x" * MIN_ECHO)
    assert Redactor.of(sent).text("x" * MIN_ECHO) == MASK


def test_urls_in_text_lose_their_password_and_secret_parameters():
    text = "see https://svc:pw-123@op.example/t?client_secret=q&x=1, then retry"
    assert Redactor().text(text) == f"see https://svc:{MASK}@op.example/t?client_secret={MASK}&x=1, then retry"


def test_abbreviating_twice_changes_nothing():
    once = abbreviate(TOKEN)
    assert abbreviate(once) == once and abbreviate(MASK) == MASK


def test_masks_and_abbreviations_are_told_from_usable_values():
    assert is_masked(MASK) and is_masked(abbreviate(TOKEN)) and is_masked("rt-rrr…(43 chars)")
    assert not is_masked(TOKEN) and not is_masked("…(3 chars) and more") and not is_masked("")


def test_redact_text_cleans_free_text_of_tokens_credentials_and_url_passwords():
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz"
    text = redact_text(f"bad {jwt}; Authorization: Basic d2ViOnNlY3JldA==; https://u:pw-1@h/x; basic auth")
    assert jwt not in text and "d2ViOnNlY3JldA" not in text and "pw-1" not in text
    assert f"Basic {MASK}" in text and f"u:{MASK}@h" in text and "basic auth" in text


def test_a_structure_nested_past_the_walk_depth_is_replaced_whole_not_a_recursion_error():
    from inspector.core.redact import MAX_DEPTH, TOO_DEEP, Redactor

    deep: object = {"client_secret": "s3cr3t-value-123"}
    for _ in range(2000):
        deep = {"a": [deep]}
    shown = Redactor(frozenset()).value(deep)
    text = repr(shown)
    assert TOO_DEEP in text and "s3cr3t-value-123" not in text
    assert text.count("'a'") == MAX_DEPTH // 2


def test_a_jwt_bearer_assertion_is_a_secret_by_name_and_by_value():
    assertion = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    sent = SentValues()
    sent.add_request([("assertion", assertion)], [])
    redactor = Redactor.of(sent, True)
    assert redactor.value({"assertion": assertion, "echo": f"bad {assertion}"}) == {"assertion": MASK,
                                                                                   "echo": f"bad {MASK}"}
