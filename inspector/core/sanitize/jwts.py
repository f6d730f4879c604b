"""A JWT kept readable without what makes it usable: its signature (RFC 7515 §7.1).

The header and claims stay as issued, so a sanitized recording still shows who issued the token,
for whom, until when, and which key signed it; the signature segment becomes a marker (valid
base64url, so decoders still read the token). A claim that is itself a secret (a JARM response's
``code``, RFC 9101 request objects carrying tokens) or personal data (when masked) is removed too,
and only then is the payload encoded again. An encrypted JWT (JWE) cannot be read at all: the
caller replaces it whole.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any

from inspector.core.sanitize.markers import is_marker

if TYPE_CHECKING:
    from inspector.core.sanitize.scrubber import Scrubber

__all__ = ["strip"]


def strip(token: str, scrubber: "Scrubber") -> str | None:
    """``header.payload.<marker>`` for a compact JWS whose header is a JSON object; None for
    anything else (not a JWT, or a JWE)."""
    parts = token.split(".")
    if len(parts) != 3 or not isinstance(_json_segment(parts[0]), dict):
        return None
    header, payload, signature = parts
    claims = _json_segment(payload)
    if isinstance(claims, dict):
        before = scrubber.total
        cleaned = scrubber.json(claims)
        if scrubber.total != before:
            payload = _encode(cleaned)
    if signature and not is_marker(signature):
        marker = scrubber.markers.mark(signature)
        scrubber.note(signature, marker)
        signature = marker
    return f"{header}.{payload}.{signature}"


def _json_segment(segment: str) -> Any:
    try:
        data = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        return json.loads(data)
    except (binascii.Error, ValueError, RecursionError):
        return None


def _encode(claims: Any) -> str:
    data = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
