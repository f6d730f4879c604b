"""What an HTML response says about a login: a ``form_post`` callback or a provider's error page.

Only the few HTML pages that are candidates get here; a cheap search decides before any parsing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from inspector.core.har.entries import collect
from inspector.core.har.error_pages import ERROR_PAGES
from inspector.core.har.model import Params

__all__ = ["CALLBACK_KEYS", "FormPost", "PageError", "clean", "error_page", "form_post", "has_callback_form"]

#: Parameters that make an authorization response (RFC 6749 §4.1.2, §4.2.2; OIDC Core §3.2.2.5;
#: JARM's ``response``): a request or form carrying one (and ``state``) is a callback.
CALLBACK_KEYS = frozenset({"code", "error", "access_token", "id_token", "response"})

#: The longest wording kept from a page: enough for any real message, not a whole page of junk.
MAX_WORDING = 500

_FLAGS = re.IGNORECASE | re.DOTALL
_CALLBACK_INPUT = re.compile(rf"<input\b[^>]*?\bname\s*=\s*[\"']?(?:{'|'.join(sorted(CALLBACK_KEYS))})\b",
                             re.IGNORECASE)
_RULES = tuple((rule, tuple(re.compile(sign, _FLAGS) for sign in rule.signs),
                tuple(re.compile(pattern, _FLAGS) for pattern in rule.description),
                tuple(re.compile(pattern, _FLAGS) for pattern in rule.error)) for rule in ERROR_PAGES)
_TAG = re.compile(r"<[^>]*>")
_SCRIPT_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class FormPost:
    """An auto-submitting form (OAuth 2.0 Form Post Response Mode §2): where it posts and what."""

    action: str
    method: str
    fields: Params


@dataclass(frozen=True, slots=True)
class PageError:
    provider: str
    error: str | None
    description: str | None


def has_callback_form(page: str) -> bool:
    """Whether ``page`` has an ``<input>`` named like a callback field: one search, no parsing."""
    return _CALLBACK_INPUT.search(page) is not None


def form_post(page: str) -> FormPost | None:
    """The first form in ``page`` with a callback field (``CALLBACK_KEYS``), or None. Pages
    without such an ``<input>`` are not parsed at all."""
    if not has_callback_form(page):
        return None
    parser = _FormParser()
    try:
        parser.feed(page)
        parser.close()
    except AssertionError:  # html.parser's answer to a broken marked section (<![foo ...)
        pass
    form = next((form for form in parser.forms if CALLBACK_KEYS.intersection(name for name, _ in form.fields)), None)
    return FormPost(form.action, form.method, collect(form.fields)) if form else None


def error_page(page: str) -> PageError | None:
    """The provider whose error page ``page`` is, by the table in ``error_pages``, and the error
    code and wording the page states; None when no row matches."""
    for rule, signs, descriptions, errors in _RULES:
        if all(sign.search(page) for sign in signs):
            return PageError(rule.provider, _first(errors, page, "code"), _first(descriptions, page, "text"))
    return None


def clean(fragment: str) -> str:
    """Page text as a person reads it: tags dropped, entities and script escapes decoded, spaces collapsed."""
    text = _TAG.sub(" ", fragment)
    if "\\" in text:
        text = _SCRIPT_ESCAPE.sub(_unescape_script, text)
    text = _SPACES.sub(" ", html.unescape(text)).strip()
    return text[:MAX_WORDING]


def _first(patterns: tuple[re.Pattern[str], ...], page: str, group: str) -> str | None:
    for pattern in patterns:
        found = pattern.search(page)
        if found and (text := clean(found.group(group))):
            return text
    return None


def _unescape_script(found: re.Match[str]) -> str:
    escape = found.group(1)
    if len(escape) > 1:
        code = int(escape[1:], 16)
        return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)  # a lone surrogate cannot be printed
    return {"n": " ", "t": " ", "r": " "}.get(escape, escape)


class _Form:
    def __init__(self, action: str, method: str) -> None:
        self.action, self.method = action, method
        self.fields: list[tuple[str, str]] = []


class _FormParser(HTMLParser):
    """Forms and their named inputs (values with entities decoded, as the browser would submit)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._open: _Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._open = _Form(values.get("action", ""), (values.get("method") or "get").upper())
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and values.get("name"):
            self._open.fields.append((values["name"], values.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None
