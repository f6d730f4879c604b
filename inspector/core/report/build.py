"""The report of a source, built only from sanitized data: a recording is sanitized first and
read back (so timeline and diagnoses quote markers, never secrets), a flow record is sanitized as
a document, a token loses its signature. The diagnoses are the engine's, of that sanitized data
(the engine reads markers: the first cause is the original's).
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping

from inspector import __version__
from inspector.core.errors import MalformedTokenError, UnusableInputError
from inspector.core.flows.cancel import CancelToken
from inspector.core.report.model import Exchange, Finding, Message, Report, Step, TokenView
from inspector.core.report.source import ReportSource
from inspector.core.report.text import MAX_BODY, MAX_VALUE, cut, pretty

__all__ = ["TOKEN_NAMES", "build_report"]

#: Where tokens stand in parameters and answers: each JWT among them is shown (header and claims).
TOKEN_NAMES = ("id_token", "access_token", "refresh_token", "logout_token", "id_token_hint", "token", "subject_token",
               "actor_token", "client_assertion", "assertion", "response", "request")
Clock = Callable[[], float]


def build_report(source: ReportSource, *, mask_personal: bool = False, clock: Clock = time.time,
                 cancel: CancelToken | None = None) -> Report:
    """The report of ``source``; UnusableInputError when it cannot be read. ``cancel`` stops the
    sanitizing of a large recording (``FlowCancelledError``)."""
    if source.kind == "har":
        return _from_har(source, mask_personal, clock, cancel)
    builder = {"flow_record": _from_record, "token": _from_token}[source.kind]
    return builder(source, mask_personal, clock)


def _context(clock: Clock) -> Any:
    from inspector.core.diagnosis.model import DiagnosisContext

    return DiagnosisContext(clock=clock)


def _generated(clock: Clock) -> str:
    return datetime.fromtimestamp(clock(), timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC") + \
        f" by Token Inspector {__version__}"


# -- a recording ----------------------------------------------------------------------------------
def _from_har(source: ReportSource, personal: bool, clock: Clock, cancel: CancelToken | None) -> Report:
    from inspector.core.diagnosis.engine import diagnose_har
    from inspector.core.har.reader import read_har
    from inspector.core.sanitize.har import sanitize_har

    sanitized = sanitize_har(source.data, mask_personal=personal, cancel=cancel)
    timeline = read_har(sanitized.data)
    diagnoses = diagnose_har(timeline, _context(clock)).diagnoses
    steps, tokens = [], []
    by_entry: dict[int, list[Any]] = {}
    for exchange in timeline.exchanges:
        by_entry.setdefault(exchange.index, []).append(exchange)
    for index, exchanges in by_entry.items():
        first = exchanges[0]
        label = f"HAR entry {index}"
        steps.append(Step(f"{' + '.join(e.kind.value for e in exchanges)} · {label}", str(first.status or "no answer"),
                          _clock_text(first.started), first.elapsed_ms, (_har_exchange(first),)))
        for exchange in exchanges:
            tokens += _tokens_in(label, exchange.params, exchange.callback, exchange.response_json,
                                 exchange.header("authorization", response=False))
    creator = f" ({timeline.creator})" if timeline.creator else ""
    subject = (f"{source.name}: a HAR recording{creator} of {timeline.entry_count} entries, "
               f"{len(timeline.exchanges)} of them about OAuth")
    return Report(subject, _generated(clock), dict(sanitized.counts), diagnoses, "OAuth exchanges", tuple(steps), (),
                  _unique(tokens))


def _har_exchange(exchange: Any) -> Exchange:
    params = None
    if exchange.method != "GET" and exchange.params:
        params = "\n".join(f"{name}={cut(value, MAX_VALUE)}" for name, values in exchange.params.items()
                           for value in values)
    request = Message(f"{exchange.method} {exchange.url}", _headers(exchange.request_headers), params)
    body = pretty(exchange.response_json) if exchange.response_json is not None else exchange.response_text
    response = Message(str(exchange.status), _headers(exchange.response_headers),
                       cut(body, MAX_BODY) if body else None) if exchange.status else None
    return Exchange(request, response, exchange.elapsed_ms)


def _clock_text(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + " UTC" if moment else None


# -- a flow record --------------------------------------------------------------------------------
def _from_record(source: ReportSource, personal: bool, clock: Clock) -> Report:
    from inspector.core.diagnosis.engine import diagnose_text
    from inspector.core.diagnosis.flow_record import split_records
    from inspector.core.sanitize.cleaner import sanitize_document

    cleaned, scrubber = sanitize_document(source.data, mask_personal=personal)
    diagnoses = diagnose_text(json.dumps(cleaned), _context(clock)).diagnoses
    records = split_records(cleaned)
    steps, findings, tokens = [], [], []
    for record in records:
        prefix = f"flow {record.number} · " if len(records) > 1 else ""
        moment = record.started_at
        for step in record.steps:
            name = f"{prefix}{step['step']}"
            duration = step.get("duration_ms") if isinstance(step.get("duration_ms"), (int, float)) else None
            started = datetime.fromtimestamp(moment, timezone.utc) if isinstance(moment, (int, float)) else None
            steps.append(Step(name, str(step.get("status", "?")), _clock_text(started), duration,
                              tuple(_record_exchange(item) for item in _exchanges_of(step))))
            findings += _findings(step.get("findings"), name)
            tokens += _tokens_in(name, step, step.get("token") if isinstance(step.get("token"), dict) else None,
                                 *(item.get("response", {}).get("body") if isinstance(item.get("response"), dict)
                                   else None for item in _exchanges_of(step)))
            if moment is not None and duration is not None:
                moment += duration / 1000
    findings += [finding for finding in _findings(_done_findings(cleaned), "flow") if
                 (finding.code, finding.message) not in {(f.code, f.message) for f in findings}]
    grants = sorted({record.grant for record in records if record.grant})
    subject = (f"{source.name}: a flow record ({', '.join(grants) or 'grant not recorded'}) of "
               f"{len(records)} flow{'s' if len(records) != 1 else ''}, {len(steps)} steps")
    return Report(subject, _generated(clock), dict(scrubber.counts), diagnoses, "Steps", tuple(steps),
                  tuple(findings), _unique(tokens))


def _exchanges_of(step: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if isinstance(step.get("exchanges"), list):
        return [item for item in step["exchanges"] if isinstance(item, dict)]
    return [step] if isinstance(step.get("request"), dict) else []


def _record_exchange(item: Mapping[str, Any]) -> Exchange:
    request = item["request"] if isinstance(item.get("request"), dict) else {}
    params = request.get("params")
    body = "\n".join(f"{name}={cut(_text(value), MAX_VALUE)}" for name, value in params.items()) \
        if isinstance(params, dict) and params else None
    sent = Message(f"{request.get('method', '?')} {request.get('url', '?')}", _headers(request.get("headers")), body)
    answer = item.get("response") if isinstance(item.get("response"), dict) else None
    received = None
    if answer is not None:
        content = answer.get("body")
        text = None if content is None else content if isinstance(content, str) else pretty(content)
        received = Message(str(answer.get("status", "?")), _headers(answer.get("headers")),
                           cut(text, MAX_BODY) if text else None)
    elif item.get("error"):
        received = Message(f"no answer: {item['error']}")
    elapsed = item.get("elapsed_ms")
    return Exchange(sent, received, elapsed if isinstance(elapsed, (int, float)) else None)


def _findings(items: Any, where: str) -> list[Finding]:
    return [Finding(str(item.get("code", "?")), str(item.get("severity", "?")), str(item.get("message", "")), where)
            for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _done_findings(data: Any) -> list[Any]:
    items = data if isinstance(data, list) else [data]
    found: list[Any] = []
    for item in items:
        if isinstance(item, dict):
            done = item.get("done") if isinstance(item.get("done"), dict) else item if item.get("step") == "done" else {}
            if isinstance(done.get("findings"), list):
                found += done["findings"]
    return found


# -- a token --------------------------------------------------------------------------------------
def _from_token(source: ReportSource, personal: bool, clock: Clock) -> Report:
    from inspector.core.diagnosis.engine import diagnose_text
    from inspector.core.jose.parse import clean_token_text, decode
    from inspector.core.sanitize import rules
    from inspector.core.sanitize.scrubber import Scrubber

    token = clean_token_text(source.data)
    try:
        decode(token)
    except MalformedTokenError as exc:
        raise UnusableInputError(f"{source.name} is not a token: {exc.message}") from exc
    scrubber = Scrubber(personal=personal)
    cleaned = str(scrubber.remove("token", token, rules.TOKEN))
    decoded = decode(cleaned)
    diagnoses = diagnose_text(cleaned, _context(clock)).diagnoses
    what = {"jws": f"a signed JWT ({decoded.alg or 'no alg'})", "jwe": "an encrypted JWT (JWE)",
            "opaque": "an opaque token (not a JWT)"}[decoded.format]
    view = TokenView(source.name, decoded.header, decoded.claims, _note(decoded.format))
    return Report(f"{source.name}: {what}", _generated(clock), dict(scrubber.counts), diagnoses, "Steps", (), (),
                  (view,))


# -- shared ---------------------------------------------------------------------------------------
def _tokens_in(where: str, *sources: Any) -> list[TokenView]:
    """The JWTs under token names in ``sources`` (parameter maps, answers, an Authorization value)."""
    from inspector.core.jose.parse import decode

    found = []
    for source in sources:
        values: list[tuple[str, Any]] = []
        if isinstance(source, str) and source.lower().startswith(("bearer ", "dpop ")):
            values.append(("bearer token", source.split(" ", 1)[1]))
        elif isinstance(source, Mapping):
            values += [(name, source.get(name)) for name in TOKEN_NAMES if name in source]
        for name, value in values:
            for token in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(token, str) and token.count(".") in (2, 4):
                    try:
                        decoded = decode(token)
                    except MalformedTokenError:
                        continue
                    if decoded.header is not None:
                        found.append(TokenView(f"{name} in {where}", decoded.header, decoded.claims,
                                               _note(decoded.format)))
    return found


def _note(form: str) -> str:
    return {"jws": "Signature removed: the header and claims are as issued, nothing here can be used as the token.",
            "jwe": "Encrypted: only its header can be read.",
            "opaque": "An opaque token: only its issuer can say what it means (introspection)."}[form]


def _unique(tokens: Iterable[TokenView]) -> tuple[TokenView, ...]:
    seen, kept = set(), []
    for view in tokens:
        key = json.dumps([view.header, view.claims], sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            kept.append(view)
    return tuple(kept)


def _headers(value: Any) -> tuple[tuple[str, str], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value if isinstance(value, (list, tuple)) else ()
    return tuple((str(name), cut(_text(item), MAX_VALUE)) for name, item in pairs)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
