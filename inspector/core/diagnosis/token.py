"""Why a token was refused, from the verifier's findings: this module runs the JOSE verifier
(or reads the findings a flow record kept) and maps finding codes to causes; it never checks a
token a second way.

The key decides the issuer boundary: an ``iss`` that differs while the checked issuer's key
verifies the token is ``issuer_mismatch``; a differing ``iss`` with a ``kid`` the checked issuer
does not publish is ``wrong_environment``; a matching ``iss`` with an unknown ``kid`` is
``signing_key_rotated``, certain when a fresh copy of the issuer's JWKS has that kid.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Sequence

from inspector.core.diagnosis.causes import make, quote
from inspector.core.diagnosis.issuers import issuer_difference
from inspector.core.diagnosis.model import Confidence, Diagnosis, Evidence, EvidenceKind
from inspector.core.diagnosis.timing import Skew, skew_from_reading, time_diagnoses
from inspector.core.diagnosis.token_kind import ACCESS, ID, REFRESH, KindGuess, guess_kind, label_of, name_of
from inspector.core.findings import Finding, Severity
from inspector.core.protocol.clock import host_of
from inspector.core.sanitize.markers import signature_removed

if TYPE_CHECKING:
    from inspector.core.diagnosis.remote import IssuerSource
    from inspector.core.jose.parse import DecodedToken

__all__ = ["FINDING_CAUSES", "TokenCase", "Verdict", "explain_verdict", "judge_embedded", "judge_token"]

#: Verifier finding codes whose cause needs no further reasoning.
FINDING_CAUSES = {"aud_mismatch": "wrong_audience", "azp_mismatch": "wrong_audience",
                  "nonce_mismatch": "nonce_mismatch", "alg_none": "unsigned_token"}
#: Findings the rules below explain; any other error finding is reported as token_invalid.
_EXPLAINED = frozenset({*FINDING_CAUSES, "key_mismatch", "key_not_found", "bad_signature", "iss_mismatch",
                        "expired", "not_yet_valid", "issued_in_future", "malformed", "encrypted"})
_TYPE_FIXES = {
    (ACCESS, ID): "Use the id_token member of the token response to sign the person in; the access token is for "
                  "calling APIs and its audience is the API, not the client.",
    (ID, ACCESS): "Send the access_token of the token response to APIs; the ID token only tells the client who signed "
                  "in (OpenID Connect Core §2).",
    (REFRESH, ACCESS): "Send the access token to APIs; a refresh token only goes back to the token endpoint.",
    (REFRESH, ID): "Use the id_token member of the token response; a refresh token only goes to the token endpoint.",
}


@dataclass
class TokenCase:
    """One token and what is known about how it was judged: the expectations, the keys (and where
    they came from), the issuer to fetch current keys from, the moment, and the judging clock."""

    token: str | None
    where: str = "token"
    expect: str | None = None
    issuer: str | None = None
    client_id: str | None = None
    nonce: str | None = None
    audiences: tuple[str, ...] = ()
    keys: tuple = ()
    keys_where: str = "the keys given"
    source: "IssuerSource | None" = None
    moment: float = 0.0
    skew: Skew | None = None

    @property
    def expected(self) -> str | None:
        """What the failing party wanted; a nonce is only ever checked in an ID token."""
        return self.expect or (ID if self.nonce else None)


@dataclass
class Verdict:
    """What the verifier said: its findings and the token's parts (from a run or a record)."""

    findings: list[Finding]
    header: dict[str, Any] = field(default_factory=dict)
    claims: dict[str, Any] = field(default_factory=dict)
    decoded: "DecodedToken | None" = None


def judge_token(case: TokenCase) -> list[Diagnosis]:
    """Decode and verify ``case.token`` and explain every failure (MalformedTokenError when nothing
    in it can be read)."""
    from inspector.core.jose.parse import decode

    decoded = decode(case.token or "")
    damaged = [f for f in decoded.findings if f.code == "malformed"]
    if damaged:
        return [_malformed(damaged[0], case.where)]
    kind = guess_kind(decoded, case.where)
    found = _wrong_type(kind, case)
    if decoded.format != "jws":
        return found
    if not case.keys and case.source is not None:
        fetched = case.source.keys()
        case = replace(case, keys=tuple(fetched.keys), keys_where=case.source.where)
        if fetched.problem is not None:
            found.append(fetched.problem)
    report = _verify(decoded, case, kind)
    if signature_removed(decoded.raw):  # from a sanitized recording: header and claims as issued, no signature
        findings = [f for f in report.findings if f.code not in ("bad_signature", "signature_valid")]
        return found + explain_verdict(Verdict(findings, decoded.header or {}, decoded.claims or {}), case, kind)
    return found + explain_verdict(Verdict(report.findings, decoded.header or {}, decoded.claims or {}, decoded),
                                   case, kind)


