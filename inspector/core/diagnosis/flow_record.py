"""Diagnosing flow records: the JSON lines ``flow ... --json`` prints (one line per step, then
``{"step": "done", ...}``; several flows may follow each other in one file), a ``Flow.to_json()``
document, or a list of them.

Each record becomes a trace (see :mod:`trace`) for the checks across exchanges, and its findings
are read as data: the listener's state check, the flow's own device-code timer, and the ID token
step's verifier findings, explained with the token rules at the moment the record shows (the
flow's start plus the steps' durations; the issuer's clock from the token response's ``Date``).
Records are the flow's own: secrets are already masked in them, and nothing in them is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping
from urllib.parse import parse_qs, urlsplit

from inspector.core.diagnosis.causes import make, quote
from inspector.core.diagnosis.issuers import issuer_difference
from inspector.core.diagnosis.model import Confidence, Diagnosis, DiagnosisContext, Evidence, EvidenceKind
from inspector.core.diagnosis.remote import transport_problem
from inspector.core.diagnosis.trace import Trace, analyse, failed
from inspector.core.errors import UnusableInputError
from inspector.core.findings import Finding, Severity
from inspector.core.har.model import ExchangeKind, HarExchange
from inspector.core.protocol.clock import parse_http_date

__all__ = ["FlowRecord", "diagnose_record", "split_records"]

_KINDS = {"discovery": ExchangeKind.DISCOVERY, "token": ExchangeKind.TOKEN, "id_token": ExchangeKind.JWKS,
          "userinfo": ExchangeKind.USERINFO, "device_authorization": ExchangeKind.DEVICE,
          "introspect": ExchangeKind.INTROSPECT, "revoke": ExchangeKind.REVOKE, "par": ExchangeKind.PAR}
_TRANSPORT = frozenset({"tls_error", "network_error", "timeout"})
_CALLBACK_OUTPUTS = ("code", "error", "error_description", "error_uri", "iss")


@dataclass
class FlowRecord:
    steps: list[dict[str, Any]]
    grant: str | None = None
    started_at: float | None = None
    number: int = 1
    exchanges: dict[str, list[HarExchange]] = field(default_factory=dict)
    step_times: dict[str, float] = field(default_factory=dict)


def split_records(data: Any) -> list[FlowRecord]:
    """The flows in ``data``; a ``done`` line ends one flow of JSON lines."""
    items = data if isinstance(data, list) else [data]
    flows: list[FlowRecord] = []
    lines: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("steps"), list):
            flows.append(FlowRecord([s for s in item["steps"] if _is_step(s)], _text(item.get("grant")),
                                    _number(item.get("started_at"))))
        elif item.get("step") == "done":
            flows.append(FlowRecord(lines, _text(item.get("flow")), _number(item.get("started_at"))))
            lines = []
        elif _is_step(item):
            lines.append(item)
    if lines:
        flows.append(FlowRecord(lines))
    flows = [flow for flow in flows if flow.steps]
    if not flows:
        raise UnusableInputError("The flow record has no steps (lines with a 'step' name and its data).")
    for number, flow in enumerate(flows, start=1):
        flow.number = number
    return flows


def _is_step(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("step"), str) and value["step"] != "done"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def diagnose_record(data: Any, ctx: DiagnosisContext) -> list[Diagnosis]:
    flows = split_records(data)
    trace = _trace(flows)
    found = analyse(trace, ctx)
    for flow in flows:
        found += _flow_findings(flow, trace, ctx)
    return found


def _trace(flows: list[FlowRecord]) -> Trace:
    trace = Trace([], callback_state_recorded=False)
    for flow in flows:
        clock = flow.started_at
        for step in flow.steps:
            name = step["step"]
            label = f"the {name} step" + (f" of flow {flow.number}" if len(flows) > 1 else "")
            if clock is not None:
                flow.step_times[name] = clock
            made = _exchanges(step, len(trace.exchanges), clock)
            for exchange in made:
                trace.labels[exchange.index] = label
            if made and isinstance(step.get("verifier_challenge"), str):
                trace.verifier_challenges[made[-1].index] = step["verifier_challenge"]
            if made and isinstance(step.get("auth_method"), str):
                for exchange in made:
                    trace.auth_methods[exchange.index] = step["auth_method"]
            trace.exchanges += made
            flow.exchanges[name] = made
            duration = _number(step.get("duration_ms"))
            if clock is not None and duration is not None:
                clock += duration / 1000
    return trace


def _at(epoch: float | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(epoch, timezone.utc) if epoch is not None else None
    except (OverflowError, OSError, ValueError):
        return None


def _exchanges(step: dict[str, Any], start: int, clock: float | None) -> list[HarExchange]:
    name = step["step"]
    if name == "authorize" and isinstance(step.get("url"), str):
        query = _query(step["url"])
        return [HarExchange(start, ExchangeKind.AUTHORIZE, _at(clock), "GET", step["url"], 0, query)]
    if name == "callback":
        params = {key: (str(step[key]),) for key in _CALLBACK_OUTPUTS if isinstance(step.get(key), str)}
        duration = _number(step.get("duration_ms")) or 0.0
        moment = clock + duration / 1000 if clock is not None else None
        return [HarExchange(start, ExchangeKind.CALLBACK, _at(moment), "GET", str(step.get("listening", "")), 0,
                            {}, params)] if params else []
    kind = _KINDS.get(name)
    recorded = step.get("exchanges") if isinstance(step.get("exchanges"), list) else \
        [step] if isinstance(step.get("request"), dict) else []
    made, offset = [], 0.0
    for number, data in enumerate(item for item in recorded if isinstance(item, dict)):
        moment = clock + offset if clock is not None else None
        made.append(_exchange(data, start + number, kind or ExchangeKind.USERINFO, moment))
        offset += (_number(data.get("elapsed_ms")) or 0.0) / 1000
    return made if kind is not None else []


def _query(url: str) -> dict[str, tuple[str, ...]]:
    try:
        return {name: tuple(values) for name, values in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}
    except ValueError:
        return {}


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in value.items()) if isinstance(value, dict) else ()


def _exchange(data: dict[str, Any], index: int, kind: ExchangeKind, moment: float | None) -> HarExchange:
    request = data.get("request") if isinstance(data.get("request"), dict) else {}
    response = data.get("response") if isinstance(data.get("response"), dict) else {}
    params = request.get("params") if isinstance(request.get("params"), dict) else {}
    body = response.get("body")
    headers = _pairs(response.get("headers"))
    date = next((value for key, value in headers if key.lower() == "date"), None)
    server = parse_http_date(date)
    status = response.get("status")
    return HarExchange(
        index, kind, _at(moment), str(request.get("method", "")), str(request.get("url", "")),
        status if isinstance(status, int) and not isinstance(status, bool) else 0,
        {str(k): (str(v),) for k, v in params.items() if isinstance(v, (str, int, float))},
        request_headers=_pairs(request.get("headers")), response_headers=headers,
        response_text=body if isinstance(body, str) else None,
        response_json=body if isinstance(body, dict) else None,
        server_date=_at(server), elapsed_ms=_number(data.get("elapsed_ms")))


def _findings(step: dict[str, Any]) -> list[Finding]:
    found: list[Finding] = []
    items = step.get("findings")
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            severity = item.get("severity")
            found.append(Finding(item["code"], Severity(severity) if severity in ("error", "warning", "info")
                                 else Severity.ERROR, str(item.get("message", "")),
                                 item.get("claim") if isinstance(item.get("claim"), str) else None, step["step"]))
    return found


def _flow_findings(flow: FlowRecord, trace: Trace, ctx: DiagnosisContext) -> list[Diagnosis]:
    """What the record's findings say beyond its exchanges."""
    from inspector.core.diagnosis.flow_token import explain_id_token_step

    found: list[Diagnosis] = []
    for step in flow.steps:
        name, findings = step["step"], _findings(step)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if not errors:
            continue
        exchanges = flow.exchanges.get(name, [])
        where = trace.labels.get(exchanges[-1].index) if exchanges else f"the {name} step"
        covered = any(failed(e) for e in exchanges)
        if name == "id_token":
            found += explain_id_token_step(flow, step, findings, ctx)
            continue
        for finding in errors:
            found += _finding(flow, step, finding, exchanges, covered, where or f"the {name} step")
    return found


