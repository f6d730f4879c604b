"""Provider error answers, whatever their shape, read into one form and explained with the
wording table.

Shapes: the OAuth error object (RFC 6749 §5.2) and authorization error parameters (§4.1.2.1,
OpenID Connect Core §3.1.2.6); GitHub's HTTP 200 carrying ``error`` (JSON or form-encoded);
Entra's ``error_codes``, ``AADSTS`` texts and ``timestamp``; Okta's ``errorCode``/``errorSummary``;
a resource server's ``WWW-Authenticate: Bearer error=...`` (RFC 6750 §3); a provider's HTML error
page or a pasted message. Provider text is data here: it is matched, shown as evidence, and never
trusted to be well formed.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

from inspector.core.diagnosis.causes import make, quote
from inspector.core.diagnosis.model import Confidence, Diagnosis, Evidence, EvidenceKind
from inspector.core.diagnosis.wordings import AUTH_CODE, DEVICE, REFRESH, TLS_WORDINGS, WORDINGS, Wording

__all__ = ["ErrorAnswer", "answer_from_body", "answer_from_params", "answer_from_text", "bearer_challenge",
           "explain", "infer_grant", "match", "page_text"]

_AADSTS = re.compile(r"\bAADSTS(\d{4,9})\b")
_PAGE_ERROR = re.compile(r"\berror(?:[ _]code)?\s*[:=]\s*([a-z][a-z_]{2,60})\b|\bError \d{3}: ([a-z][a-z_]{2,60})\b")
_AUTH_PARAM = re.compile(r'([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))')
_PROMPT_CAUSES = frozenset({"login_required", "consent_required", "interaction_required"})
_GRANT_WORDS = ((REFRESH, re.compile(r"refresh[ _]token", re.I)),
                (DEVICE, re.compile(r"device[ _]code", re.I)),
                (AUTH_CODE, re.compile(r"authori[sz]ation[ _]code|\bauth code\b|\bcode\b", re.I)))


@dataclass(frozen=True)
class ErrorAnswer:
    """An error as the provider gave it: ``text`` is every human sentence in it (what wordings
    are matched against); ``codes`` are provider codes (``AADSTS50011``, ``E0000011``)."""

    error: str | None
    description: str | None
    where: str
    codes: tuple[str, ...] = ()
    status: int | None = None
    text: str = ""
    server_time: float | None = None
    evidence: tuple[Evidence, ...] = field(default=())


def answer_from_body(body: Any, *, where: str, status: int | None = None,
                     headers: Mapping[str, str] | None = None) -> ErrorAnswer | None:
    """The error in a JSON object, a form-encoded body (GitHub without ``Accept: application/json``)
    or a page; None when the body holds no error and the status is not an error either."""
    if isinstance(body, Mapping):
        answer = _from_object(body, where, status)
    elif isinstance(body, str):
        answer = answer_from_text(body, where=where, status=status)
    else:
        answer = None
    challenge = bearer_challenge(_header(headers, "www-authenticate"))
    if challenge.get("error") and (answer is None or answer.error is None):
        return _from_object(challenge, f"{where}, WWW-Authenticate", status)
    return answer


def answer_from_params(params: Mapping[str, str], *, where: str) -> ErrorAnswer | None:
    """The authorization error carried back in a callback's query or fragment."""
    return _from_object(params, where, None) if params.get("error") else None


def answer_from_text(text: str, *, where: str, status: int | None = None) -> ErrorAnswer | None:
    """An error page or a pasted message: the error code and provider codes found in its text."""
    plain = page_text(text)
    found = _PAGE_ERROR.search(plain)
    error = (found.group(1) or found.group(2)) if found else None
    codes = _codes(plain, None, None)
    if error is None and not codes and not _any_wording(plain):
        return None
    evidence = [Evidence.of(EvidenceKind.TEXT, "page", plain, where)]
    if status is not None:
        evidence.insert(0, Evidence.of(EvidenceKind.HTTP, "status", status, where))
    return ErrorAnswer(error, None, where, codes, status, plain, None, tuple(evidence))


def page_text(text: str) -> str:
    """The visible text of an HTML page (tags, scripts and styles removed), or the text itself."""
    if "<" not in text:
        return " ".join(text.split())
    stripped = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", text)
    stripped = re.sub(r"(?s)<[^>]*>", " ", stripped)
    return " ".join(html.unescape(stripped).split())


def bearer_challenge(value: str | None) -> dict[str, str]:
    """The auth-params of a ``WWW-Authenticate: Bearer ...`` challenge (RFC 6750 §3)."""
    if not value or not value.strip().lower().startswith(("bearer", "dpop")):
        return {}
    return {match.group(1).lower(): (match.group(2) if match.group(2) is not None else match.group(3)) or ""
            for match in _AUTH_PARAM.finditer(value)}


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    return next((value for key, value in (headers or {}).items() if key.lower() == name), None)


