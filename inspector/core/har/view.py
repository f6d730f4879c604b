"""One candidate entry, read once: its URL, parameters, body and answer, each parsed on first use.

Only candidate entries (a few in a recording of thousands) get a view, so parsing here costs
nothing next to loading the file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Generic, Mapping, TypeVar
from urllib.parse import SplitResult, urljoin, urlsplit

from inspector.core.har import entries as har
from inspector.core.har.model import Params

__all__ = ["EntryView", "endpoint_of"]

_EMPTY: Mapping[str, Any] = {}
T = TypeVar("T")


class once(Generic[T]):
    """``functools.cached_property`` without the lock it takes in Python 3.11, a cost paid on every
    access and noticeable over thousands of entries; a view lives in one thread."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__

    def __get__(self, view: Any, owner: type | None = None) -> T:
        value = view.__dict__[self.name] = self.compute(view)  # from now on the instance attribute answers
        return value


def endpoint_of(url: str) -> str:
    """``scheme://host[:port]/path`` of ``url``, lower-case where URLs are case-insensitive: how
    endpoints and redirect_uris are compared. "" for a URL that does not parse."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme.lower()}://{parts.netloc.rpartition('@')[2].lower()}{parts.path}"


class EntryView:
    def __init__(self, index: int, entry: Mapping[str, Any], *, raw_params: bool) -> None:
        self.index = index
        self.entry = entry
        self.request: Mapping[str, Any] = entry["request"]
        response = entry.get("response")
        self.response: Mapping[str, Any] = response if isinstance(response, dict) else _EMPTY
        self.url: str = self.request["url"]
        self.method: str = self.request["method"].upper()
        self.raw_params = raw_params
        self.unreadable_body = False

    @once
    def parts(self) -> SplitResult | None:
        try:
            return urlsplit(self.url)
        except ValueError:
            return None

    @property
    def host(self) -> str:
        return self.parts.netloc.rpartition("@")[2].lower() if self.parts else ""

    @property
    def path(self) -> str:
        """The URL's path, lower-case (for recognising endpoints by their usual names)."""
        return self.parts.path.lower() if self.parts else ""

    @once
    def endpoint(self) -> str:
        return endpoint_of(self.url)

    @once
    def query(self) -> Params:
        return har.split_params(self.parts.query) if self.parts else {}

    @once
    def fragment(self) -> Params:
        return har.split_params(self.parts.fragment) if self.parts else {}

    @once
    def body(self) -> Params | None:
        return har.body_params(self.request.get("postData"), raw_params=self.raw_params)

    @once
    def params(self) -> Params:
        """Query and body parameters, every value kept."""
        return har.merged(self.query, self.body)

    @property
    def status(self) -> int:
        status = self.response.get("status")
        return status if isinstance(status, int) and not isinstance(status, bool) and status > 0 else 0

    @once
    def mime(self) -> str:
        content = self.response.get("content")
        return har.mime_type(content.get("mimeType")) if isinstance(content, dict) else ""

    @once
    def request_headers(self) -> har.Headers:
        return har.headers(self.request.get("headers"))

    @once
    def response_headers(self) -> har.Headers:
        return har.headers(self.response.get("headers"))

    @once
    def location(self) -> str | None:
        """Where a redirect sends the browser (``Location`` of a 3xx, or ``redirectURL``), absolute."""
        location = har.header(self.response_headers, "location") if 300 <= self.status < 400 else None
        if not location:
            redirect_url = self.response.get("redirectURL")
            location = redirect_url if isinstance(redirect_url, str) and redirect_url else None
        if location is None:
            return None
        try:
            return urljoin(self.url, location.strip())
        except ValueError:
            return location

    @once
    def text(self) -> str | None:
        """The decoded response body; None when there is none or it is not text (then noted)."""
        try:
            return har.response_text(self.response.get("content"))
        except har.UnreadableBody:
            self.unreadable_body = True
            return None

    @once
    def json(self) -> Mapping[str, Any] | None:
        text = self.text
        if text is None or not ("json" in self.mime or text.lstrip().startswith("{")):
            return None
        return har.json_object(text)

    @property
    def html(self) -> str | None:
        return self.text if "html" in self.mime else None

    @once
    def started(self) -> datetime | None:
        return har.parse_started(self.entry.get("startedDateTime"))

    @property
    def server_date(self) -> datetime | None:
        return har.server_date(self.response_headers)

    @property
    def elapsed_ms(self) -> float | None:
        return har.elapsed_ms(self.entry.get("time"))
