"""Claim checks: time claims, iss/aud, the OpenID Connect ID token rules, at_hash/c_hash."""

import hashlib

import pytest

from inspector.core.jose.b64 import b64url_encode
from inspector.core.jose.claim_checks import check_claims, left_half_hash
from inspector.core.jose.verify import Expectations

NOW = 1_800_000_000
BASE = {"iss": "https://issuer.example", "sub": "alice", "aud": "web-app", "iat": NOW - 60, "exp": NOW + 600}
# OpenID Connect Core 1.0 Appendix A.4 / A.6 examples (RS256).
OIDC_ACCESS_TOKEN, OIDC_AT_HASH = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "77QmUPtjPfzWtF2AnpK9RQ"
OIDC_CODE, OIDC_C_HASH = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk", "LDktKdoQak3Pk0cnXxCltA"


def found(claims, alg="RS256", now=NOW, **expect):
    return [(f.code, f.severity.value, f.claim) for f in check_claims(claims, Expectations(**expect), now, alg)]


def test_a_good_token_has_no_findings():
    assert found(BASE) == []


@pytest.mark.parametrize(
    ("exp", "leeway", "expired"),
    [(NOW, 0, True), (NOW - 1, 0, True), (NOW + 1, 0, False), (NOW - 30, 30, True), (NOW - 29, 30, False)],
)
def test_exp_equal_to_now_is_expired_and_leeway_applies(exp, leeway, expired):
    result = found({**BASE, "exp": exp}, leeway=leeway)
    assert (result == [("expired", "error", "exp")]) is expired and (result == []) is not expired


@pytest.mark.parametrize(
    ("nbf", "leeway", "early"),
    [(NOW, 0, False), (NOW + 1, 0, True), (NOW + 30, 30, False), (NOW + 31, 30, True)],
)
def test_nbf_equal_to_now_is_valid_and_leeway_applies(nbf, leeway, early):
    assert (found({**BASE, "nbf": nbf}, leeway=leeway) == [("not_yet_valid", "error", "nbf")]) is early


@pytest.mark.parametrize(("iat", "leeway", "future"), [(NOW, 0, False), (NOW + 1, 0, True), (NOW + 10, 10, False)])
def test_iat_in_the_future_and_leeway(iat, leeway, future):
    assert (found({**BASE, "iat": iat}, leeway=leeway) == [("issued_in_future", "error", "iat")]) is future


def test_expired_message_is_plain():
    (finding,) = check_claims({**BASE, "exp": NOW - 180}, Expectations(), NOW, "RS256")
    assert finding.message == "The token expired 3 minutes ago."


@pytest.mark.parametrize("name", ["exp", "nbf", "iat", "auth_time"])
@pytest.mark.parametrize("value", ["1800000000", True, None, [1], {"t": 1}, float("inf")])
def test_time_claims_must_be_numbers(name, value):
    assert found({**BASE, name: value}) == [("bad_claim_type", "error", name)]


@pytest.mark.parametrize(("name", "value"), [("iss", 1), ("sub", ["a"]), ("azp", None), ("nonce", 5),
                                             ("aud", 7), ("aud", ["a", 1]), ("at_hash", {}), ("jti", 1)])
def test_string_claims_must_be_strings(name, value):
    assert ("bad_claim_type", "error", name) in found({**BASE, name: value})


def test_issuer():
    assert found(BASE, issuer="https://issuer.example") == []
    assert found(BASE, issuer="https://issuer.example/") == [("iss_mismatch", "error", "iss")]
    assert found({k: v for k, v in BASE.items() if k != "iss"}, issuer="x") == [("missing_claim", "error", "iss")]


def test_audiences_are_alternatives():
    assert found({**BASE, "aud": ["a", "b"]}, audiences=("x", "b")) == []
    assert found({**BASE, "aud": "a"}, audiences=("x", "y")) == [("aud_mismatch", "error", "aud")]
    assert found({k: v for k, v in BASE.items() if k != "aud"}, audiences=("x",)) == [("missing_claim", "error", "aud")]


def test_audience_not_checked_unless_asked():
    assert found({**BASE, "aud": "someone-else"}) == []


def test_client_id_rules_of_oidc_core_3_1_3_7():
    assert found(BASE, client_id="web-app") == []
    assert found(BASE, client_id="other") == [("aud_mismatch", "error", "aud")]
    several = {**BASE, "aud": ["web-app", "api"]}
    assert found(several, client_id="web-app") == [("missing_claim", "error", "azp")]
    assert found({**several, "azp": "web-app"}, client_id="web-app") == []
    assert found({**several, "azp": "evil"}, client_id="web-app") == [("azp_mismatch", "error", "azp")]
    assert found({**BASE, "azp": "evil"}, client_id="web-app") == [("azp_mismatch", "error", "azp")]