def _text_field(data: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _codes(text: str, error_codes: Any, okta_code: Any) -> tuple[str, ...]:
    codes = [f"AADSTS{number}" for number in _AADSTS.findall(text)]
    if isinstance(error_codes, list):
        codes += [f"AADSTS{item}" for item in error_codes if isinstance(item, int) and not isinstance(item, bool)]
    if isinstance(okta_code, str) and re.fullmatch(r"E\d{7}", okta_code):
        codes.append(okta_code)
    return tuple(dict.fromkeys(codes))


def _from_object(data: Mapping[str, Any], where: str, status: int | None) -> ErrorAnswer | None:
    error = _text_field(data, "error")
    description = _text_field(data, "error_description", "errorSummary", "message")
    okta = data.get("errorCode")
    codes = _codes(description or "", data.get("error_codes"), okta)
    if error is None and not codes and not (status is not None and status >= 400):
        return None
    evidence: list[Evidence] = []
    if status is not None:
        evidence.append(Evidence.of(EvidenceKind.HTTP, "status", status, where))
    for name in ("error", "errorCode", "error_codes", "error_uri", "trace_id", "correlation_id", "errorId"):
        if isinstance(data.get(name), (str, int, list)) and data.get(name) != []:
            evidence.append(Evidence.of(EvidenceKind.PARAMETER, name, data[name], where))
    if description:
        evidence.append(Evidence.of(EvidenceKind.TEXT, "error_description", description, where))
    text = " ".join(part for part in (description, _text_field(data, "errorSummary")) if part)
    return ErrorAnswer(error, description, where, codes, status, text, _entra_time(data.get("timestamp")),
                       tuple(evidence))


def _entra_time(value: Any) -> float | None:
    """Entra's body ``timestamp`` ("2024-05-01 10:00:00Z"): the server's clock at the answer."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _any_wording(text: str) -> bool:
    return any(row.text and _compiled(row.text).search(text) for row in WORDINGS) or _is_tls(text)


def _is_tls(text: str) -> bool:
    return any(_compiled(pattern).search(text) for pattern in TLS_WORDINGS)


def infer_grant(answer: ErrorAnswer) -> str | None:
    """The grant a description speaks of, when it names exactly one."""
    named = [grant for grant, pattern in _GRANT_WORDS if pattern.search(answer.text)]
    return named[0] if len(named) == 1 else None


def _specificity(row: Wording, answer: ErrorAnswer, grant: str | None, endpoint: str | None) -> tuple | None:
    """How well ``row`` matches (higher is more specific), or None if it does not."""
    if row.error is not None and row.error != answer.error:
        return None
    if row.code is not None and row.code not in answer.codes:
        return None
    if row.text is not None and not _compiled(row.text).search(answer.text):
        return None
    if row.grant is not None and row.grant != grant:
        return None
    if row.endpoint is not None and row.endpoint != endpoint:
        return None
    return (row.code is not None, row.text is not None, row.error is not None, row.grant is not None)


def match(answer: ErrorAnswer, *, grant: str | None = None, endpoint: str | None = None) -> Wording | None:
    """The most specific row for ``answer``; a vague row (no cause) gives way to the generic one."""
    grant = grant or infer_grant(answer)
    scored = [(score, -index, row) for index, row in enumerate(WORDINGS)
              if (score := _specificity(row, answer, grant, endpoint)) is not None]
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    for _score, _index, row in scored:
        if row.cause is not None:
            return row
    return None


def explain(answer: ErrorAnswer, *, grant: str | None = None, endpoint: str | None = None,
            prompt: str | None = None, auth_method: str | None = None,
            supported_methods: Sequence[str] | None = None, redirect_uri: str | None = None) -> list[Diagnosis]:
    """What ``answer`` means, from the wording table; the request's ``prompt`` and
    ``redirect_uri``, the client's ``auth_method`` and the provider's ``supported_methods`` (its
    token_endpoint_auth_methods_supported) sharpen it."""
    if _is_tls(answer.text):
        from inspector.core.diagnosis.remote import tls_untrusted

        return [tls_untrusted(None, None, list(answer.evidence))]
    row = match(answer, grant=grant, endpoint=endpoint)
    if row is None:
        if answer.error is None and not answer.description:
            return []
        detail = answer.description or answer.error or ""
        return [make("other_failure", Confidence.LIKELY, answer.evidence, where=answer.where[0].upper() +
                     answer.where[1:], detail=f"the provider answered {quote(answer.error or 'an error')}"
                     f"{' with ' + quote(detail) if answer.description else ''}.")]
    evidence = list(answer.evidence)
    evidence.append(Evidence.of(EvidenceKind.TEXT, "wording", _wording_label(row), "wording table"))
    facts = dict(row.facts)
    confidence = Confidence(row.confidence)
    if row.cause in _PROMPT_CAUSES and prompt == "none":
        facts["detail"] = f"{facts.get('detail', '')} (the request had prompt=none)"
        evidence.append(Evidence.of(EvidenceKind.PARAMETER, "prompt", "none", "authorization request"))
    if row.cause == "invalid_client":
        confidence, facts = _client_method(facts, confidence, auth_method, supported_methods, evidence)
    if row.cause == "redirect_uri_mismatch":
        facts["redirect_uri"] = quote(redirect_uri) if redirect_uri else "sent"
        if redirect_uri:
            evidence.append(Evidence.of(EvidenceKind.PARAMETER, "redirect_uri", redirect_uri, "authorization request"))
    return [make(row.cause, confidence, evidence, **facts)]


def _wording_label(row: Wording) -> str:
    specific = row.code or (f"error {row.error}" if row.error and not row.text else None)
    return f"{row.provider}: {specific}" if specific else f"{row.provider}: {row.text}"


def _client_method(facts: dict[str, str], confidence: Confidence, method: str | None,
                   supported: Sequence[str] | None, evidence: list[Evidence]) -> tuple[Confidence, dict[str, str]]:
    """invalid_client checked against the provider's token_endpoint_auth_methods_supported."""
    if method:
        evidence.append(Evidence.of(EvidenceKind.PARAMETER, "client authentication", method, "token request"))
    if supported is None:
        return confidence, facts
    evidence.append(Evidence.of(EvidenceKind.METADATA, "token_endpoint_auth_methods_supported", list(supported),
                                "discovery document"))
    listed = ", ".join(supported)
    facts = {**facts, "supported": f" (it lists {listed})"}
    if method and method not in supported:
        facts["detail"] = f": the client used {method}, which the provider does not support ({listed})"
        return Confidence.CERTAIN, facts
    return confidence, facts
