"""Masking of tokens and secrets for display, logs, recorded exchanges and reports."""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import unquote, urlsplit, urlunsplit

MASK = "••••••"

#: Header and parameter names whose values are always secret (compared case-insensitively).
SECRET_NAMES = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "client_secret",
        "client_assertion",
        "password",
        "code_verifier",
    }
)

#: Names whose values are tokens: shown abbreviated unless the user asks for them in full.
TOKEN_NAMES = frozenset(
    {"access_token", "refresh_token", "id_token", "token", "device_code", "code", "subject_token", "actor_token"}
)


def abbreviate(value: str, keep: int = 6) -> str:
    """``eyJhbG…(812 chars)``: enough to recognise a token, not enough to use it."""
    if len(value) <= keep * 2:
        return MASK
    return f"{value[:keep]}…({len(value)} chars)"


def redact_value(name: str, value: str, *, show_tokens: bool = False) -> str:
    lowered = name.lower()
    if lowered in SECRET_NAMES:
        return MASK
    if lowered in TOKEN_NAMES and not show_tokens:
        return abbreviate(value)
    return value


def redact_mapping(values: Mapping[str, Any], *, show_tokens: bool = False) -> dict[str, Any]:
    """A copy with secret values masked and token values abbreviated (unless ``show_tokens``)."""
    return {
        key: redact_value(key, value, show_tokens=show_tokens) if isinstance(value, str) else value
        for key, value in values.items()
    }


def redact_url(url: str) -> str:
    """``url`` with the password of its userinfo (``https://user:pw@host``) and the values of
    secret query parameters (``?client_secret=…``) masked: for recorded exchanges and messages.
    A URL that does not parse is returned as is (it is never sent)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo.partition(':')[0]}:{MASK}@{hostport}" if ":" in userinfo else parts.netloc
    pieces = []
    for piece in parts.query.split("&") if parts.query else []:
        name, equals, _value = piece.partition("=")
        pieces.append(f"{name}={MASK}" if equals and unquote(name).lower() in SECRET_NAMES else piece)
    return urlunsplit(parts._replace(netloc=netloc, query="&".join(pieces)))