def test_client_id_requires_the_id_token_claims():
    result = found({"aud": "web-app"}, client_id="web-app")
    assert sorted(claim for _, _, claim in result) == ["exp", "iat", "iss", "sub"]
    assert {code for code, _, _ in result} == {"missing_claim"}


def test_nonce():
    assert found({**BASE, "nonce": "n-0S6"}, nonce="n-0S6") == []
    assert found({**BASE, "nonce": "n-0S6"}, nonce="other") == [("nonce_mismatch", "error", "nonce")]
    assert found(BASE, nonce="n-0S6") == [("missing_claim", "error", "nonce")]


def test_at_hash_and_c_hash_match_the_oidc_core_examples():
    assert left_half_hash(OIDC_ACCESS_TOKEN, "RS256") == OIDC_AT_HASH
    assert left_half_hash(OIDC_CODE, "RS256") == OIDC_C_HASH
    claims = {**BASE, "at_hash": OIDC_AT_HASH, "c_hash": OIDC_C_HASH}
    assert found(claims, access_token=OIDC_ACCESS_TOKEN, code=OIDC_CODE) == []


def test_at_hash_and_c_hash_mismatch():
    claims = {**BASE, "at_hash": OIDC_AT_HASH, "c_hash": OIDC_C_HASH}
    assert found(claims, access_token="another", code="another") == [
        ("at_hash_mismatch", "error", "at_hash"), ("c_hash_mismatch", "error", "c_hash")]


def test_absent_at_hash_in_the_code_flow_is_a_note_not_a_warning():
    """OIDC Core §3.1.3.8: at_hash is optional in an ID token from the token endpoint."""
    assert found(BASE, access_token="at", code="c") == [
        ("missing_claim", "info", "at_hash"), ("missing_claim", "info", "c_hash")]
    notes = check_claims(BASE, Expectations(access_token="at"), NOW, "RS256")
    assert "§3.1.3.8" in notes[0].message and "was not checked" in notes[0].message


@pytest.mark.parametrize(
    ("alg", "digest"),
    [("HS256", hashlib.sha256), ("PS384", hashlib.sha384), ("ES512", hashlib.sha512), ("RS512", hashlib.sha512),
     ("EdDSA", hashlib.sha512)],
)
def test_hash_follows_the_alg_sha512_for_eddsa(alg, digest):
    full = digest(b"token").digest()
    assert left_half_hash("token", alg) == b64url_encode(full[: len(full) // 2])
    assert found({**BASE, "at_hash": left_half_hash("token", alg)}, alg=alg, access_token="token") == []


def test_hash_of_unknown_alg_is_not_computed():
    assert left_half_hash("token", "none") is None
    assert found({**BASE, "at_hash": "x"}, alg=None, access_token="token") == []


def test_every_failed_check_is_reported():
    claims = {"iss": "evil", "aud": ["a", "b"], "azp": "b", "exp": NOW - 1, "nbf": NOW + 100, "iat": NOW + 100,
              "nonce": "x", "at_hash": "x", "c_hash": "x"}
    result = [code for code, _, _ in found(claims, issuer="good", audiences=("c",), client_id="c", nonce="n",
                                           access_token="at", code="code")]
    assert result == ["expired", "not_yet_valid", "issued_in_future", "iss_mismatch", "aud_mismatch", "missing_claim",
                      "aud_mismatch", "azp_mismatch", "nonce_mismatch", "at_hash_mismatch", "c_hash_mismatch"]


@pytest.mark.parametrize("name", ["exp", "nbf", "iat", "auth_time"])
@pytest.mark.parametrize("value", [10**309, -(10**309), 10**20, 1e300, 253_402_300_800],
                         ids=["10**309", "-10**309", "10**20", "1e300", "year-10000"])
def test_exp_of_10_to_309_and_other_dates_past_any_calendar_are_out_of_range(name, value):
    """An integer exp of 10**309 raised OverflowError (math.isfinite converts it to a float) and
    ended verify as an 'unexpected internal error'; float 1e300 passed as a never-expiring date."""
    assert found({**BASE, name: value}) == [("date_out_of_range", "error", name)]


def test_out_of_range_message_reads_a_huge_number_without_printing_it():
    (finding,) = check_claims({**BASE, "exp": 10**309}, Expectations(), NOW, "RS256")
    assert finding.message.startswith("exp is a number of about 310 digits: no real date")
    (finding,) = check_claims({**BASE, "iat": 1e300}, Expectations(), NOW, "RS256")
    assert finding.message.startswith("iat is 1e+300: no real date")
