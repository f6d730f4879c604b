"""RFC 7638 thumbprints: the RFC's vector, only the required members, plain errors."""

import pytest

from inspector.core.errors import KeySourceError
from inspector.core.jose.thumbprint import jwk_thumbprint, public_members
from tests.support import keys as test_keys
from tests.support.dpop import VECTORS


def test_rfc7638_example_key_thumbprint():
    case = VECTORS["rfc7638_3_1"]
    assert jwk_thumbprint(case["jwk"]) == case["thumbprint"]


def test_rfc9449_example_key_thumbprint_is_its_cnf_jkt():
    jwk = {"kty": "EC", "x": "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
           "y": "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA", "crv": "P-256"}
    assert jwk_thumbprint(jwk) == VECTORS["rfc9449_token_request"]["jkt"]


def test_optional_and_private_members_do_not_change_the_thumbprint():
    private = test_keys.ec_private()
    public = test_keys.public_jwk(private)
    assert jwk_thumbprint({**public, "kid": "k1", "use": "sig", "d": "c2VjcmV0"}) == jwk_thumbprint(public)
    assert set(public_members({**public, "d": "c2VjcmV0"})) == {"kty", "crv", "x", "y"}


def test_okp_thumbprint_covers_crv_kty_x():
    public = test_keys.public_jwk(test_keys.ed25519_private())
    assert set(public_members(public)) == {"crv", "kty", "x"}
    assert len(jwk_thumbprint(public)) == 43


@pytest.mark.parametrize("jwk, words", [
    ({"kty": "XYZ"}, "kty 'XYZ'"),
    ({"n": "AQAB"}, "kty None"),
    ({"kty": "EC", "crv": "P-256", "x": "AA"}, "no string y"),
    ({"kty": "RSA", "n": 5, "e": "AQAB"}, "no string n"),
])
def test_unusable_keys_say_why(jwk, words):
    with pytest.raises(KeySourceError) as raised:
        jwk_thumbprint(jwk)
    assert words in raised.value.message