def judge_embedded(case: TokenCase) -> list[Diagnosis]:
    """``judge_token`` for a token carried in something else (a response, a callback, a record):
    one in which nothing can be read is a damaged token there, not unusable input."""
    from inspector.core.errors import MalformedTokenError

    try:
        return judge_token(case)
    except MalformedTokenError as exc:
        return [make("malformed_token", Confidence.CERTAIN, [Evidence.of(EvidenceKind.FINDING, "malformed",
                     exc.message, case.where)], detail=f"nothing in the {case.where} can be read")]


def _verify(decoded: "DecodedToken", case: TokenCase, kind: KindGuess) -> Any:
    from inspector.core.jose.verify import Expectations, verify

    as_id_token = case.expected == ID or (case.expected is None and kind.kind == ID)
    audiences = case.audiences
    if case.client_id and not as_id_token and case.expected is None and kind.kind is None and not audiences:
        audiences = (case.client_id,)  # a token of unknown kind checked by this client: at least its audience
    expect = Expectations(issuer=case.issuer, audiences=audiences, nonce=case.nonce,
                          client_id=case.client_id if as_id_token else None)
    return verify(decoded, list(case.keys) or None, expect, now=case.moment)


def explain_verdict(verdict: Verdict, case: TokenCase, kind: KindGuess | None = None) -> list[Diagnosis]:
    """Causes for the error findings of ``verdict`` (the token's kind is checked by the caller)."""
    errors = [f for f in verdict.findings if f.severity is Severity.ERROR]
    codes = {f.code for f in errors}
    found: list[Diagnosis] = []
    iss = verdict.claims.get("iss") if isinstance(verdict.claims.get("iss"), str) else None
    differs = "iss_mismatch" in codes and iss is not None and case.issuer is not None
    found += _signature(verdict, case, errors, iss if differs else None)
    if differs and not any(d.cause in ("wrong_environment", "issuer_mismatch") for d in found):
        found.append(_issuer_by_name(iss, case, verdict))
    if codes & {"expired", "not_yet_valid", "issued_in_future"}:
        found += time_diagnoses(verdict.claims, case.moment, _skew(case), token=label_of(kind.kind if kind else None),
                                where=case.where, issuer_host=host_of(iss or case.issuer))
    for finding in errors:
        cause = FINDING_CAUSES.get(finding.code) or ("nonce_mismatch" if finding.claim == "nonce" else None)
        if cause == "wrong_audience":
            found.append(_audience(verdict, case, finding))
        elif cause == "nonce_mismatch":
            found.append(_nonce(verdict, case, finding))
        elif cause == "unsigned_token":
            found.append(make(cause, Confidence.CERTAIN, [Evidence.of(EvidenceKind.HEADER, "alg",
                              verdict.header.get("alg"), f"{case.where} header")], detail="its alg is 'none'"))
        elif finding.code not in _EXPLAINED:
            found.append(make("token_invalid", Confidence.CERTAIN, [Evidence.of(
                EvidenceKind.FINDING, finding.code, finding.message, case.where)], detail=finding.message))
    return found


def _skew(case: TokenCase) -> Skew | None:
    if case.skew is not None or case.source is None:
        return case.skew
    reading = case.source.clock_reading()
    return skew_from_reading(reading) if reading is not None else None


def _malformed(finding: Finding, where: str) -> Diagnosis:
    part = finding.part or "token"
    cut = " (the end was probably cut off)" if part in ("signature", "payload", "tag", "ciphertext") else ""
    return make("malformed_token", Confidence.CERTAIN, [Evidence.of(EvidenceKind.FINDING, "malformed",
                finding.message, f"{where} {part}")], detail=f"its {part} cannot be read{cut}")


