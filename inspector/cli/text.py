"""Text for the terminal: untrusted text escaped, output that never fails on the terminal's
encoding, and JSON documents.

Token claims, provider error descriptions, imported profile fields and file names reach the
terminal; :func:`printable` is the one escaping every command uses on each such value before
printing it (per value, so a newline the provider chose cannot start a line of its own). JSON
output escapes the same characters (:func:`json_text`), so a script that prints a field cannot be
driven either, and every JSON document is written whole or not at all.
Standard library only (``token-inspector decode`` imports it).
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

__all__ = ["emit", "json_text", "print_json", "printable", "write_json", "write_text"]


def printable(text: str) -> str:
    """``text`` with every control and format character escaped (ESC -> ``\\u001b``, a bidi override
    -> ``\\u202e``, a byte kept by surrogateescape -> ``\\xNN``), so it can neither send terminal
    escape sequences nor reorder what is shown. Spaces and every printable character stay."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def _json_escape(char: str) -> str:
    """A JSON ``\\uXXXX`` escape (RFC 8259 §7); beyond the BMP, as its UTF-16 surrogate pair."""
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(data: Any, *, indent: int | None = None, ensure_ascii: bool = False) -> str:
    """``data`` as JSON, non-ASCII kept readable, but every control, format (bidi) and lone
    surrogate character escaped: C0 and C1 controls (an 8-bit CSI), U+202E and the other bidi
    overrides stay inert when a script prints a field, and the text can always be encoded. It
    parses back to the same strings. Values JSON cannot hold are written as text."""
    text = json.dumps(data, indent=indent, ensure_ascii=ensure_ascii, default=str)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == "\n" else _json_escape(char) for char in text)


def _encodable(text: str, stream: IO[str]) -> bool:
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def write_json(stream: IO[str], data: Any, *, indent: int | None = None) -> None:
    """One JSON document (a line when ``indent`` is None), written in one piece and flushed; all
    ASCII when the stream's encoding cannot carry the readable form."""
    text = json_text(data, indent=indent)
    if not _encodable(text, stream):
        text = json_text(data, indent=indent, ensure_ascii=True)
    stream.write(text + "\n")
    stream.flush()


def write_text(stream: IO[str], text: str) -> None:
    """A line of already escaped text, written in one piece and flushed; characters the stream's
    encoding cannot carry are written as ``\\xNN``/``\\uNNNN`` instead of failing half-way."""
    if not _encodable(text, stream):
        encoding = stream.encoding
        text = text.encode(encoding, "backslashreplace").decode(encoding, "replace")
    stream.write(text + "\n")
    stream.flush()


def emit(text: str) -> None:
    """Print without ever failing on characters the terminal's encoding cannot show."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    print(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))


def print_json(data: object) -> int:
    """``data`` as indented JSON (see :func:`write_json`); returns exit code 0."""
    write_json(sys.stdout, data, indent=2)
    return 0
