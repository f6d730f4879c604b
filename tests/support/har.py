"""HAR 1.2 recordings built the way browsers export them, for the HAR reader and diagnosis tests.

    har = HarBuilder("chrome")                       # or "firefox", "safari"
    har.asset("https://app.example/logo.png")        # noise: a base64 image
    har.authorize(f"{IDP}/authorize", client_id="web", redirect_uri=CB, state="s1")   # 200 login page
    har.redirect(f"{CB}?code=abc&state=s1", method="POST")   # the sign-in form (POST /login) answers 302
    har.callback(CB, code="abc", state="s1")         # the browser delivers the code
    har.token(f"{IDP}/token", {"grant_type": "authorization_code", "code": "abc"}, json={"error": "invalid_grant"})
    data = har.dumps()                               # bytes, as the browser saved them

Every method appends one entry and returns its dict, so a test can break it afterwards
(``del entry["request"]["url"]``). Times advance by ``step`` seconds per entry unless ``at=``
(seconds after ``start``) says otherwise; each response carries a ``Date`` header from the server's
clock, ``server_offset`` seconds away from the browser's (``date=None`` leaves it out, a string
puts that text in). The browsers differ as they do in real exports:

- chrome: ``WebInspector`` creator, times in UTC with ``Z``, HTTP/2 lower-case header names with
  ``:authority``/``:method``/``:path``/``:scheme`` pseudo headers, ``postData.params`` values left
  URL-encoded, request URLs without their fragment.
- firefox: ``Firefox`` creator, local times with an offset (``+01:00``), capitalised header names,
  ``postData.params`` values decoded, a fragment kept in a request URL (``callback(fragment=True)``).
- safari: ``WebKit Web Inspector`` creator, UTC times, lower-case names without pseudo headers.
"""

from __future__ import annotations

import base64
import html
import json
import os
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

__all__ = ["BROWSERS", "HarBuilder", "form_post_page", "login_page"]

BROWSERS = {
    "chrome": {"creator": {"name": "WebInspector", "version": "537.36"}, "http": "http/2.0", "lower": True,
               "pseudo": True, "raw_params": False, "tz": timezone.utc},
    "firefox": {"creator": {"name": "Firefox", "version": "126.0"}, "http": "HTTP/2", "lower": False,
                "pseudo": False, "raw_params": True, "tz": timezone(timedelta(hours=1))},
    "safari": {"creator": {"name": "WebKit Web Inspector", "version": "18.0"}, "http": "HTTP/2", "lower": True,
               "pseudo": False, "raw_params": False, "tz": timezone.utc},
}  # fmt: skip

START = datetime(2025, 3, 4, 9, 15, 0, tzinfo=timezone.utc)
DEFAULT = object()
Params = Mapping[str, str] | Sequence[tuple[str, str]]


def form_post_page(action: str, **fields: str) -> str:
    """An auto-submitting ``response_mode=form_post`` page (OAuth 2.0 Form Post Response Mode §2)."""
    inputs = "\n".join(f'    <input type="hidden" name="{name}" value="{html.escape(value)}"/>'
                       for name, value in fields.items())
    return (f'<!DOCTYPE html>\n<html>\n<head><title>Submitting Callback</title>\n'
            f"<script>document.addEventListener('DOMContentLoaded', function () {{ document.forms[0].submit() }});"
            f'</script></head>\n<body>\n  <form method="post" action="{html.escape(action)}">\n{inputs}\n'
            f'    <noscript><button autofocus type="submit">Continue</button></noscript>\n  </form>\n</body>\n</html>')


def login_page(action: str = "/login") -> str:
    """A provider's sign-in form: html with a form, but no callback in it."""
    return (f'<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method="post" '
            f'action="{html.escape(action)}"><input name="username"/><input type="password" name="password"/>'
            f'<input type="hidden" name="state" value="login-state"/><button>Sign in</button></form></body></html>')


