"""Building tokens for tests: raw segments for broken ones, PyJWT signing for valid ones."""

from __future__ import annotations

import json
from typing import Any

from inspector.core.jose.b64 import b64url_encode


def segment(value: Any) -> str:
    """base64url of a dict/list (as compact JSON), of bytes, or of a str (UTF-8)."""
    if isinstance(value, bytes):
        data = value
    elif isinstance(value, str):
        data = value.encode()
    else:
        data = json.dumps(value, separators=(",", ":")).encode()
    return b64url_encode(data)


def compact(header: Any, payload: Any, signature: bytes | str = b"sig") -> str:
    """A compact JWS from parts; a str signature is used verbatim (already encoded or broken)."""
    sig = signature if isinstance(signature, str) else b64url_encode(signature)
    return f"{segment(header)}.{segment(payload)}.{sig}"


def sign(claims: dict[str, Any], key: Any, alg: str, **header: Any) -> str:
    """A properly signed JWS via PyJWT (tests only: the product never signs)."""
    import jwt

    return jwt.encode(claims, key, algorithm=alg, headers=header or None)
