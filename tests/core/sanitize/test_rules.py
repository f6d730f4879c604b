"""The table of names: one name whatever its case and separators, and the keywords that decide
whether text is searched cover every name text carries (the few left out are documented)."""

import re

import pytest

from inspector.core.sanitize import rules


@pytest.mark.parametrize("written", ["access_token", "accessToken", "Access-Token", "ACCESSTOKEN"])
def test_a_name_whatever_its_case_and_separators(written):
    assert rules.kind_of(written) == rules.TOKEN and rules.label_of(written) == "access_token"


def test_kinds():
    assert rules.kind_of("code_verifier") == rules.VERIFIER and rules.kind_of("SAMLResponse") == rules.SAML
    assert rules.kind_of("client_secret") == rules.SECRET and rules.kind_of("state") is None
    assert rules.kind_of(3) is None and rules.kind_of("x" * 100) is None


def test_personal_names_only_when_asked():
    assert rules.kind_of("email") is None and rules.kind_of("given_name", personal=True) == rules.PERSONAL_KIND
    assert rules.kind_of("preferredUsername", personal=True) == rules.PERSONAL_KIND


def test_every_secret_name_text_carries_has_a_keyword_but_the_documented_few():
    without = {name for name in rules.SECRETS if not any(word in name for word in rules.KEYWORDS)}
    assert without == {"assertion", "client_assertion", "private_key", "api_key", "apikey"}
    assert all(any(word in name for word in rules.PERSONAL_KEYWORDS) for name in rules.PERSONAL)


def test_the_pattern_of_names_matches_their_spellings():
    pattern = re.compile(rf"^(?:{rules.pattern_of({'id_token_hint': 't'})})$", re.IGNORECASE)
    assert all(pattern.match(text) for text in ("id_token_hint", "idTokenHint", "id-token-hint"))
    assert not pattern.match("id_token")


def test_header_kinds():
    assert rules.header_kind("X-API-Key") == rules.SECRET and rules.header_kind("accept") is None
