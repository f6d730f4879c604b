"""What the history shows about a token without keeping it in the clear: kind and claim summary.

Decoding uses the JOSE core's decode-only parser (no verification — a summary is a label, not a
judgement). A kind given by the caller wins: a flow knows which token is the ID token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from inspector.core.errors import MalformedTokenError
from inspector.core.jose.token_kind import ACCESS, ID, REFRESH, kind_sign

#: Token kinds the history knows; a flow names the first three, pasted tokens are guessed.
KINDS = ("access", "id", "refresh", "jwt", "jwe", "opaque")
#: The kind of a history entry that holds a saved flow's record.
FLOW_KIND = "flow"
#: Every kind of history entry: the tokens', and a saved flow's record.
ENTRY_KINDS = (*KINDS, FLOW_KIND)
#: The history's short names for the kinds ``core.jose.token_kind`` tells apart (the token
#: response members that carry them: a flow names its tokens by member).
SHORT_KINDS = {ACCESS: "access", ID: "id", REFRESH: "refresh"}


@dataclass(frozen=True)
class TokenSummary:
    kind: str
    issuer: str
    subject: str
    audience: tuple[str, ...]
    expires: float | None


def summarize(token: str, kind: str | None = None, expires: float | None = None) -> TokenSummary:
    """``expires`` is known from elsewhere (a token response's ``expires_in``); the token's own
    ``exp`` claim wins over it."""
    from inspector.core.jose.parse import decode

    try:
        decoded = decode(token)
    except MalformedTokenError:
        return TokenSummary(kind or "opaque", "", "", (), expires)
    claims = decoded.claims or {}
    return TokenSummary(
        kind=kind or _guess_kind(decoded.format, decoded.header or {}, claims),
        issuer=_text(claims.get("iss")),
        subject=_text(claims.get("sub")),
        audience=_audience(claims.get("aud")),
        expires=exp if (exp := _number(claims.get("exp"))) is not None else expires,
    )


def response_expiry(response: Mapping[str, Any], received_at: float) -> float | None:
    """When the access token of a token response expires: ``expires_in`` seconds after the
    response arrived (RFC 6749 §5.1). The only expiry an opaque access token has."""
    lifetime = _number(response.get("expires_in"))
    return received_at + lifetime if lifetime is not None and lifetime > 0 else None


def _guess_kind(fmt: str, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """A JWT's kind as it shows it (``jwt`` when it does not tell); ``jwe`` and ``opaque`` by format."""
    if fmt != "jws":
        return "jwe" if fmt == "jwe" else "opaque"
    return SHORT_KINDS.get(kind_sign(header, claims).kind or "", "jwt")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _audience(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def _number(value: Any) -> float | None:
    """An expiry the history can store and show: a date in range (10**309 is no date), else None."""
    from inspector.core.jose.claims import in_date_range

    return float(value) if in_date_range(value) else None
