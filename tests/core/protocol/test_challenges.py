"""A protected resource's refusal in plain words: RFC 6750 §3.1 and RFC 9449 §7.1/§9 error codes,
the scope needed against the token's, the scheme the API wants against the one sent."""

import pytest

from inspector.core.protocol.challenges import (CHALLENGE_ERRORS, INVALID_TOKEN_CAUSES, TokenFacts,
                                                challenge_findings, read_challenges)
from inspector.core.protocol.www_authenticate import parse_header

BEARER = TokenFacts("Bearer")
NOW = 1_700_000_000


def findings(status, header, facts=BEARER, **kwargs):
    return challenge_findings(status, parse_header(header), facts, now=NOW, **kwargs)


def codes(found):
    return [finding.code for finding in found]


@pytest.mark.parametrize("code", ["invalid_request", "invalid_token", "insufficient_scope", "invalid_dpop_proof",
                                  "use_dpop_nonce"])
def test_every_standard_code_has_a_cause_a_next_step_and_its_rfc(code):
    meaning = CHALLENGE_ERRORS[code]
    assert meaning.cause and meaning.advice.text.endswith(".") and meaning.source.startswith("RFC ")


def test_invalid_token_quotes_the_description_and_says_what_it_shows():
    [finding] = findings(401, 'Bearer error="invalid_token", error_description="The access token expired"')
    assert finding.code == "invalid_token" and finding.severity.value == "error"
    assert "'The access token expired'" in finding.message and "the token has expired" in finding.message


@pytest.mark.parametrize(("description", "cause"), [
    ("Token has been revoked", "revoked"),
    ("aud claim mismatch", "another API"),
    ("Signature verification failed", "signature"),
    ("untrusted iss", "issuer"),
    ("could not parse token", "malformed"),
])
def test_invalid_token_descriptions_are_read_for_their_cause(description, cause):
    [finding] = findings(401, f'Bearer error="invalid_token", error_description="{description}"')
    assert cause in finding.message.split("Its description says", 1)[1]


def test_a_description_word_inside_another_word_tells_nothing():
    [finding] = findings(401, 'Bearer error="invalid_token", error_description="bad exponent"')
    assert "Its description says" not in finding.message


def test_every_cause_word_list_is_lower_case():
    assert all(word == word.lower() for words, _ in INVALID_TOKEN_CAUSES for word in words)


def test_an_expired_jwt_says_how_long_ago_from_its_own_exp():
    facts = TokenFacts.of("Bearer", {"exp": NOW - 7200})
    [finding] = findings(401, 'Bearer error="invalid_token"', facts)
    assert "expired 2 hours ago" in finding.message


def test_insufficient_scope_names_the_scope_needed_and_the_one_missing():
    facts = TokenFacts.of("Bearer", {"scope": "openid read"})
    [finding] = findings(403, 'Bearer error="insufficient_scope", scope="read write"', facts)
    assert finding.code == "insufficient_scope" and finding.claim == "scope"
    assert "needs the scope 'read write'" in finding.message and "missing: 'write'" in finding.message
    assert "'openid read'" in finding.message


def test_insufficient_scope_of_an_opaque_token_names_what_is_needed():
    [finding] = findings(403, 'Bearer error="insufficient_scope", scope="admin"')
    assert "needs the scope 'admin'" in finding.message and "missing" not in finding.message


def test_scp_lists_count_as_the_token_scopes():
    assert TokenFacts.of("Bearer", {"scp": ["a", "b", 3]}).scope == {"a", "b"}


def test_use_dpop_nonce_gives_the_nonce_the_api_sent():
    [finding] = findings(401, 'DPoP error="use_dpop_nonce"', TokenFacts("DPoP"), dpop_nonce="n-1")
    assert finding.code == "use_dpop_nonce" and "'n-1'" in finding.message


def test_dpop_algs_are_listed():
    found = findings(401, 'DPoP algs="ES256 PS256", error="invalid_dpop_proof", error_description="bad htu"',
                     TokenFacts("DPoP"))
    assert codes(found) == ["invalid_dpop_proof", "dpop_algs"] and "ES256, PS256" in found[1].message
    assert "'bad htu'" in found[0].message


def test_a_bearer_token_to_an_api_that_only_offers_dpop():
    found = findings(401, 'DPoP algs="ES256"')
    assert codes(found) == ["dpop_algs", "dpop_required"] and "This token is DPoP-bound" not in found[1].message


def test_a_dpop_bound_token_used_as_bearer_says_so():
    facts = TokenFacts.of("Bearer", {"cnf": {"jkt": "abc"}})
    found = challenge_findings(401, parse_header("DPoP"), facts)
    assert codes(found) == ["dpop_required"] and "This token is DPoP-bound" in found[0].message
    [invalid] = findings(401, 'Bearer error="invalid_token", error_description="DPoP-bound token used as Bearer", '
                         "DPoP", facts)
    assert "sent as Bearer" in invalid.message and "bound to a DPoP key" in invalid.message


def test_a_dpop_token_to_an_api_that_only_offers_bearer():
    [finding] = findings(401, 'Bearer realm="api"', TokenFacts("DPoP"))
    assert finding.code == "bearer_required"


def test_a_401_without_any_challenge():
    [finding] = challenge_findings(401, [], BEARER)
    assert finding.code == "no_challenge" and "WWW-Authenticate" in finding.message


def test_a_401_challenge_without_an_error_to_a_token_says_it_was_not_accepted():
    [finding] = findings(401, 'Bearer realm="api"')
    assert finding.code == "token_refused"


def test_no_token_sent_to_an_api_that_wants_one():
    [finding] = findings(401, 'Bearer realm="api"', TokenFacts())
    assert finding.code == "no_token"


@pytest.mark.parametrize(("header", "words"), [("Basic realm=\"corp\"", "user name and password"),
                                              ("Negotiate", "Kerberos"), ("Custom-Scheme", "Custom-Scheme")])
def test_another_kind_of_credentials(header, words):
    [finding] = findings(401, header)
    assert finding.code == "other_credentials" and words.lower() in finding.message.lower()


def test_a_403_without_an_oauth_error_is_the_api_own_rule():
    assert codes(challenge_findings(403, [], BEARER)) == ["forbidden"]


def test_an_unknown_error_code_is_reported_as_it_came():
    [finding] = findings(401, 'Bearer error="token_too_old"')
    assert finding.code == "token_too_old" and "do not define" in finding.message


def test_a_success_with_a_challenge_says_nothing_about_schemes():
    assert findings(200, 'Basic realm="x"') == []


def test_a_malformed_field_is_a_warning_and_the_others_are_still_read():
    challenges, problems = read_challenges(['Bearer realm="open', 'Bearer error="invalid_token"'])
    assert codes(problems) == ["malformed_challenge"] and "not closed" in problems[0].message
    assert [challenge.params["error"] for challenge in challenges] == ["invalid_token"]