class HarBuilder:
    def __init__(self, browser: str = "chrome", *, start: datetime = START, step: float = 0.05,
                 server_offset: float = 0.0) -> None:
        self.browser = browser
        self.style = BROWSERS[browser]
        self.start = start
        self.step = step
        self.server_offset = server_offset
        self.entries: list[dict[str, Any]] = []
        self.pages: list[dict[str, Any]] = []
        self._clock = 0.0

    # -- the entries a login is made of --------------------------------------------------------

    def authorize(self, endpoint: str, *, location: str | None = None, page: str | None = None,
                  status: int | None = None, method: str = "GET", at: float | None = None,
                  extra: Iterable[tuple[str, str]] = (), **params: str) -> dict[str, Any]:
        """A request to the authorization endpoint (RFC 6749 §4.1.1); ``response_type`` is ``code``
        unless given. It answers 302 to ``location`` when given, else 200 with ``page`` (a sign-in
        form by default; ``status`` overrides either). ``extra`` adds repeated parameters."""
        if "request_uri" not in params:
            params.setdefault("response_type", "code")
        pairs = [*params.items(), *extra]
        page = None if location is not None else page if page is not None else login_page()
        if method == "POST":
            return self.post(endpoint, form=pairs, status=status or (302 if location else 200), location=location,
                             text=page, mime="text/html" if page else None, at=at)
        url = _with_query(endpoint, pairs)
        if location is not None:
            return self.entry("GET", url, status=status or 302, location=location, at=at)
        return self.entry("GET", url, status=status or 200, mime="text/html", text=page, at=at)

    def redirect(self, location: str, *, url: str | None = None, method: str = "GET", status: int = 302,
                 form: Params | None = None, at: float | None = None) -> dict[str, Any]:
        """An entry answered by a redirect to ``location``; by default the sign-in form's POST to
        ``/login`` on the previous entry's host (``login_page``'s action)."""
        url = url or self._login_url()
        if method == "POST":
            return self.post(url, form=form or [("username", "alice"), ("password", "secret")],
                             status=status, location=location, at=at)
        return self.entry(method, url, status=status, location=location, at=at)

    def callback(self, redirect_uri: str, *, fragment: bool = False, method: str = "GET", status: int | None = None,
                 location: str | None = None, at: float | None = None, **params: str) -> dict[str, Any]:
        """The browser delivering the authorization response to the client: in the query, in the
        fragment (``fragment=True``; only Firefox keeps it in the recorded URL) or, with
        ``method="POST"``, as the form a ``form_post`` page submits."""
        status = status or (302 if location else 200)
        if method == "POST":
            return self.post(redirect_uri, form=list(params.items()), status=status, location=location, at=at)
        if fragment:
            url = f"{redirect_uri}#{urlencode(params)}" if self.browser == "firefox" else redirect_uri
        else:
            url = _with_query(redirect_uri, params.items())
        if location is not None:
            return self.entry(method, url, status=status, location=location, at=at)
        return self.entry(method, url, status=status, mime="text/html", text="<html><body>Signed in</body></html>",
                          at=at)

    def form_post(self, action: str, *, url: str | None = None, method: str = "POST", status: int = 200,
                  at: float | None = None, **fields: str) -> dict[str, Any]:
        """An entry answered by an auto-submitting form to ``action`` carrying ``fields``; by default
        the sign-in form's POST to ``/login`` on the previous entry's host."""
        url = url or self._login_url()
        page = form_post_page(action, **fields)
        if method == "POST":
            return self.post(url, form=[("username", "alice"), ("password", "secret")], status=status,
                             text=page, mime="text/html", at=at)
        return self.entry(method, url, status=status, mime="text/html", text=page, at=at)

    def token(self, endpoint: str, params: Params, status: int = 200, json: Any = DEFAULT, *,
              json_body: bool = False, at: float | None = None,
              request_headers: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        """A POST to the token endpoint (RFC 6749 §4.1.3), form-encoded or ``json_body``, answered
        with ``json`` (an access token by default; ``json=None`` for an empty body)."""
        if json is DEFAULT:
            json = {"access_token": "at-" + "x" * 40, "token_type": "Bearer", "expires_in": 300}
        if json_body:
            return self.post(endpoint, json_body=dict(params), status=status, json=json, at=at,
                             request_headers=request_headers)
        return self.post(endpoint, form=params, status=status, json=json, at=at, request_headers=request_headers)

    def json(self, url: str, body: Any, *, status: int = 200, method: str = "GET", at: float | None = None,
             request_headers: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        """A GET answered with JSON: discovery, a JWKS, userinfo."""
        return self.entry(method, url, status=status, mime="application/json", text=_json(body), at=at,
                          request_headers=request_headers)

    def post(self, url: str, *, form: Params | None = None, json_body: Any = None, text: str | None = None,
             json: Any = None, status: int = 200, mime: str | None = None, location: str | None = None,
             at: float | None = None, request_headers: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        """A POST with a form (``postData.params`` and ``text``, as browsers record both) or a JSON body."""
        if json is not None:
            text, mime = _json(json), "application/json"
        post_data = (self.form_data(form) if form is not None else
                     {"mimeType": "application/json", "text": _json(json_body)} if json_body is not None else None)
        if post_data is not None:
            request_headers = [("Content-Type", post_data["mimeType"]), *request_headers]
        entry = self.entry("POST", url, status=status, mime=mime or ("text/html" if text else ""), text=text,
                           location=location, at=at, request_headers=request_headers)
        if post_data is not None:
            entry["request"]["postData"] = post_data
            entry["request"]["bodySize"] = len(post_data["text"])
        return entry

    # -- the rest of a page: assets and plain pages --------------------------------------------

    def asset(self, url: str, size: int = 4096, *, mime: str = "image/png", at: float | None = None) -> dict[str, Any]:
        """A binary resource saved base64-encoded (``content.encoding``), as browsers save images."""
        return self.entry("GET", url, mime=mime, body=os.urandom(size), at=at)

    def script(self, url: str, size: int = 4096, *, mime: str = "application/javascript",
               at: float | None = None) -> dict[str, Any]:
        """A text resource (script, style sheet) saved as text."""
        line = "function f(a,b){return a+b}; // " + "x" * 60 + "\n"
        return self.entry("GET", url, mime=mime, text=(line * (size // len(line) + 1))[:size], at=at)

    def get(self, url: str, *, status: int = 200, mime: str = "text/html", text: str | None = "",
            at: float | None = None, **options: Any) -> dict[str, Any]:
        return self.entry("GET", url, status=status, mime=mime, text=text, at=at, **options)

    def page(self, url: str, title: str | None = None) -> dict[str, Any]:
        """Start a new page (``log.pages``); the following entries refer to it."""
        page = {"startedDateTime": self._time(self._clock), "id": f"page_{len(self.pages) + 1}",
                "title": title or url, "pageTimings": {"onContentLoad": 120.5, "onLoad": 240.25}}
        self.pages.append(page)
        return page

    # -- one entry, as the browser writes it ---------------------------------------------------

    def entry(self, method: str, url: str, *, status: int = 200, mime: str = "text/html", text: str | None = None,
              body: bytes | None = None, location: str | None = None, at: float | None = None,
              date: str | None | object = DEFAULT, request_headers: Sequence[tuple[str, str]] = (),
              response_headers: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        """Any entry: ``text`` is saved as text, ``body`` base64-encoded; ``location`` makes it a redirect."""
        if not self.pages:
            self.page(url)
        self._clock = self._clock + self.step if at is None else at
        moment = self.start + timedelta(seconds=self._clock)
        recorded_url = url if self.browser == "firefox" else url.split("#", 1)[0]
        parts = urlsplit(recorded_url)
        headers = [(":authority", parts.netloc), (":method", method), (":path", _path(parts)),
                   (":scheme", parts.scheme)] if self.style["pseudo"] else []
        headers += [("Accept", "text/html,application/json,*/*"), ("User-Agent", "Mozilla/5.0 (test)"),
                    *request_headers]
        answer = [("Content-Type", mime)] if mime else []
        if date is DEFAULT:
            answer.append(("Date", format_datetime(moment + timedelta(seconds=self.server_offset), usegmt=True)))
        elif date is not None:
            answer.append(("Date", date))
        if location is not None:
            answer.append(("Location", location))
        answer += [("Cache-Control", "no-store"), *response_headers]
        content: dict[str, Any] = {"size": 0, "mimeType": mime}
        if body is not None:
            content.update(size=len(body), text=base64.b64encode(body).decode("ascii"), encoding="base64")
        elif text is not None:
            content.update(size=len(text.encode()), text=text)
        entry = {
            "pageref": self.pages[-1]["id"],
            "startedDateTime": self._time(self._clock),
            "time": 42.5,
            "request": {"method": method, "url": recorded_url, "httpVersion": self.style["http"], "cookies": [],
                        "headers": self._headers(headers), "queryString": self._query(parts.query),
                        "headersSize": -1, "bodySize": 0},
            "response": {"status": status, "statusText": "", "httpVersion": self.style["http"], "cookies": [],
                         "headers": self._headers(answer), "content": content, "redirectURL": location or "",
                         "headersSize": -1, "bodySize": content["size"]},
            "cache": {},
            "timings": {"blocked": 1.5, "dns": -1, "ssl": -1, "connect": -1, "send": 0.5, "wait": 38.0,
                        "receive": 2.5},
            "serverIPAddress": "203.0.113.7",
        }
        if self.browser == "chrome":
            entry["_resourceType"] = "document" if "html" in mime else "xhr" if "json" in mime else "other"
        self.entries.append(entry)
        return entry

    def form_data(self, form: Params) -> dict[str, Any]:
        """``postData`` of a form as this browser records it: both ``params`` and ``text``."""
        pairs = list(form.items()) if isinstance(form, Mapping) else list(form)
        encode = (lambda value: value) if self.style["raw_params"] else (lambda value: quote(value, safe=""))
        return {"mimeType": "application/x-www-form-urlencoded",
                "params": [{"name": encode(name), "value": encode(value)} for name, value in pairs],
                "text": urlencode(pairs)}

    # -- the file ----------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        log: dict[str, Any] = {"version": "1.2", "creator": dict(self.style["creator"]), "pages": self.pages,
                               "entries": self.entries}
        if self.browser == "firefox":
            log["browser"] = dict(self.style["creator"])
        return {"log": log}

    def dumps(self) -> bytes:
        return json.dumps(self.build(), indent=2, ensure_ascii=False).encode("utf-8")

    def write(self, path: Path) -> Path:
        path.write_bytes(self.dumps())
        return path

    # -- details -------------------------------------------------------------------------------

    def _time(self, offset: float) -> str:
        moment = (self.start + timedelta(seconds=offset)).astimezone(self.style["tz"])
        text = moment.isoformat(timespec="milliseconds")
        return text.replace("+00:00", "Z")

    def _headers(self, headers: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
        lower = self.style["lower"]
        return [{"name": name.lower() if lower else name, "value": value} for name, value in headers]

    def _query(self, query: str) -> list[dict[str, str]]:
        if self.style["raw_params"]:
            return [{"name": name, "value": value} for name, value in parse_qsl(query, keep_blank_values=True)]
        return [{"name": name, "value": value}
                for name, _, value in (pair.partition("=") for pair in query.split("&") if pair)]

    def _login_url(self) -> str:
        if not self.entries:
            raise ValueError("give url=: there is no previous entry")
        return urljoin(self.entries[-1]["request"]["url"], "/login")


def _with_query(url: str, pairs: Iterable[tuple[str, str]]) -> str:
    query = urlencode(list(pairs))
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _path(parts) -> str:
    return f"{parts.path or '/'}{'?' + parts.query if parts.query else ''}"


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
