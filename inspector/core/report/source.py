"""What a report is made from: a flow record (the JSON lines ``flow --json`` prints, or a
``Flow.to_json()`` document), a browser's HAR recording, or a token. A history entry is a
token the front end has already read from the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspector.core.errors import UnusableInputError

__all__ = ["KINDS", "ReportSource", "source_from_bytes", "source_from_text"]

KINDS = ("har", "flow_record", "token")
_OTHER_KINDS = {"callback": "a callback URL", "authorize_request": "an authorization request URL",
                "error_response": "a provider's error answer", "token_response": "a token response",
                "error_text": "an error message"}


@dataclass(frozen=True)
class ReportSource:
    """``data``: the HAR's bytes, the flow record's JSON value, or the token's text. ``name``
    says in the report what it was ("login.har", "history entry 3f9a0c1d2e4b")."""

    kind: str
    data: Any
    name: str


def source_from_bytes(data: bytes, name: str) -> ReportSource:
    """The kind of ``data`` (a file's content), told as the diagnosis engine tells it."""
    from inspector.core.diagnosis.detect import as_text

    return source_from_text(as_text(data, f"{name!r}"), name, raw=data)


def source_from_text(text: str, name: str, *, raw: bytes | None = None) -> ReportSource:
    from inspector.core.diagnosis.detect import detect

    artifact = detect(text)
    if artifact.kind == "har":
        return ReportSource("har", raw if raw is not None else text.encode("utf-8", "surrogatepass"), name)
    if artifact.kind == "flow_record":
        return ReportSource("flow_record", artifact.data, name)
    if artifact.kind == "token":
        return ReportSource("token", artifact.text, name)
    raise UnusableInputError(
        f"{name} is {_OTHER_KINDS.get(artifact.kind, 'something else')}: a report is made from a flow record, "
        "a HAR recording, a history entry or a token.",
        hint="To explain this, run 'token-inspector diagnose' on it.")
