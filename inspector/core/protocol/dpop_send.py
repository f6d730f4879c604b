"""Sending one request with a DPoP proof, and once more with the server's nonce if it asks.

RFC 9449 §8 and §9: a server that wants a nonce refuses the first proof with ``use_dpop_nonce``
and a ``DPoP-Nonce`` header; the client sends the request again with a fresh proof carrying that
nonce. Exactly once: a server that refuses the retry too gets a finding, not another try. Every
attempt is kept (its proof and its exchange), so a step shows both requests and both proofs.

A request that must not be sent twice as is (a client assertion is single-use, RFC 7523 §3:
its ``jti``) passes ``rebuild``, which gives the body and headers of the retry.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

import httpx

from inspector.core.findings import Finding, error, info
from inspector.core.jose.dpop import ProofFactory
from inspector.core.protocol.dpop_nonce import NonceStore, asks_for_nonce
from inspector.core.protocol.http import MAX_RESPONSE_BYTES, Client, Exchange, HttpResult, send
from inspector.core.redact import redact_mapping, redact_url

__all__ = ["DPOP_HEADER", "DpopAttempt", "DpopSend", "send_with_dpop"]

#: The request header that carries the proof (RFC 9449 §4.1).
DPOP_HEADER = "DPoP"
Rebuild = Callable[[], "tuple[Mapping[str, str] | None, Mapping[str, str]]"]


@dataclass
class DpopAttempt:
    """One request as sent: its proof, the nonce the proof carried, and what came back."""

    proof: str
    nonce: str | None
    result: HttpResult


@dataclass
class DpopSend:
    """Every attempt (one, or two when the server asked for a nonce) and what the exchange of
    nonces was worth saying; :attr:`result` is the last attempt's, as :func:`send` returns it."""

    attempts: list[DpopAttempt]
    findings: list[Finding] = field(default_factory=list)

    @property
    def result(self) -> HttpResult:
        return self.attempts[-1].result

    @property
    def exchanges(self) -> list[Exchange]:
        return [attempt.result.exchange for attempt in self.attempts]

    @property
    def proofs(self) -> list[str]:
        return [attempt.proof for attempt in self.attempts if attempt.proof]

    @property
    def retried(self) -> bool:
        return len(self.attempts) > 1


def send_with_dpop(
    client: Client,
    method: str,
    url: str,
    *,
    proofs: ProofFactory,
    nonces: NonceStore,
    data: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    access_token: str | None = None,
    rebuild: Rebuild | None = None,
    clock: Callable[[], float] = time.perf_counter,
    limit: int = MAX_RESPONSE_BYTES,
) -> DpopSend:
    """Send ``method url`` (as :func:`inspector.core.protocol.http.send`) with a fresh proof from
    ``proofs`` carrying the latest nonce ``nonces`` holds for the server; keep any nonce the answer
    brings; if the answer asks for one (``use_dpop_nonce`` with ``DPoP-Nonce``), send once more.

    With ``access_token`` the request presents it (``Authorization: DPoP …``, RFC 9449 §7.1) and
    each proof carries its hash (``ath``). ``rebuild`` gives the retry's body and headers.
    """
    outcome = DpopSend([])
    nonce = nonces.get(url)
    body, extra = data, dict(headers or {})
    for attempt in range(2):
        try:
            proof = proofs(method, _as_sent(url), nonce=nonce, access_token=access_token)
        except (ValueError, UnicodeEncodeError) as exc:
            outcome.attempts.append(DpopAttempt("", nonce, _unsendable(method, url, body, extra, exc)))
            break
        sent = {**extra, DPOP_HEADER: proof}
        if access_token is not None:
            sent["Authorization"] = f"DPoP {access_token}"
        result = send(client, method, url, data=body, headers=sent, clock=clock, limit=limit)
        outcome.attempts.append(DpopAttempt(proof, nonce, result))
        if result.finding is not None:
            break
        answer = result.response.headers if result.response is not None else result.exchange.response_headers
        fresh = nonces.remember(url, answer)
        if not asks_for_nonce(result.exchange.status, result.exchange.body, answer):
            break
        stop = _why_not_retry(attempt, fresh, nonce)
        if stop is not None:
            outcome.findings.append(stop)
            break
        outcome.findings.append(info("dpop_nonce_retry", "The server asked for a DPoP nonce (use_dpop_nonce) and gave "
                                     "one in DPoP-Nonce; the request was sent again, once, with a new proof carrying "
                                     "it (RFC 9449 §8)."))
        nonce = fresh
        if rebuild is not None:
            body, rebuilt = rebuild()
            extra = dict(rebuilt)
    return outcome


def _as_sent(url: str) -> str:
    """``url`` as httpx will send it (its own path normalisation): the htu then names exactly the
    request line, for servers that compare it literally."""
    try:
        return str(httpx.URL(url))
    except (httpx.InvalidURL, TypeError, ValueError):
        return url  # the proof factory says what is wrong with it


def _why_not_retry(attempt: int, fresh: str | None, sent: str | None) -> Finding | None:
    """Why asking for a nonce ends here: the retry was refused too, or there is no new nonce to send."""
    if attempt > 0:
        return error("dpop_nonce_refused", "The server asked for a DPoP nonce again, although the retry carried the "
                     "nonce it had just given; it was not sent a third time. The server may be changing nonces on "
                     "every answer, or refusing the proof for another reason (RFC 9449 §8).")
    if fresh is None:
        return error("dpop_nonce_missing", "The server asked for a DPoP nonce (use_dpop_nonce) but sent no valid "
                     "DPoP-Nonce header to use, so the request could not be retried (RFC 9449 §8.1 requires it).")
    if fresh == sent:
        return error("dpop_nonce_refused", "The server asked for a DPoP nonce but gave the very nonce the proof "
                     "already carried, so retrying would change nothing.")
    return None


def _unsendable(method: str, url: str, data: Mapping[str, str] | None, headers: Mapping[str, str],
                exc: Exception) -> HttpResult:
    """The request that was not sent because no proof can be made for it, recorded like one
    :func:`send` cannot build."""
    shown = redact_url(url)
    reason = "the access token is not plain ASCII" if isinstance(exc, UnicodeEncodeError) else str(exc)
    exchange = Exchange(method=method, url=shown, request_headers=redact_mapping(dict(headers)),
                        params=redact_mapping(dict(data or {})), error="invalid_request")
    return HttpResult(exchange, None, error("invalid_request", f"Cannot make a DPoP proof for {method} {shown}: "
                                            f"{reason}. Nothing was sent."))