def _wrong_type(kind: KindGuess, case: TokenCase) -> list[Diagnosis]:
    expected = case.expected
    if expected is None:
        return []
    if kind.opaque and expected == ID:
        given = "An opaque token (an access or refresh token, not a JWT)"
        return [make("wrong_token_type", Confidence.CERTAIN, kind.evidence, given=given, expected=name_of(ID),
                     detail="; ID tokens are always JWTs", fix_detail=_TYPE_FIXES[(ACCESS, ID)])]
    if kind.kind is None or kind.kind == expected:
        return []
    evidence = [*kind.evidence, Evidence.of(EvidenceKind.OPTION, "expected", expected, "what the failing party wanted")]
    shown = name_of(kind.kind)
    detail = "".join(f"; its {e.name} is {quote(e.value)}" for e in kind.evidence if e.name == "typ")
    return [make("wrong_token_type", kind.confidence, evidence, given=shown[0].upper() + shown[1:],
                 expected=name_of(expected), detail=detail,
                 fix_detail=_TYPE_FIXES.get((kind.kind, expected), f"Use {name_of(expected)} here."))]


def _signature(verdict: Verdict, case: TokenCase, errors: list[Finding], other_iss: str | None) -> list[Diagnosis]:
    """The key rules: unsigned, key confusion, unknown kid, bad signature; None for other_iss
    means iss matches the checked issuer (or nothing says otherwise)."""
    header = verdict.header
    alg, kid = header.get("alg"), header.get("kid")
    where = f"{case.where} header"
    if verdict.decoded is not None and verdict.decoded.signature == b"" and header.get("alg") != "none":
        return [make("unsigned_token", Confidence.CERTAIN, [Evidence.of(EvidenceKind.HEADER, "signature", "",
                     case.where)], detail="its signature was stripped")]
    mismatch = next((f for f in errors if f.code == "key_mismatch"), None)
    if mismatch is not None and isinstance(alg, str) and alg.startswith("HS"):
        kinds = sorted({key.kty for key in case.keys if key.kty != "oct"}) or ["a public key"]
        return [make("key_confusion", Confidence.CERTAIN, [Evidence.of(EvidenceKind.HEADER, "alg", alg, where),
                     Evidence.of(EvidenceKind.FINDING, "key_mismatch", mismatch.message, case.where)],
                     alg=quote(alg), key_kind=" or ".join(kinds) + " (public keys)")]
    unknown = next((f for f in errors if f.code == "key_not_found" and f.claim == "kid"), None)
    if unknown is not None:
        return _unknown_kid(verdict, case, kid if isinstance(kid, str) else "?", other_iss)
    bad = next((f for f in errors if f.code in ("bad_signature", "key_mismatch")), None)
    if bad is None:
        return []
    evidence = [Evidence.of(EvidenceKind.FINDING, bad.code, bad.message, case.where)]
    if kid is not None:
        evidence.insert(0, Evidence.of(EvidenceKind.HEADER, "kid", kid, where))
    if other_iss is not None:
        return [_environment(other_iss, case, evidence, Confidence.LIKELY,
                             f"; {case.keys_where} do not verify its signature")]
    return [make("signature_invalid", Confidence.CERTAIN if bad.code == "bad_signature" else Confidence.LIKELY,
                 evidence, key=f"key {quote(kid)}" if isinstance(kid, str) else case.keys_where)]


def _unknown_kid(verdict: Verdict, case: TokenCase, kid: str, other_iss: str | None) -> list[Diagnosis]:
    where = f"{case.where} header"
    evidence = [Evidence.of(EvidenceKind.HEADER, "kid", kid, where)]
    known = sorted(key.kid for key in case.keys if key.kid is not None)
    if known:
        evidence.append(Evidence.of(EvidenceKind.KEYS, "kids", known, case.keys_where))
    fresh = _refetch(case)
    problem = [fresh.problem] if fresh is not None and fresh.problem is not None else []
    if fresh is not None and fresh.url:
        evidence.append(Evidence.of(EvidenceKind.KEYS, "kids", sorted(fresh.kids), f"{fresh.url} (fetched now)"))
    found_now = fresh is not None and kid in fresh.kids
    verified = _verifies(verdict, case, fresh.keys) if found_now else None
    if other_iss is not None:
        if not found_now or verified is False:
            return [*problem, _environment(other_iss, case, evidence, Confidence.CERTAIN if not found_now else
                                           Confidence.LIKELY, f"; its key {quote(kid)} is not one of "
                                           f"{case.keys_where}")]
        return [*problem, _issuer_by_name(other_iss, case, verdict, evidence, key_proof=verified)]
    refetch = ("; a fresh copy of the issuer's JWKS has it" if found_now else
               "; not even the issuer's current JWKS has it" if fresh is not None and fresh.url else "")
    found = [*problem, make("signing_key_rotated", Confidence.CERTAIN if found_now else Confidence.LIKELY, evidence,
                            kid=quote(kid), keys_where=case.keys_where, refetch=refetch,
                            fix_detail="" if fresh is not None else "; give the issuer (--issuer) to compare with "
                            "its current keys")]
    if verified is False:
        found.append(make("signature_invalid", Confidence.CERTAIN, evidence[:1],
                          key=f"the issuer's current key {quote(kid)}"))
    return found


