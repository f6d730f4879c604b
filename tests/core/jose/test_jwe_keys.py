"""Decryption keys: private JWK, JWK Set and PEM load; public keys, certificates, encrypted PEM and
anything else are refused with the reason, never a traceback."""

import json

import pytest
from cryptography.hazmat.primitives import serialization

from inspector.core.errors import KeySourceError
from inspector.core.jose.jwe_keys import load_decryption_keys
from tests.support.jwe import ec_jwk, jwk_text, oct_jwk, rsa_jwk
from tests.support.keys import certificate_pem, ec_private, ed25519_private, private_pem, public_pem, rsa_private


def public(jwk):
    return {k: v for k, v in jwk.items() if k in ("kty", "crv", "n", "e", "x", "y", "kid")}


def test_a_private_jwk_of_each_type_loads():
    for jwk, kty in ((rsa_jwk(0), "RSA"), (ec_jwk("P-384"), "EC"), (oct_jwk(128), "oct")):
        [key] = load_decryption_keys(jwk_text({**jwk, "kid": "k1", "use": "enc"}))
        assert (key.kty, key.kid, key.use, key.label) == (kty, "k1", "enc", "key 'k1'")
    assert load_decryption_keys(jwk_text(ec_jwk("P-384")))[0].crv == "P-384"
    assert load_decryption_keys(jwk_text(oct_jwk(192)))[0].size == 192


def test_a_jwks_keeps_its_private_keys_and_skips_public_and_unknown_ones():
    keys = load_decryption_keys(json.dumps({"keys": [public(rsa_jwk(0)), rsa_jwk(0), {"kty": "OKP", "crv": "X448"},
                                                     ec_jwk("P-256"), "junk"]}))
    assert [(k.kty, k.source) for k in keys] == [("RSA", "JWKS key 2"), ("EC", "JWKS key 4")]


def test_a_providers_public_jwks_is_refused_with_the_reason():
    with pytest.raises(KeySourceError, match="holds no private key: a provider's published JWKS"):
        load_decryption_keys(json.dumps({"keys": [public(rsa_jwk(0)), public(ec_jwk("P-256"))]}))


def test_a_public_jwk_is_refused():
    with pytest.raises(KeySourceError, match="public key, which can encrypt but never decrypt"):
        load_decryption_keys(jwk_text(public(rsa_jwk(0))))


@pytest.mark.parametrize("private", [rsa_private(0), ec_private("P-521")], ids=["rsa", "ec"])
def test_a_pem_private_key_loads(private):
    [key] = load_decryption_keys(private_pem(private))
    assert key.kty in ("RSA", "EC") and key.source == "PEM key" and key.kid is None


def test_several_pem_private_keys_are_numbered_and_certificates_beside_them_skipped():
    text = certificate_pem(rsa_private(0)) + private_pem(rsa_private(0)) + private_pem(ec_private("P-256"))
    assert [k.source for k in load_decryption_keys(text)] == ["PEM key 1", "PEM key 2"]


@pytest.mark.parametrize("text", [public_pem(rsa_private(0)), certificate_pem(rsa_private(0))], ids=["public", "cert"])
def test_a_pem_public_key_or_certificate_cannot_decrypt(text):
    with pytest.raises(KeySourceError, match="no private key .* can encrypt but never decrypt"):
        load_decryption_keys(text)


def test_an_encrypted_pem_asks_for_an_unencrypted_export():
    pem = rsa_private(0).private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.BestAvailableEncryption(b"pass"))
    with pytest.raises(KeySourceError, match="encrypted with a passphrase") as caught:
        load_decryption_keys(pem)
    assert "openssl pkey" in caught.value.hint


@pytest.mark.parametrize(("text", "message"), [
    ("hello", "not a decryption key"),
    ("{", "not valid JSON"),
    ("[1]", "not a decryption key"),
    ('{"keys": 5}', "not an array"),
    ('{"kty": "oct", "k": ""}', "empty|cannot be loaded"),
    ('{"kty": "RSA", "n": "AQAB", "e": "AQAB", "d": "AQAB"}', "cannot be loaded"),
    ('{"kty": "OKP", "crv": "Ed25519", "x": "AA", "d": "AA"}', "unsupported key type"),
    ('{"kty": "oct", "k": "AAAA", "kid": 5}', "must be strings"),
    ("-----BEGIN PRIVATE KEY-----\nAAAA", "no END line"),
    ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "damaged"),
])
def test_unusable_key_text_is_a_key_source_error(text, message):
    with pytest.raises(KeySourceError, match=message):
        load_decryption_keys(text)


def test_an_ed25519_private_key_is_not_a_decryption_key():
    with pytest.raises(KeySourceError, match="decryption takes RSA"):
        load_decryption_keys(private_pem(ed25519_private()))


def test_the_repr_never_shows_key_material():
    jwk = rsa_jwk(0)
    [key] = load_decryption_keys(jwk_text(jwk))
    assert jwk["d"][:16] not in repr(key) and "RSA" in repr(key)
