"""Structural signs behind a refused grant, read from the record itself. They beat any wording:
oidc-provider answers "grant request is invalid" for all of them, while the record shows which.

- The same authorization code sent twice: the second is refused (RFC 6749 §4.1.2, §10.5).
- PKCE: ``BASE64URL(SHA256(code_verifier))`` must equal the request's ``code_challenge``
  (RFC 7636 §4.6); a verifier missing while a challenge was sent fails too.
- ``redirect_uri`` in the token request must repeat the authorization request's (RFC 6749 §4.1.3).
- A code is short-lived (RFC 6749 §4.1.2: ten minutes at most; many providers allow one).
- A refresh token used again after the provider rotated it (RFC 9700 §4.14.2).
- A device code polled past its ``expires_in`` (RFC 8628 §3.2, §3.5).
- A bearer token refused by a server whose own clock (its ``Date``) is past the token's ``exp``.
"""

from __future__ import annotations

from typing import Any, Mapping

from inspector.core.diagnosis.causes import make, quote
from inspector.core.diagnosis.model import Confidence, Diagnosis, DiagnosisContext, Evidence, EvidenceKind
from inspector.core.diagnosis.oauth_errors import answer_from_body, explain
from inspector.core.diagnosis.trace import Trace, failed, masked, merge
from inspector.core.diagnosis.wordings import AUTH_CODE, DEVICE, REFRESH
from inspector.core.har.model import ExchangeKind, HarExchange
from inspector.core.protocol.pkce import s256_challenge
from inspector.core.sanitize.markers import challenge_of, is_marker

__all__ = ["bearer_checks", "client_auth_method", "token_failure"]

#: Code lifetimes: past ``_CODE_LONG`` every provider has expired it; past ``_CODE_SHORT`` many have.
_CODE_SHORT, _CODE_LONG = 60.0, 600.0


def token_failure(trace: Trace, token: HarExchange, ctx: DiagnosisContext) -> list[Diagnosis]:
    where = f"token request ({trace.label(token)})"
    grant = token.param("grant_type")
    structural: list[Diagnosis] = []
    if grant == AUTH_CODE:
        structural = _code_checks(trace, token, where)
    elif grant == REFRESH:
        structural = _refresh_checks(trace, token, where)
    elif grant == DEVICE:
        structural = _device_checks(trace, token, where)
    body = token.response_json if token.response_json is not None else token.response_text
    answer = answer_from_body(body, where=where, status=token.status, headers=dict(token.response_headers))
    worded: list[Diagnosis] = []
    if answer is not None:
        metadata = trace.metadata or (ctx.source.metadata() if ctx.source is not None and _about_client(answer)
                                      else None)
        supported = (metadata or {}).get("token_endpoint_auth_methods_supported")
        worded = explain(answer, grant=grant, endpoint="token", auth_method=client_auth_method(trace, token),
                         supported_methods=supported if isinstance(supported, list) else None,
                         redirect_uri=token.param("redirect_uri"))
    if not structural and grant == AUTH_CODE and any(d.cause == "invalid_grant_code" for d in worded):
        structural = _code_age(trace, token, where)
    return merge(structural, worded)


def _about_client(answer: Any) -> bool:
    return answer.error in ("invalid_client", "unauthorized_client", "incorrect_client_credentials")


def client_auth_method(trace: Trace, token: HarExchange) -> str | None:
    """How the client authenticated (RFC 6749 §2.3.1, RFC 7523 §2.2), as the request shows it."""
    if token.index in trace.auth_methods:
        return trace.auth_methods[token.index]
    if token.param("client_assertion"):
        return "private_key_jwt or client_secret_jwt"
    authorization = token.header("authorization", response=False)
    if authorization is not None and (masked(authorization) or authorization.lower().startswith("basic")):
        return "client_secret_basic"
    if token.param("client_secret"):
        return "client_secret_post"
    return "none" if token.param("client_id") else None


