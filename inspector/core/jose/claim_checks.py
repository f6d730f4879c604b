"""Claim checks of the verification pipeline: each returns findings, none stops the others.

- Time claims, RFC 7519 §4.1.4-4.1.6: ``exp == now`` is expired, ``nbf == now`` is valid, the
  leeway widens all three; values must be JSON numbers (RFC 7519 §2 NumericDate).
- ``iss``/``aud``: RFC 7519 §4.1.1, §4.1.3; repeated expected audiences are alternatives.
- ID token rules with a client ID: OpenID Connect Core §2 (required claims) and §3.1.3.7.
- ``at_hash``/``c_hash``: OpenID Connect Core §3.1.3.6, §3.3.2.11 (left half of the hash, base64url).
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from inspector.core import findings as fnd
from inspector.core.findings import Finding
from inspector.core.jose.algorithms import hash_for
from inspector.core.jose.b64 import b64url_encode
from inspector.core.jose.claims import humanize_duration, in_date_range, is_numeric_date

if TYPE_CHECKING:
    from inspector.core.jose.verify import Expectations

__all__ = ["check_claims", "left_half_hash"]

_STRING_CLAIMS = ("iss", "sub", "azp", "nonce", "jti", "at_hash", "c_hash")
_ID_TOKEN_REQUIRED = ("iss", "sub", "aud", "exp", "iat")


def check_claims(claims: dict[str, Any], expect: Expectations, now: float, alg: str | None) -> list[Finding]:
    """Every claim finding for ``claims`` under ``expect`` at ``now``."""
    found = _types(claims) + _times(claims, now, expect.leeway)
    if expect.issuer is not None:
        found += _issuer(claims, expect.issuer)
    if expect.audiences:
        found += _audience(claims, expect.audiences, "the expected audience")
    if expect.client_id is not None:
        found += _id_token(claims, expect.client_id)
    if expect.nonce is not None:
        found += _nonce(claims, expect.nonce)
    if expect.access_token is not None:
        found += _token_hash(claims, "at_hash", "access token", expect.access_token, alg)
    if expect.code is not None:
        found += _token_hash(claims, "c_hash", "authorization code", expect.code, alg)
    return found


def left_half_hash(value: str, alg: str) -> str | None:
    """base64url of the left half of the hash of ``value``'s ASCII bytes; None for an unknown alg."""
    digest = hash_for(alg)
    if digest is None:
        return None
    full = digest(value.encode("utf-8")).digest()
    return b64url_encode(full[: len(full) // 2])


def _types(claims: dict[str, Any]) -> list[Finding]:
    found = [
        fnd.error("bad_claim_type", f"{name} must be a JSON number (seconds since 1970), not {_kind(claims[name])}.",
                  claim=name, part="payload")
        for name in ("exp", "nbf", "iat", "auth_time")
        if name in claims and not is_numeric_date(claims[name])
    ]
    found += [
        fnd.error("date_out_of_range", f"{name} is {_magnitude(claims[name])}: no real date is that far from 1970 "
                  "(a calendar ends at the year 9999), so the token cannot be judged by it.", claim=name,
                  part="payload")
        for name in ("exp", "nbf", "iat", "auth_time")
        if is_numeric_date(claims.get(name)) and not in_date_range(claims[name])
    ]
    found += [
        fnd.error("bad_claim_type", f"{name} must be a string, not {_kind(claims[name])}.", claim=name, part="payload")
        for name in _STRING_CLAIMS
        if name in claims and not isinstance(claims[name], str)
    ]
    if "aud" in claims and _audiences_of(claims["aud"]) is None:
        found.append(fnd.error("bad_claim_type", "aud must be a string or an array of strings.", claim="aud",
                               part="payload"))
    return found


def _times(claims: dict[str, Any], now: float, leeway: float) -> list[Finding]:
    found: list[Finding] = []
    allowance = f" (allowing {humanize_duration(leeway)} of leeway)" if leeway else ""
    exp, nbf, iat = (claims.get(name) for name in ("exp", "nbf", "iat"))
    if in_date_range(exp) and now >= exp + leeway:
        found.append(fnd.error("expired", f"The token expired {_ago(now - exp)}{allowance}.", claim="exp",
                               part="payload"))
    if in_date_range(nbf) and now < nbf - leeway:
        found.append(fnd.error("not_yet_valid", f"The token is not valid until {humanize_duration(nbf - now)} from now"
                               f"{allowance}. Check both clocks.", claim="nbf", part="payload"))
    if in_date_range(iat) and iat > now + leeway:
        found.append(fnd.error("issued_in_future", f"The token claims to be issued {humanize_duration(iat - now)} in "
                               f"the future{allowance}. The issuer's clock or this one is wrong.", claim="iat",
                               part="payload"))
    return found


def _issuer(claims: dict[str, Any], issuer: str) -> list[Finding]:
    if "iss" not in claims:
        return [_missing("iss", f"the issuer {issuer!r} was expected")]
    if isinstance(claims["iss"], str) and claims["iss"] != issuer:
        return [fnd.error("iss_mismatch", f"iss is {claims['iss']!r}, expected {issuer!r} (compared exactly, "
                          "trailing slash included).", claim="iss", part="payload")]
    return []


def _audience(claims: dict[str, Any], wanted: tuple[str, ...], what: str) -> list[Finding]:
    if "aud" not in claims:
        return [_missing("aud", f"{what} {' or '.join(map(repr, wanted))} was expected")]
    present = _audiences_of(claims["aud"])
    if present is not None and not set(present) & set(wanted):
        return [fnd.error("aud_mismatch", f"aud is {claims['aud']!r}, which does not contain {what} "
                          f"{' or '.join(map(repr, wanted))}.", claim="aud", part="payload")]
    return []


def _id_token(claims: dict[str, Any], client_id: str) -> list[Finding]:
    found = [_missing(name, "an ID token must have it (OpenID Connect Core §2)")
             for name in _ID_TOKEN_REQUIRED if name not in claims and name != "aud"]
    found += _audience(claims, (client_id,), "the client ID")
    audiences = _audiences_of(claims.get("aud")) or []
    azp = claims.get("azp")
    if len(audiences) > 1 and azp is None:
        found.append(_missing("azp", "the token has several audiences, so azp must name the client "
                              "(OpenID Connect Core §3.1.3.7)"))
    if isinstance(azp, str) and azp != client_id:
        found.append(fnd.error("azp_mismatch", f"azp is {azp!r}: the token was issued to another client, "
                               f"not {client_id!r}.", claim="azp", part="payload"))
    return found


def _nonce(claims: dict[str, Any], nonce: str) -> list[Finding]:
    if "nonce" not in claims:
        return [_missing("nonce", "a nonce was sent in the request, so the ID token must echo it")]
    value = claims["nonce"]
    if isinstance(value, str) and not hmac.compare_digest(value.encode(), nonce.encode()):
        return [fnd.error("nonce_mismatch", "nonce differs from the one sent: this ID token belongs to another "
                          "request (possible replay).", claim="nonce", part="payload")]
    return []


#: When at_hash/c_hash may be absent: both are optional in an ID token from the token endpoint.
_HASH_OPTIONAL = {
    "at_hash": "That is allowed for an ID token from the token endpoint (the code flow, OIDC Core §3.1.3.8); only "
               "one issued with an access token by the authorization endpoint must have it (§3.2.2.10, §3.3.2.11).",
    "c_hash": "That is allowed except in an ID token the authorization endpoint issues with a code (the hybrid "
              "flow, OIDC Core §3.3.2.11).",
}


def _token_hash(claims: dict[str, Any], name: str, what: str, value: str, alg: str | None) -> list[Finding]:
    if name not in claims:
        return [fnd.info("missing_claim", f"{name} is absent, so the {what} was not checked against the ID token. "
                         f"{_HASH_OPTIONAL[name]}", claim=name, part="payload")]
    claimed = claims[name]
    expected = left_half_hash(value, alg) if alg else None
    if not isinstance(claimed, str) or expected is None:
        return []  # bad_claim_type or the alg finding already says why it cannot be computed
    if not hmac.compare_digest(claimed.encode(), expected.encode()):
        return [fnd.error(f"{name}_mismatch", f"{name} does not match the {what} given ({alg}: expected "
                          f"{expected}). They were not issued together.", claim=name, part="payload")]
    return []


def _audiences_of(aud: Any) -> list[str] | None:
    if isinstance(aud, str):
        return [aud]
    if isinstance(aud, list) and all(isinstance(item, str) for item in aud):
        return aud
    return None


def _missing(name: str, why: str) -> Finding:
    return fnd.error("missing_claim", f"{name} is missing: {why}.", claim=name, part="payload")


def _ago(seconds: float) -> str:
    return "just now" if seconds < 1 else f"{humanize_duration(seconds)} ago"


def _magnitude(value: float) -> str:
    """A number as a person can read it, however many digits it has (str() refuses past 4300)."""
    if isinstance(value, int) and abs(value) >= 10**15:
        digits = int(abs(value).bit_length() * 0.30103) + 1
        return f"a {'negative ' if value < 0 else ''}number of about {digits} digits"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _kind(value: Any) -> str:
    return {str: "a string", bool: "a boolean", list: "an array", dict: "an object", type(None): "null"}.get(
        type(value), "a non-finite number" if isinstance(value, float) else "a number")
