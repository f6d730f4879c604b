"""The verification pipeline: signatures, key selection, header rules and the named attacks."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.errors import MalformedTokenError
from inspector.core.findings import has_errors
from inspector.core.jose.b64 import b64url_decode, b64url_encode
from inspector.core.jose.keys import from_secret, load_jwk, load_jwks, load_pem
from inspector.core.jose.parse import decode
from inspector.core.jose.verify import SUPPORTED_ALGORITHMS, Expectations, verify
from tests.support import keys as test_keys
from tests.support.fuzz import any_bytes, any_text
from tests.support.jose import compact, segment, sign

NOW = 1_800_000_000
CLAIMS = {"iss": "https://issuer.example", "sub": "alice", "aud": "api", "iat": NOW - 60, "exp": NOW + 600}
VECTORS = json.loads((Path(__file__).parents[2] / "data" / "rfc_vectors.json").read_text(encoding="utf-8"))


def rsa_key(kid="k1", **members):
    return load_jwk(test_keys.public_jwk(test_keys.rsa_private(), kid=kid, **members))


def rs256(claims=CLAIMS, **header):
    return sign(claims, test_keys.rsa_private(), "RS256", **header)


def check(token, keys, expect=Expectations(), now=NOW):
    return verify(token, keys, expect, now=now)


def codes(report, severity=None):
    return [f.code for f in report.findings if severity is None or f.severity.value == severity]


@pytest.mark.parametrize("name", [name for name in VECTORS if not name.startswith("_")])
def test_rfc_vectors_verify(name):
    case = VECTORS[name]
    report = check(case["jws"], [load_jwk(case["jwk"])], now=1300819000)
    assert "signature_valid" in codes(report) and report.key is not None
    if name in ("rfc7515_a4_es512", "rfc8037_a4_ed25519"):  # payloads "Payload" / "Example of ..." are not JWTs
        assert codes(report, "error") == ["malformed"] and report.decoded.claims is None
    else:
        assert report.valid, report.findings


@pytest.mark.parametrize("name", [name for name in VECTORS if not name.startswith("_")])
def test_rfc_vectors_with_one_bit_flipped_fail(name):
    case = VECTORS[name]
    head, payload, signature = case["jws"].split(".")
    raw = bytearray(b64url_decode(signature))
    raw[len(raw) // 2] ^= 1
    report = check(f"{head}.{payload}.{b64url_encode(bytes(raw))}", [load_jwk(case["jwk"])], now=1300819000)
    assert "bad_signature" in codes(report) and report.key is None and not report.valid


@pytest.mark.parametrize("alg", SUPPORTED_ALGORITHMS)
def test_every_supported_algorithm_verifies(alg):
    family = alg[:2]
    private = {"HS": test_keys.HS512_SECRET, "RS": test_keys.rsa_private(), "PS": test_keys.rsa_private(),
               "Ed": test_keys.ed25519_private()}.get(family)
    if family == "ES":
        private = test_keys.ec_private({"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}[alg])
    key = from_secret(private) if family == "HS" else load_pem(test_keys.public_pem(private))[0]
    report = check(sign(CLAIMS, private, alg), [key])
    assert report.valid and report.key is key, report.findings


def test_report_json_shape():
    report = check(rs256(kid="k1"), [rsa_key()])
    data = report.to_json()
    assert data["valid"] is True and data["key"] == {"kid": "k1", "kty": "RSA"}
    assert data["header"]["kid"] == "k1" and data["claims"] == CLAIMS
    assert data["findings"] == [{"code": "signature_valid", "severity": "info",
                                 "message": "The RS256 signature is valid, checked with key 'k1'."}]


def test_valid_is_false_exactly_when_an_error_is_found():
    report = check(rs256(kid="k1"), [rsa_key()], Expectations(audiences=("other",)))
    assert not report.valid and codes(report, "error") == ["aud_mismatch"]
    assert report.to_json()["valid"] is False


def test_accepts_a_decoded_token():
    decoded = decode(rs256(kid="k1"))
    assert check(decoded, [rsa_key()]).decoded is decoded


def test_unreadable_input_raises_malformed():
    with pytest.raises(MalformedTokenError):
        check("a.b.c", [rsa_key()])


# --- key selection -------------------------------------------------------------------------------

def test_kid_binds_the_key_no_fallback():
    other = load_jwk(test_keys.public_jwk(test_keys.rsa_private(1), kid="k2"))
    report = check(rs256(kid="k2"), [rsa_key("k1"), other])  # signed by key 0, kid names key 1
    assert codes(report, "error") == ["bad_signature"] and "'k2'" in report.findings[-1].message
    assert "'k1'" not in report.findings[-1].message


def test_without_kid_every_fitting_key_is_tried_and_the_winner_named():
    keys = [load_jwk(test_keys.public_jwk(test_keys.rsa_private(1), kid="a")),
            load_jwk(test_keys.public_jwk(test_keys.ec_private(), kid="b")),
            rsa_key("c")]
    report = check(rs256(), keys)
    assert report.valid and report.key.kid == "c"
    assert "key 'c'" in next(f.message for f in report.findings if f.code == "signature_valid")


def test_unknown_kid_falls_back_only_to_keys_without_a_kid():
    pem_key = load_pem(test_keys.public_pem(test_keys.rsa_private()))[0]
    assert check(rs256(kid="rotated"), [pem_key]).valid
    report = check(rs256(kid="rotated"), [rsa_key("k1"), rsa_key("k2")])
    assert codes(report, "error") == ["key_not_found"] and "'k1', 'k2'" in report.findings[0].message


def rs256_with_header(header, private=None, claims=CLAIMS):
    """A correctly signed RS256 token with any header (PyJWT refuses to write a non-string kid)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    signing_input = f"{segment(header)}.{segment(claims)}"
    signature = (private or test_keys.rsa_private()).sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url_encode(signature)}"


