"""Reading the parts of one HAR 1.2 entry as browsers write them, tolerating what they get wrong.

Every function takes the JSON value as loaded and never raises on an odd shape (a missing field,
a number where a string belongs): a real recording has odd entries, and one of them must not cost
the whole file. Only ``response_text`` raises, ``UnreadableBody``, so callers can count bodies left
out. Shared by the reader and the sanitizer, which rewrites the same fields.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import json
import math
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qsl, unquote_plus, urlsplit

from inspector.core.har.model import Params
from inspector.core.protocol.clock import parse_http_date

__all__ = [
    "Headers", "UnreadableBody", "body_params", "charset", "collect", "elapsed_ms", "header", "headers", "json_object",
    "merged", "mime_type", "parse_started", "response_text", "server_date", "split_params", "url_params",
]

Headers = tuple[tuple[str, str], ...]


class UnreadableBody(ValueError):
    """A body that is not text: binary, base64 that does not decode, or in an unknown encoding."""


def collect(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Parameters by name with every value kept, in the order they came."""
    params: dict[str, tuple[str, ...]] = {}
    for name, value in pairs:
        params[name] = (*params.get(name, ()), value)
    return params


def merged(*sources: Params | None) -> Params:
    """Query and body parameters together (RFC 6749 §3.1 lets an authorization request use both)."""
    present = [source for source in sources if source]
    if len(present) == 1:
        return present[0]
    return collect((name, value) for source in present for name, values in source.items() for value in values)


def split_params(text: str) -> Params:
    """``a=1&b=2`` as parameters (application/x-www-form-urlencoded, every value kept)."""
    return collect(parse_qsl(text, keep_blank_values=True))


def url_params(url: str) -> tuple[Params, Params]:
    """The query's and the fragment's parameters of ``url`` (empty for a URL that does not parse)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return {}, {}
    return split_params(parts.query), split_params(parts.fragment)


def headers(value: Any) -> Headers:
    """A HAR ``headers`` list ({name, value} objects) as pairs; malformed items are left out."""
    if not isinstance(value, list):
        return ()
    return tuple((item["name"], item["value"]) for item in value
                 if isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("value"), str))


def header(pairs: Headers, name: str) -> str | None:
    """The first value of a header, whatever its case (HTTP/2 names are lower-case)."""
    wanted = name.lower()
    return next((value for key, value in pairs if key.lower() == wanted), None)


def mime_type(value: Any) -> str:
    """``content.mimeType`` or ``postData.mimeType``, lower-case ("" when absent)."""
    return value.lower() if isinstance(value, str) else ""


def response_text(content: Any) -> str | None:
    """The decoded body of ``response.content``: base64 undone (``encoding``), in the charset of
    its ``mimeType``. None when there is no body; ``UnreadableBody`` when it is not text."""
    if not isinstance(content, dict):
        return None
    return _text(content.get("text"), content.get("encoding"), mime_type(content.get("mimeType")))


def body_params(post_data: Any, *, raw_params: bool) -> Params | None:
    """The parameters of a request body (``postData``): a form, a JSON object, or the ``params``
    list when there is no ``text``. Chrome records ``params`` values URL-encoded, Firefox decoded
    (``raw_params``). None when the body holds no parameters we can read."""
    if not isinstance(post_data, dict):
        return None
    mime = mime_type(post_data.get("mimeType"))
    try:
        text = _text(post_data.get("text"), post_data.get("encoding"), mime)
    except UnreadableBody:
        text = None
    listed = post_data.get("params")
    if text and not mime.startswith("multipart/"):
        stripped = text.lstrip()
        if stripped.startswith(("{", "[")) or "json" in mime:
            body = json_object(stripped)
            return _json_params(body) if body is not None else None
        return split_params(text)
    if isinstance(listed, list):
        decode = (lambda value: value) if raw_params else unquote_plus
        return collect((decode(item["name"]), decode(item.get("value") if isinstance(item.get("value"), str) else ""))
                       for item in listed if isinstance(item, dict) and isinstance(item.get("name"), str))
    return None


def json_object(text: str | None) -> dict[str, Any] | None:
    """``text`` as a JSON object, or None (not JSON, or JSON but not an object)."""
    if not text or not text.lstrip().startswith("{"):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def parse_started(value: Any) -> datetime | None:
    """``startedDateTime``: ISO 8601 with an offset (Chrome ``Z``, Firefox ``+01:00``). A time
    without an offset is None: taking it as UTC would invent a clock skew of the recorder's zone."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def server_date(pairs: Headers) -> datetime | None:
    """The response's ``Date`` header (RFC 9110 §6.6.1) as a UTC datetime; None when absent or garbage."""
    seconds = parse_http_date(header(pairs, "date"))
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def elapsed_ms(value: Any) -> float | None:
    """The entry's ``time`` (milliseconds), when it is a finite number."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        return float(value) if math.isfinite(value) else None
    except OverflowError:  # an integer beyond any float
        return None


def _text(text: Any, encoding: Any, mime: str) -> str | None:
    if not isinstance(text, str) or not text:
        return None
    if encoding == "base64":
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UnreadableBody("the base64 body does not decode") from exc
        try:
            text = data.decode(charset(mime))
        except UnicodeDecodeError as exc:
            raise UnreadableBody("the body is not text") from exc
    if "\x00" in text:
        raise UnreadableBody("the body is binary")
    return text


def charset(mime: str) -> str:
    """The codec named by ``mime``'s charset parameter; UTF-8 when it names none or an unknown one."""
    for part in mime.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip() == "charset":
            try:
                return codecs.lookup(value.strip().strip('"')).name
            except LookupError:
                break
    return "utf-8"


def _json_params(body: Mapping[str, Any]) -> Params:
    def texts(value: Any) -> Iterable[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for item in value:
                yield item if isinstance(item, str) else json.dumps(item)
        else:
            yield json.dumps(value)

    return collect((name, text) for name, value in body.items() for text in texts(value))
