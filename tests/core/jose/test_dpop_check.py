"""Checking a DPoP proof (RFC 9449 §4.3): the RFC's examples pass, each broken rule is a finding,
and the embedded jwk is the key only for typ dpop+jwt."""

import hashlib
import hmac
import json

import pytest

from inspector.core.jose.b64 import b64url_decode, b64url_encode
from inspector.core.jose.dpop import make_proof
from inspector.core.jose.dpop_check import check_proof
from inspector.core.jose.dpop_key import DpopKey
from inspector.core.jose.parse import decode
from tests.support import keys as test_keys
from tests.support.dpop import NOW, VECTORS
from tests.support.jose import compact, sign

KEY = DpopKey.generate()
GOOD_CLAIMS = {"jti": "Zm9vYmFyYmF6cXV4MTIz", "htm": "POST", "htu": "https://op.example/token", "iat": int(NOW)}


def proof(claims=None, key=KEY, **header):
    """A proof signed by ``key`` with ``header`` members replacing the usual ones."""
    return key.sign({"typ": "dpop+jwt", "alg": key.alg, "jwk": key.public_jwk, **header},
                    GOOD_CLAIMS if claims is None else claims)


def checked(token, now=NOW, **expect):
    return check_proof(decode(token), now=now, **expect)


def codes(check, severity=None):
    return [f.code for f in check.findings if severity is None or f.severity.value == severity]


def test_rfc9449_token_request_example_is_valid():
    case = VECTORS["rfc9449_token_request"]
    check = checked(case["proof"], now=case["iat"] + 2, htm=case["htm"], htu=case["htu"])
    assert check.valid and check.signature_valid and not check.resource_request
    assert check.thumbprint == case["jkt"]
    assert codes(check) == ["signature_valid", "dpop_proof_age", "dpop_token_proof", "dpop_jkt"]


def test_rfc9449_resource_request_example_is_valid_with_its_access_token():
    case = VECTORS["rfc9449_resource_request"]
    check = checked(case["proof"], now=case["iat"], htm="GET", htu=case["htu"] + "?page=2",
                    access_token=case["access_token"])
    assert check.valid and check.resource_request and "dpop_resource_proof" in codes(check, "info")


def test_a_proof_made_here_is_valid():
    token = make_proof(KEY, "POST", "https://op.example/token", nonce="n-1", clock=lambda: NOW)
    check = checked(token, htm="POST", htu="https://op.example/token", nonce="n-1")
    assert check.valid and check.thumbprint == KEY.thumbprint


def test_a_tampered_signature_is_an_error():
    head, payload, signature = VECTORS["rfc9449_token_request"]["proof"].split(".")
    raw = bytearray(b64url_decode(signature))
    raw[5] ^= 1
    check = checked(f"{head}.{payload}.{b64url_encode(bytes(raw))}", now=1562262616)
    assert codes(check, "error") == ["bad_signature"] and not check.signature_valid


def test_claims_changed_after_signing_break_the_signature():
    head, _payload, signature = proof().split(".")
    forged = {**GOOD_CLAIMS, "htu": "https://evil.example/token"}
    assert codes(checked(f"{head}.{b64url_encode(json.dumps(forged).encode())}.{signature}"), "error") == [
        "bad_signature"]


def test_a_private_jwk_is_an_error_though_the_signature_holds():
    private_jwk = json.loads(KEY.to_private_jwk())
    check = checked(proof(jwk=private_jwk))
    assert codes(check, "error") == ["dpop_jwk_private"] and check.signature_valid
    assert "compromised" in check.findings[0].message and check.thumbprint == KEY.thumbprint


def test_an_rsa_jwk_with_its_private_factors_names_them():
    rsa_key = DpopKey.generate("RS256")
    check = checked(proof(key=rsa_key, jwk=json.loads(rsa_key.to_private_jwk())))
    finding = next(f for f in check.findings if f.code == "dpop_jwk_private")
    assert "d, p, q, dp, dq, qi" in finding.message


def test_a_symmetric_jwk_is_never_a_proof_key():
    token = compact({"typ": "dpop+jwt", "alg": "ES256", "jwk": {"kty": "oct", "k": "c2VjcmV0"}}, GOOD_CLAIMS)
    check = checked(token)
    assert "dpop_jwk_private" in codes(check, "error") and not check.signature_valid


@pytest.mark.parametrize("alg, code", [("none", "alg_none"), ("HS256", "dpop_alg_symmetric"),
                                       ("RSA-OAEP", "alg_not_allowed"), (None, "malformed")])
def test_alg_none_hmac_and_unknown_algorithms_are_refused_unchecked(alg, code):
    header = {"typ": "dpop+jwt", "jwk": KEY.public_jwk, **({"alg": alg} if alg else {})}
    check = checked(compact(header, GOOD_CLAIMS, b"" if alg == "none" else b"sig"))
    assert codes(check, "error") == [code] and not check.signature_valid


def test_an_hs256_proof_signed_with_the_public_key_as_secret_is_refused():
    """Key confusion: the attacker MACs with the public jwk's bytes; the verifier never tries HMAC."""
    unsigned = compact({"typ": "dpop+jwt", "alg": "HS256", "jwk": KEY.public_jwk}, GOOD_CLAIMS)
    signing_input = unsigned.rsplit(".", 1)[0]
    tag = hmac.new(json.dumps(KEY.public_jwk).encode(), signing_input.encode(), hashlib.sha256).digest()
    assert codes(checked(f"{signing_input}.{b64url_encode(tag)}"), "error") == ["dpop_alg_symmetric"]


