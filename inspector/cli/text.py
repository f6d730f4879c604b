"""Text for the terminal: untrusted text escaped, output that never fails on the terminal's
encoding, and JSON documents.

Token claims, provider error descriptions, imported profile fields and file names reach the
terminal; :func:`printable` is the one escaping every command uses before printing them.
Standard library only (``token-inspector decode`` imports it).
"""

from __future__ import annotations

import json
import sys

__all__ = ["emit", "print_json", "printable"]


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


def emit(text: str) -> None:
    """Print without ever failing on characters the terminal's encoding cannot show."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    print(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))


def print_json(data: object) -> int:
    """``data`` as indented JSON (non-ASCII kept readable); returns exit code 0."""
    emit(json.dumps(data, indent=2, ensure_ascii=False))
    return 0
