import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from inspector.core.errors import KeySourceError
from inspector.core.jose.b64 import b64url_encode
from inspector.core.jose.keys import from_secret, load_jwk, load_jwks, load_key_text, load_pem
from tests.support import keys as test_keys


def test_load_jwks_with_every_supported_type():
    jwks = {
        "keys": [
            test_keys.public_jwk(test_keys.rsa_private(), kid="rsa", use="sig", alg="RS256"),
            test_keys.public_jwk(test_keys.ec_private("P-384"), kid="ec"),
            test_keys.public_jwk(test_keys.ed25519_private(), kid="ed"),
            {"kty": "oct", "k": b64url_encode(b"s" * 32), "kid": "hmac"},
        ]
    }
    loaded = load_jwks(json.dumps(jwks))
    assert [(k.kid, k.kty, k.crv) for k in loaded] == [
        ("rsa", "RSA", None), ("ec", "EC", "P-384"), ("ed", "OKP", "Ed25519"), ("hmac", "oct", None)
    ]
    assert loaded[0].alg == "RS256" and loaded[0].use == "sig"
    assert isinstance(loaded[0].material, rsa.RSAPublicKey)
    assert loaded[3].material == b"s" * 32
    assert load_jwks(json.dumps(jwks).encode()) and load_jwks(jwks)


def test_load_jwks_skips_keys_it_does_not_understand():
    jwks = {"keys": [{"kty": "EC", "crv": "secp256k1", "x": "a", "y": "b"}, {"kty": "OKP", "crv": "X25519"},
                     {"kty": "PQC"}, "not an object", test_keys.public_jwk(test_keys.ec_private(), kid="ok")]}
    assert [k.kid for k in load_jwks(jwks)] == ["ok"]


def test_private_jwk_keeps_only_the_public_half():
    from jwt.algorithms import RSAAlgorithm

    private_jwk = RSAAlgorithm.to_jwk(test_keys.rsa_private(), as_dict=True)
    assert isinstance(load_jwk(private_jwk).material, rsa.RSAPublicKey)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('{"keys": {}}', 'no "keys" array'),
        ("[" * 100_000, "not valid JSON|nested too deeply"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
def test_load_jwks_errors(text, message):
    with pytest.raises(KeySourceError, match=message):
        load_jwks(text)


@pytest.mark.parametrize(
    ("jwk", "message"),
    [
        ({"kty": "RSA", "n": "!!", "e": "AQAB"}, "cannot be loaded"),
        ({"kty": "oct", "k": ""}, "cannot be loaded"),
        ({"kty": "oct", "k": "a+b="}, "cannot be loaded"),
        ({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}, "cannot be loaded"),
        ({"kty": "OKP", "crv": "Ed448", "x": "AA"}, "Unsupported key"),
        ({"kty": "oct", "k": "c2VjcmV0", "kid": 7}, "must be strings"),
        ({"kty": "oct", "k": "c2VjcmV0", "key_ops": "verify"}, "key_ops"),
    ],
)
def test_load_jwk_errors(jwk, message):
    with pytest.raises(KeySourceError, match=message):
        load_jwk(jwk)


@pytest.mark.parametrize(
    ("private_key", "kty", "crv"),
    [(test_keys.rsa_private(), "RSA", None), (test_keys.ec_private("P-521"), "EC", "P-521"),
     (test_keys.ed25519_private(), "OKP", "Ed25519")],
)
def test_load_pem_public_key_certificate_and_private_key(private_key, kty, crv):
    for pem in (test_keys.public_pem(private_key), test_keys.certificate_pem(private_key),
                test_keys.private_pem(private_key)):
        (key,) = load_pem(pem)
        assert (key.kty, key.crv, key.kid) == (kty, crv, None)
        assert not hasattr(key.material, "private_bytes")


def test_load_pem_chain_gives_every_key():
    chain = test_keys.certificate_pem(test_keys.rsa_private()) + test_keys.public_pem(test_keys.ec_private())
    assert [k.kty for k in load_pem(chain)] == ["RSA", "EC"]


@pytest.mark.parametrize(
    ("pem", "message"),
    [
        (b"no pem here", "No PEM block"),
        (b"-----BEGIN PUBLIC KEY-----\nAAAA\n", "no END line"),
        (b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "cannot be loaded"),
    ],
)
def test_load_pem_errors(pem, message):
    with pytest.raises(KeySourceError, match=message):
        load_pem(pem)


def test_load_pem_refuses_unsupported_curves():
    secp256k1 = ec.generate_private_key(ec.SECP256K1())
    with pytest.raises(KeySourceError, match="unsupported key type"):
        load_pem(test_keys.public_pem(secp256k1))


def test_from_secret():
    assert from_secret("s3cret").material == b"s3cret" and from_secret(b"\x00").kty == "oct"
    with pytest.raises(KeySourceError, match="empty"):
        from_secret("")


def test_load_key_text_detects_the_format():
    jwk = test_keys.public_jwk(test_keys.ed25519_private(), kid="e")
    assert [k.kid for k in load_key_text(json.dumps(jwk))] == ["e"]
    assert [k.kid for k in load_key_text(json.dumps({"keys": [jwk]}))] == ["e"]
    assert isinstance(load_key_text(test_keys.public_pem(test_keys.ed25519_private()).decode())[0].material,
                      ed25519.Ed25519PublicKey)
    with pytest.raises(KeySourceError, match="--secret"):
        load_key_text("hunter2")


def test_repr_never_shows_secret_material():
    assert "hunter2" not in repr(from_secret("hunter2"))
