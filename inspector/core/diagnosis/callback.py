"""A pasted authorization response (RFC 6749 §4.1.2, §4.1.2.1; OpenID Connect Core §3.1.2.5-6,
§3.2.2.5 for tokens in the fragment) or authorization request (RFC 6749 §4.1.1).

On its own a callback shows the provider's error, its RFC 9207 ``iss`` and any token carried in
the fragment; the state and nonce it must match live in the application, so comparing them needs
a record (a HAR or a flow) instead.
"""

from __future__ import annotations

from typing import Mapping

from inspector.core.diagnosis.causes import make, quote
from inspector.core.diagnosis.issuers import issuer_difference
from inspector.core.diagnosis.model import Confidence, Diagnosis, DiagnosisContext, Evidence, EvidenceKind
from inspector.core.diagnosis.oauth_errors import answer_from_params, explain
from inspector.core.diagnosis.token_kind import ACCESS, ID

__all__ = ["diagnose_authorize_request", "diagnose_callback", "issuer_param", "missing_openid"]


def diagnose_callback(params: Mapping[str, str], ctx: DiagnosisContext, *, where: str = "authorization response",
                      prompt: str | None = None) -> list[Diagnosis]:
    from inspector.core.diagnosis.token import TokenCase, judge_embedded

    found: list[Diagnosis] = []
    answer = answer_from_params(params, where=where)
    if answer is not None:
        found += explain(answer, endpoint="authorize", prompt=prompt)
    if ctx.issuer and params.get("iss"):
        found += issuer_param(params["iss"], ctx.issuer, where)
    for name, kind in (("id_token", ID), ("access_token", ACCESS)):
        if params.get(name):
            found += judge_embedded(TokenCase(params[name], f"{label(kind)} in the {where}", expect=kind,
                                           issuer=ctx.issuer, client_id=ctx.client_id,
                                           nonce=ctx.nonce if kind == ID else None, keys=ctx.keys,
                                           keys_where="the keys given", source=ctx.source, moment=ctx.moment()))
    return found


def label(kind: str) -> str:
    return "ID token" if kind == ID else "access token"


def issuer_param(iss: str, expected: str, where: str) -> list[Diagnosis]:
    """RFC 9207 §2.4: the response's ``iss`` must be the issuer the request was sent to, exactly."""
    if iss == expected:
        return []
    difference = issuer_difference(iss, expected)
    evidence = [Evidence.of(EvidenceKind.PARAMETER, "iss", iss, where),
                Evidence.of(EvidenceKind.OPTION, "issuer", expected, "the issuer the request was sent to")]
    if difference.same_host:
        return [make("issuer_mismatch", Confidence.CERTAIN, evidence, iss=quote(iss), expected=quote(expected),
                     difference=difference.phrase, fix_detail=difference.fix)]
    return [make("wrong_environment", Confidence.LIKELY, evidence, iss=quote(iss), expected=quote(expected),
                 detail=" (the authorization response names another issuer: a mix-up, or another environment)")]


def missing_openid(params: Mapping[str, str], where: str, *, id_token_wanted: bool) -> list[Diagnosis]:
    """An ID token was wanted (a nonce sent, an ID token expected) but openid was not requested."""
    scope = params.get("scope")
    if scope is None or "openid" in scope.split() or not id_token_wanted:
        return []
    evidence = [Evidence.of(EvidenceKind.PARAMETER, "scope", scope, where)]
    if params.get("nonce"):
        evidence.append(Evidence.of(EvidenceKind.PARAMETER, "nonce", params["nonce"], where))
    return [make("missing_openid_scope", Confidence.CERTAIN, evidence, scope=quote(scope))]


def diagnose_authorize_request(params: Mapping[str, str], ctx: DiagnosisContext) -> list[Diagnosis]:
    wanted = ctx.expect == ID or bool(params.get("nonce")) or "id_token" in params.get("response_type", "").split()
    return missing_openid(params, "authorization request", id_token_wanted=wanted)