def _refetch(case: TokenCase) -> Any:
    """The issuer's JWKS as published now (fetched again when it was the source of the keys used),
    or None when there is no issuer to ask."""
    if case.source is None:
        return None
    if case.keys_where == case.source.where:
        return case.source.refetch_keys()
    return case.source.keys()


def _verifies(verdict: Verdict, case: TokenCase, keys: list) -> bool | None:
    """Whether ``keys`` verify the token's signature; None when the token itself is not at hand."""
    from inspector.core.jose.verify import Expectations, verify

    if verdict.decoded is None:
        return None
    report = verify(verdict.decoded, keys, Expectations(), now=case.moment)
    return any(f.code == "signature_valid" for f in report.findings)


def _environment(iss: str, case: TokenCase, evidence: list[Evidence], confidence: Confidence,
                 detail: str) -> Diagnosis:
    evidence = [Evidence.of(EvidenceKind.CLAIM, "iss", iss, f"{case.where} payload"),
                Evidence.of(EvidenceKind.OPTION, "issuer", case.issuer, "the issuer checked"), *evidence]
    return make("wrong_environment", confidence, evidence, iss=quote(iss), expected=quote(case.issuer), detail=detail)


def _issuer_by_name(iss: str, case: TokenCase, verdict: Verdict, evidence: Sequence[Evidence] = (),
                    key_proof: bool | None = None) -> Diagnosis:
    """issuer_mismatch when the checked issuer's key verified the token (certain); without keys,
    by the names alone: the same host is issuer_mismatch, another host wrong_environment."""
    difference = issuer_difference(iss, case.issuer or "")
    verified = key_proof or any(f.code == "signature_valid" for f in verdict.findings)
    base = [Evidence.of(EvidenceKind.CLAIM, "iss", iss, f"{case.where} payload"),
            Evidence.of(EvidenceKind.OPTION, "issuer", case.issuer, "the issuer checked"), *evidence]
    if verified:
        base.append(Evidence.of(EvidenceKind.KEYS, "signature", "verified with the checked issuer's key", case.where))
        return make("issuer_mismatch", Confidence.CERTAIN, base, iss=quote(iss), expected=quote(case.issuer),
                    difference=difference.phrase, fix_detail=difference.fix)
    if difference.same_host or difference.kind == "entra_version":
        return make("issuer_mismatch", Confidence.LIKELY, base, iss=quote(iss), expected=quote(case.issuer),
                    difference=difference.phrase, fix_detail=difference.fix)
    return make("wrong_environment", Confidence.LIKELY, base, iss=quote(iss), expected=quote(case.issuer),
                detail=f" ({difference.phrase}; no key was checked)")


def _audience(verdict: Verdict, case: TokenCase, finding: Finding) -> Diagnosis:
    aud, azp = verdict.claims.get("aud"), verdict.claims.get("azp")
    expected = case.client_id if finding.code == "azp_mismatch" or not case.audiences else case.audiences[0]
    evidence = [Evidence.of(EvidenceKind.CLAIM, "aud", aud, f"{case.where} payload")]
    if azp is not None:
        evidence.append(Evidence.of(EvidenceKind.CLAIM, "azp", azp, f"{case.where} payload"))
    evidence.append(Evidence.of(EvidenceKind.OPTION, "client_id" if expected == case.client_id else "audience",
                                expected, "what was expected"))
    shown = azp if finding.code == "azp_mismatch" else aud
    names = " and ".join(map(quote, shown)) if isinstance(shown, list) else quote(shown)
    detail = " (its azp names another client)" if finding.code == "azp_mismatch" else ""
    return make("wrong_audience", Confidence.CERTAIN, evidence, aud=names, expected=quote(expected), detail=detail)


def _nonce(verdict: Verdict, case: TokenCase, finding: Finding) -> Diagnosis:
    nonce = verdict.claims.get("nonce")
    evidence = [Evidence.of(EvidenceKind.CLAIM, "nonce", nonce, f"{case.where} payload"),
                Evidence.of(EvidenceKind.PARAMETER, "nonce", case.nonce, "the authorization request")]
    detail = "is missing although the authorization request sent one" if nonce is None else \
        "differs from the one the authorization request sent"
    return make("nonce_mismatch", Confidence.CERTAIN, evidence, detail=detail)
