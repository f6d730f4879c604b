"""Reading an endpoint's JSON answer: OAuth error objects (RFC 6749 §5.2), server errors, HTML
or broken JSON all become findings with stable codes instead of exceptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inspector.core.findings import Finding, error
from inspector.core.protocol.http import HttpResult
from inspector.core.protocol.oauth_errors import meaning

__all__ = ["JsonAnswer", "oauth_error_finding", "read_json"]


@dataclass
class JsonAnswer:
    data: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)
    oauth_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.findings


def _describe_body(body: Any) -> str:
    text = body if isinstance(body, str) else repr(body)
    stripped = text.lstrip().lower()
    if stripped.startswith(("<!doctype html", "<html", "<")):
        return "an HTML page (a login page, a proxy or a wrong URL?)"
    if not stripped:
        return "an empty body"
    return f"text that is not a JSON object ({text[:60]!r}…)" if len(text) > 60 else f"{text!r}"


def oauth_error_finding(finding_code: str, who: str, oauth_error: str, description: object, *,
                        status: int | None = None, part: str | None = None) -> Finding:
    """``finding_code`` for the OAuth error ``oauth_error``; ``who`` starts the sentence ("The token
    endpoint answered"). The provider's description as given, then what it means and what to do
    (from the one table)."""
    detail = f": {description}" if isinstance(description, str) and description else ""
    where = f" (HTTP {status})" if status is not None else ""
    known = meaning(oauth_error)
    cause = f" This means {known.cause}." if known is not None else ""
    return error(finding_code, f"{who} with the OAuth error '{oauth_error}'{detail}{where}.{cause}",
                 part=part, advice=known.advice if known is not None else None)


def read_json(result: HttpResult, *, endpoint: str, error_code: str) -> JsonAnswer:
    """Interpret ``result`` as a JSON object answer from ``endpoint`` (e.g. "token endpoint").

    ``error_code`` names the finding for an OAuth error object (``token_error``, …).
    """
    if result.finding is not None:
        return JsonAnswer(None, [result.finding])
    status = result.exchange.status or 0
    body = result.exchange.body
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        code = body["error"]
        finding = oauth_error_finding(error_code, f"The {endpoint} answered", code, body.get("error_description"),
                                      status=status)
        return JsonAnswer(None, [finding], oauth_error=code)
    if 300 <= status < 400:
        location = result.response.headers.get("location", "?") if result.response is not None else "?"
        return JsonAnswer(
            None,
            [error("unexpected_redirect", f"The {endpoint} answered with a redirect (HTTP {status}) to {location}. "
                   "Protocol endpoints must not redirect; check the issuer URL (scheme, host, trailing slash).")],
        )
    if status >= 500:
        return JsonAnswer(
            None,
            [error("server_error", f"The {endpoint} failed on its side (HTTP {status}). Try again later, or "
                   "ask the provider's administrators; the response is recorded in the exchange.")],
        )
    if not isinstance(body, dict):
        return JsonAnswer(
            None,
            [error("invalid_response", f"The {endpoint} answered HTTP {status} with {_describe_body(body)} "
                   "instead of a JSON object. Check the endpoint URL and any proxy in between.")],
        )
    if not 200 <= status < 300:
        return JsonAnswer(
            None,
            [error("http_error", f"The {endpoint} answered HTTP {status} without an OAuth error object.")],
        )
    return JsonAnswer(body)
