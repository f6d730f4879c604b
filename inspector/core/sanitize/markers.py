"""The markers a sanitized file holds where a secret was: ``redacted-3f9a0c1d2e4``.

A marker is a keyed hash of the value it replaces (HMAC-SHA256, RFC 2104, with a random key made
for each file and never written anywhere), so the same code sent twice gets the same marker in
every entry, while no one can test a guess against it. It uses only URL-unreserved characters
(RFC 3986 §2.3), so it needs no encoding in a URL, a form, a cookie or a header, and it is valid
base64url, so a JWT whose signature segment became a marker still decodes.

A PKCE verifier's marker also carries ``BASE64URL(SHA256(verifier))`` (RFC 7636 §4.2), which is
public anyway (the authorization request's ``code_challenge``): ``redacted-3f9a0c1d2e4-S256-E9Me…``.
A sanitized recording still proves a verifier that does not match its challenge.

The diagnosis engine reads markers through :func:`is_marker`, :func:`challenge_of` and
:func:`signature_removed`; this module imports only the standard library and the PKCE helper.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from inspector.core.protocol.pkce import s256_challenge

__all__ = ["KEY_BYTES", "MARKER_PREFIX", "Markers", "challenge_of", "is_marker", "signature_removed"]

MARKER_PREFIX = "redacted-"
KEY_BYTES = 32
#: Hex digits of the HMAC kept: 44 bits tell a file's values apart; 20 characters decode as base64url.
TAG_DIGITS = 11
_MARKER = re.compile(rf"redacted-[0-9a-f]{{{TAG_DIGITS}}}")
_VERIFIER = re.compile(rf"redacted-[0-9a-f]{{{TAG_DIGITS}}}-S256-([A-Za-z0-9_-]{{43}})")


class Markers:
    """The markers of one file. ``key`` is for tests; by default a fresh random key (so markers
    of two files never match: a marker says nothing outside its file)."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key is not None else secrets.token_bytes(KEY_BYTES)

    def mark(self, value: str) -> str:
        """The marker of ``value``; a marker is its own marker (sanitizing twice changes nothing)."""
        if is_marker(value):
            return value
        digest = hmac.new(self._key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
        return f"{MARKER_PREFIX}{digest[:TAG_DIGITS]}"

    def verifier(self, value: str) -> str:
        """A ``code_verifier``'s marker with its S256 challenge; a verifier that is not ASCII (never
        valid, RFC 7636 §4.1) has no challenge and gets a plain marker."""
        if is_marker(value):
            return value
        try:
            challenge = s256_challenge(value)
        except UnicodeEncodeError:
            return self.mark(value)
        return f"{self.mark(value)}-S256-{challenge}"


def is_marker(value: object) -> bool:
    """Whether ``value`` is a marker this module made (plain or a verifier's)."""
    return isinstance(value, str) and value.startswith(MARKER_PREFIX) and (
        _MARKER.fullmatch(value) is not None or _VERIFIER.fullmatch(value) is not None)


def challenge_of(value: object) -> str | None:
    """The S256 challenge a verifier's marker carries, or None."""
    if not isinstance(value, str):
        return None
    found = _VERIFIER.fullmatch(value)
    return found.group(1) if found else None


def signature_removed(token: object) -> bool:
    """Whether ``token`` is a compact JWS whose signature a sanitizer replaced by a marker: its
    header and claims are as issued, but nothing can be verified."""
    if not isinstance(token, str) or token.count(".") != 2:
        return False
    return _MARKER.fullmatch(token.rsplit(".", 1)[1].strip()) is not None
