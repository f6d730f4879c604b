"""Reading ``WWW-Authenticate``: the challenges a protected resource answers with (RFC 9110
§11.6.1, the grammar of RFC 9110 §11.2 that replaced RFC 7235 §2.1 and §4.1).

One header may carry several challenges, and a response may carry several such headers; each
challenge is a case-insensitive scheme followed by either a token68 (``Negotiate YIIC…``) or a
comma-separated list of ``name=value`` parameters, a value being a token or a quoted string with
backslash escapes. Because the list separator between challenges and between one challenge's
parameters is the same comma, a new challenge is recognised by its shape: a token followed by a
space and something that is not ``=``, or by the end or a comma (a scheme with no parameters).

The parser never guesses: text that does not follow the grammar raises :class:`ProtocolError`
with the code ``malformed_challenge`` and says where. It is linear in the length of its input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from inspector.core.errors import ProtocolError

__all__ = ["MALFORMED", "Challenge", "parse_challenges", "parse_header"]

#: The code of the error raised for text that is not a valid ``WWW-Authenticate`` value.
MALFORMED = "malformed_challenge"

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # tchar, RFC 9110 §5.6.2
_TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*")  # RFC 9110 §11.2
_WHITESPACE = re.compile(r"[ \t]*")
#: qdtext (RFC 9110 §5.6.4): HTAB, SP, VCHAR except DQUOTE and backslash, obs-text.
_QDTEXT = re.compile(r"[\t \x21\x23-\x5b\x5d-\x7e\x80-\U0010ffff]*")
_QUOTED_PAIR = re.compile(r"[\t \x21-\x7e\x80-\U0010ffff]")


@dataclass(frozen=True)
class Challenge:
    """One challenge: ``scheme`` as sent, ``params`` with lower-cased names (they are
    case-insensitive, RFC 9110 §11.2) and unquoted values, or ``token68`` instead of params."""

    scheme: str
    params: dict[str, str] = field(default_factory=dict)
    token68: str | None = None

    def is_scheme(self, name: str) -> bool:
        """Schemes are case-insensitive (RFC 9110 §11.1): ``bearer`` is ``Bearer``."""
        return self.scheme.lower() == name.lower()

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"scheme": self.scheme, "params": dict(self.params)}
        if self.token68 is not None:
            data["token68"] = self.token68
        return data


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, what: str) -> ProtocolError:
        shown = self.text[max(0, self.pos - 20): self.pos + 20]
        return ProtocolError(f"The WWW-Authenticate header is not valid: {what} at character {self.pos + 1} "
                             f"(near {shown!r}).", code=MALFORMED)

    def skip_space(self) -> None:
        self.pos = _WHITESPACE.match(self.text, self.pos).end()  # type: ignore[union-attr] - always matches

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def match(self, pattern: re.Pattern[str]) -> str | None:
        found = pattern.match(self.text, self.pos)
        if found is None or not found.group(0):
            return None
        self.pos = found.end()
        return found.group(0)

    def skip_commas(self) -> bool:
        """Skip empty list elements (RFC 9110 §5.6.1 allows ``a, , b``); True if any comma was read."""
        read = False
        while True:
            self.skip_space()
            if self.peek() != ",":
                return read
            self.pos += 1
            read = True

    def quoted_string(self) -> str:
        """The value of the quoted string at the cursor (which is at its opening quote)."""
        self.pos += 1
        out: list[str] = []
        while True:
            out.append(self.match(_QDTEXT) or "")
            char = self.peek()
            if char == '"':
                self.pos += 1
                return "".join(out)
            if char == "\\":
                self.pos += 1
                escaped = self.match(_QUOTED_PAIR)
                if escaped is None:
                    raise self.fail("a backslash escapes nothing printable")
                out.append(escaped)
                continue
            raise self.fail("a quoted string is not closed" if not char else f"character {char!r} in a quoted string")


def _param(reader: _Reader) -> tuple[str, str] | None:
    """An ``auth-param`` (``token BWS "=" BWS ( token / quoted-string )``) at the cursor, or None
    (cursor unchanged) when the text there is not one."""
    start = reader.pos
    name = reader.match(_TOKEN)
    if name is None:
        return None
    reader.skip_space()
    if reader.peek() != "=":
        reader.pos = start
        return None
    reader.pos += 1
    reader.skip_space()
    if reader.peek() == '"':
        return name.lower(), reader.quoted_string()
    value = reader.match(_TOKEN)
    if value is None:  # ``abc==``: not a parameter, maybe a token68
        reader.pos = start
        return None
    return name.lower(), value


def _ends_element(reader: _Reader) -> bool:
    """Whether the cursor is at the end of a list element (the end, or a comma after spaces)."""
    reader.skip_space()
    return reader.at_end() or reader.peek() == ","


def _challenge(reader: _Reader) -> Challenge:
    scheme = reader.match(_TOKEN)
    if scheme is None:
        raise reader.fail("expected an authentication scheme")
    if _ends_element(reader):
        return Challenge(scheme)
    if reader.text[reader.pos - 1] not in " \t":
        raise reader.fail(f"the scheme {scheme!r} is not followed by a space")
    start = reader.pos
    token68 = reader.match(_TOKEN68)
    if token68 is not None and not _param_follows(reader, start) and _ends_element(reader):
        return Challenge(scheme, token68=token68)
    reader.pos = start
    param = _param(reader)
    if param is None:
        raise reader.fail(f"expected name=value after the scheme {scheme!r}")
    params: dict[str, str] = {}
    while True:
        name, value = param
        if name in params:
            raise reader.fail(f"parameter {name!r} appears twice in one challenge (RFC 9110 §11.2)")
        params[name] = value
        if not _ends_element(reader):
            raise reader.fail("expected a comma")
        mark = reader.pos
        reader.skip_commas()
        if reader.at_end():
            return Challenge(scheme, params)
        param = _param(reader)
        if param is None:  # the next element is a new challenge: leave it (and its commas) to the caller
            reader.pos = mark
            return Challenge(scheme, params)


def _param_follows(reader: _Reader, start: int) -> bool:
    """Whether the text at ``start`` reads as a parameter (``name=value``) rather than a token68."""
    end = reader.pos
    reader.pos = start
    is_param = _param(reader) is not None
    reader.pos = end
    return is_param


def parse_header(value: str) -> list[Challenge]:
    """The challenges of one ``WWW-Authenticate`` field value, in order; an empty value has none.
    Raises :class:`ProtocolError` (code ``malformed_challenge``) for anything else that is not a
    challenge list."""
    reader = _Reader(value)
    challenges: list[Challenge] = []
    reader.skip_commas()
    while not reader.at_end():
        challenges.append(_challenge(reader))
        if not reader.at_end() and not reader.skip_commas():
            raise reader.fail("expected a comma between challenges")
    return challenges


def parse_challenges(values: Iterable[str]) -> list[Challenge]:
    """The challenges of every ``WWW-Authenticate`` field of a response, in order (a recipient
    must treat several fields as one comma-joined list, RFC 9110 §5.3)."""
    return [challenge for value in values for challenge in parse_header(value)]
