import re

from inspector.core.protocol.pkce import random_value, s256_challenge


def test_s256_challenge_matches_rfc7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert s256_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_verifier_has_256_bits_and_only_unreserved_characters():
    verifier = random_value()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", verifier)  # RFC 7636 §4.1: 43-128 unreserved characters
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", s256_challenge(verifier))


def test_random_source_is_injectable_and_asked_for_32_bytes():
    asked = []

    def fake(n):
        asked.append(n)
        return "x" * 43

    assert random_value(fake) == "x" * 43
    assert asked == [32]


def test_values_differ_between_calls():
    assert len({random_value() for _ in range(50)}) == 50
