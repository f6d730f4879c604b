"""What a protected resource's refusal means: its ``WWW-Authenticate`` challenges (parsed by
:mod:`.www_authenticate`) turned into findings in plain words.

The knowledge is data, in the tables below: the error codes of RFC 6750 §3.1 (``invalid_request``,
``invalid_token``, ``insufficient_scope``) and RFC 9449 §7.1 and §9 (``invalid_dpop_proof``,
``use_dpop_nonce``); the words in an ``error_description`` that tell why a token was refused; and
the schemes that ask for something other than an OAuth token. What the findings add from the
token itself (its ``scope``, ``exp`` and DPoP binding ``cnf.jkt``, when it is a JWT) comes in as
:class:`TokenFacts`, read without verification: it explains a refusal, it proves nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from inspector.core.advice import Advice
from inspector.core.errors import InspectorError
from inspector.core.findings import Finding, error, info, warning
from inspector.core.protocol.www_authenticate import Challenge, parse_header

__all__ = ["CHALLENGE_ERRORS", "INVALID_TOKEN_CAUSES", "OTHER_SCHEMES", "TOKEN_SCHEMES", "ChallengeMeaning",
           "TokenFacts", "challenge_findings", "read_challenges"]

#: The schemes that carry an OAuth access token (RFC 6750 §1, RFC 9449 §7.1), lower-cased.
TOKEN_SCHEMES = ("bearer", "dpop")


@dataclass(frozen=True)
class ChallengeMeaning:
    """``cause`` completes "This means …"; ``source`` is the RFC section that defines the code."""

    cause: str
    advice: Advice
    source: str


_FRESH_TOKEN = Advice("Get a fresh access token (run the flow again, or refresh) and call again at once.")

CHALLENGE_ERRORS: dict[str, ChallengeMeaning] = {
    "invalid_request": ChallengeMeaning(
        "the request is malformed: a parameter is missing, unsupported or repeated, or the token was sent in "
        "more than one way (header, form body and query at once)",
        Advice("Send the token once, in the Authorization header only, and check the request against the "
               "API's documentation."),
        "RFC 6750 §3.1"),
    "invalid_token": ChallengeMeaning(
        "the API did not accept the token: it is expired, revoked or malformed, or was issued for another API",
        _FRESH_TOKEN,
        "RFC 6750 §3.1"),
    "insufficient_scope": ChallengeMeaning(
        "the token is valid, but it lacks a scope this resource requires",
        Advice("Request the missing scope in {scope} and get a new token (the client may need to be allowed "
               "that scope at the provider).", ("scope",)),
        "RFC 6750 §3.1"),
    "invalid_dpop_proof": ChallengeMeaning(
        "the DPoP proof is missing or not acceptable: malformed, signed with an algorithm the API does not take, "
        "by a key other than the one the token is bound to, or with a method, URL, time, nonce or token hash "
        "(htm, htu, iat, nonce, ath) that does not match this request",
        Advice("Send a fresh DPoP proof for this exact request (its method and its URL without query), signed by "
               "the key the token was bound to when it was issued."),
        "RFC 9449 §7.1"),
    "use_dpop_nonce": ChallengeMeaning(
        "the API wants its own nonce in the DPoP proof, and sent one in the DPoP-Nonce header",
        Advice("Send the request again with a DPoP proof whose nonce claim is the DPoP-Nonce the API just sent."),
        "RFC 9449 §9"),
}

#: Words in an ``invalid_token`` error_description -> what they tell (matched as whole words, first wins).
INVALID_TOKEN_CAUSES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("expired", "expiry", "exp"), "the token has expired"),
    (("revoked", "inactive", "not active"), "the token was revoked or is no longer active"),
    (("audience", "aud"), "the token was issued for another API (its audience is not this one)"),
    (("signature",), "its signature does not verify with the API's keys (another issuer, or keys rotated since)"),
    (("issuer", "iss"), "it comes from an issuer the API does not trust"),
    (("dpop", "bound", "cnf", "proof"), "it is bound to a DPoP key and must be sent with a DPoP proof"),
    (("malformed", "decode", "parse", "format", "invalid jwt"), "the API cannot read it (it is malformed)"),
)

#: Schemes that ask for credentials other than an OAuth token, lower-cased -> what they ask for.
OTHER_SCHEMES: dict[str, str] = {
    "basic": "a user name and password (HTTP Basic, RFC 7617)",
    "digest": "a user name and password (HTTP Digest, RFC 7616)",
    "negotiate": "Kerberos or NTLM through SPNEGO (Windows integrated sign-in, RFC 4559)",
    "ntlm": "NTLM (Windows integrated sign-in)",
    "hoba": "an HTTP Origin-Bound Authentication key (RFC 7486)",
    "mutual": "a password through Mutual authentication (RFC 8120)",
    "aws4-hmac-sha256": "an AWS Signature Version 4 request signature",
}


@dataclass(frozen=True)
class TokenFacts:
    """What is known of the credentials sent: ``scheme`` of the Authorization header (None: none
    was sent), and, from a JWT access token's claims (read, not verified), its scopes, expiry and
    the thumbprint of the DPoP key it is bound to (RFC 9449 §6.1 ``cnf.jkt``)."""

    scheme: str | None = None
    scope: frozenset[str] | None = None
    expires_at: float | None = None
    bound_jkt: str | None = None

    @classmethod
    def of(cls, scheme: str | None, claims: Mapping[str, Any] | None) -> TokenFacts:
        claims = claims or {}
        scope: frozenset[str] | None = None
        if isinstance(claims.get("scope"), str):
            scope = frozenset(claims["scope"].split())
        elif isinstance(claims.get("scp"), list):  # Entra ID, Okta: a list (or a string) under scp
            scope = frozenset(item for item in claims["scp"] if isinstance(item, str))
        elif isinstance(claims.get("scp"), str):
            scope = frozenset(claims["scp"].split())
        exp = claims.get("exp")
        cnf = claims.get("cnf")
        jkt = cnf.get("jkt") if isinstance(cnf, Mapping) else None
        return cls(scheme, scope,
                   float(exp) if isinstance(exp, (int, float)) and not isinstance(exp, bool) else None,
                   jkt if isinstance(jkt, str) else None)

    @property
    def sent_token(self) -> bool:
        return self.scheme is not None and self.scheme.lower() in TOKEN_SCHEMES


def read_challenges(values: Iterable[str]) -> tuple[list[Challenge], list[Finding]]:
    """The challenges of every ``WWW-Authenticate`` field that parses, and a ``malformed_challenge``
    warning for each that does not (the others are still used)."""
    challenges: list[Challenge] = []
    findings: list[Finding] = []
    for value in values:
        try:
            challenges.extend(parse_header(value))
        except InspectorError as exc:
            findings.append(warning("malformed_challenge", f"{exc.message} The header was: {value!r}. What the "
                                    "API wants cannot be read from it."))
    return challenges, findings


def challenge_findings(status: int, challenges: list[Challenge], facts: TokenFacts, *,
                       dpop_nonce: str | None = None, now: float | None = None) -> list[Finding]:
    """Findings about an answer with ``status`` and its ``challenges`` to a request sent with
    ``facts``: what each error code means, the scope needed, the DPoP nonce and algorithms, and a
    scheme that is not the one sent. ``now`` (epoch seconds) dates the token's expiry."""
    findings: list[Finding] = []
    for challenge in challenges:
        code = challenge.params.get("error")
        if code is not None and challenge.scheme.lower() in TOKEN_SCHEMES:
            findings.append(_error_finding(status, challenge, code, facts, dpop_nonce, now))
        if challenge.is_scheme("dpop") and "algs" in challenge.params:
            findings.append(info("dpop_algs", "The API accepts DPoP proofs signed with "
                                 f"{', '.join(challenge.params['algs'].split()) or 'no algorithm it names'} "
                                 "(algs, RFC 9449 §7.1)."))
    findings.extend(_scheme_findings(status, challenges, facts))
    silent = not any(challenge.params.get("error") for challenge in challenges)
    offered = {challenge.scheme.lower() for challenge in challenges}
    if status == 401 and challenges and silent and facts.scheme and facts.scheme.lower() in offered:
        findings.append(error("token_refused", f"The API answered 401 with a challenge ({_names(challenges)}) but "
                              "no error code: it did not accept the credentials sent and does not say why (RFC 6750 "
                              f"§3.1 lets it stay silent). {_unknown_refusal(facts)}"))
    if not challenges and status == 401:
        findings.append(error("no_challenge", "The API answered 401 Unauthorized without a WWW-Authenticate "
                              "challenge (RFC 9110 §15.5.2 requires one), so it does not say why nor what it wants. "
                              f"{_unknown_refusal(facts)}"))
    elif status == 403 and silent:
        findings.append(error("forbidden", "The API answered 403 Forbidden without an OAuth error: it read the "
                              "credentials but its own rules refuse this request (a role, group, tenant or resource "
                              "the token's subject lacks, or a scope it does not name). The body may say which."))
    return findings


