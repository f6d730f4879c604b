"""What was handed in: reading an artifact (bounded, regular files only) and telling its kind.

Kinds, tried in this order: a HAR (``{"log": {"entries": [...]}}``); a flow record (the JSON
lines of ``flow ... --json``, a ``Flow.to_json()`` document, or a list of them); a token response
or a provider's error object (JSON, a form-encoded body, or a whole HTTP answer with its status
line and headers); an authorization response or request URL; a provider's error page; a token;
a pasted error message. Anything else is :class:`UnusableInputError`, never a traceback.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from inspector.core.errors import UnusableInputError
from inspector.core.files import read_bounded
from inspector.core.har.reader import MAX_BYTES

__all__ = ["Artifact", "HttpMessage", "MAX_ARTIFACT_BYTES", "as_text", "detect", "read_artifact"]

#: The largest artifact read: a HAR recording is the largest kind there is.
MAX_ARTIFACT_BYTES = MAX_BYTES
_CALLBACK_PARAMS = frozenset({"code", "error", "state", "id_token", "access_token"})
_REQUEST_PARAMS = frozenset({"response_type", "client_id", "redirect_uri"})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_TOKEN_MEMBERS = frozenset({"access_token", "id_token", "refresh_token"})
_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class HttpMessage:
    """An HTTP answer as pasted: ``headers`` with lower-case names, ``body`` parsed when JSON or a
    form, else the text."""

    status: int | None
    headers: dict[str, str]
    body: Any


@dataclass(frozen=True)
class Artifact:
    kind: str   # har, flow_record, token_response, error_response, callback, authorize_request, error_text, token
    text: str
    data: Any = None


def read_artifact(path: str, *, limit: int = MAX_ARTIFACT_BYTES) -> bytes:
    """The bytes of the regular file ``path``, refusing FIFOs, devices and directories (which
    could block or never end) and anything over ``limit`` bytes."""
    return read_bounded(path, limit=limit, what="the file", hint="Save the artifact to a file first.",
                        size_hint="For a HAR, record only the sign-in (clear the log first) or export it without "
                        "content.")


def as_text(data: bytes, what: str = "The input") -> str:
    """UTF-8 text (a BOM is dropped); binary content is refused naming the byte."""
    if b"\x00" in data[:65536]:
        raise UnusableInputError(f"{what} is binary (it contains NUL bytes), not a token, URL, answer, "
                                 "flow record or HAR.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnusableInputError(f"{what} is not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}).",
                                 hint="HAR files and flow records are UTF-8 JSON; paste tokens and URLs as "
                                 "text.") from exc


def detect(text: str) -> Artifact:
    """The kind of ``text``; UnusableInputError when it is none of the known kinds."""
    stripped = text.strip()
    if not stripped:
        raise UnusableInputError("The input is empty: give a token, a callback URL, an error answer, a flow record "
                                 "or a HAR file.")
    if stripped[0] in "{[":
        return _json_artifact(stripped)
    if stripped.startswith("HTTP/"):
        message = _http_message(stripped)
        return Artifact(_answer_kind(message.body), stripped, message)
    if stripped[0] == "<":
        return Artifact("error_text", stripped)
    if (url := _url_artifact(stripped)) is not None:
        return url
    if not _SPACE.search(stripped.strip("\"'`")) or stripped[:14].lower().startswith(("bearer ", "authorization:")):
        return Artifact("token", stripped)
    return Artifact("error_text", stripped)


def _json_artifact(text: str) -> Artifact:
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise UnusableInputError("The JSON is nested too deeply to read.") from exc
    except ValueError as exc:
        lines = _json_lines(text)
        if lines is None:
            raise UnusableInputError(f"The input looks like JSON but cannot be read: {exc}.",
                                     hint="Was the file cut off? A HAR or flow record must be complete.") from exc
        value = lines
    kind = _json_kind(value)
    if kind is None:
        raise UnusableInputError(f"The JSON is none of the known shapes ({_shape(value)}): expected a HAR "
                                 "(log.entries), a flow record (step lines), a token response or a provider's "
                                 "error object.")
    return Artifact(kind, text, value)


def _json_lines(text: str) -> list[Any] | None:
    """Each non-empty line as JSON (what ``flow --json`` prints); None if a line is not JSON."""
    values = []
    for line in text.splitlines():
        if line.strip():
            try:
                values.append(json.loads(line))
            except (ValueError, RecursionError):
                return None
    return values if len(values) > 1 else None


def _json_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        log = value.get("log")
        if isinstance(log, dict) and isinstance(log.get("entries"), list):
            return "har"
        if isinstance(value.get("steps"), list) or isinstance(value.get("step"), str):
            return "flow_record"
        return _answer_kind(value, strict=True)
    if isinstance(value, list) and value and all(isinstance(item, dict) and (
            isinstance(item.get("step"), str) or isinstance(item.get("steps"), list)) for item in value):
        return "flow_record"
    return None


def _answer_kind(body: Any, *, strict: bool = False) -> str | None:
    if isinstance(body, dict) and _TOKEN_MEMBERS & body.keys() and "error" not in body:
        return "token_response"
    if isinstance(body, dict) and not ({"error", "errorCode", "error_codes", "errorSummary"} & body.keys()):
        return None if strict else "error_response"
    return "error_response"


def _shape(value: Any) -> str:
    if isinstance(value, dict):
        names = ", ".join(repr(key)[:40] for key in list(value)[:8])
        return f"an object with {names or 'no members'}"
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")


def _http_message(text: str) -> HttpMessage:
    """The last header block of a pasted answer (``curl -i`` may show a proxy's or a 100 Continue first)."""
    rest = text.replace("\r\n", "\n")
    while True:
        head, _, body = rest.partition("\n\n")
        if not body.lstrip().startswith("HTTP/"):
            break
        rest = body.lstrip()
    lines = head.split("\n")
    match = re.match(r"HTTP/[\d.]+\s+(\d{3})", lines[0])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            key = name.strip().lower()
            headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return HttpMessage(int(match.group(1)) if match else None, headers, _body(body.strip()))


def _body(text: str) -> Any:
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            return text
        return value if isinstance(value, dict) else text
    if re.fullmatch(r"[\w.~%+-]+=[^\s]*", text) and "=" in text:
        return {name: values[0] for name, values in parse_qs(text, keep_blank_values=True).items()}
    return text


def _url_artifact(text: str) -> Artifact | None:
    """A callback URL (query or fragment), an authorization request URL, or a bare form body."""
    if _SPACE.search(text):
        return None
    if _SCHEME.match(text) and ("?" in text or "#" in text):
        parts = urlsplit(text)
        query, fragment = _params(parts.query), _params(parts.fragment)
    elif "=" in text and "&" in text or text.startswith(("error=", "code=", "#", "?")):
        query, fragment = _params(text.lstrip("?#")), {}
    else:
        return None
    params = {**query, **fragment}
    if _CALLBACK_PARAMS & params.keys() and not ("response_type" in params and "code" not in params):
        if "error" in params and not _SCHEME.match(text):
            return Artifact("error_response", text, params)
        return Artifact("callback", text, {"params": params, "fragment": bool(fragment)})
    if _REQUEST_PARAMS & params.keys():
        return Artifact("authorize_request", text, params)
    return None


def _params(text: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(text, keep_blank_values=True).items()}
