import pytest

from inspector.core.protocol.token_types import TOKEN_TYPES, token_type_name, token_type_urn


@pytest.mark.parametrize("short", list(TOKEN_TYPES))
def test_each_short_name_of_rfc_8693_maps_to_its_urn_and_back_to_words(short):
    urn = token_type_urn(short)
    assert urn == f"urn:ietf:params:oauth:token-type:{short}"
    assert token_type_urn(short.upper()) == urn and token_type_urn(urn) == urn
    assert token_type_name(urn) == TOKEN_TYPES[short][1]


def test_other_uris_pass_through_and_plain_words_are_refused():
    assert token_type_urn("https://example.com/token-types/custom") == "https://example.com/token-types/custom"
    assert token_type_name("urn:example:custom") == "urn:example:custom"
    assert token_type_urn("accesstoken") is None and token_type_urn("a b:c") is None
