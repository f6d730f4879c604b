"""Server nonces for DPoP (RFC 9449 §8, §9): the ``DPoP-Nonce`` header and ``use_dpop_nonce``.

A server may insist that proofs carry a nonce it chose, so it need not trust the client's clock:
it refuses a proof without its current nonce with ``use_dpop_nonce`` — in a JSON error at the
token endpoint (§8, HTTP 400), in a ``WWW-Authenticate: DPoP`` challenge at a resource server
(§9, HTTP 401) — and sends the nonce to use in ``DPoP-Nonce``. It may send a fresh one with any
answer. Nonces belong to the server that gave them, so :class:`NonceStore` keeps one per origin.

Only ``error="use_dpop_nonce"`` is looked for in a challenge here; reading challenges in full is
:mod:`inspector.core.protocol`'s WWW-Authenticate parser's job.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from inspector.core.jose.dpop_htu import origin_of

__all__ = ["NONCE_HEADER", "NonceStore", "asks_for_nonce", "server_nonce"]

NONCE_HEADER = "DPoP-Nonce"
USE_DPOP_NONCE = "use_dpop_nonce"
#: RFC 9449 §8.1: nonce = 1*NQCHAR, NQCHAR = %x21 / %x23-5B / %x5D-7E (no space, quote or backslash).
_NONCE = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+")
_CHALLENGE_ERROR = re.compile(r"""(?:^|[\s,])error\s*=\s*(?:"use_dpop_nonce"|use_dpop_nonce)(?:$|[\s,])""", re.I)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """``headers[name]`` compared case-insensitively (httpx headers are already, a recorded dict is not)."""
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def server_nonce(headers: Mapping[str, str]) -> str | None:
    """The nonce in ``DPoP-Nonce``, or None when there is none or it is not a valid nonce."""
    value = _header(headers, NONCE_HEADER)
    if value is None:
        return None
    value = value.strip()
    return value if _NONCE.fullmatch(value) else None


def asks_for_nonce(status: int | None, body: Any, headers: Mapping[str, str]) -> bool:
    """Whether an answer refuses a proof for lack of the server's nonce: ``{"error": "use_dpop_nonce"}``
    (the token endpoint, RFC 9449 §8) or a challenge with ``error="use_dpop_nonce"`` (a resource, §9)."""
    if status is None or status < 400:
        return False
    if isinstance(body, Mapping) and body.get("error") == USE_DPOP_NONCE:
        return True
    challenge = _header(headers, "www-authenticate")
    return challenge is not None and _CHALLENGE_ERROR.search(challenge) is not None


class NonceStore:
    """The latest nonce each server gave, by origin (RFC 9449 §8: a nonce is the server's own).
    One per flow (or per API-call session): nonces are short-lived and never saved."""

    def __init__(self) -> None:
        self._nonces: dict[str, str] = {}

    def get(self, url: str) -> str | None:
        """The nonce to put in a proof for a request to ``url`` (None: the server gave none yet)."""
        try:
            return self._nonces.get(origin_of(url))
        except ValueError:
            return None

    def remember(self, url: str, headers: Mapping[str, str]) -> str | None:
        """Keep the nonce an answer from ``url`` carries, if any (§8.2: any answer may bring a new
        one); return it."""
        nonce = server_nonce(headers)
        if nonce is not None:
            try:
                self._nonces[origin_of(url)] = nonce
            except ValueError:
                return None
        return nonce

    def __repr__(self) -> str:
        return f"NonceStore(origins={sorted(self._nonces)!r})"