def _code_checks(trace: Trace, token: HarExchange, where: str) -> list[Diagnosis]:
    code = token.param("code")
    found: list[Diagnosis] = []
    earlier = [t for t in trace.before(token, ExchangeKind.TOKEN) if code and t.param("code") == code]
    if earlier:
        redeemed = next((t for t in earlier if not failed(t)), None)
        previous = redeemed or earlier[0]
        found.append(make("invalid_grant_code", Confidence.CERTAIN if redeemed else Confidence.LIKELY, [
            Evidence.of(EvidenceKind.PARAMETER, "code", code, where),
            Evidence.of(EvidenceKind.PARAMETER, "code", code, f"token request ({trace.label(previous)})"),
            Evidence.of(EvidenceKind.HTTP, "status", previous.status, trace.label(previous))],
            detail=f": the same code was already sent in {trace.label(previous)}"
                   f"{' and redeemed there' if redeemed else ''} (codes are single-use)"))
        return found  # the code's own authorization request belongs to the earlier exchange: no more to compare
    request = trace.authorize_for_token(token)
    if request is not None:
        found += _pkce(trace, request, token, where)
        found += _redirect(trace, request, token, where)
        found += _client(trace, request, token, where)
    return found


def _pkce(trace: Trace, request: HarExchange, token: HarExchange, where: str) -> list[Diagnosis]:
    challenge = request.param("code_challenge")
    method = request.param("code_challenge_method") or "plain"
    verifier = token.param("code_verifier")
    computed = trace.verifier_challenges.get(token.index)
    if computed is None and verifier is not None and not masked(verifier):
        computed = _challenge_of(verifier, method)
    asked = f"authorization request ({trace.label(request)})"
    evidence = [Evidence.of(EvidenceKind.PARAMETER, "code_challenge", challenge, asked),
                Evidence.of(EvidenceKind.PARAMETER, "code_challenge_method", method, asked)] if challenge else []
    if challenge and verifier is None:
        return [make("pkce_mismatch", Confidence.CERTAIN, [*evidence, Evidence.of(
            EvidenceKind.PARAMETER, "code_verifier", "absent", where)],
            detail=f"was not sent, although the {asked} had a code_challenge")]
    if challenge and computed is not None and computed != challenge:
        shown = "BASE64URL(SHA256(code_verifier))" if method == "S256" else "the code_verifier (plain)"
        return [make("pkce_mismatch", Confidence.CERTAIN, [*evidence, Evidence.of(
            EvidenceKind.PARAMETER, shown, computed, where)],
            detail=f"sent does not match: {shown} is {quote(computed)}, but the code_challenge of the {asked} "
                   f"is {quote(challenge)}")]
    if not challenge and verifier is not None:
        return [make("pkce_mismatch", Confidence.LIKELY, [Evidence.of(
            EvidenceKind.PARAMETER, "code_challenge", "absent", asked)],
            detail=f"was sent, but the {asked} had no code_challenge")]
    return []


def _challenge_of(verifier: str, method: str) -> str | None:
    if is_marker(verifier):  # a sanitized recording's: it carries the S256 challenge; a plain one is itself
        return challenge_of(verifier) if method == "S256" else verifier if method == "plain" else None
    if method == "plain":
        return verifier
    try:
        return s256_challenge(verifier) if method == "S256" else None
    except UnicodeEncodeError:
        return None  # not ASCII: never a valid verifier (RFC 7636 §4.1); the provider refuses its format


def _redirect(trace: Trace, request: HarExchange, token: HarExchange, where: str) -> list[Diagnosis]:
    asked, sent = request.param("redirect_uri"), token.param("redirect_uri")
    if not asked or sent == asked:
        return []
    label = f"authorization request ({trace.label(request)})"
    evidence = [Evidence.of(EvidenceKind.PARAMETER, "redirect_uri", asked, label),
                Evidence.of(EvidenceKind.PARAMETER, "redirect_uri", sent if sent is not None else "absent", where)]
    fix = "; the token request must repeat it exactly (RFC 6749 §4.1.3)"
    if sent is None:
        return [make("redirect_uri_mismatch", Confidence.LIKELY, evidence, redirect_uri=quote(asked),
                     detail="of the authorization request is missing from the token request", fix_detail=fix)]
    return [make("redirect_uri_mismatch", Confidence.CERTAIN, evidence, redirect_uri=quote(asked),
                 detail=f"of the authorization request differs from the one in the token request ({quote(sent)})",
                 fix_detail=fix)]