def test_an_ecdsa_signature_of_zeros_is_refused():
    head, payload, _signature = proof().split(".")
    check = checked(f"{head}.{payload}.{b64url_encode(bytes(64))}")
    assert codes(check, "error") == ["bad_signature"] and "CVE-2022-21449" in check.findings[0].message


def test_the_jwk_must_fit_the_alg():
    check = checked(proof(key=DpopKey.generate("RS256"), jwk=KEY.public_jwk))
    assert "key_mismatch" in codes(check, "error") and not check.signature_valid


def test_a_missing_jwk_is_an_error():
    token = compact({"typ": "dpop+jwt", "alg": "ES256"}, GOOD_CLAIMS)
    check = checked(token)
    assert codes(check, "error") == ["dpop_jwk_missing"] and check.thumbprint is None


def test_an_unloadable_jwk_says_why():
    token = compact({"typ": "dpop+jwt", "alg": "ES256", "jwk": {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}},
                    GOOD_CLAIMS)
    assert codes(checked(token), "error") == ["dpop_jwk_invalid"]


def test_a_jwt_that_is_not_typ_dpop_never_has_its_header_jwk_used():
    """The header jwk verifies a proof only; any other token carrying one is not checked with it."""
    attacker = test_keys.ec_private()
    token = sign(GOOD_CLAIMS, attacker, "ES256", typ="JWT", jwk=test_keys.public_jwk(attacker))
    check = checked(token)
    assert codes(check, "error") == ["dpop_typ"] and not check.signature_valid and check.thumbprint is None


def test_application_dpop_jwt_is_a_proof_with_a_warning():
    check = checked(proof(typ="application/dpop+jwt"))
    assert codes(check, "warning") == ["dpop_typ"] and check.signature_valid


def test_required_claims_must_be_present():
    check = checked(proof({"htm": "POST"}))
    assert [(f.code, f.claim) for f in check.findings if f.severity.value == "error"] == [
        ("missing_claim", "jti"), ("missing_claim", "htu"), ("missing_claim", "iat")]


def test_claims_of_the_wrong_type_are_errors():
    bad = {"jti": 7, "htm": ["POST"], "htu": None, "iat": "now", "nonce": 1, "ath": {}}
    check = checked(proof(bad))
    assert sorted(f.claim for f in check.findings if f.code == "bad_claim_type") == [
        "ath", "htm", "htu", "iat", "jti", "nonce"]


@pytest.mark.parametrize("iat, code, words", [
    (NOW - 12, "dpop_proof_age", "12 seconds ago"),
    (NOW - 3 * 3600, "dpop_proof_stale", "3 hours ago"),
    (NOW + 600, "dpop_iat_future", "10 minutes in the future"),
    (NOW + 30, "dpop_proof_age", "30 seconds ahead"),
])
def test_iat_is_judged_against_a_window(iat, code, words):
    check = checked(proof({**GOOD_CLAIMS, "iat": iat}))
    finding = next(f for f in check.findings if f.claim == "iat")
    assert finding.code == code and words in finding.message


def test_the_window_is_a_parameter():
    check = check_proof(decode(proof({**GOOD_CLAIMS, "iat": NOW - 12})), now=NOW, max_age=10)
    assert "dpop_proof_stale" in codes(check, "warning")


@pytest.mark.parametrize("claims, code", [
    ({**GOOD_CLAIMS, "htu": "https://op.example/token?x=1"}, "dpop_htu_query"),
    ({**GOOD_CLAIMS, "jti": "short"}, "dpop_jti_short"),
    ({**GOOD_CLAIMS, "htm": "post"}, "dpop_htm_case"),
])
def test_doubtful_claims_are_warnings(claims, code):
    assert codes(checked(proof(claims)), "warning") == [code]


@pytest.mark.parametrize("claims, code", [
    ({**GOOD_CLAIMS, "htu": "/token"}, "dpop_htu_invalid"),
    ({**GOOD_CLAIMS, "ath": "not-a-hash"}, "dpop_ath_malformed"),
])
def test_impossible_claims_are_errors(claims, code):
    assert codes(checked(proof(claims)), "error") == [code]


@pytest.mark.parametrize("expect, code", [
    ({"htm": "GET"}, "dpop_htm_mismatch"),
    ({"htu": "https://op.example/par"}, "dpop_htu_mismatch"),
    ({"nonce": "server-nonce"}, "dpop_nonce_missing"),
    ({"access_token": "tok"}, "dpop_ath_missing"),
])
def test_a_proof_for_another_request_is_an_error(expect, code):
    assert codes(checked(proof(), **expect), "error") == [code]


def test_a_wrong_nonce_or_ath_is_an_error():
    token = make_proof(KEY, "GET", "https://api.example/x", nonce="old", access_token="one-token", clock=lambda: NOW)
    check = checked(token, nonce="new", access_token="other-token")
    assert codes(check, "error") == ["dpop_nonce_mismatch", "dpop_ath_mismatch"]
