"""A login as a sequence of OAuth exchanges, whether a browser recorded it (HAR) or a flow did
(flow records), and the checks that need more than one exchange: which authorization request a
callback answers, which callback a code came from, what the provider said at each refusal.

Exchanges are :class:`~inspector.core.har.model.HarExchange` values for both sources; what only a
flow record knows (the S256 of the verifier it sent, the client authentication it used) rides
along in the trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from inspector.core.diagnosis.callback import issuer_param, missing_openid
from inspector.core.diagnosis.causes import make
from inspector.core.diagnosis.model import Confidence, Diagnosis, DiagnosisContext, Evidence, EvidenceKind
from inspector.core.diagnosis.oauth_errors import answer_from_body, answer_from_text, explain
from inspector.core.har.model import ExchangeKind, HarExchange
from inspector.core.redact import MASK

__all__ = ["NOT_FAILURES", "Trace", "analyse", "failed", "first", "masked", "merge"]

#: Error answers that are part of a normal device flow (RFC 8628 §3.5), not failures.
NOT_FAILURES = frozenset({"authorization_pending", "slow_down"})


def first(params: Mapping[str, Sequence[str]] | None, name: str) -> str | None:
    values = (params or {}).get(name)
    return values[0] if values else None


def failed(exchange: HarExchange) -> bool:
    """A refusal: an error status, or an error object even with 200 (GitHub)."""
    body = exchange.response_json
    error = body.get("error") if isinstance(body, Mapping) else None
    if isinstance(error, str) and error in NOT_FAILURES:
        return False
    return exchange.status >= 400 or isinstance(error, str)


@dataclass
class Trace:
    """The exchanges in order; ``labels`` name each one for evidence ("token step", "HAR entry 14")."""

    exchanges: list[HarExchange]
    labels: dict[int, str] = field(default_factory=dict)
    callback_state_recorded: bool = True
    verifier_challenges: dict[int, str] = field(default_factory=dict)
    auth_methods: dict[int, str] = field(default_factory=dict)

    def label(self, exchange: HarExchange) -> str:
        return self.labels.get(exchange.index, f"entry {exchange.index}")

    def before(self, exchange: HarExchange, kind: ExchangeKind) -> list[HarExchange]:
        position = self.exchanges.index(exchange)
        return [item for item in self.exchanges[:position] if item.kind is kind]

    @property
    def metadata(self) -> Mapping[str, Any] | None:
        found = [e.response_json for e in self.exchanges if e.kind is ExchangeKind.DISCOVERY and e.response_json]
        return found[-1] if found else None

    @property
    def issuer(self) -> str | None:
        issuer = (self.metadata or {}).get("issuer")
        return issuer if isinstance(issuer, str) else None

    def authorize_for(self, callback: HarExchange) -> HarExchange | None:
        """The authorization request this callback answers: same state, else the latest one."""
        requests = self.before(callback, ExchangeKind.AUTHORIZE)
        state = first(callback.callback, "state")
        same = [r for r in requests if state is not None and r.param("state") == state]
        return (same or requests or [None])[-1]

    def callback_for(self, token: HarExchange) -> HarExchange | None:
        code = token.param("code")
        found = [c for c in self.before(token, ExchangeKind.CALLBACK) if code and first(c.callback, "code") == code]
        return found[-1] if found else None

    def authorize_for_token(self, token: HarExchange) -> HarExchange | None:
        callback = self.callback_for(token)
        if callback is not None:
            return self.authorize_for(callback)
        requests = self.before(token, ExchangeKind.AUTHORIZE)
        return requests[-1] if requests else None


def analyse(trace: Trace, ctx: DiagnosisContext) -> list[Diagnosis]:
    """Every refusal in the trace, explained: structural signs first, then the provider's words."""
    from inspector.core.diagnosis.grant_checks import token_failure

    found: list[Diagnosis] = []
    for exchange in trace.exchanges:
        start = len(found)
        if exchange.kind is ExchangeKind.CALLBACK:
            found += _callback(trace, exchange, ctx)
        elif exchange.kind is ExchangeKind.TOKEN and failed(exchange):
            found += token_failure(trace, exchange, ctx)
        elif exchange.kind in (ExchangeKind.ERROR_PAGE, ExchangeKind.AUTHORIZE, ExchangeKind.PAR) and \
                exchange.status >= 400:
            found += _error_page(trace, exchange)
        elif exchange.kind is ExchangeKind.AUTHORIZE:
            found += _authorize(trace, exchange, ctx)
        elif failed(exchange):
            found += _other_failure(trace, exchange)
        found[start:] = [d.found_at(exchange.index) for d in found[start:]]
    return found


