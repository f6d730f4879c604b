import pytest

from inspector.core.errors import MalformedTokenError
from inspector.core.jose.b64 import b64url_decode, b64url_encode


@pytest.mark.parametrize("data", [b"", b"f", b"fo", b"foo", b"foob", b"\xff\xfe\x00", bytes(range(256))])
def test_round_trip(data):
    encoded = b64url_encode(data)
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    assert b64url_decode(encoded) == data


def test_rfc7515_appendix_c_example():
    assert b64url_decode("A-z_4ME") == bytes([3, 236, 255, 224, 193])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Zm9v=", "padding"),
        ("Zm9vYg==", "padding"),
        ("a+b/", "standard base64"),
        ("Zm9v YmFy", "Whitespace"),
        ("Zm9v\nYmFy", "Whitespace"),
        ("Zm9v.", "not allowed"),
        ("é", "not allowed"),
        ("Zm9vY", "length"),
        ("Zh", "stray bits"),  # 'h' sets bits that 'g' (canonical) leaves clear
        ("Zm9vYmF", "stray bits"),
    ],
)
def test_rejects_non_strict_input(text, reason):
    with pytest.raises(MalformedTokenError, match=reason):
        b64url_decode(text)


def test_canonical_last_characters_accepted():
    assert b64url_decode("Zg") == b"f"
    assert b64url_decode("Zm8") == b"fo"
