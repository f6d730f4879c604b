"""Which candidate entries of a recording are OAuth exchanges, and of what kind.

Only candidates get here (see ``triage``). The classifier first learns the context from them (the
hosts and redirect_uris of authorization requests, the endpoints of discovery documents), keeps
the maybes that context makes worth a look, then turns each entry into its exchanges: as a
request (what was asked) and as an answer (a redirect or page carrying a callback, a provider's
error page).
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import urljoin

from inspector.core.har.entries import url_params
from inspector.core.har.model import CallbackSource, ExchangeKind, HarExchange, Params
from inspector.core.har.pages import CALLBACK_KEYS, error_page, form_post
from inspector.core.har.triage import worth_a_look
from inspector.core.har.view import EntryView, endpoint_of

__all__ = ["Classifier", "is_authorization_request"]

Kind = ExchangeKind
Entries = list[tuple[int, Mapping[str, Any]]]

_DISCOVERY_PATHS = ("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")

#: Discovery metadata (OIDC Discovery §3, RFC 8414 §2, RFC 8628 §4, RFC 9126 §5) → what a call to it is.
_METADATA = {
    "authorization_endpoint": Kind.AUTHORIZE, "token_endpoint": Kind.TOKEN, "userinfo_endpoint": Kind.USERINFO,
    "jwks_uri": Kind.JWKS, "introspection_endpoint": Kind.INTROSPECT, "revocation_endpoint": Kind.REVOKE,
    "device_authorization_endpoint": Kind.DEVICE, "pushed_authorization_request_endpoint": Kind.PAR,
}  # fmt: skip
#: Endpoints only ever POSTed to: a GET to them is no exchange of that kind.
_POST_ONLY = frozenset({Kind.TOKEN, Kind.INTROSPECT, Kind.REVOKE, Kind.DEVICE, Kind.PAR})


def is_authorization_request(params: Params) -> bool:
    """RFC 6749 §4.1.1 (``response_type``), or a reference to one pushed (RFC 9126 §4) or sent as
    a request object (RFC 9101 §5) with its ``client_id``."""
    return "response_type" in params or ("client_id" in params and ("request_uri" in params or "request" in params))


class Classifier:
    def __init__(self, *, raw_params: bool) -> None:
        self.raw_params = raw_params  # postData.params values are decoded (Firefox), not URL-encoded
        self.provider_hosts: set[str] = set()
        self.redirect_uris: set[str] = set()
        self.endpoints: dict[str, ExchangeKind] = {}
        self.unreadable_bodies = 0

    def exchanges(self, candidates: Entries, maybes: Entries) -> list[HarExchange]:
        """The exchanges of the candidates and of the maybes worth a look, in file order; each
        entry's request first. ``unreadable_bodies`` then counts their bodies left out."""
        views = [EntryView(index, entry, raw_params=self.raw_params) for index, entry in candidates]
        for view in views:
            self._learn(view)
        hosts = self.provider_hosts | {endpoint.split("/")[2] for endpoint in self.endpoints}
        views += [EntryView(index, entry, raw_params=self.raw_params) for index, entry in maybes
                  if worth_a_look(entry, hosts)]
        views.sort(key=lambda view: view.index)
        found = []
        for view in views:
            exchanges = self._classify(view)
            found += exchanges
            self.unreadable_bodies += bool(exchanges and view.unreadable_body)
        return found

    def _learn(self, view: EntryView) -> None:
        if view.method in ("GET", "POST") and is_authorization_request(view.params):
            self.provider_hosts.add(view.host)
            self.redirect_uris.update(endpoint_of(uri) for uri in view.params.get("redirect_uri", ()))
        if any(path in view.path for path in _DISCOVERY_PATHS) and view.json:
            for name, kind in _METADATA.items():
                if isinstance(url := view.json.get(name), str) and (endpoint := endpoint_of(url)):
                    self.endpoints[endpoint] = kind
                    if kind is Kind.AUTHORIZE:
                        self.provider_hosts.add(endpoint.split("/")[2])

    def _classify(self, view: EntryView) -> list[HarExchange]:
        found: list[HarExchange] = []
        request = self._request(view)
        if request is not None:
            kind, callback, source = request
            found.append(_exchange(view, kind, callback=callback, source=source))
        location = view.location
        if location is not None:
            query, fragment = url_params(location)
            for params, source in ((fragment, CallbackSource.REDIRECT_FRAGMENT), (query, CallbackSource.REDIRECT_QUERY)):
                if self._is_callback(params, location):
                    found.append(_exchange(view, Kind.CALLBACK, callback=params, source=source))
                    break
        if (page := view.html) is not None:
            found += self._pages(view, page)
        return found

    def _request(self, view: EntryView) -> tuple[ExchangeKind, Params | None, CallbackSource | None] | None:
        body, path = view.body, view.path
        known = self.endpoints.get(view.endpoint)
        if known in _POST_ONLY and view.method != "POST":
            known = None
        if body:
            if "grant_type" in body:
                return Kind.TOKEN, None, None
            if is_authorization_request(body):
                pushed = known is Kind.PAR or path.endswith("/par") or "/par/" in path
                return (Kind.PAR if pushed or "request_uri" in (view.json or {}) else Kind.AUTHORIZE), None, None
            if "token" in body and (kind := self._token_call(view, known)) is not None:
                return kind, None, None
            if "client_id" in body and (known is Kind.DEVICE or "device_code" in (view.json or {})
                                        or ("device" in path and "scope" in body)):
                return Kind.DEVICE, None, None
            if self._is_callback(body, view.url):
                return Kind.CALLBACK, body, CallbackSource.FORM_BODY
        if is_authorization_request(view.query):
            return Kind.AUTHORIZE, None, None
        for params, source in ((view.fragment, CallbackSource.URL_FRAGMENT), (view.query, CallbackSource.URL_QUERY)):
            if self._is_callback(params, view.url):
                return Kind.CALLBACK, params, source
        if any(known_path in path for known_path in _DISCOVERY_PATHS):
            return Kind.DISCOVERY, None, None
        if known is not None:
            return known, None, None
        if "userinfo" in path:
            return Kind.USERINFO, None, None
        if _is_jwks(view):
            return Kind.JWKS, None, None
        return None

    def _token_call(self, view: EntryView, known: ExchangeKind | None) -> ExchangeKind | None:
        """A POST of ``token``: introspection (RFC 7662 §2.1) or revocation (RFC 7009 §2.1), by the
        endpoint's name or by the answer (introspection says ``active``; revocation says nothing)."""
        if known in (Kind.INTROSPECT, Kind.REVOKE):
            return known
        answer = view.json
        if "introspect" in view.path or (answer is not None and isinstance(answer.get("active"), bool)):
            return Kind.INTROSPECT
        if "revo" in view.path or (view.status == 200 and not view.text and "token_type_hint" in view.body):
            return Kind.REVOKE
        return None

    def _pages(self, view: EntryView, page: str) -> list[HarExchange]:
        found = []
        posted = form_post(page)
        if posted is not None:
            action = _absolute(view.url, posted.action)
            if self._is_callback(posted.fields, action):
                found.append(_exchange(view, Kind.CALLBACK, callback=posted.fields, source=CallbackSource.FORM_POST_PAGE,
                                       redirect_url=action))
        if view.host in self.provider_hosts and (stated := error_page(page)) is not None:
            callback = {name: (value,) for name, value in (("error", stated.error),
                                                           ("error_description", stated.description)) if value}
            for name in ("error", "error_description"):  # Auth0's /error?error=... says it in its URL
                if name not in callback and name in view.query:
                    callback[name] = view.query[name]
            found.append(_exchange(view, Kind.ERROR_PAGE, callback=callback, source=CallbackSource.ERROR_PAGE,
                                   provider=stated.provider))
        return found

    def _is_callback(self, params: Params, target: str) -> bool:
        """An authorization response (RFC 6749 §4.1.2): a code, token or error, and the ``state``
        or, when the client sent none, a target that is a redirect_uri of an authorization request."""
        if not CALLBACK_KEYS.intersection(params):
            return False
        return "state" in params or endpoint_of(target) in self.redirect_uris


def _is_jwks(view: EntryView) -> bool:
    """A JWK Set (RFC 7517 §5): ``keys``, a list of JWKs, each with its ``kty``. Other JSON answers
    (an app's API calls, the bulk of a recording's JSON) are not parsed unless they say ``"keys"``."""
    text = view.text
    if text is None or '"keys"' not in text:
        return False
    keys = view.json.get("keys") if view.json is not None else None
    return isinstance(keys, list) and all(isinstance(key, dict) and "kty" in key for key in keys)


def _absolute(base: str, url: str) -> str:
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def _exchange(view: EntryView, kind: ExchangeKind, *, callback: Params | None = None,
              source: CallbackSource | None = None, redirect_url: str | None = None,
              provider: str | None = None) -> HarExchange:
    return HarExchange(
        index=view.index, kind=kind, started=view.started, method=view.method, url=view.url, status=view.status,
        params=view.params, callback=callback, request_headers=view.request_headers,
        response_headers=view.response_headers, response_text=view.text, response_json=view.json,
        redirect_url=redirect_url or view.location, server_date=view.server_date, elapsed_ms=view.elapsed_ms,
        callback_source=source, page_provider=provider,
    )