@pytest.mark.parametrize("kid", [1, 0, 1.5, True, None, ["k1"], {"kid": "k1"}], ids=repr)
def test_integer_kid_is_never_valid(kid):
    """RFC 7515 §4.1.4: kid is a string. {"kid": 1} used to count as no kid, so every key was tried
    and the token verified with whichever matched: the kid binding was skipped."""
    pem_key = load_pem(test_keys.public_pem(test_keys.rsa_private()))[0]
    token = rs256_with_header({"alg": "RS256", "kid": kid})
    report = check(token, [rsa_key("k1"), pem_key])
    assert not report.valid and report.key is None
    assert codes(report, "error") == ["malformed"] and "signature_valid" not in codes(report)
    finding = report.findings[0]
    assert (finding.claim, finding.part) == ("kid", "header") and "not a string (RFC 7515 §4.1.4)" in finding.message


@pytest.mark.parametrize("bits", [1024, 2047 // 8 * 8])
def test_signature_by_a_short_rsa_key_is_valid_with_a_weak_rsa_key_warning(bits):
    """RFC 7518 §3.3 and NIST SP 800-131A: RSA keys of 2048 bits or more; a shorter one can be factored."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    key = load_pem(test_keys.public_pem(private))[0]
    report = check(rs256_with_header({"alg": "RS256"}, private), [key])
    assert report.valid and codes(report, "warning") == ["weak_rsa_key"]
    warning = next(f for f in report.findings if f.code == "weak_rsa_key")
    assert f"only {bits} bits" in warning.message and "at least 2048" in warning.message


def test_a_2048_bit_rsa_key_is_not_weak():
    assert "weak_rsa_key" not in codes(check(rs256(kid="k1"), [rsa_key()]))


def test_no_keys_is_key_not_found():
    for keys in (None, []):
        report = check(rs256(), keys)
        assert codes(report, "error") == ["key_not_found"] and report.key is None


def test_key_restricted_by_alg_use_or_key_ops_is_key_mismatch():
    for members in ({"alg": "RS512"}, {"use": "enc"}, {"key_ops": ["encrypt"]}):
        report = check(rs256(kid="k1"), [rsa_key(**members)])
        assert codes(report, "error") == ["key_mismatch"], members
    assert check(rs256(kid="k1"), [rsa_key(use="sig", alg="RS256", key_ops=["verify"])]).valid


def test_ec_key_on_the_wrong_curve_is_key_mismatch():
    token = sign(CLAIMS, test_keys.ec_private("P-256"), "ES256")
    report = check(token, [load_pem(test_keys.public_pem(test_keys.ec_private("P-384")))[0]])
    assert codes(report, "error") == ["key_mismatch"] and "P-256" in report.findings[0].message


def test_weak_hmac_key():
    from jwt.algorithms import HMACAlgorithm

    head_payload = f"{segment({'alg': 'HS256'})}.{segment(CLAIMS)}"
    tag = HMACAlgorithm(HMACAlgorithm.SHA256).sign(head_payload.encode(), b"short")
    report = check(f"{head_payload}.{b64url_encode(tag)}", [from_secret("short")])
    assert report.valid and codes(report, "warning") == ["weak_hmac_key"]
    assert "5 bytes" in report.findings[0].message
    assert codes(check(sign(CLAIMS, test_keys.HS256_SECRET, "HS256"), [from_secret(test_keys.HS256_SECRET)]),
                 "warning") == []


# --- header rules -------------------------------------------------------------------------------

def test_alg_not_allowed():
    report = check(rs256(), [rsa_key()], Expectations(algorithms=("ES256",)))
    assert codes(report, "error") == ["alg_not_allowed"] and report.key is None


def test_unsupported_alg_is_not_allowed_even_if_listed():
    token = compact({"alg": "RSA1_5"}, CLAIMS)
    assert codes(check(token, [rsa_key()], Expectations(algorithms=("RSA1_5",))), "error") == ["alg_not_allowed"]


def test_missing_alg_is_malformed():
    assert codes(check(compact({"typ": "JWT"}, CLAIMS), [rsa_key()]), "error") == ["malformed"]


def test_encrypted_token():
    jwe = ".".join([segment({"alg": "RSA-OAEP", "enc": "A256GCM"}), "YQ", "Yg", "Yw", "ZA"])
    report = check(jwe, [rsa_key()])
    assert codes(report, "error") == ["encrypted"] and report.to_json()["claims"] is None


def test_opaque_token_cannot_be_verified():
    assert codes(check("2YotnFZFEjr1zCsicMWpAA", [rsa_key()]), "error") == ["malformed"]


def test_malformed_signature_segment_still_checks_claims():
    token = compact({"alg": "RS256"}, {**CLAIMS, "exp": NOW - 5}, "bad+sig")
    assert codes(check(token, [rsa_key()]), "error") == ["malformed", "expired"]


# --- named regression tests for known attacks --------------------------------------------------

@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
@pytest.mark.parametrize("signature", [b"", b"anything"])
def test_alg_none_variants(alg, signature):
    token = compact({"alg": alg}, CLAIMS, signature)
    everything = Expectations(algorithms=(alg, "none", *SUPPORTED_ALGORITHMS))
    for keys in ([rsa_key()], [from_secret("x" * 32)], None):
        report = check(token, keys, everything)
        assert "alg_none" in codes(report, "error") and not report.valid and report.key is None


def test_hs_rs_key_confusion():
    """HS256 signed with the RSA public key's PEM as the HMAC secret must never verify."""
    from jwt.algorithms import HMACAlgorithm

    pem = test_keys.public_pem(test_keys.rsa_private())
    head_payload = f"{segment({'alg': 'HS256', 'kid': 'k1'})}.{segment(CLAIMS)}"
    forged = f"{head_payload}.{b64url_encode(HMACAlgorithm(HMACAlgorithm.SHA256).sign(head_payload.encode(), pem))}"
    for keys in ([rsa_key("k1")], load_pem(pem), load_jwks({"keys": [test_keys.public_jwk(test_keys.rsa_private())]})):
        report = check(forged, keys)
        assert codes(report, "error") == ["key_mismatch"] and report.key is None
        assert "key-confusion" in report.findings[0].message
    report = check(forged, [from_secret(pem)])  # even when someone pastes the PEM as the secret
    assert codes(report, "error") == ["key_mismatch"] and report.key is None


def test_embedded_jwk_not_trusted():
    """A token carrying its own key in the header (and signed with it) is not valid."""
    attacker = test_keys.rsa_private(7)
    token = sign(CLAIMS, attacker, "RS256", jwk=test_keys.public_jwk(attacker))
    report = check(token, [rsa_key()])
    assert codes(report, "warning") == ["header_key_ignored"]
    assert codes(report, "error") == ["bad_signature"] and report.key is None
    assert codes(check(token, None), "error") == ["key_not_found"]


def test_verify_never_uses_a_dpop_proofs_jwk_either():
    """Only the DPoP proof check (core.jose.dpop_check) uses a proof's jwk; verify takes the caller's keys."""
    attacker = test_keys.ec_private()
    token = sign(CLAIMS, attacker, "ES256", typ="dpop+jwt", jwk=test_keys.public_jwk(attacker))
    report = check(token, [rsa_key()])
    assert "header_key_ignored" in codes(report, "warning") and report.key is None
    assert codes(check(token, None), "error") == ["key_not_found"]


def test_jku_x5u_never_fetched():
    """Verifying a token that points at key URLs makes no network request and loads no HTTP client."""
    script = """
import socket, sys
def refuse(*args, **kwargs):
    raise AssertionError("network access attempted")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from inspector.core.jose.keys import load_pem
from inspector.core.jose.verify import Expectations, verify
from tests.support import keys as test_keys
from tests.support.jose import sign
attacker = test_keys.rsa_private(3)
token = sign({"sub": "x"}, attacker, "RS256", jku="http://127.0.0.1:9/jwks", x5u="http://127.0.0.1:9/cert",
             x5c=["MIIB"])
report = verify(token, load_pem(test_keys.public_pem(test_keys.rsa_private())), Expectations(), now=0)
print(sorted(f.claim for f in report.findings if f.code == "header_key_ignored"), report.valid,
      "httpx" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.split() == ["['jku',", "'x5c',", "'x5u']", "False", "False"]


def test_psychic_ecdsa_signature_cve_2022_21449():
    head_payload = f"{segment({'alg': 'ES256'})}.{segment(CLAIMS)}"
    key = load_pem(test_keys.public_pem(test_keys.ec_private()))
    for signature in (bytes(64), bytes(32) + b"\x01" * 32, b"\x01" * 32 + bytes(32)):
        report = check(f"{head_payload}.{b64url_encode(signature)}", key)
        assert codes(report, "error") == ["bad_signature"] and "CVE-2022-21449" in report.findings[0].message
    es512 = f"{segment({'alg': 'ES512'})}.{segment(CLAIMS)}.{b64url_encode(bytes(132))}"
    assert codes(check(es512, load_pem(test_keys.public_pem(test_keys.ec_private("P-521")))), "error") == [
        "bad_signature"]


@pytest.mark.parametrize("strip", ["empty", "two_parts"])
def test_stripped_signature(strip):
    token = rs256(kid="k1")
    stripped = token.rsplit(".", 1)[0] + ("." if strip == "empty" else "")
    report = check(stripped, [rsa_key()])
    assert codes(report, "error") == (["bad_signature"] if strip == "empty" else ["malformed"])
    assert report.key is None and not report.valid


@pytest.mark.parametrize(
    "crit", [["exp"], ["b64"], ["https://example.com/ext"], [], "b64", [1]]
)
def test_unknown_crit(crit):
    header = {"alg": "HS256", "crit": crit}
    if crit == ["b64"]:
        header["b64"] = False
    token = sign(CLAIMS, test_keys.HS256_SECRET, "HS256", **{k: v for k, v in header.items() if k != "alg"})
    report = check(token, [from_secret(test_keys.HS256_SECRET)])
    assert "crit_unsupported" in codes(report, "error") and not report.valid


def test_b64_without_crit_is_rejected_even_when_the_signature_matches():
    from jwt.algorithms import HMACAlgorithm

    head_payload = f"{segment({'alg': 'HS256', 'b64': False})}.{{\"sub\":\"admin\"}}"
    tag = HMACAlgorithm(HMACAlgorithm.SHA256).sign(head_payload.encode(), test_keys.HS256_SECRET)
    report = check(f"{head_payload}.{b64url_encode(tag)}", [from_secret(test_keys.HS256_SECRET)])
    assert codes(report, "error") == ["crit_unsupported"] and not report.valid


# --- property tests -------------------------------------------------------------------------------




@settings(max_examples=300, deadline=None)
@given(any_text | any_bytes, st.sampled_from(["rsa", "secret", "none"]))
def test_verify_never_raises_anything_else(text, key_kind):
    keys = {"rsa": [rsa_key()], "secret": [from_secret(test_keys.HS256_SECRET)], "none": None}[key_kind]
    try:
        report = check(text, keys, Expectations(audiences=("api",), client_id="web", nonce="n", access_token="a"))
    except MalformedTokenError:
        return
    assert report.valid is not has_errors(report.findings)
    assert not report.valid  # nothing random is signed with our keys
    json.dumps(report.to_json())
