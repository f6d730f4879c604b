"""What a HAR recording of a login holds, as the rest of the core sees it.

A HAR is a browser's log of every request; only a few entries are OAuth exchanges. Each one
found becomes a ``HarExchange`` of a known ``ExchangeKind``, with its parameters already read
from wherever the browser put them (query, fragment, form or JSON body, redirect ``Location``,
``form_post`` page). Times are the browser's (``startedDateTime``); ``server_date`` is the
server's ``Date`` header of the same entry, so the two together measure clock skew.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Mapping

Params = Mapping[str, tuple[str, ...]]
"""Parameters by name, every value kept: a repeated parameter is itself a sign (RFC 6749 §3.1)."""


class ExchangeKind(str, Enum):
    AUTHORIZE = "authorize"        # a request with response_type (RFC 6749 §4.1.1), or a PAR request_uri
    CALLBACK = "callback"          # the answer carried back to the client: code/error and state
    TOKEN = "token"                # a POST with grant_type (RFC 6749 §4.1.3, §6, RFC 8628 §3.4)
    PAR = "par"                    # a pushed authorization request (RFC 9126)
    DEVICE = "device"              # a device authorization request (RFC 8628 §3.1)
    USERINFO = "userinfo"
    INTROSPECT = "introspect"
    REVOKE = "revoke"
    JWKS = "jwks"
    DISCOVERY = "discovery"        # .well-known/openid-configuration or oauth-authorization-server
    ERROR_PAGE = "error_page"      # a provider's own HTML error page ("Invalid parameter: redirect_uri")


class CallbackSource(str, Enum):
    """Where a CALLBACK's (or ERROR_PAGE's) ``callback`` parameters were read.

    The provider *sends* the authorization response (RFC 6749 §4.1.2) in its answer to an entry
    (a redirect, a form_post page); the browser then *delivers* it in a request to the client's
    redirect_uri. A recording usually holds both, as two CALLBACK exchanges with the same params.
    """

    REDIRECT_QUERY = "redirect_query"          # sent: a 3xx Location's query (response_mode=query)
    REDIRECT_FRAGMENT = "redirect_fragment"    # sent: a 3xx Location's fragment (response_mode=fragment)
    FORM_POST_PAGE = "form_post_page"          # sent: an auto-submitting form in the response (form_post)
    ERROR_PAGE = "error_page"                  # stated in a provider's HTML error page
    URL_QUERY = "url_query"                    # delivered: the request URL's query
    URL_FRAGMENT = "url_fragment"              # delivered: the request URL's fragment (Firefox records it)
    FORM_BODY = "form_body"                    # delivered: the form a form_post page submitted

    @property
    def delivered(self) -> bool:
        """True when the browser carried it to the client, False when the provider sent it."""
        return self in (CallbackSource.URL_QUERY, CallbackSource.URL_FRAGMENT, CallbackSource.FORM_BODY)


@dataclass(frozen=True, slots=True)
class HarExchange:
    index: int                     # the entry's position in log.entries
    kind: ExchangeKind
    started: datetime | None       # the browser's clock, timezone-aware
    method: str
    url: str
    status: int                    # 0 when the browser recorded no response (blocked, aborted)
    params: Params = field(default_factory=dict)         # request: query + form or JSON body
    callback: Params | None = None                       # response: code/error/state/iss carried back
    request_headers: tuple[tuple[str, str], ...] = ()
    response_headers: tuple[tuple[str, str], ...] = ()
    response_text: str | None = None                     # decoded body (base64 undone), may be cut
    response_json: Mapping[str, object] | None = None    # the body when it is a JSON object
    redirect_url: str | None = None                      # Location / redirectURL, or a form_post action; absolute
    server_date: datetime | None = None                  # the response's Date header
    elapsed_ms: float | None = None
    callback_source: CallbackSource | None = None        # where ``callback`` was read (CALLBACK, ERROR_PAGE)
    page_provider: str | None = None                     # ERROR_PAGE: whose page it is ("keycloak", "entra"...)

    def header(self, name: str, *, response: bool = True) -> str | None:
        """The first value of a header, whatever its case."""
        wanted = name.lower()
        headers = self.response_headers if response else self.request_headers
        return next((value for key, value in headers if key.lower() == wanted), None)

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None


@dataclass(frozen=True, slots=True)
class HarTimeline:
    """The OAuth exchanges of one recording, in the order the browser started them."""

    exchanges: tuple[HarExchange, ...]
    entry_count: int               # every entry in the file, OAuth or not
    creator: str | None = None     # log.creator.name and version, e.g. "WebInspector 537.36"
    skipped_entries: int = 0       # entries too broken to read (no request, URL or method): left out
    skipped_bodies: int = 0        # bodies of OAuth exchanges that are not text (binary, bad base64): left out

    def of_kind(self, kind: ExchangeKind) -> tuple[HarExchange, ...]:
        return tuple(exchange for exchange in self.exchanges if exchange.kind is kind)