def _unknown_refusal(facts: TokenFacts) -> str:
    if not facts.scheme:
        return "No credentials were sent: the API most likely wants a token."
    return "The token may be expired, revoked, missing a scope or meant for another API; the body may say more."


def _error_finding(status: int, challenge: Challenge, code: str, facts: TokenFacts, dpop_nonce: str | None,
                   now: float | None) -> Finding:
    description = challenge.params.get("error_description")
    said = f"The API answered {status} with the {challenge.scheme} error {code!r}"
    said += f": {description!r}" if description else ""
    known = CHALLENGE_ERRORS.get(code)
    if known is None:
        return error(code, f"{said}. RFC 6750 and RFC 9449 do not define this code; the API's documentation "
                     "should.")
    details = {"invalid_token": _invalid_token, "insufficient_scope": _insufficient_scope,
               "use_dpop_nonce": _use_dpop_nonce}.get(code)
    extra = details(challenge, facts, dpop_nonce, now) if details else ""
    claim = {"insufficient_scope": "scope"}.get(code)
    return error(code, f"{said} ({known.source}). This means {known.cause}.{extra}", claim=claim, advice=known.advice)


def _invalid_token(challenge: Challenge, facts: TokenFacts, _nonce: str | None, now: float | None) -> str:
    extra = ""
    description = (challenge.params.get("error_description") or "").lower()
    for words, cause in INVALID_TOKEN_CAUSES:
        if any(re.search(rf"\b{re.escape(word)}\b", description) for word in words):
            extra += f" Its description says {cause}."
            break
    if facts.expires_at is not None and now is not None and facts.expires_at <= now:
        extra += f" The token's exp claim says it expired {_ago(now - facts.expires_at)} ago."
    if facts.bound_jkt and facts.scheme and facts.scheme.lower() == "bearer":
        extra += (" The token is bound to a DPoP key (cnf.jkt) but was sent as Bearer: a DPoP-bound token must be "
                  "sent with the DPoP scheme and a proof (RFC 9449 §7.2).")
    return extra


