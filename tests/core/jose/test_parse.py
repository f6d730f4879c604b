import json

import pytest
from hypothesis import given, settings

from inspector.core.errors import MalformedTokenError
from inspector.core.findings import Finding
from inspector.core.jose.parse import clean_token_text, decode
from tests.support.fuzz import any_bytes, any_text
from tests.support.jose import compact, segment

HEADER = {"alg": "RS256", "typ": "JWT", "kid": "k1"}
CLAIMS = {"iss": "https://issuer.example", "sub": "alice", "exp": 1800000000}


def codes(decoded):
    return [(f.code, f.severity.value, f.part) for f in decoded.findings]


@pytest.mark.parametrize(
    "pasted",
    ["  TOKEN \n", '"TOKEN"', "'TOKEN'", "Bearer TOKEN", "bearer   TOKEN", '"Bearer TOKEN"',
     "Authorization: Bearer TOKEN", "`TOKEN`"],
)
def test_clean_token_text_strips_what_people_paste(pasted):
    assert clean_token_text(pasted) == "TOKEN"


def test_decodes_a_well_formed_jws():
    token = compact(HEADER, CLAIMS, b"\x01\x02")
    decoded = decode(f"Bearer {token}\n")
    assert decoded.format == "jws"
    assert decoded.header == HEADER and decoded.claims == CLAIMS
    assert decoded.signature == b"\x01\x02"
    assert decoded.signing_input == token.rsplit(".", 1)[0].encode()
    assert decoded.findings == []
    assert decoded.alg == "RS256"
    assert decoded.to_json() == {"format": "jws", "header": HEADER, "claims": CLAIMS, "findings": []}


def test_spans_point_into_the_cleaned_text():
    token = compact(HEADER, CLAIMS)
    decoded = decode(f"  {token}  ")
    assert [(part, token[start:end]) for part, start, end in decoded.spans] == list(
        zip(("header", "payload", "signature"), token.split("."))
    )


def test_dot_free_text_is_opaque():
    decoded = decode("2YotnFZFEjr1zCsicMWpAA")
    assert decoded.format == "opaque" and decoded.header is None and decoded.claims is None
    assert codes(decoded) == [("opaque", "info", None)]


def test_five_parts_is_jwe_with_header_only():
    header = {"alg": "RSA-OAEP", "enc": "A256GCM"}
    token = ".".join([segment(header), segment(b"key"), segment(b"iv"), segment(b"ciphertext"), segment(b"tag")])
    decoded = decode(token)
    assert decoded.format == "jwe" and decoded.header == header and decoded.claims is None
    assert codes(decoded) == [("encrypted", "info", "ciphertext")]
    assert [span[0] for span in decoded.spans] == ["header", "encrypted_key", "iv", "ciphertext", "tag"]


def test_broken_signature_segment_still_shows_claims():
    decoded = decode(compact(HEADER, CLAIMS, "not+base64"))
    assert decoded.claims == CLAIMS and decoded.signature is None
    assert codes(decoded) == [("malformed", "error", "signature")]


def test_non_json_payload_still_shows_header():
    decoded = decode(compact(HEADER, b"hello, world"))
    assert decoded.header == HEADER and decoded.claims is None and decoded.payload == b"hello, world"
    assert codes(decoded) == [("malformed", "error", "payload")]


def test_non_utf8_payload_is_a_finding():
    decoded = decode(compact(HEADER, b"\xff\xfe{}"))
    assert decoded.claims is None
    assert "not UTF-8" in decoded.findings[0].message


@pytest.mark.parametrize("payload", [[1, 2], "text", 42, None, True])
def test_payload_json_that_is_not_an_object(payload):
    decoded = decode(compact(HEADER, payload))
    assert decoded.claims is None and codes(decoded) == [("malformed", "error", "payload")]


def test_deeply_nested_payload_is_a_finding():
    decoded = decode(compact(HEADER, b"[" * 100_000 + b"]" * 100_000))
    assert decoded.claims is None and codes(decoded) == [("malformed", "error", "payload")]


def test_nan_is_not_json():
    decoded = decode(compact(HEADER, b'{"exp": NaN}'))
    assert decoded.claims is None and "NaN" in decoded.findings[0].message


def test_duplicate_claim_names_are_an_error():
    decoded = decode(compact(HEADER, b'{"sub":"alice","sub":"admin"}'))
    assert decoded.claims == {"sub": "admin"}
    assert [(f.code, f.claim) for f in decoded.findings] == [("malformed", "sub")]


def test_two_parts_means_missing_signature():
    decoded = decode(f"{segment(HEADER)}.{segment(CLAIMS)}")
    assert decoded.claims == CLAIMS and decoded.signature is None
    assert codes(decoded) == [("malformed", "error", "signature")]


def test_alg_none_and_stripped_signature_are_flagged_unsigned():
    assert codes(decode(compact({"alg": "nOnE"}, CLAIMS, b""))) == [("unsigned", "warning", "header")]
    assert codes(decode(compact(HEADER, CLAIMS, b""))) == [("unsigned", "warning", "signature")]


def test_unencoded_payload_rfc7797():
    token = f"{segment({'alg': 'HS256', 'b64': False, 'crit': ['b64']})}.$.02.sig"
    with pytest.raises(MalformedTokenError):  # four parts: '$.02' holds a dot, RFC 7797 §5.2 forbids it
        decode(token)
    decoded = decode(f"{segment({'alg': 'HS256', 'b64': False, 'crit': ['b64']})}.$02.c2ln")
    assert decoded.payload == b"$02" and decoded.header["b64"] is False


def test_header_broken_but_payload_readable():
    decoded = decode(f"@@.{segment(CLAIMS)}.c2ln")
    assert decoded.header is None and decoded.claims == CLAIMS
    assert codes(decoded) == [("malformed", "error", "header")]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Bearer ", "a.b.c", "x.y", "a.b.c.d", "a.b.c.d.e.f", "has space", "caf\u00e9", "tab\there",
     f"{segment(b'x')}.{segment(b'y')}.z", f"@@.{segment(b'hello')}.sig", "!!.e30.e30.e30.e30"],
)
def test_nothing_readable_raises_malformed(text):
    with pytest.raises(MalformedTokenError) as info:
        decode(text)
    assert info.value.code == "malformed" and info.value.message


def test_large_token_decodes():
    claims = {"blob": "x" * 200_000}
    assert decode(compact(HEADER, claims)).claims == claims


# --- property tests: any input gives a DecodedToken or MalformedTokenError, nothing else ------------



DECODE_CODES = {"malformed", "opaque", "encrypted", "unsigned"}


@settings(max_examples=400, deadline=None)
@given(any_text | any_bytes)
def test_decode_never_raises_anything_else(text):
    try:
        decoded = decode(text)
    except MalformedTokenError as exc:
        assert exc.code == "malformed" and exc.message
        return
    assert decoded.format in ("jws", "jwe", "opaque")
    assert decoded.header is None or isinstance(decoded.header, dict)
    assert decoded.claims is None or isinstance(decoded.claims, dict)
    assert all(isinstance(f, Finding) and f.code in DECODE_CODES for f in decoded.findings)
    assert decoded.format != "jws" or decoded.header is not None or decoded.claims is not None
    json.dumps(decoded.to_json())
