"""One HTTP client factory and one way to send a request: every exchange is recorded, redacted,
and every transport failure becomes a finding (``timeout``, ``network_error``, ``tls_error``).

The OS trust store (``truststore``) is the default so corporate CAs work as they do in the
browser; a per-profile CA bundle can be added on top. Proxies come from the environment.
"""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping
from urllib.parse import parse_qsl, urlsplit

import httpx

from inspector import __version__
from inspector.core.findings import Finding, error
from inspector.core.redact import MASK, SECRET_NAMES, Redactor, redact_mapping, redact_url

__all__ = ["Exchange", "HttpResult", "make_client", "send"]

Clock = Callable[[], float]


@dataclass
class Exchange:
    """One recorded request and its response; secrets are masked when it is recorded, so no
    client secret, client assertion or Authorization header is ever stored here."""

    method: str
    url: str
    request_headers: dict[str, str]
    params: dict[str, Any]
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    elapsed: float = 0.0
    error: str | None = None

    def redacted(self, redactor: Redactor) -> Exchange:
        """A copy for display, every part masked by ``redactor`` (as :meth:`to_json` masks them)."""
        return replace(self, url=redactor.text(self.url), request_headers=redactor.value(self.request_headers),
                       params=redactor.value(self.params), response_headers=redactor.value(self.response_headers),
                       body=redactor.value(self.body))

    def to_json(self, redactor: Redactor | None = None, *, show_tokens: bool = False) -> dict[str, Any]:
        """Masked by ``redactor`` (by default by name only, tokens abbreviated unless ``show_tokens``)."""
        redactor = redactor or Redactor.of(None, show_tokens)
        body = redactor.value(self.body)
        data: dict[str, Any] = {
            "request": {
                "method": self.method,
                "url": redactor.text(self.url),
                "headers": redactor.value(self.request_headers),
                "params": redactor.value(self.params),
            },
            "response": None
            if self.status is None
            else {"status": self.status, "headers": redactor.value(self.response_headers), "body": body},
            "elapsed_ms": round(self.elapsed * 1000, 1),
        }
        if self.error:
            data["error"] = self.error
        return data


@dataclass
class HttpResult:
    exchange: Exchange
    response: httpx.Response | None
    finding: Finding | None

    @property
    def ok(self) -> bool:
        return self.finding is None


def make_client(
    *,
    timeout: float,
    ca_bundle: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """A client with explicit timeouts, the OS trust store plus an optional CA bundle, proxies
    from the environment, and no automatic redirects (protocol endpoints must not redirect)."""
    import truststore

    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_bundle:
        try:
            context.load_verify_locations(cafile=ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            from inspector.core.errors import ProtocolError

            raise ProtocolError(
                f"Cannot load the CA bundle {ca_bundle!r}: {exc}.",
                hint="Pass a PEM file with one or more CA certificates.",
            ) from exc
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        verify=context,
        transport=transport,
        follow_redirects=False,
        trust_env=True,
        headers={"User-Agent": f"token-inspector/{__version__}", "Accept": "application/json"},
    )


def _record_params(url: str, data: Mapping[str, str] | None) -> dict[str, Any]:
    """Secrets are masked as they are recorded; tokens are kept (shown abbreviated by default)."""
    if data is not None:
        params = dict(data)
    else:
        try:
            params = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        except ValueError:  # a malformed URL: its request is never sent, nothing to record
            params = {}
    return {name: MASK if name.lower() in SECRET_NAMES else value for name, value in params.items()}


def _parse_body(response: httpx.Response) -> Any:
    content_type = response.headers.get("content-type", "")
    if "json" in content_type:
        try:
            return response.json()
        except ValueError:
            return response.text
    return response.text


def _tls_finding(exc: Exception, url: str) -> Finding | None:
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, ssl.SSLError):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return None
    problem = getattr(cause, "verify_message", None) or getattr(cause, "reason", None) or str(cause)
    host = urlsplit(url).hostname
    return error(
        "tls_error",
        f"The TLS connection to {host} failed: {problem}. If the server uses a private or corporate CA, "
        "pass its certificate with --ca-bundle FILE (PEM); if the certificate expired or names another "
        "host, the server's certificate must be fixed.",
    )


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    data: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    clock: Clock = time.perf_counter,
) -> HttpResult:
    """Send one request; return the recorded exchange, the response, and a transport finding.

    HTTP error statuses are not findings here: the caller knows what the endpoint's errors mean.
    A request that cannot be built (a malformed URL in the metadata, a header value that is not
    ASCII such as a token copied with '…') is an ``invalid_request`` finding.
    """
    try:
        request = client.build_request(method, url, data=data, headers=headers)
    except (httpx.InvalidURL, UnicodeEncodeError) as exc:
        shown = redact_url(url)
        exchange = Exchange(method=method, url=shown, request_headers=redact_mapping(dict(headers or {})),
                            params=_record_params(url, data), error="invalid_request")
        return HttpResult(exchange, None, error(
            "invalid_request", f"Cannot send {method} {shown}: {exc}. Check the URL (it comes from the issuer or the "
            "provider's metadata) and that every token and header value is plain ASCII."))
    shown = redact_url(url)
    exchange = Exchange(
        method=method,
        url=shown,
        request_headers=redact_mapping(dict(request.headers)),
        params=_record_params(url, data),
    )
    start = clock()
    try:
        response = client.send(request)
        response.read()
    except httpx.TimeoutException as exc:
        exchange.elapsed, exchange.error = clock() - start, "timeout"
        kind = type(exc).__name__.replace("Timeout", " timeout").lower().strip()
        return HttpResult(
            exchange,
            None,
            error("timeout", f"{method} {shown} timed out ({kind}). The server did not answer within "
                  "the timeout; check the URL, or raise --timeout if the server is just slow."),
        )
    except httpx.HTTPError as exc:
        exchange.elapsed = clock() - start
        finding = _tls_finding(exc, url)
        if finding is None:
            finding = error(
                "network_error",
                f"Could not reach {urlsplit(url).netloc.rpartition('@')[2]} ({exc or type(exc).__name__}). Check the URL, "
                "that the server is running, and any proxy settings (HTTPS_PROXY).",
            )
        exchange.error = finding.code
        return HttpResult(exchange, None, finding)
    exchange.elapsed = clock() - start
    exchange.status = response.status_code
    exchange.response_headers = redact_mapping(dict(response.headers))
    exchange.body = _parse_body(response)
    return HttpResult(exchange, response, None)
