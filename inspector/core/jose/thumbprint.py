"""JWK thumbprints (RFC 7638): the name of a public key that every party computes alike.

DPoP binds an access token to the client's key by this thumbprint (``cnf.jkt``, RFC 9449 §6.1).
Standard library only, so the decode path can name a proof's key without loading crypto.

RFC 7638 §3.2: only the key type's required members, in lexicographic order, as JSON without
whitespace, UTF-8; the thumbprint is the base64url of its SHA-256 digest (§3.1 uses SHA-256).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Mapping

from inspector.core.errors import KeySourceError
from inspector.core.jose.b64 import b64url_encode

__all__ = ["REQUIRED_MEMBERS", "jwk_thumbprint", "public_members"]

#: The members of each key type that a thumbprint covers (RFC 7638 §3.2; OKP: RFC 8037 §2).
REQUIRED_MEMBERS: dict[str, tuple[str, ...]] = {
    "EC": ("crv", "kty", "x", "y"),
    "RSA": ("e", "kty", "n"),
    "OKP": ("crv", "kty", "x"),
    "oct": ("k", "kty"),
}


def public_members(jwk: Mapping[str, Any]) -> dict[str, str]:
    """The required members of ``jwk`` only (for EC, RSA and OKP: its public key, nothing else).

    Raises KeySourceError for an unknown ``kty`` or a required member missing or not a string.
    """
    kty = jwk.get("kty")
    members = REQUIRED_MEMBERS.get(kty) if isinstance(kty, str) else None
    if members is None:
        raise KeySourceError(f"A thumbprint needs a kty of {', '.join(REQUIRED_MEMBERS)}; this key has kty {kty!r}.")
    missing = [name for name in members if not isinstance(jwk.get(name), str)]
    if missing:
        raise KeySourceError(f"The {kty} key has no string {', '.join(missing)}, which its thumbprint needs "
                             "(RFC 7638 §3.2).")
    return {name: jwk[name] for name in members}


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """The RFC 7638 SHA-256 thumbprint of ``jwk``, base64url without padding (as ``cnf.jkt`` holds it)."""
    canonical = json.dumps(public_members(jwk), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return b64url_encode(hashlib.sha256(canonical.encode("utf-8")).digest())