def _finding(flow: FlowRecord, step: dict[str, Any], finding: Finding, exchanges: list[HarExchange],
             covered: bool, where: str) -> list[Diagnosis]:
    evidence = [Evidence.of(EvidenceKind.FINDING, finding.code, finding.message, where)]
    code = finding.code
    if code in _TRANSPORT and not (step["step"] == "callback" and code == "timeout"):
        url = exchanges[-1].url if exchanges else ""
        return [transport_problem(finding, url)]
    if code == "state_mismatch":
        detail = "carried no state" if "had no state" in finding.message else "carried a different state than the " \
            "flow sent"
        return [make("state_mismatch", Confidence.CERTAIN, evidence, detail=detail)]
    if code == "timeout":
        return _no_callback(flow, evidence)
    if code == "device_code_expired":
        return [make("device_code_expired", Confidence.CERTAIN, evidence)]
    if code == "request_uri_expired":
        return [make("request_uri_invalid", Confidence.CERTAIN, evidence,
                     detail=": it had expired before the browser could be sent to it")]
    if code == "discovery_issuer_mismatch":
        return _discovery_issuer(exchanges, evidence)
    if code == "iss_param_mismatch" and isinstance(step.get("iss"), str):
        return []  # the callback's iss is in the record: the trace names the difference
    if code == "server_error":
        return [make("provider_error", Confidence.CERTAIN, evidence, detail=f" (in the {step['step']} step)")]
    if covered or code in ("callback_error", "token_error"):
        return []
    return [make("other_failure", Confidence.LIKELY, evidence, where=where[0].upper() + where[1:],
                 detail=finding.message)]


