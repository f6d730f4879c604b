"""Masking of tokens and secrets for display, logs, recorded exchanges and reports.

Two rules, applied by :class:`Redactor` to every value a record shows:

- by name, at any depth (dicts in lists in dicts): a secret (``client_secret``, ``authorization``,
  …) is masked whole, a token (``refresh_token``, ``code``, …) is abbreviated unless its name is
  among those shown in full;
- by value: whatever a flow *sent* as a secret (client secret, client assertion, PKCE verifier,
  Basic credentials decoded and encoded) is masked wherever it comes back — an echoing provider or
  proxy puts it in bodies, error descriptions, headers and URLs under any name — and a token it
  sent (refresh token, device code, …) follows its name's rule there too.

URLs lose their password and secret query parameters. :func:`redact_text` is the one cleaning of
free text (exception messages) that knows nothing of a flow.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
from dataclasses import dataclass, replace
from typing import Any, Collection, Iterable, Mapping
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urlsplit, urlunsplit

from inspector.core.findings import Finding

__all__ = [
    "MASK", "MAX_DEPTH", "MIN_ECHO", "SCRIPT_TOKENS", "SECRET_NAMES", "TOKEN_NAMES", "Redactor", "SentValues", "abbreviate",
    "is_masked", "redact_mapping", "redact_text", "redact_url", "redact_value", "shown_names", "TOO_DEEP",
]

MASK = "••••••"
#: How deep :meth:`Redactor.value` walks; deeper structures become :data:`TOO_DEEP`.
MAX_DEPTH = 64
TOO_DEEP = "(nested too deeply to show)"

#: Header and parameter names whose values are always secret (compared case-insensitively).
SECRET_NAMES = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "client_secret",
        "client_assertion",
        "assertion",
        "password",
        "code_verifier",
    }
)

#: Names whose values are tokens: shown abbreviated unless the user asks for them in full.
TOKEN_NAMES = frozenset(
    {"access_token", "refresh_token", "id_token", "token", "device_code", "code", "subject_token", "actor_token"}
)

#: The tokens ``--json`` shows in full without ``--show-tokens``: scripts read access and ID tokens;
#: a refresh token is a long-lived credential, and codes are of no use once redeemed.
SCRIPT_TOKENS = frozenset({"access_token", "id_token"})

#: A sent value shorter than this is masked only where its name says what it is: replacing every
#: "abc" in the output would garble it and, by the gaps, give the value away anyway.
MIN_ECHO = 8

_SECRET = "secret"
_CREDENTIAL_HEADERS = ("authorization", "proxy-authorization")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s\"'<>]+")
#: Long base64url-ish runs (tokens, codes, secrets) that an exception message might quote.
_TOKENISH = re.compile(r"[A-Za-z0-9_\-.~+/=]{24,}")
_CREDENTIALS = re.compile(r"\b(Basic|Bearer|DPoP) +[A-Za-z0-9_\-.~+/=]{8,}")
_ABBREVIATED = re.compile(r".{0,6}…\(\d+ chars\)")


def abbreviate(value: str, keep: int = 6) -> str:
    """``eyJhbG…(812 chars)``: enough to recognise a token, not enough to use it. Abbreviating
    twice changes nothing, so a value may pass through more than one rendering."""
    if is_masked(value) or re.fullmatch(rf".{{0,{keep}}}…\(\d+ chars\)", value):
        return value
    if len(value) <= keep * 2:
        return MASK
    return f"{value[:keep]}…({len(value)} chars)"


def is_masked(value: str) -> bool:
    """Whether ``value`` is a mask or an abbreviation (from a stored record, say), not a usable value."""
    return value == MASK or _ABBREVIATED.fullmatch(value) is not None


def shown_names(show_tokens: bool | Collection[str]) -> frozenset[str]:
    """The token names shown in full: all (``True``), none (``False``) or the ones given."""
    if isinstance(show_tokens, bool):
        return TOKEN_NAMES if show_tokens else frozenset()
    return frozenset(name.lower() for name in show_tokens)


def redact_value(name: str, value: str, *, show_tokens: bool = False) -> str:
    lowered = name.lower()
    if lowered in SECRET_NAMES:
        return MASK
    if lowered in TOKEN_NAMES and not show_tokens:
        return abbreviate(value)
    return value


def redact_mapping(values: Mapping[str, Any], *, show_tokens: bool | Collection[str] = False) -> dict[str, Any]:
    """A copy with secret values masked and token values abbreviated (unless shown), at any depth."""
    return Redactor(shown_names(show_tokens)).value(values)


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


def _redact_urls(text: str) -> str:
    return _URL.sub(lambda match: redact_url(match.group(0)), text) if "://" in text else text


def redact_text(text: str) -> str:
    """Free text that may quote anything (an unexpected exception's message) made safe to show and
    paste into a report: credentials after ``Basic``/``Bearer`` masked, URLs without passwords or
    secret parameters, and every token-like run abbreviated. The CLI's last-resort handler, the
    flow runner's guard and the GUI's error dialog all use it."""
    text = _CREDENTIALS.sub(lambda match: f"{match.group(1)} {MASK}", _redact_urls(text))
    return _TOKENISH.sub(lambda match: abbreviate(match.group(0)), text)


class SentValues:
    """What a flow sent that must not come back into view: each value with its kind (``secret``,
    or the token name it was sent under). Kept in memory with the flow, never serialised; filled
    from the flow's HTTP client as each request leaves, so it is safe to add from a worker thread
    while another renders."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}
        self._lock = threading.Lock()

    def add_secret(self, value: str) -> None:
        """A secret: masked whole wherever it appears, whatever tokens are shown."""
        self.add(_SECRET, value)

    def add(self, kind: str, value: str) -> None:
        """``value`` as sent, and as it reads once form- or percent-encoded."""
        with self._lock:
            for form in (value, quote_plus(value), quote(value, safe="")):
                if len(form) >= MIN_ECHO:
                    self._values.setdefault(form, kind)

    def add_request(self, params: Iterable[tuple[str, str]], headers: Iterable[tuple[str, str]]) -> None:
        """The secrets and tokens among one request's parameters (query or form) and headers."""
        for name, value in params:
            lowered = name.lower()
            if lowered in SECRET_NAMES:
                self.add_secret(value)
            elif lowered in TOKEN_NAMES:
                self.add(lowered, value)
        for name, value in headers:
            if name.lower() in _CREDENTIAL_HEADERS:
                self._add_credentials(value)

    def _add_credentials(self, header: str) -> None:
        """RFC 7617 Basic (the base64, the decoded ``id:secret`` and the secret alone, as sent and
        form-decoded: RFC 6749 §2.3.1 form-encodes both), RFC 6750 Bearer, anything else whole."""
        scheme, _, credentials = header.strip().partition(" ")
        credentials = credentials.strip()
        if scheme.lower() in ("bearer", "dpop"):
            self.add("access_token", credentials)
            return
        self.add_secret(credentials or header)
        if scheme.lower() != "basic":
            return
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return
        self.add_secret(decoded)
        user, colon, password = decoded.partition(":")
        if colon:
            self.add_secret(f"{unquote_plus(user)}:{unquote_plus(password)}")
            self.add_secret(password)
            self.add_secret(unquote_plus(password))

    def items(self) -> tuple[tuple[str, str], ...]:
        """``(value, kind)`` pairs, longest value first (so ``id:secret`` goes before ``secret``)."""
        with self._lock:
            pairs = list(self._values.items())
        return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@dataclass(frozen=True)
class Redactor:
    """One rendering's masking: ``shown`` names the tokens shown in full, ``sent`` holds what the
    flow sent (:meth:`SentValues.items`)."""

    shown: frozenset[str] = frozenset()
    sent: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, sent: SentValues | None, show_tokens: bool | Collection[str] = False) -> Redactor:
        return cls(shown_names(show_tokens), sent.items() if sent is not None else ())

    def text(self, text: str) -> str:
        """``text`` with every sent secret masked, every sent token abbreviated unless shown, and
        URLs without their password or secret parameters."""
        for value, kind in self.sent:
            if value not in text:
                continue
            if kind == _SECRET:
                text = text.replace(value, MASK)
            elif kind not in self.shown:
                text = text.replace(value, abbreviate(value))
        return _redact_urls(text)

    def value(self, value: Any, name: Any = None, _depth: int = 0) -> Any:
        """``value`` (found under ``name``) redacted at any depth; non-text leaves are kept.
        Structures nested past :data:`MAX_DEPTH` (no protocol message is) are replaced whole:
        what cannot be walked cannot be shown safely, and the walk must not exhaust the stack."""
        lowered = name.lower() if isinstance(name, str) else ""
        if lowered in SECRET_NAMES and value is not None:
            return MASK
        if isinstance(value, str):
            if lowered in TOKEN_NAMES:
                return value if lowered in self.shown else abbreviate(value)
            return self.text(value)
        if isinstance(value, (Mapping, list, tuple)) and _depth >= MAX_DEPTH:
            return TOO_DEEP
        if isinstance(value, Mapping):
            return {self.text(key) if isinstance(key, str) else key: self.value(item, key, _depth + 1)
                    for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(item, name, _depth + 1) for item in value]
        return value

    def finding(self, finding: Finding) -> Finding:
        """``finding`` with its message redacted (a provider's error description is quoted there)."""
        message = self.text(finding.message)
        return finding if message == finding.message else replace(finding, message=message)
