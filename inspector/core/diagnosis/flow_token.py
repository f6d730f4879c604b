"""The ID token step of a flow record, explained from the verifier findings it recorded.

The record is the flow's judgement at its own moment, with the keys it had then (a stale cached
JWKS shows as an unknown ``kid`` although the provider publishes the key): so the findings are
read, not recomputed. The moment is the flow's start plus the durations of the steps before; the
issuer's clock is the token response's ``Date``.
"""

from __future__ import annotations

from typing import Any, Mapping

from inspector.core.diagnosis.causes import make
from inspector.core.diagnosis.flow_record import FlowRecord, asked_issuer
from inspector.core.diagnosis.model import Confidence, Diagnosis, DiagnosisContext, Evidence, EvidenceKind
from inspector.core.diagnosis.remote import transport_problem
from inspector.core.diagnosis.timing import Skew
from inspector.core.diagnosis.token import TokenCase, Verdict, explain_verdict
from inspector.core.diagnosis.token_kind import ID, KindGuess
from inspector.core.findings import Finding, Severity
from inspector.core.har.model import HarExchange
from inspector.core.protocol.clock import host_of

__all__ = ["explain_id_token_step"]

#: Findings of the ID token step that do not come from the verifier.
_FETCHING = frozenset({"jwks_error", "jwks_invalid", "endpoint_missing", "id_token_invalid", "tls_error",
                       "network_error", "timeout"})
_WHERE = "ID token (id_token step)"


def explain_id_token_step(flow: FlowRecord, step: dict[str, Any], findings: list[Finding],
                          ctx: DiagnosisContext) -> list[Diagnosis]:
    found = _fetching(flow, findings)
    verifier = [f for f in findings if f.code not in _FETCHING]
    if not any(f.severity is Severity.ERROR for f in verifier):
        return found
    raw, decoded = _raw_token(flow)
    claims = step.get("claims") if isinstance(step.get("claims"), dict) else (decoded.claims if decoded else None)
    request = _authorize_params(flow)
    keys, keys_where = _keys(flow)
    moment, skew = _moment(flow, claims or {}, verifier)
    case = TokenCase(raw, _WHERE, expect=ID, issuer=_issuer(flow) or ctx.issuer,
                     client_id=request.get("client_id") or ctx.client_id, nonce=request.get("nonce"),
                     keys=tuple(keys), keys_where=keys_where, source=ctx.source, moment=moment, skew=skew)
    verdict = Verdict(verifier, (decoded.header or {}) if decoded else {}, claims or {}, decoded)
    return found + explain_verdict(verdict, case, KindGuess(ID, Confidence.CERTAIN))


def _fetching(flow: FlowRecord, findings: list[Finding]) -> list[Diagnosis]:
    exchanges = flow.exchanges.get("id_token", [])
    url = exchanges[-1].url if exchanges else ""
    found = []
    for finding in findings:
        if finding.severity is not Severity.ERROR or finding.code not in _FETCHING:
            continue
        if finding.code in ("tls_error", "network_error", "timeout"):
            found.append(transport_problem(finding, url))
        elif finding.code != "id_token_invalid":
            found.append(make("other_failure", Confidence.LIKELY, [Evidence.of(
                EvidenceKind.FINDING, finding.code, finding.message, "id_token step")],
                where="The id_token step", detail=finding.message))
    return found


def _step(flow: FlowRecord, name: str) -> dict[str, Any]:
    return next((s for s in flow.steps if s["step"] == name), {})


def _raw_token(flow: FlowRecord) -> tuple[str | None, Any]:
    """The ID token in full when the record kept it (``flow --json`` does), decoded."""
    from inspector.core.errors import MalformedTokenError
    from inspector.core.jose.parse import decode

    token = _step(flow, "token").get("token")
    raw = token.get("id_token") if isinstance(token, dict) else None
    if not isinstance(raw, str) or "…" in raw:
        return None, None
    try:
        return raw, decode(raw)
    except MalformedTokenError:
        return None, None


def _authorize_params(flow: FlowRecord) -> dict[str, str]:
    made = flow.exchanges.get("authorize", [])
    return {name: values[0] for name, values in made[0].params.items() if values} if made else {}


def _issuer(flow: FlowRecord) -> str | None:
    """The issuer the flow checked the token against: the one its discovery asked."""
    for exchange in flow.exchanges.get("discovery", []):
        asked = asked_issuer(exchange.url)
        if asked is not None:
            stated = (exchange.response_json or {}).get("issuer")
            return stated if isinstance(stated, str) and stated.rstrip("/") == asked else asked
    return None


def _keys(flow: FlowRecord) -> tuple[list, str]:
    from inspector.core.errors import KeySourceError
    from inspector.core.jose.keys import load_jwks

    for exchange in reversed(flow.exchanges.get("id_token", [])):
        if isinstance(exchange.response_json, Mapping):
            try:
                return load_jwks(exchange.response_json), f"the JWKS the flow fetched ({exchange.url})"
            except KeySourceError:
                continue
    return [], "the JWKS the flow had cached"


def _token_exchange(flow: FlowRecord) -> HarExchange | None:
    made = [e for e in flow.exchanges.get("token", []) if e.server_date is not None]
    return made[-1] if made else None


def _moment(flow: FlowRecord, claims: Mapping[str, Any], findings: list[Finding]) -> tuple[float, Skew | None]:
    """When the flow judged the token (its clock), and how far that clock was from the issuer's."""
    import time

    local = flow.step_times.get("id_token")
    answer = _token_exchange(flow)
    server = answer.server_date.timestamp() if answer is not None and answer.server_date else None
    elapsed = (answer.elapsed_ms or 0.0) / 1000 if answer is not None else 0.0
    host = host_of(answer.url) if answer is not None else ""
    source = f"Date header of POST {answer.url}" if answer is not None else ""
    if local is not None and server is not None and answer is not None and answer.started is not None:
        received = answer.started.timestamp() + elapsed
        return local, Skew(server - received + (elapsed + 1) / 2, (elapsed + 1) / 2, source, host)
    if server is None:
        return local if local is not None else time.time(), None
    codes = {f.code for f in findings}
    edges = [claims.get("exp") if "expired" in codes else None,
             claims.get("iat") - 1 if "issued_in_future" in codes and _num(claims.get("iat")) else None,
             claims.get("nbf") - 1 if "not_yet_valid" in codes and _num(claims.get("nbf")) else None]
    moment = next((edge for edge in edges if _num(edge)), None)
    if moment is None:
        return server, None
    return moment, Skew(server - moment, (elapsed + 1) / 2, source, host, bound=True)


def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
