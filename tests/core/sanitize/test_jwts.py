"""A JWT keeps its header and claims and loses its signature; claims that are secrets (or personal
data, when masked) go too, and only then is the payload encoded again."""

from inspector.core.jose.parse import decode
from inspector.core.sanitize.jwts import strip
from inspector.core.sanitize.markers import Markers, is_marker, signature_removed
from inspector.core.sanitize.scrubber import Scrubber
from tests.support.diagnosis import id_token
from tests.support.jose import compact

KEY = b"k" * 32


def test_the_signature_becomes_a_marker_and_is_remembered():
    scrubber = Scrubber(Markers(KEY))
    token = id_token()
    stripped = strip(token, scrubber)
    header, payload, signature = token.split(".")
    assert stripped == f"{header}.{payload}.{Markers(KEY).mark(signature)}" and signature_removed(stripped)
    assert scrubber.removed == {signature: Markers(KEY).mark(signature)}
    assert decode(stripped).header == decode(token).header


def test_a_secret_claim_is_removed_and_the_payload_encoded_again():
    """A JARM response (the authorization response as a JWT) carries the code in its claims."""
    scrubber = Scrubber(Markers(KEY))
    jarm = compact({"alg": "RS256"}, {"iss": "https://idp", "code": "c-" + "x" * 30, "state": "s1"})
    claims = decode(strip(jarm, scrubber)).claims
    assert claims == {"iss": "https://idp", "code": Markers(KEY).mark("c-" + "x" * 30), "state": "s1"}


def test_untouched_claims_keep_their_exact_bytes():
    token = compact({"alg": "RS256"}, {"b": 1, "a": 2})
    assert strip(token, Scrubber(Markers(KEY))).split(".")[1] == token.split(".")[1]


def test_personal_claims_when_masked():
    claims = decode(strip(id_token(email="jane@example.com"), Scrubber(Markers(KEY), personal=True))).claims
    assert is_marker(claims["email"]) and is_marker(claims["name"]) and claims["sub"] == "248289761001"


def test_what_is_not_a_signed_jwt():
    scrubber = Scrubber(Markers(KEY))
    assert strip("eyJub3QganNvbg.e30.c2ln", scrubber) is None  # the header is not JSON
    assert strip("eyJhbGciOiJSU0EtT0FFUCJ9..aXY.Y2lwaGVy.dGFn", scrubber) is None  # a JWE
    unsigned = compact({"alg": "none"}, {"sub": "x"}, "")
    assert strip(unsigned, scrubber) == unsigned and scrubber.removed == {}


def test_a_stripped_token_stays_as_it_is():
    scrubber = Scrubber(Markers(KEY))
    once = strip(id_token(), scrubber)
    assert strip(once, scrubber) == once


def test_a_payload_that_is_not_json_is_kept():
    token = compact({"alg": "HS256", "b64": False, "crit": ["b64"]}, b"raw bytes", b"signature")
    assert strip(token, Scrubber(Markers(KEY))).split(".")[1] == token.split(".")[1]
