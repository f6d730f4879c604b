"""The JWT bearer authorization grant (RFC 7523 §2.1): the client presents a signed JWT, the
assertion, in place of a code or a refresh token.

Its claims (§3): ``iss`` (who signed it) and ``sub`` (for whom the token is wanted) default to
the client id, ``aud`` to the token endpoint, ``jti`` is random and ``exp`` an hour or less ahead
— a longer-lived assertion is refused before anything is signed, since whoever copies one may
use it until then. The algorithm follows the key (RS256, ES256/384/512, EdDSA), signed by PyJWT.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping

from inspector.core.advice import Advice
from inspector.core.findings import Finding, error, warning
from inspector.core.protocol.client_auth import load_signing_key

__all__ = ["CLAIM_INPUT", "GRANT_TYPE", "MAX_LIFETIME", "claim_value", "claims_from_inputs", "default_claims",
           "lifetime_findings", "sign_assertion"]

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
#: The longest an assertion made here may live, in seconds.
MAX_LIFETIME = 3600
#: Prefix of a step input holding one claim of the assertion to sign (``assertion.sub``).
CLAIM_INPUT = "assertion."
_STRING_CLAIMS = ("iss", "sub", "jti")
_REQUIRED = ("iss", "sub", "aud", "exp")
DEFAULT_LIFETIME = 300


def claim_value(name: str, text: str) -> Any:
    """A claim as typed: JSON (a number, a list, an object, true) when it reads as JSON, else the
    text itself; ``iss``, ``sub`` and ``jti`` are always strings (a numeric user id stays one)."""
    if name in _STRING_CLAIMS:
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def default_claims(*, client_id: str, audience: str, now: Callable[[], float],
                   random: Callable[[int], str]) -> dict[str, Any]:
    issued = int(now())
    return {"iss": client_id, "sub": client_id, "aud": audience, "iat": issued,
            "exp": issued + DEFAULT_LIFETIME, "jti": random(24)}


def claims_from_inputs(inputs: Mapping[str, str]) -> dict[str, Any]:
    """The claims held in ``assertion.<name>`` inputs (an empty value leaves the claim out)."""
    return {name[len(CLAIM_INPUT):]: claim_value(name[len(CLAIM_INPUT):], value)
            for name, value in inputs.items() if name.startswith(CLAIM_INPUT) and value != ""}


def lifetime_findings(claims: Mapping[str, Any], now: float, part: str) -> list[Finding]:
    """Why these claims must not be signed (errors), or what the provider will likely refuse (warnings)."""
    found = [error("assertion_claim_missing", f"The assertion has no {name}, which RFC 7523 §3 requires; "
                   "nothing was signed.", claim=name, part=part) for name in _REQUIRED if name not in claims]
    exp = claims.get("exp")
    if "exp" in claims and (isinstance(exp, bool) or not isinstance(exp, (int, float))):
        found.append(error("assertion_exp_invalid", f"The assertion's exp is {exp!r}, not a time in seconds since "
                           "1970 (RFC 7519 §4.1.4); nothing was signed.", claim="exp", part=part))
    elif isinstance(exp, (int, float)):
        if exp > now + MAX_LIFETIME:
            minutes = round((exp - now) / 60)
            found.append(error("assertion_lifetime_too_long", f"The assertion would stay valid for {minutes} "
                               "minutes; one signed here lives an hour at most, since whoever copies it can use it "
                               "until it expires. Nothing was signed.", claim="exp", part=part,
                               advice=Advice("Set exp at most 3600 seconds after now (or leave it to the default, "
                                             "five minutes).")))
        elif exp <= now:
            found.append(warning("assertion_expired", "The assertion's exp is already past; the provider will "
                                 "refuse it (RFC 7523 §3).", claim="exp", part=part))
    return found


def sign_assertion(claims: Mapping[str, Any], key_pem: bytes, key_id: str | None = None) -> tuple[str, dict[str, Any]]:
    """The signed assertion and its header; the algorithm follows the key's type."""
    import jwt

    key, alg = load_signing_key(key_pem)
    header: dict[str, Any] = {"typ": "JWT"}
    if key_id:
        header["kid"] = key_id
    token = jwt.encode(dict(claims), key, algorithm=alg, headers=header)
    return token, {"alg": alg, **header}
