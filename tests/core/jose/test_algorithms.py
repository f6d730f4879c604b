import hashlib

import pytest

from inspector.core.jose.algorithms import (
    KEY_FAMILY,
    SUPPORTED_ALGORITHMS,
    InvalidKeyError,
    default_alg,
    family_text,
    hash_for,
    is_psychic_ecdsa,
    verify_signature,
)
from tests.support import keys as test_keys


def test_supported_algorithms_are_the_issue_list():
    assert set(SUPPORTED_ALGORITHMS) == {
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
        "ES256", "ES384", "ES512", "EdDSA",
    }
    assert "none" not in KEY_FAMILY


@pytest.mark.parametrize(("kty", "crv", "alg"), [
    ("RSA", None, "RS256"), ("EC", "P-256", "ES256"), ("EC", "P-384", "ES384"), ("EC", "P-521", "ES512"),
    ("OKP", "Ed25519", "EdDSA"), ("oct", None, "HS256"), ("EC", None, None), ("EC", "secp256k1", None),
])
def test_default_alg_follows_the_key_type(kty, crv, alg):
    assert default_alg(kty, crv) == alg


def test_hash_for():
    assert hash_for("EdDSA") is hashlib.sha512 and hash_for("PS384") is hashlib.sha384
    assert hash_for("none") is None and hash_for("XX256") is None


def test_family_text():
    assert family_text("EC", "P-256") == "an EC key on P-256"
    assert family_text("oct") == "a shared secret (oct key)"


def test_verify_signature_refuses_a_pem_as_hmac_secret():
    with pytest.raises(InvalidKeyError):
        verify_signature("HS256", test_keys.public_pem(test_keys.rsa_private()), b"input", b"sig")


def test_verify_signature_with_garbage_signature_is_false():
    key = test_keys.ec_private().public_key()
    assert verify_signature("ES256", key, b"input", b"short") is False


def test_is_psychic_ecdsa():
    assert is_psychic_ecdsa("ES256", bytes(64)) and is_psychic_ecdsa("ES384", bytes(48) + b"\x01" * 48)
    assert not is_psychic_ecdsa("ES256", b"\x01" * 64) and not is_psychic_ecdsa("RS256", bytes(256))
