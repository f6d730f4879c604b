"""An API request as a person types it (the flow's "Call an API" step, the Flows panel's Call tab):
a method, a URL, headers one ``Name: value`` per line, a body as text. Read into an
:class:`~inspector.core.protocol.api_call.ApiRequest`, or refused in words before anything is sent.

Kept free of httpx so the CLI can share the checks while it builds its parser.
"""

from __future__ import annotations

import json
import re

from inspector.core.errors import ProtocolError

__all__ = ["HEADER_VALUE", "TOKEN", "build_request", "checked_headers", "content_type_for", "header_lines",
           "read_request"]

#: RFC 9110 §5.6.2 ``token``: what a method or a header name is made of.
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
#: RFC 9110 §5.5: a field value holds no CR, LF, NUL or other control character (tab allowed).
HEADER_VALUE = re.compile(r"[^\x00-\x08\x0a-\x1f\x7f]*")


def content_type_for(body: bytes) -> str:
    """The Content-Type a body without one gets: JSON when it parses as JSON, else a form (as curl)."""
    try:
        json.loads(body)
    except (ValueError, RecursionError):
        return "application/x-www-form-urlencoded"
    return "application/json"


def header_lines(text: str) -> tuple[tuple[str, str], ...]:
    """``Name: value`` per line (blank lines skipped), in order; a line that is not one raises
    :class:`ProtocolError` (``invalid_header``) naming it."""
    headers = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon:
            raise ProtocolError(f"Header line {number} ({line.strip()[:60]!r}) is not 'Name: value'.",
                                code="invalid_header", hint="Write one header per line, e.g. Accept: application/json.")
        headers.append((name.strip(), value.strip()))
    return checked_headers(headers)


def checked_headers(headers: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """``headers`` as given, or :class:`ProtocolError` (``invalid_header``) for a name that is not
    a header name or a value with a line break or another control character."""
    for name, value in headers:
        if not TOKEN.fullmatch(name):
            raise ProtocolError(f"{name[:60]!r} is not a header name (letters, digits and -, without spaces), "
                                "so it is not 'Name: value'.", code="invalid_header")
        if not HEADER_VALUE.fullmatch(value):
            raise ProtocolError(f"The value of the header {name} holds a line break or another control character, "
                                "which no header may carry.", code="invalid_header")
    return tuple(headers)


def read_request(method: str, url: str, headers: str = "", body: str = ""):  # noqa: ANN201 - an ApiRequest (lazy)
    """The request typed: ``method`` (default GET, POST with a body), ``url``, header lines and a
    body (sent as UTF-8; its Content-Type, unless a header gives one, from :func:`content_type_for`)."""
    return build_request(method, url, header_lines(headers), body)


def build_request(method: str, url: str, headers: tuple[tuple[str, str], ...], body: str = ""):  # noqa: ANN201
    """:func:`read_request` with the headers already as (name, value) pairs (checked here)."""
    from inspector.core.protocol.api_call import ApiRequest

    url = url.strip()
    if not url:
        raise ProtocolError("No API URL to call: give the URL of the API.", code="invalid_url")
    method = (method.strip() or ("POST" if body else "GET")).upper()
    if not TOKEN.fullmatch(method):
        raise ProtocolError(f"{method!r} is not an HTTP method (a word such as GET, POST, PUT, DELETE).",
                            code="invalid_method")
    fields = checked_headers(headers)
    data = body.encode("utf-8") if body else None
    if data is not None and not any(name.lower() == "content-type" for name, _ in fields):
        fields += (("Content-Type", content_type_for(data)),)
    return ApiRequest(method, url, fields, data)
