"""Untrusted text as a report may show it: providers choose error descriptions, pages, claims and
URLs, so every value is made visible (control and format characters escaped, as ``\\u202e``)
before a renderer escapes it for its format. Long text is cut, saying how much was left out."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["CONFIDENCE_MARK", "MAX_BODY", "MAX_VALUE", "SEVERITY_MARK", "cut", "pretty", "visible"]

#: The most of a body a report shows; the rest is named, not shown.
MAX_BODY = 4000
#: The most of a header value or parameter a report shows.
MAX_VALUE = 600
#: The mark before a diagnosis, by its confidence, and before a finding, by its severity (both renderers).
CONFIDENCE_MARK = {"certain": "✖", "likely": "⚠", "possible": "·"}
SEVERITY_MARK = {"error": "✖", "warning": "⚠", "info": "·"}


def visible(text: str, *, lines: bool = False) -> str:
    """``text`` with every control and format character escaped (newlines kept with ``lines``)."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or (lines and char in "\n\t") else _escape(char) for char in text)


def cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def pretty(value: Any) -> str:
    """A JSON value as indented text."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