def _insufficient_scope(challenge: Challenge, facts: TokenFacts, _nonce: str | None, _now: float | None) -> str:
    needed = challenge.params.get("scope")
    if needed is None:
        return " The API did not say which scope it needs (no scope parameter)."
    extra = f" It needs the scope {needed!r}."
    if facts.scope is not None:
        missing = [scope for scope in needed.split() if scope not in facts.scope]
        has = " ".join(sorted(facts.scope)) or "no scope"
        extra += f" The token has {has!r}"
        extra += f"; missing: {' '.join(missing)!r}." if missing else ", which includes it: the API may want them all " \
            "at once, or another audience."
    return extra


def _use_dpop_nonce(_challenge: Challenge, facts: TokenFacts, nonce: str | None, _now: float | None) -> str:
    extra = f" The nonce it sent is {nonce!r}." if nonce else " But it sent no DPoP-Nonce header to use."
    if facts.scheme and facts.scheme.lower() != "dpop":
        extra += " The token was not sent with DPoP, so there was no proof to put the nonce in."
    return extra


def _scheme_findings(status: int, challenges: list[Challenge], facts: TokenFacts) -> list[Finding]:
    """A challenge list that does not offer the scheme the credentials were sent with."""
    offered = {challenge.scheme.lower() for challenge in challenges}
    if status < 400 or not offered or (facts.scheme and facts.scheme.lower() in offered):
        return []
    names = _names(challenges)
    token_schemes = offered & set(TOKEN_SCHEMES)
    if not token_schemes:
        wanted = "; ".join(OTHER_SCHEMES.get(scheme, f"the {scheme} scheme") for scheme in sorted(offered))
        return [error("other_credentials", f"The API asks for {wanted} ({names}), not an OAuth access token: "
                      "it does not take tokens at this URL, or sits behind a gateway that wants its own "
                      "credentials.")]
    sent = (facts.scheme or "").lower()
    if not sent:
        return [error("no_token", f"No token was sent, and the API asks for one ({names}).",
                      advice=Advice("Give the access token to send."))]
    if sent == "bearer" and token_schemes == {"dpop"}:
        bound = (" This token is DPoP-bound (its cnf.jkt names a key), so it is refused as Bearer: it works only "
                 "with a proof signed by that key (RFC 9449 §7.2)." if facts.bound_jkt else "")
        return [error("dpop_required", "The token was sent as Bearer, but the API accepts only DPoP tokens "
                      f"(its challenge offers {names}): it wants a DPoP-bound token sent with the DPoP scheme and "
                      f"a proof of the key (RFC 9449 §7.1).{bound}",
                      advice=Advice("Get the token with DPoP (a DPoP proof at the token endpoint) and call the API "
                                    "with the DPoP scheme and a fresh proof."))]
    if sent == "dpop" and token_schemes == {"bearer"}:
        return [error("bearer_required", "The token was sent with DPoP, but the API offers only Bearer (its "
                      f"challenge offers {names}): it does not support DPoP (RFC 9449 §7.1), and a DPoP-bound "
                      "token cannot be used there.",
                      advice=Advice("Get a token without DPoP for this API, and send it as Bearer."))]
    return [error("scheme_not_offered", f"The credentials were sent with the {facts.scheme} scheme, which the API "
                  f"does not offer (its challenge offers {names}).")]


def _names(challenges: list[Challenge]) -> str:
    return ", ".join(dict.fromkeys(challenge.scheme for challenge in challenges))


def _ago(seconds: float) -> str:
    seconds = int(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