def _callback(trace: Trace, callback: HarExchange, ctx: DiagnosisContext) -> list[Diagnosis]:
    where = f"authorization response ({trace.label(callback)})"
    params = {name: values[0] for name, values in (callback.callback or {}).items() if values}
    request = trace.authorize_for(callback)
    found: list[Diagnosis] = []
    if params.get("error"):
        from inspector.core.diagnosis.oauth_errors import answer_from_params

        answer = answer_from_params(params, where=where)
        if answer is not None:
            found += explain(answer, endpoint="authorize", prompt=request.param("prompt") if request else None,
                             redirect_uri=request.param("redirect_uri") if request else None)
    if trace.callback_state_recorded:
        found += _state(trace, callback, params, where)
    expected = ctx.issuer or trace.issuer
    if expected and params.get("iss"):
        found += issuer_param(params["iss"], expected, where)
    return found


def _authorize(trace: Trace, request: HarExchange, ctx: DiagnosisContext) -> list[Diagnosis]:
    """An ID token wanted (a nonce sent, or response_type id_token) without the openid scope."""
    params = {name: values[0] for name, values in request.params.items() if values}
    wanted = (bool(params.get("nonce")) or "id_token" in params.get("response_type", "").split()
              or ctx.expect == "id_token")
    return missing_openid(params, f"authorization request ({trace.label(request)})", id_token_wanted=wanted)


def _state(trace: Trace, callback: HarExchange, params: Mapping[str, str], where: str) -> list[Diagnosis]:
    """RFC 6749 §10.12: the state must be one the application sent."""
    sent = [r.param("state") for r in trace.before(callback, ExchangeKind.AUTHORIZE) if r.param("state")]
    state = params.get("state")
    if not sent or state in sent:
        return []
    evidence = [Evidence.of(EvidenceKind.PARAMETER, "state", state if state is not None else "absent", where),
                Evidence.of(EvidenceKind.PARAMETER, "state", sent[-1], "the latest authorization request")]
    detail = ("carried no state although the application sent one" if state is None else
              "carried a state that no authorization request in the record sent")
    return [make("state_mismatch", Confidence.CERTAIN, evidence, detail=detail)]


def _error_page(trace: Trace, exchange: HarExchange) -> list[Diagnosis]:
    """A provider's own error page: it could not (or would not) redirect back, so the person saw it."""
    where = f"{exchange.kind.value} page ({trace.label(exchange)})"
    body = exchange.response_json if exchange.response_json is not None else exchange.response_text
    answer = answer_from_body(body, where=where, status=exchange.status, headers=dict(exchange.response_headers)) \
        if isinstance(exchange.response_json, Mapping) else answer_from_text(exchange.response_text or "",
                                                                            where=where, status=exchange.status)
    if answer is None:
        return []
    redirect_uri = exchange.param("redirect_uri")
    if redirect_uri is None:
        request = ([*trace.before(exchange, ExchangeKind.AUTHORIZE)] or [None])[-1]
        redirect_uri = request.param("redirect_uri") if request is not None else None
    return explain(answer, endpoint="authorize", redirect_uri=redirect_uri)


def _other_failure(trace: Trace, exchange: HarExchange) -> list[Diagnosis]:
    """A refusal elsewhere (userinfo, an API, device authorization): the answer, and for a bearer
    token refused for its age, the token's exp against the server's own clock."""
    from inspector.core.diagnosis.grant_checks import bearer_checks

    where = f"{exchange.kind.value} request ({trace.label(exchange)})"
    body = exchange.response_json if exchange.response_json is not None else exchange.response_text
    answer = answer_from_body(body, where=where, status=exchange.status, headers=dict(exchange.response_headers))
    endpoint = "resource" if exchange.header("www-authenticate") else None
    worded = explain(answer, endpoint=endpoint) if answer is not None else []
    structural = bearer_checks(trace, exchange, where)
    return merge(structural, worded)


def merge(structural: list[Diagnosis], worded: list[Diagnosis]) -> list[Diagnosis]:
    """A structural sign beats a provider's wording: the words become evidence of the structural
    cause, and only a certain wording of another cause is kept beside it."""
    if not structural:
        return worded
    words = tuple(item for d in worded for item in d.evidence if item.kind in (EvidenceKind.TEXT,
                                                                               EvidenceKind.PARAMETER,
                                                                               EvidenceKind.HTTP))
    first_cause = structural[0]._replace(evidence=(*structural[0].evidence, *words))
    causes = {d.cause for d in structural}
    extra = [d for d in worded if d.confidence is Confidence.CERTAIN and d.cause not in causes]
    return [first_cause, *structural[1:], *extra]


def masked(value: str | None) -> bool:
    return value == MASK