def _no_callback(flow: FlowRecord, evidence: list[Evidence]) -> list[Diagnosis]:
    """No authorization response came back: most often the provider refused the redirect_uri and
    showed its error page in the browser instead of redirecting (RFC 6749 §4.1.2.1)."""
    request = next((s for s in flow.steps if s["step"] == "authorize"), {})
    redirect_uri = request.get("redirect_uri") if isinstance(request.get("redirect_uri"), str) else None
    if redirect_uri:
        evidence = [*evidence, Evidence.of(EvidenceKind.PARAMETER, "redirect_uri", redirect_uri,
                                           "authorization request")]
    return [make("redirect_uri_mismatch", Confidence.POSSIBLE, evidence,
                 redirect_uri=quote(redirect_uri) if redirect_uri else "sent",
                 detail="may have been refused: no authorization response came back, and a provider that refuses "
                        "the redirect URI shows its error in the browser instead (check the browser window)")]


def _discovery_issuer(exchanges: list[HarExchange], evidence: list[Evidence]) -> list[Diagnosis]:
    answer = next((e for e in reversed(exchanges) if isinstance(e.response_json, Mapping)), None)
    stated = answer.response_json.get("issuer") if answer is not None else None
    asked = asked_issuer(answer.url) if answer is not None else None
    if not isinstance(stated, str) or asked is None:
        return [make("issuer_mismatch", Confidence.LIKELY, evidence, iss="(see the evidence)",
                     expected="(the one configured)", difference="its spelling")]
    if stated == asked:  # the discovery URL drops a trailing slash: the only way they can differ
        asked = f"{asked}/"
    difference = issuer_difference(stated, asked)
    evidence += [Evidence.of(EvidenceKind.METADATA, "issuer", stated, answer.url),
                 Evidence.of(EvidenceKind.OPTION, "issuer", asked, "the issuer configured")]
    return [make("issuer_mismatch", Confidence.CERTAIN, evidence, iss=quote(stated), expected=quote(asked),
                 difference=difference.phrase, fix_detail=difference.fix)]


def asked_issuer(url: str) -> str | None:
    """The issuer a discovery URL was built from (OIDC Discovery §4.1, RFC 8414 §3.1)."""
    oidc = "/.well-known/openid-configuration"
    if url.endswith(oidc):
        return url[: -len(oidc)]
    marker = "/.well-known/oauth-authorization-server"
    if marker in url:
        base, _, path = url.partition(marker)
        return base + path
    return None
