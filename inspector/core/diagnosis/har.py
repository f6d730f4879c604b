"""Diagnosing a browser's recording of a login (a :class:`HarTimeline` from the har package).

The moment of each judgement is the recording's, not now: a token received in a response is
judged at the browser's time of that response, on the browser's clock, whose distance from the
issuer's is read from the same response's ``Date``. Keys come from the JWKS responses in the
recording (and the person's own keys or issuer, if given). No URL of the recording is fetched.
"""

from __future__ import annotations

import statistics
from typing import Mapping

from inspector.core.diagnosis.causes import make
from inspector.core.diagnosis.model import Confidence, Diagnosis, DiagnosisContext
from inspector.core.diagnosis.timing import Skew, skew_from_reading
from inspector.core.diagnosis.token_kind import ID
from inspector.core.diagnosis.trace import Trace, analyse, first
from inspector.core.har.model import ExchangeKind, HarExchange, HarTimeline
from inspector.core.protocol.clock import SIGNIFICANT_SKEW, ClockReading, host_of

__all__ = ["clock_reading", "diagnose_timeline", "trace_of"]

_BROWSER = "The browser's clock"


def trace_of(timeline: HarTimeline) -> Trace:
    return Trace(list(timeline.exchanges), {e.index: f"HAR entry {e.index}" for e in timeline.exchanges})


def diagnose_timeline(timeline: HarTimeline, ctx: DiagnosisContext) -> list[Diagnosis]:
    trace = trace_of(timeline)
    found = analyse(trace, ctx)
    found += _id_tokens(trace, ctx)
    found += _clock_note(trace, found)
    return found


def clock_reading(exchange: HarExchange) -> ClockReading | None:
    """The server's clock (its Date) against the browser's, for one recorded exchange."""
    if exchange.server_date is None or exchange.started is None:
        return None
    elapsed = max((exchange.elapsed_ms or 0.0) / 1000, 0.0)
    return ClockReading(host_of(exchange.url), exchange.server_date.timestamp(),
                        exchange.started.timestamp() + elapsed, elapsed, f"{exchange.method} {exchange.url}")


def _received_at(exchange: HarExchange, ctx: DiagnosisContext) -> float:
    if exchange.started is None:
        return ctx.moment()
    return exchange.started.timestamp() + max((exchange.elapsed_ms or 0.0) / 1000, 0.0)


def _id_tokens(trace: Trace, ctx: DiagnosisContext) -> list[Diagnosis]:
    """Every ID token the browser received, judged as the application had to judge it then."""
    from inspector.core.diagnosis.token import TokenCase, judge_embedded

    found: list[Diagnosis] = []
    for exchange in trace.exchanges:
        token, request = _id_token_of(trace, exchange)
        if token is None:
            continue
        keys, keys_where = _recorded_keys(trace, exchange)
        reading = clock_reading(exchange)
        case = TokenCase(token, f"ID token ({trace.label(exchange)})", expect=ID, issuer=ctx.issuer or trace.issuer,
                         client_id=ctx.client_id or (request.param("client_id") if request else None),
                         nonce=ctx.nonce or (request.param("nonce") if request else None),
                         keys=(*ctx.keys, *keys), keys_where=keys_where if keys else ctx.keys_where,
                         source=ctx.source, moment=_received_at(exchange, ctx),
                         skew=skew_from_reading(reading, _BROWSER) if reading is not None else None)
        found += [d.found_at(exchange.index) for d in judge_embedded(case)]
    return found


def _id_token_of(trace: Trace, exchange: HarExchange) -> tuple[str | None, HarExchange | None]:
    if exchange.kind is ExchangeKind.TOKEN and isinstance(exchange.response_json, Mapping):
        token = exchange.response_json.get("id_token")
        return (token if isinstance(token, str) else None), trace.authorize_for_token(exchange)
    if exchange.kind is ExchangeKind.CALLBACK:
        return first(exchange.callback, "id_token"), trace.authorize_for(exchange)
    return None, None


def _recorded_keys(trace: Trace, exchange: HarExchange) -> tuple[list, str]:
    """The keys the application had for this token: the first JWKS response recorded after it
    (clients fetch keys when a token arrives), else the latest one before it."""
    from inspector.core.errors import KeySourceError
    from inspector.core.jose.keys import load_jwks

    position = trace.exchanges.index(exchange)
    for jwks in [*trace.exchanges[position:], *reversed(trace.exchanges[:position])]:
        if jwks.kind is ExchangeKind.JWKS and isinstance(jwks.response_json, Mapping):
            try:
                return load_jwks(jwks.response_json), f"the JWKS in the recording ({trace.label(jwks)})"
            except KeySourceError:
                continue
    return [], ""


def _clock_note(trace: Trace, found: list[Diagnosis]) -> list[Diagnosis]:
    """A significant skew of the browser's clock is worth knowing even when no check failed on it."""
    if any(d.cause == "clock_skew" for d in found):
        return []
    readings = [r for r in map(clock_reading, trace.exchanges) if r is not None]
    if not readings:
        return []
    skew = statistics.median(r.skew for r in readings)
    if abs(skew) <= SIGNIFICANT_SKEW:
        return []
    reading = min(readings, key=lambda r: abs(r.skew - skew))
    note = Skew(reading.skew, reading.uncertainty, f"Date header of {reading.source}", reading.host, whose=_BROWSER)
    return [make("clock_skew", Confidence.POSSIBLE, [note.evidence()], whose=_BROWSER, amount=note.amount(),
                 direction=note.direction(), host=note.host,
                 consequence="time checks made in the browser disagree with the issuer's")]
