"""Making proofs (RFC 9449 §4.2): header, claims, ath; each checked by PyJWT with the embedded jwk."""

import jwt
import pytest

from inspector.core.jose.dpop import DPOP_TYP, access_token_hash, make_proof, proof_factory
from inspector.core.jose.dpop_key import DpopKey
from tests.support.dpop import NOW, VECTORS, counter_random


def pyjwt_verify(proof: str) -> tuple[dict, dict]:
    """What a server does: read the header, verify with its jwk (RFC 9449 §4.3), by PyJWT alone."""
    header = jwt.get_unverified_header(proof)
    key = jwt.PyJWK(header["jwk"], algorithm=header["alg"])
    claims = jwt.decode(proof, key.key, algorithms=[header["alg"]], options={"verify_iat": False})
    return header, claims


def test_ath_of_the_rfc9449_example_token():
    case = VECTORS["rfc9449_resource_request"]
    assert access_token_hash(case["access_token"]) == case["ath"]


@pytest.mark.parametrize("alg", ["ES256", "ES384", "RS256", "PS256", "EdDSA"])
def test_a_proof_verifies_with_its_own_jwk(alg):
    key = DpopKey.generate(alg)
    proof = make_proof(key, "POST", "https://OP.example:443/token?x=1#y", clock=lambda: NOW + 0.7,
                       random=lambda n: "r" * 22)
    header, claims = pyjwt_verify(proof)
    assert header == {"typ": DPOP_TYP, "alg": alg, "jwk": key.public_jwk}
    assert claims == {"jti": "r" * 22, "htm": "POST", "htu": "https://op.example/token", "iat": int(NOW)}


def test_nonce_and_ath_are_added_when_given():
    case = VECTORS["rfc9449_resource_request"]
    proof = make_proof(DpopKey.generate(), "GET", "https://api.example/orders", nonce="eyJ7S_zG.eyJH0-Z.HX4w-7v",
                       access_token=case["access_token"], clock=lambda: NOW, random=lambda n: "r" * 22)
    _header, claims = pyjwt_verify(proof)
    assert claims["nonce"] == "eyJ7S_zG.eyJH0-Z.HX4w-7v" and claims["ath"] == case["ath"]


def test_each_proof_has_a_fresh_jti_from_the_injected_randomness():
    make = proof_factory(DpopKey.generate(), clock=lambda: NOW, random=counter_random())
    first, second = (pyjwt_verify(make("POST", "https://op.example/token"))[1]["jti"] for _ in range(2))
    assert first != second and first.startswith("jti-0001")


def test_the_default_randomness_gives_at_least_96_bits():
    _header, claims = pyjwt_verify(make_proof(DpopKey.generate(), "POST", "https://op.example/token"))
    assert len(claims["jti"]) >= 16


def test_a_relative_url_or_a_non_ascii_token_makes_no_proof():
    key = DpopKey.generate()
    with pytest.raises(ValueError):
        make_proof(key, "POST", "/token")
    with pytest.raises(UnicodeEncodeError):
        make_proof(key, "GET", "https://api.example/", access_token="tok…en")
