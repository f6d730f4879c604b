"""PKCE (RFC 7636) and the other per-flow random values: state and nonce.

All come from ``secrets`` (or an injected source in tests) with 256 bits of entropy, well above
the 128 bits a careful client needs (RFC 7636 §7.1, RFC 6749 §10.10).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Callable

__all__ = ["RandomSource", "random_value", "s256_challenge"]

#: Produces a URL-safe random string from ``nbytes`` random bytes (``secrets.token_urlsafe``).
RandomSource = Callable[[int], str]

ENTROPY_BYTES = 32


def random_value(random: RandomSource = secrets.token_urlsafe) -> str:
    """A state, nonce or verifier: 32 random bytes, base64url (43 characters)."""
    return random(ENTROPY_BYTES)


def s256_challenge(verifier: str) -> str:
    """``BASE64URL(SHA256(ASCII(code_verifier)))`` (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
