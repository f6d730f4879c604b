"""Markers: keyed, stable within a file, unrelated across files, URL-safe and base64url, and read
back by the diagnosis engine (a verifier's challenge, a JWT whose signature is gone)."""

import base64
import re

from hypothesis import given
from hypothesis import strategies as st

from inspector.core.protocol.pkce import s256_challenge
from inspector.core.sanitize.markers import Markers, challenge_of, is_marker, signature_removed

KEY = b"k" * 32
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"


def test_equal_values_get_equal_markers_in_one_file_and_unrelated_ones_in_another():
    one, other = Markers(KEY), Markers(b"o" * 32)
    assert one.mark("code-1") == one.mark("code-1") != one.mark("code-2")
    assert one.mark("code-1") != other.mark("code-1")
    assert Markers().mark("code-1") != Markers().mark("code-1")  # a fresh random key each time


def test_a_marker_is_a_keyed_hash_not_the_value_nor_its_plain_hash():
    import hashlib
    import hmac

    marker = Markers(KEY).mark("secret-value")
    assert marker == "redacted-" + hmac.new(KEY, b"secret-value", hashlib.sha256).hexdigest()[:11]
    assert hashlib.sha256(b"secret-value").hexdigest()[:11] not in marker


def test_a_marker_needs_no_url_encoding_and_decodes_as_base64url():
    marker = Markers(KEY).mark("x")
    assert re.fullmatch(r"[A-Za-z0-9._~-]+", marker) and len(marker) % 4 != 1
    base64.urlsafe_b64decode(marker + "=" * (-len(marker) % 4))


def test_marking_twice_changes_nothing():
    markers = Markers(KEY)
    once = markers.mark("v")
    assert markers.mark(once) == once and markers.verifier(markers.verifier(VERIFIER)) == markers.verifier(VERIFIER)


def test_a_verifiers_marker_carries_its_s256_challenge():
    marker = Markers(KEY).verifier(VERIFIER)
    assert marker.startswith(Markers(KEY).mark(VERIFIER)) and VERIFIER not in marker
    assert challenge_of(marker) == s256_challenge(VERIFIER) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert is_marker(marker)


def test_a_verifier_that_is_not_ascii_has_no_challenge_to_carry():
    marker = Markers(KEY).verifier("vérifier-" + "x" * 40)
    assert is_marker(marker) and challenge_of(marker) is None


def test_what_is_not_a_marker():
    assert not is_marker("redacted-XYZ") and not is_marker("redacted") and not is_marker(None)
    assert challenge_of(Markers(KEY).mark("v")) is None and challenge_of(3) is None


def test_a_jwt_whose_signature_is_a_marker():
    marker = Markers(KEY).mark("sig")
    assert signature_removed(f"eyJhbGciOiJSUzI1NiJ9.e30.{marker}")
    assert not signature_removed("eyJhbGciOiJSUzI1NiJ9.e30.c2ln") and not signature_removed(marker)
    assert not signature_removed(None)


@given(st.text(min_size=1))
def test_any_value_gets_a_marker(value):
    assert is_marker(Markers(KEY).mark(value))
