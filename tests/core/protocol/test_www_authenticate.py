"""Parsing WWW-Authenticate (RFC 9110 §11.6.1, §11.2): several challenges per field and over
several fields, quoted strings with escapes, token68, case-insensitive schemes and names."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.errors import ProtocolError
from inspector.core.protocol.www_authenticate import MALFORMED, Challenge, parse_challenges, parse_header
from tests.support.fuzz import any_bytes, any_text


def test_the_rfc_9110_example_two_challenges_in_one_field_with_an_escaped_quote():
    header = 'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"'
    assert parse_header(header) == [
        Challenge("Newauth", {"realm": "apps", "type": "1", "title": 'Login to "apps"'}),
        Challenge("Basic", {"realm": "simple"}),
    ]


def test_the_rfc_6750_example_error_with_description():
    header = 'Bearer realm="example", error="invalid_token", error_description="The access token expired"'
    [challenge] = parse_header(header)
    assert challenge.is_scheme("bearer") and challenge.params["error_description"] == "The access token expired"


def test_the_rfc_9449_example_dpop_and_bearer_in_one_field():
    [dpop, bearer] = parse_header('DPoP algs="ES256 PS256", error="use_dpop_nonce", Bearer realm="api"')
    assert dpop.params == {"algs": "ES256 PS256", "error": "use_dpop_nonce"} and bearer.params == {"realm": "api"}


def test_challenges_over_several_fields_keep_their_order():
    challenges = parse_challenges(['Basic realm="a"', "Negotiate", 'Bearer error="invalid_token"'])
    assert [challenge.scheme for challenge in challenges] == ["Basic", "Negotiate", "Bearer"]


def test_schemes_and_parameter_names_are_case_insensitive_values_are_not():
    [challenge] = parse_header('BEARER Error="Invalid_Token"')
    assert challenge.is_scheme("Bearer") and challenge.params == {"error": "Invalid_Token"}


def test_a_token68_challenge_and_one_that_ends_in_padding():
    assert parse_header("Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnagMDAu==, Basic abc=") == [
        Challenge("Negotiate", token68="YIIGhgYGKwYBBQUCoIIGejCCBnagMDAu=="), Challenge("Basic", token68="abc=")]


def test_a_scheme_without_parameters_and_empty_list_elements():
    assert parse_header(" , Bearer ,, Basic realm = \"x\" ,") == [Challenge("Bearer"), Challenge("Basic", {"realm": "x"})]


def test_an_empty_field_has_no_challenge():
    assert parse_header("") == [] and parse_header(" , ") == []


def test_token_values_need_no_quotes():
    [challenge] = parse_header("Bearer error=invalid_token, scope=read")
    assert challenge.params == {"error": "invalid_token", "scope": "read"}


@pytest.mark.parametrize(("header", "where"), [
    ('Bearer realm="open', "not closed"),
    ("Bearer a=1, a=2", "appears twice"),
    ("Bearer abc def", "expected name=value"),
    ('Bearer realm="a" Basic', "expected a comma"),
    ("=x", "expected an authentication scheme"),
    ('Bearer realm="\x01"', "in a quoted string"),
    ('Bearer realm="a\\\x01"', "escapes nothing"),
    ("Bearer=x", "not followed by a space"),
    ('Bearer realm="a", error=,', "not followed by a space"),
])
def test_malformed_fields_say_what_is_wrong_and_where(header, where):
    with pytest.raises(ProtocolError) as caught:
        parse_header(header)
    assert caught.value.code == MALFORMED and where in caught.value.message


# --- properties --------------------------------------------------------------------------------

_tokens = st.text(alphabet="!#$%&'*+-.^_`|~abcXYZ019", min_size=1, max_size=8)
_values = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x17F, exclude_characters="\x7f"),
                  max_size=12)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_challenges = st.builds(
    lambda scheme, params: Challenge(scheme, {name.lower(): value for name, value in params.items()}),
    _tokens, st.dictionaries(_tokens.map(str.lower), _values, max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.lists(_challenges, max_size=4), st.sampled_from([", ", ",", " ,  "]))
def test_any_challenge_list_written_by_the_grammar_reads_back_the_same(challenges, comma):
    text = comma.join(f"{c.scheme} " + comma.join(f"{name}={_quote(value)}" for name, value in c.params.items())
                      if c.params else c.scheme for c in challenges)
    assert parse_header(text) == challenges


@settings(max_examples=500, deadline=None)
@given(any_text | any_bytes | st.text(alphabet=' ,="\\=abBearerDPoP\t', max_size=60))
def test_the_parser_never_raises_anything_but_its_own_error(text):
    try:
        challenges = parse_header(text)
    except ProtocolError as exc:
        assert exc.code == MALFORMED and exc.message
        return
    assert all(isinstance(challenge, Challenge) and challenge.scheme for challenge in challenges)
