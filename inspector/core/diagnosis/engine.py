"""The diagnosis engine's front door: any artifact in, a ranked report out.

``diagnose_bytes`` and ``diagnose_text`` detect what they are given; ``diagnose_flows`` and
``diagnose_har`` take what a front end already holds (core ``Flow`` records, a ``HarTimeline``).
Unusable input raises :class:`~inspector.core.errors.UnusableInputError`; everything the
artifact shows, failures included, is a diagnosis. A HAR's or a flow's report comes back masked
by what it sent (:mod:`~inspector.core.diagnosis.masking`): a provider echoing a secret never
puts it in a report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

from inspector.core.diagnosis.detect import Artifact, HttpMessage, as_text, detect
from inspector.core.diagnosis.model import Confidence, Diagnosis, DiagnosisContext, DiagnosisReport
from inspector.core.diagnosis.rank import rank
from inspector.core.errors import MalformedTokenError, UnusableInputError

if TYPE_CHECKING:
    from inspector.core.flows.model import Flow
    from inspector.core.har.model import HarTimeline

__all__ = ["HarReader", "diagnose_artifact", "diagnose_bytes", "diagnose_flows", "diagnose_har", "diagnose_text"]

#: Reads a HAR document's text into its OAuth exchanges (the har package's ``read_har``).
HarReader = Callable[[str], "HarTimeline"]


def diagnose_bytes(data: bytes, ctx: DiagnosisContext, *, har_reader: HarReader | None = None) -> DiagnosisReport:
    return diagnose_text(as_text(data), ctx, har_reader=har_reader)


def diagnose_text(text: str, ctx: DiagnosisContext, *, har_reader: HarReader | None = None) -> DiagnosisReport:
    return diagnose_artifact(detect(text), ctx, har_reader=har_reader)


def diagnose_artifact(artifact: Artifact, ctx: DiagnosisContext, *,
                      har_reader: HarReader | None = None) -> DiagnosisReport:
    if artifact.kind == "har":
        if har_reader is None:  # detect parsed the JSON already: tens of MB are not parsed twice
            from inspector.core.har.reader import har_log, timeline_of

            return diagnose_har(timeline_of(har_log(artifact.data)), ctx)
        return diagnose_har(har_reader(artifact.text), ctx)
    if artifact.kind == "flow_record":
        from inspector.core.diagnosis.flow_record import diagnose_record

        return DiagnosisReport("flow_record", rank(diagnose_record(artifact.data, ctx)))
    handler = _HANDLERS[artifact.kind]
    return DiagnosisReport(artifact.kind, rank(handler(artifact, ctx)))


def diagnose_flows(flows: Sequence["Flow"], ctx: DiagnosisContext) -> DiagnosisReport:
    """Core flow records, as the GUI holds them (tokens in full, secrets already masked by name);
    the report is masked by what the flows sent."""
    from inspector.core.diagnosis.flow_record import diagnose_record
    from inspector.core.diagnosis.masking import flows_redactor, masked_report

    report = DiagnosisReport("flow_record", rank(diagnose_record([flow.to_json(show_tokens=True) for flow in flows],
                                                                 ctx)))
    return masked_report(report, flows_redactor(flows))


def diagnose_har(timeline: "HarTimeline", ctx: DiagnosisContext) -> DiagnosisReport:
    """A HAR's exchanges; its URLs are evidence and are never fetched. The report is masked by
    every secret and token the recording carries."""
    from inspector.core.diagnosis.har import diagnose_timeline
    from inspector.core.diagnosis.masking import masked_report, recording_redactor

    return masked_report(DiagnosisReport("har", rank(diagnose_timeline(timeline, ctx))), recording_redactor(timeline))


def _token(artifact: Artifact, ctx: DiagnosisContext) -> list[Diagnosis]:
    from inspector.core.diagnosis.token import TokenCase, judge_token

    case = TokenCase(artifact.text, "token", expect=ctx.expect, issuer=ctx.issuer, client_id=ctx.client_id,
                     nonce=ctx.nonce, audiences=ctx.audiences, keys=ctx.keys, keys_where=ctx.keys_where,
                     source=ctx.source, moment=ctx.moment())
    try:
        return judge_token(case)
    except MalformedTokenError as exc:
        raise UnusableInputError(exc.message, hint="Give a token, a callback URL, an error answer, a flow record "
                                 "or a HAR file.") from exc


def _callback(artifact: Artifact, ctx: DiagnosisContext) -> list[Diagnosis]:
    from inspector.core.diagnosis.callback import diagnose_callback

    return diagnose_callback(artifact.data["params"], ctx)


def _authorize_request(artifact: Artifact, ctx: DiagnosisContext) -> list[Diagnosis]:
    from inspector.core.diagnosis.callback import diagnose_authorize_request

    return diagnose_authorize_request(artifact.data, ctx)


def _parts(artifact: Artifact) -> tuple[Any, int | None, dict[str, str]]:
    data = artifact.data
    if isinstance(data, HttpMessage):
        return data.body, data.status, data.headers
    return data, None, {}


def _error_response(artifact: Artifact, ctx: DiagnosisContext) -> list[Diagnosis]:
    from inspector.core.diagnosis.oauth_errors import answer_from_body, explain

    body, status, headers = _parts(artifact)
    answer = answer_from_body(body, where="the answer", status=status, headers=headers)
    if answer is None:
        return []
    endpoint = "resource" if answer.where.endswith("WWW-Authenticate") else "token"
    found = explain(answer, grant=ctx.grant, endpoint=endpoint)
    if ctx.source is not None and any(d.cause == "invalid_client" for d in found):
        supported = (ctx.source.metadata() or {}).get("token_endpoint_auth_methods_supported")
        if isinstance(supported, list):
            found = explain(answer, grant=ctx.grant, endpoint=endpoint, supported_methods=supported)
    return found


def _token_response(artifact: Artifact, ctx: DiagnosisContext) -> list[Diagnosis]:
    from inspector.core.diagnosis.causes import make, quote
    from inspector.core.diagnosis.model import Evidence, EvidenceKind
    from inspector.core.diagnosis.token import TokenCase, judge_embedded
    from inspector.core.diagnosis.token_kind import ACCESS, ID

    body, _status, _headers = _parts(artifact)
    found: list[Diagnosis] = []
    common = dict(issuer=ctx.issuer, client_id=ctx.client_id, keys=ctx.keys, keys_where=ctx.keys_where,
                  source=ctx.source, moment=ctx.moment())
    if isinstance(body.get("id_token"), str):
        found += judge_embedded(TokenCase(body["id_token"], "ID token in the token response", expect=ID,
                                       nonce=ctx.nonce, **common))
    elif ctx.expect == ID:
        scope = body.get("scope") if isinstance(body.get("scope"), str) else None
        evidence = [Evidence.of(EvidenceKind.PARAMETER, "id_token", "absent", "the token response")]
        if scope is not None:
            evidence.append(Evidence.of(EvidenceKind.PARAMETER, "scope", scope, "the token response"))
        if scope is None or "openid" not in scope.split():
            found.append(make("missing_openid_scope", Confidence.CERTAIN if scope else Confidence.LIKELY, evidence,
                              scope=quote(scope) if scope else "it sent"))
    access = body.get("access_token")
    if isinstance(access, str) and access.count(".") == 2 and (ctx.expect == ACCESS or ctx.audiences):
        found += judge_embedded(TokenCase(access, "access token in the token response", expect=ACCESS,
                                       audiences=ctx.audiences, **common))
    return found


def _error_text(artifact: Artifact, ctx: DiagnosisContext) -> list[Diagnosis]:
    from inspector.core.diagnosis.oauth_errors import answer_from_text, explain

    answer = answer_from_text(artifact.text, where="the message")
    if answer is None:
        raise UnusableInputError("This is not a token, a URL, a provider's answer, a flow record or a HAR, and it "
                                 "holds no error this tool knows.",
                                 hint="Paste the provider's whole error (its JSON, the callback URL, or the page).")
    return explain(answer, grant=ctx.grant)


_HANDLERS: dict[str, Callable[[Artifact, DiagnosisContext], list[Diagnosis]]] = {
    "token": _token, "callback": _callback, "authorize_request": _authorize_request,
    "error_response": _error_response, "token_response": _token_response, "error_text": _error_text,
}
