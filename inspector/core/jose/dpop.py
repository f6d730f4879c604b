"""Making DPoP proofs (RFC 9449 §4.2): one fresh signed JWT per HTTP request.

A proof names the request it goes with (``htm``, ``htu``), when it was made (``iat``), a random
``jti`` the server may remember to refuse replays, the server's ``nonce`` when it gave one
(§8, §9) and, on a request that presents an access token, ``ath``: the hash of that token (§7.1).
Its header carries the key's public half (``jwk``), which is how the server checks it.

Clock and randomness are parameters (as :class:`inspector.core.flows.context.FlowEnvironment`
holds them), so tests make the same proof twice.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any, Callable, Protocol

from inspector.core.jose.b64 import b64url_encode
from inspector.core.jose.dpop_htu import normalise_htu
from inspector.core.jose.dpop_key import DpopKey

__all__ = ["DPOP_TYP", "JTI_BYTES", "ProofFactory", "access_token_hash", "make_proof", "proof_factory"]

#: The header ``typ`` of a proof (RFC 9449 §4.2).
DPOP_TYP = "dpop+jwt"
#: Random bytes in a ``jti``: 16 (128 bits), above the 96 bits RFC 9449 §4.2 asks for.
JTI_BYTES = 16


class ProofFactory(Protocol):
    """What a sender needs: a fresh proof for one request (see :func:`proof_factory`)."""

    def __call__(self, htm: str, htu: str, *, nonce: str | None = None, access_token: str | None = None) -> str: ...


def access_token_hash(access_token: str) -> str:
    """``ath``: base64url of the SHA-256 of the token's ASCII bytes (RFC 9449 §4.2)."""
    return b64url_encode(hashlib.sha256(access_token.encode("ascii")).digest())


def make_proof(
    key: DpopKey,
    htm: str,
    htu: str,
    *,
    nonce: str | None = None,
    access_token: str | None = None,
    clock: Callable[[], float] = time.time,
    random: Callable[[int], str] = secrets.token_urlsafe,
) -> str:
    """A compact proof for ``htm`` (the method, as sent: ``POST``) on ``htu`` (any URL: its query,
    fragment and userinfo are left out, see :func:`normalise_htu`), signed with ``key``.

    ``nonce`` is the server's latest ``DPoP-Nonce`` for that origin; ``access_token``, on a request
    that presents one, adds ``ath``. Raises ValueError for a URL that is not absolute http(s) and
    UnicodeEncodeError for an access token that is not ASCII (no server would accept it either).
    """
    claims: dict[str, Any] = {
        "jti": random(JTI_BYTES),
        "htm": htm,
        "htu": normalise_htu(htu),
        "iat": int(clock()),
    }
    if nonce is not None:
        claims["nonce"] = nonce
    if access_token is not None:
        claims["ath"] = access_token_hash(access_token)
    return key.sign({"typ": DPOP_TYP, "alg": key.alg, "jwk": key.public_jwk}, claims)


def proof_factory(
    key: DpopKey,
    *,
    clock: Callable[[], float] = time.time,
    random: Callable[[int], str] = secrets.token_urlsafe,
) -> ProofFactory:
    """:func:`make_proof` with the key and dependencies bound: what
    :func:`inspector.core.protocol.dpop_send.send_with_dpop` calls for each attempt."""

    def make(htm: str, htu: str, *, nonce: str | None = None, access_token: str | None = None) -> str:
        return make_proof(key, htm, htu, nonce=nonce, access_token=access_token, clock=clock, random=random)

    return make
