"""The authorization response as it reaches the redirect URI, and the checks it must pass before
its code may be redeemed: each parameter at most once (RFC 6749 §3.1), ``state`` in constant
time (§10.12), the ``iss`` parameter (RFC 9207 §2.4), and an ``error`` response (§4.1.2.1).

Every value here is chosen by whoever sent the request (any local process can reach the
listener), so nothing is trusted until every check has passed.
"""

from __future__ import annotations

import hmac
from collections import Counter
from dataclasses import dataclass, field

from inspector.core.findings import Finding, error

__all__ = ["CALLBACK_PARAMETERS", "CallbackResult", "check_callback"]

#: A request to the redirect path with none of these is not an authorization response (a 404).
CALLBACK_PARAMETERS = frozenset({"code", "error", "state"})
#: How much of an attacker-chosen parameter name a message quotes.
NAME_CHARS = 40


@dataclass
class CallbackResult:
    """``outcome`` is "ok", "error" (a finding says why), "timeout" or "cancelled"."""

    outcome: str
    params: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    ignored_requests: int = 0

    @property
    def code(self) -> str | None:
        return self.params.get("code") if self.outcome == "ok" else None


def check_callback(pairs: list[tuple[str, str]], *, expected_state: str, expected_issuer: str | None,
                   require_iss: bool) -> CallbackResult:  # fmt: skip
    """The result of the authorization response made of the query ``pairs``, in order: a
    repeated parameter is refused first, since which of its values is the real one cannot be told
    (``state=WRONG&state=REAL``, ``code=REAL&code=ATTACKER``), then state, iss and error."""
    repeated = [name for name, count in Counter(name for name, _value in pairs).items() if count > 1]
    if repeated:
        return CallbackResult("error", {}, [_repeated(repeated)])
    params = dict(pairs)
    state = params.get("state", "")
    if not hmac.compare_digest(state.encode("utf-8"), expected_state.encode("utf-8")):
        why = "had no state" if not state else "carried a different state than this flow sent"
        return CallbackResult("error", params, [error(
            "state_mismatch",
            f"The authorization response {why}. It may be a stale tab or a forged "
            "(CSRF) response; the code was not used. Start the flow again.",
            part="callback",
        )])
    iss = params.get("iss")
    if expected_issuer is not None and (iss is not None or require_iss) and iss != expected_issuer:
        what = "no 'iss' parameter although the provider announces it" if iss is None else f"iss={iss!r}"
        return CallbackResult("error", params, [error(
            "iss_param_mismatch",
            f"The authorization response carried {what}; expected {expected_issuer!r} (RFC 9207). "
            "It may come from another provider (mix-up attack); the code was not used.",
            part="callback",
        )])
    if "error" in params:
        description = params.get("error_description")
        detail = f": {description}" if description else ""
        return CallbackResult("error", params, [error(
            "callback_error",
            f"The provider answered the authorization request with the error '{params['error']}'{detail}.",
            part="callback",
        )])
    if not params.get("code"):
        return CallbackResult("error", params, [error(
            "callback_error", "The authorization response has no code.", part="callback")])
    return CallbackResult("ok", params)


def _repeated(names: list[str]) -> Finding:
    quoted = ", ".join(repr(name if len(name) <= NAME_CHARS else name[:NAME_CHARS] + "…") for name in names)
    several = len(names) > 1
    return error(
        "invalid_callback",
        f"The authorization response repeats the parameter{'s' if several else ''} {quoted}; each may appear "
        "only once (RFC 6749 §3.1), and which value is the real one cannot be told. It may be forged; "
        "nothing in it was used. Start the flow again.",
        part="callback",
    )
