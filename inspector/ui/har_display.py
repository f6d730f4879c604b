"""A browser recording's OAuth exchanges as the Diagnose panel shows them, secrets masked.

A HAR holds what the browser sent, raw: a sign-in form's password, authorization codes,
cookies, bearer tokens. Everything shown goes through one :class:`Redactor` per recording: by
name (a password, client secret, cookie or Authorization header masked; codes and tokens
abbreviated; see :mod:`inspector.core.redact`) and by value — every secret and token that any
exchange of the recording carries is masked wherever else it appears (a code in a ``Location``
header or a ``:path`` pseudo header, a token echoed in a page). The redactor is the engine's
(:func:`~inspector.core.diagnosis.masking.recording_redactor`), which masked the report already.
Whole tokens leave only through :attr:`ShownExchange.tokens`, for the Decoder, when the person asks.

Qt-free, so the masking is tested without widgets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from inspector.core.diagnosis.model import Confidence, DiagnosisReport
from inspector.core.har.model import ExchangeKind, HarExchange, Params
from inspector.core.redact import Redactor

__all__ = ["KIND_LABELS", "MAX_BODY_CHARS", "Mark", "ShownExchange", "marks_of", "show", "where_to"]

#: A response body is shown up to this many characters (a sign-in page can be hundreds of KB).
MAX_BODY_CHARS = 100_000
KIND_LABELS = {
    ExchangeKind.AUTHORIZE: "authorize", ExchangeKind.CALLBACK: "callback", ExchangeKind.TOKEN: "token",
    ExchangeKind.PAR: "pushed request", ExchangeKind.DEVICE: "device code", ExchangeKind.USERINFO: "userinfo",
    ExchangeKind.INTROSPECT: "introspect", ExchangeKind.REVOKE: "revoke", ExchangeKind.JWKS: "JWKS",
    ExchangeKind.DISCOVERY: "discovery", ExchangeKind.ERROR_PAGE: "error page",
}  # fmt: skip
#: Tokens the Decoder can open, by where they travel: (name, label).
_TOKEN_LABELS = (("id_token", "ID token"), ("access_token", "access token"), ("refresh_token", "refresh token"))


@dataclass(frozen=True)
class Mark:
    """How the timeline marks an exchange a diagnosis was found at: ``severity`` for the colour
    ("error" for the root cause, "warning" for the others) and a short ``note``."""

    severity: str
    note: str


@dataclass(frozen=True)
class ShownExchange:
    """One exchange, every text masked; ``tokens`` are (label, whole token) for the Decoder."""

    title: str
    request_line: str
    params: tuple[tuple[str, str], ...]
    request_headers: tuple[tuple[str, str], ...]
    response_line: str
    response_headers: tuple[tuple[str, str], ...]
    carried: tuple[tuple[str, str], ...]
    body: str
    tokens: tuple[tuple[str, str], ...]


def show(exchange: HarExchange, redactor: Redactor) -> ShownExchange:
    response = (f"HTTP {exchange.status}" + (f" · {exchange.elapsed_ms:.0f} ms" if exchange.elapsed_ms else "")
                if exchange.status else "No response recorded (the request was blocked, cancelled or never answered).")
    return ShownExchange(
        title=f"{KIND_LABELS[exchange.kind].capitalize()} · HAR entry {exchange.index}",
        request_line=f"{exchange.method} {redactor.text(exchange.url)}",
        params=_masked(_pairs(exchange.params), redactor),
        request_headers=_masked(exchange.request_headers, redactor),
        response_line=response,
        response_headers=_masked(exchange.response_headers, redactor),
        carried=_masked(_pairs(exchange.callback or {}), redactor),
        body=_body(exchange, redactor),
        tokens=tuple(_tokens(exchange)),
    )


def where_to(exchange: HarExchange, redactor: Redactor) -> str:
    """``host/path`` of the exchange's URL, without its query (shown masked in the parameters)."""
    try:
        parts = urlsplit(exchange.url)
    except ValueError:
        return redactor.text(exchange.url)
    return redactor.text(f"{parts.netloc.rpartition('@')[2]}{parts.path}")


def marks_of(report: DiagnosisReport) -> dict[int, Mark]:
    """The entries each diagnosis was found at: the root cause's "fails", the others by number."""
    marks: dict[int, Mark] = {}
    for number, diagnosis in enumerate(report.diagnoses, start=1):
        root = number == 1 and diagnosis.confidence is not Confidence.POSSIBLE
        for entry in diagnosis.entries:
            marks.setdefault(entry, Mark("error", "◀ fails") if root else Mark("warning", f"◀ cause {number}"))
    return marks


def _pairs(params: Params) -> list[tuple[str, str]]:
    return [(name, value) for name, values in params.items() for value in values]


def _masked(pairs: Iterable[tuple[str, str]], redactor: Redactor) -> tuple[tuple[str, str], ...]:
    return tuple((redactor.text(name), str(redactor.value(value, name))) for name, value in pairs)


def _body(exchange: HarExchange, redactor: Redactor) -> str:
    if isinstance(exchange.response_json, Mapping):
        return json.dumps(redactor.value(dict(exchange.response_json)), indent=2, ensure_ascii=False)
    text = exchange.response_text or ""
    if len(text) > MAX_BODY_CHARS:
        text = f"{text[:MAX_BODY_CHARS]}\n… ({len(text) - MAX_BODY_CHARS:,} more characters not shown)"
    return redactor.text(text)


def _tokens(exchange: HarExchange) -> Iterable[tuple[str, str]]:
    """Tokens in the answer (token response, implicit or hybrid callback) and a bearer token sent."""
    sources: list[Mapping[str, Any]] = []
    if isinstance(exchange.response_json, Mapping):
        sources.append(exchange.response_json)
    if exchange.callback:
        sources.append({name: values[0] for name, values in exchange.callback.items() if values})
    seen: set[str] = set()
    for source in sources:
        for name, label in _TOKEN_LABELS:
            value = source.get(name)
            if isinstance(value, str) and value.strip() and value not in seen:
                seen.add(value)
                yield f"Open the {label} in the Decoder", value
    bearer = exchange.header("authorization", response=False) or ""
    scheme, _, credentials = bearer.strip().partition(" ")
    if scheme.lower() == "bearer" and credentials.strip() and credentials.strip() not in seen:
        yield "Open the bearer token sent in the Decoder", credentials.strip()
