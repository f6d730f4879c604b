"""The DPoP key: generated per algorithm, kept as a private JWK, shown without its private part."""

import json

import pytest

from inspector.core.errors import KeySourceError
from inspector.core.jose.dpop_key import DEFAULT_ALG, DPOP_ALGORITHMS, DpopKey
from inspector.core.jose.thumbprint import jwk_thumbprint
from tests.support import keys as test_keys


def test_default_key_is_es256_on_p256():
    key = DpopKey.generate()
    assert DEFAULT_ALG == "ES256" and key.alg == "ES256"
    assert key.public_jwk["kty"] == "EC" and key.public_jwk["crv"] == "P-256"


@pytest.mark.parametrize("alg", ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"])
def test_generated_keys_round_trip_through_the_keyring_form(alg):
    key = DpopKey.generate(alg)
    stored = key.to_private_jwk()
    again = DpopKey.from_private_jwk(stored)
    assert again.alg == alg and again.thumbprint == key.thumbprint == jwk_thumbprint(key.public_jwk)
    assert json.loads(stored)["alg"] == alg and "d" in json.loads(stored)


@pytest.mark.parametrize("alg", ["ES256", "RS256", "EdDSA"])
def test_public_jwk_has_no_private_member(alg):
    public = DpopKey.generate(alg).public_jwk
    assert not {"d", "p", "q", "dp", "dq", "qi", "oth", "k"} & set(public)


def test_repr_never_shows_the_private_key():
    key = DpopKey.generate()
    private_d = json.loads(key.to_private_jwk())["d"]
    assert private_d not in repr(key) and key.thumbprint in repr(key)


def test_a_stored_key_without_alg_gets_its_key_types_usual_one():
    from jwt.algorithms import ECAlgorithm, RSAAlgorithm

    ec_jwk = ECAlgorithm.to_jwk(test_keys.ec_private("P-384"), as_dict=True)
    rsa_jwk = RSAAlgorithm.to_jwk(test_keys.rsa_private(), as_dict=True)
    assert DpopKey.from_private_jwk(ec_jwk).alg == "ES384"
    assert DpopKey.from_private_jwk(json.dumps(rsa_jwk)).alg == "RS256"
    assert DpopKey.from_private_jwk({**rsa_jwk, "alg": "PS256"}).alg == "PS256"


@pytest.mark.parametrize("stored, words", [
    ("{not json", "not valid JSON"),
    ("[1]", "JSON object"),
    (json.dumps(test_keys.public_jwk(test_keys.ec_private())), "no private part"),
    (json.dumps({"kty": "oct", "k": "c2VjcmV0"}), "not one this client signs with"),
    (json.dumps({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "d": "AA"}), "cannot be loaded"),
])
def test_unusable_stored_keys_are_plain_errors(stored, words):
    with pytest.raises(KeySourceError) as raised:
        DpopKey.from_private_jwk(stored)
    assert words in raised.value.message


def test_symmetric_and_unknown_algorithms_are_refused():
    assert "HS256" not in DPOP_ALGORITHMS
    for alg in ("HS256", "none", "RSA-OAEP"):
        with pytest.raises(KeySourceError):
            DpopKey.generate(alg)


def test_a_key_of_the_wrong_type_for_the_alg_is_refused():
    with pytest.raises(KeySourceError, match="needs a private EC key on P-384"):
        DpopKey(test_keys.ec_private("P-256"), "ES384")