def _client(trace: Trace, request: HarExchange, token: HarExchange, where: str) -> list[Diagnosis]:
    asked, sent = request.param("client_id"), token.param("client_id")
    if not asked or not sent or asked == sent:
        return []
    return [make("invalid_grant_code", Confidence.CERTAIN, [
        Evidence.of(EvidenceKind.PARAMETER, "client_id", asked, f"authorization request ({trace.label(request)})"),
        Evidence.of(EvidenceKind.PARAMETER, "client_id", sent, where)],
        detail=f": it was issued to the client {quote(asked)} but redeemed by {quote(sent)}")]


def _code_age(trace: Trace, token: HarExchange, where: str) -> list[Diagnosis]:
    callback = trace.callback_for(token)
    if callback is None or callback.started is None or token.started is None:
        return []
    age = (token.started - callback.started).total_seconds()
    if age <= _CODE_SHORT:
        return []
    from inspector.core.protocol.clock import format_offset

    return [make("invalid_grant_code", Confidence.LIKELY if age > _CODE_LONG else Confidence.POSSIBLE, [
        Evidence.of(EvidenceKind.CLOCK, "code received", callback.started.isoformat(), trace.label(callback)),
        Evidence.of(EvidenceKind.CLOCK, "code sent", token.started.isoformat(), where)],
        detail=f": it was redeemed {format_offset(age).lstrip('+')} after it was issued, and codes live minutes at "
               "most"
               " (one minute at many providers)")]


def _refresh_checks(trace: Trace, token: HarExchange, where: str) -> list[Diagnosis]:
    sent = token.param("refresh_token")
    for earlier in trace.before(token, ExchangeKind.TOKEN):
        if not sent or earlier.param("refresh_token") != sent or failed(earlier):
            continue
        issued = (earlier.response_json or {}).get("refresh_token")
        if isinstance(issued, str) and issued != sent:
            return [make("refresh_token_invalid", Confidence.CERTAIN, [
                Evidence.of(EvidenceKind.PARAMETER, "refresh_token", sent, where),
                Evidence.of(EvidenceKind.PARAMETER, "refresh_token", sent, f"token request ({trace.label(earlier)})"),
                Evidence.of(EvidenceKind.PARAMETER, "refresh_token", issued,
                            f"token response ({trace.label(earlier)}): the new one")],
                detail=f": it was already used in {trace.label(earlier)}, whose answer rotated it (gave a new one)")]
    return []


def _device_checks(trace: Trace, token: HarExchange, where: str) -> list[Diagnosis]:
    device_code = token.param("device_code")
    for device in reversed(trace.before(token, ExchangeKind.DEVICE)):
        body: Mapping[str, Any] = device.response_json or {}
        lifetime = body.get("expires_in")
        if body.get("device_code") != device_code or not isinstance(lifetime, (int, float)) or \
                device.started is None or token.started is None:
            continue
        waited = (token.started - device.started).total_seconds()
        if waited > lifetime:
            return [make("device_code_expired", Confidence.CERTAIN, [
                Evidence.of(EvidenceKind.PARAMETER, "expires_in", lifetime, trace.label(device)),
                Evidence.of(EvidenceKind.CLOCK, "polled after", f"{waited:.0f} s", where)],
                detail=f" (it lived {lifetime} s; this poll came {waited:.0f} s after it was issued)")]
    return []


def bearer_checks(trace: Trace, exchange: HarExchange, where: str) -> list[Diagnosis]:
    """A bearer token the server refused, judged by the server's own clock (its Date header)."""
    from inspector.core.diagnosis.timing import time_diagnoses
    from inspector.core.errors import MalformedTokenError
    from inspector.core.jose.parse import decode

    authorization = exchange.header("authorization", response=False) or ""
    if exchange.status != 401 or not authorization.lower().startswith(("bearer ", "dpop ")) or \
            exchange.server_date is None:
        return []
    try:
        decoded = decode(authorization.split(" ", 1)[1])
    except MalformedTokenError:
        return []
    if decoded.claims is None or "exp" not in decoded.claims:
        return []
    found = time_diagnoses({"exp": decoded.claims["exp"]}, exchange.server_date.timestamp(), None,
                           token="access token", where=f"access token sent in the {where}", issuer_host="")
    return [d for d in found if d.cause == "token_expired"]
