import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from inspector.core.protocol.jwt_bearer import (
    claim_value, claims_from_inputs, default_claims, lifetime_findings, sign_assertion,
)

NOW = 1_700_000_000


def pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@pytest.mark.parametrize("key, alg", [
    (rsa.generate_private_key(65537, 2048), "RS256"),
    (ec.generate_private_key(ec.SECP256R1()), "ES256"),
    (ec.generate_private_key(ec.SECP384R1()), "ES384"),
    (ed25519.Ed25519PrivateKey.generate(), "EdDSA"),
], ids=["rsa", "p256", "p384", "ed25519"])
def test_the_algorithm_follows_the_key_and_the_assertion_verifies_with_its_public_key(key, alg):
    claims = default_claims(client_id="svc", audience="https://op.example/token", now=lambda: NOW,
                            random=lambda n: "j" * n)
    token, header = sign_assertion(claims, pem(key), "kid-1")
    assert header == {"alg": alg, "typ": "JWT", "kid": "kid-1"}
    assert jwt.get_unverified_header(token)["alg"] == alg
    decoded = jwt.decode(token, key.public_key(), algorithms=[alg], audience="https://op.example/token",
                         options={"verify_exp": False})
    assert decoded == {"iss": "svc", "sub": "svc", "aud": "https://op.example/token", "iat": NOW, "exp": NOW + 300,
                       "jti": "j" * 24}


def test_claims_typed_as_text_become_json_where_they_read_as_json_but_ids_stay_text():
    assert claim_value("sub", "12345") == "12345" and claim_value("iss", "true") == "true"
    assert claim_value("exp", "1700000300") == 1700000300
    assert claim_value("aud", '["a", "b"]') == ["a", "b"] and claim_value("aud", "https://op") == "https://op"
    assert claim_value("may_act", '{"sub": "x"}') == {"sub": "x"}
    assert claims_from_inputs({"assertion.sub": "42", "assertion.exp": "99", "assertion.x": "", "scope": "a"}) == {
        "sub": "42", "exp": 99}


def test_an_assertion_living_more_than_an_hour_or_missing_required_claims_is_refused_in_words():
    base = {"iss": "svc", "sub": "svc", "aud": "a"}
    assert lifetime_findings({**base, "exp": NOW + 3600}, NOW, "token") == []
    [too_long] = lifetime_findings({**base, "exp": NOW + 3601 + 59 * 60}, NOW, "token")
    assert too_long.code == "assertion_lifetime_too_long" and too_long.severity.value == "error"
    assert "valid for 119 minutes" in too_long.message and "an hour at most" in too_long.message
    assert [f.code for f in lifetime_findings({"iss": "svc", "exp": "soon"}, NOW, "token")] == [
        "assertion_claim_missing", "assertion_claim_missing", "assertion_exp_invalid"]
    [expired] = lifetime_findings({**base, "exp": NOW - 1}, NOW, "token")
    assert expired.code == "assertion_expired" and expired.severity.value == "warning"
