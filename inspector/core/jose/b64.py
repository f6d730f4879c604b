"""Strict base64url, as JOSE requires (RFC 7515 §2, RFC 4648 §5).

No padding, no '+' or '/', no whitespace, and only the canonical encoding: a lenient decoder
would let two different strings name the same bytes, which hides tampering from the eye.
"""

from __future__ import annotations

import base64
import re

from inspector.core.errors import MalformedTokenError

__all__ = ["b64url_decode", "b64url_encode"]

_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")
#: Bits the last character may carry beyond the data: 4 when len % 4 == 2, 2 when len % 4 == 3.
_UNUSED_BITS = {2: 0b001111, 3: 0b000011}
_VALUE = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")}


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url; raise MalformedTokenError saying exactly what is wrong."""
    if _ALPHABET.fullmatch(text) is None:
        raise MalformedTokenError(_describe_bad_character(text))
    remainder = len(text) % 4
    if remainder == 1:
        raise MalformedTokenError(
            f"A length of {len(text)} characters cannot be base64url (one character too many or too few)."
        )
    if remainder and _VALUE[text[-1]] & _UNUSED_BITS[remainder]:
        raise MalformedTokenError("Not the canonical base64url encoding: the last character has stray bits set.")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data: bytes) -> str:
    """Encode bytes as unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _describe_bad_character(text: str) -> str:
    position, char = next((i, c) for i, c in enumerate(text) if _ALPHABET.fullmatch(c) is None)
    if char == "=":
        return f"Base64url padding '=' at position {position}: JOSE forbids padding (RFC 7515 §2)."
    if char in "+/":
        return f"'{char}' at position {position} is standard base64, not base64url (use '-' and '_')."
    if char.isspace():
        return f"Whitespace at position {position}: was the token wrapped or split across lines?"
    return f"Character {char!r} at position {position} is not allowed in base64url."
