"""One HTTP client factory and one way to send a request: every exchange is recorded, redacted,
and every failure becomes a finding (``timeout``, ``network_error``, ``tls_error``,
``response_too_large``, ``invalid_response``, ``cancelled``).

The client's timeout bounds the whole request (connecting, the headers and the body), not each
read: a server trickling a byte a second must not hold a flow step or a JWKS fetch for ever. The
body is read within a size cap counted after decompression (:mod:`.body`). A watchdog
(:mod:`.watchdog`) shuts the client's sockets down when the time is up, since closing a socket does not wake a thread blocked
reading it and shutting it down does; ``Client.cancel`` and ``Client.close`` do the same, so a
cancel aborts a request at once.

The OS trust store (``truststore``) is the default so corporate CAs work as they do in the
browser; a per-profile CA bundle can be added on top. Proxies come from the environment. A client
certificate (mutual TLS, RFC 8705) is presented when given (:mod:`.client_cert`), and the server's
TLS alerts about it become findings of their own (:mod:`.tls_alerts`).
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
import weakref
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Mapping
from urllib.parse import parse_qsl, urlsplit

import httpx

from inspector import __version__
from inspector.core.advice import Advice
from inspector.core.findings import Finding, error
from inspector.core.protocol import watchdog
from inspector.core.protocol.body import (ACCEPT_ENCODING, MAX_RESPONSE_BYTES, BodyTimeout, BodyTooLarge,
                                          UndecodableBody, read_body)
from inspector.core.redact import MASK, SECRET_NAMES, Redactor, redact_mapping, redact_url

if TYPE_CHECKING:
    from inspector.core.protocol.client_cert import ClientCertificate

__all__ = ["Client", "Exchange", "HttpResult", "MAX_RESPONSE_BYTES", "make_client", "send"]

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


class Client(httpx.Client):
    """An httpx client that knows the sockets it opened, so they can be shut down from another
    thread (:meth:`abort`): by :func:`send`'s deadline, and by :meth:`cancel` or :meth:`close`
    (how a flow's Stop, or a GUI job's cancel, stops a request at once). One request at a time:
    each flow and each GUI job has its own client."""

    def __init__(self, *, timeout: float, client_certificate: "ClientCertificate | None" = None,
                 **kwargs: Any) -> None:
        super().__init__(timeout=httpx.Timeout(timeout), **kwargs)
        #: Seconds a whole request may take, from connecting to the last byte of the body.
        self.total_timeout = timeout
        #: The certificate presented in TLS handshakes (mutual TLS), if any.
        self.client_certificate = client_certificate
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._sockets_lock = threading.Lock()
        self._cancelled = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        request.extensions["trace"] = self._trace
        return super().send(request, **kwargs)

    def _trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: note each new connection's socket (TCP, then TLS over it)."""
        if event.endswith(("connect_tcp.complete", "start_tls.complete")):
            sock = info["return_value"].get_extra_info("socket")
            if sock is not None:
                with self._sockets_lock:
                    self._sockets.add(sock)

    def abort(self) -> None:
        """Shut down every socket of this client: a read blocked on one returns at once (and
        fails); the pool replaces those connections on the next request."""
        with self._sockets_lock:
            sockets = list(self._sockets)
        for sock in sockets:
            try:  # socket.socket's own: SSLSocket.shutdown would also unwrap TLS under the reader
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:  # already closed
                pass

    def cancel(self) -> None:
        """Stop the request in flight, and every later one, with a ``cancelled`` finding."""
        self._cancelled.set()
        self.abort()

    def close(self) -> None:
        self.cancel()
        super().close()


def make_client(
    *,
    timeout: float,
    ca_bundle: str | None = None,
    transport: httpx.BaseTransport | None = None,
    client_cert: "ClientCertificate | None" = None,
) -> Client:
    """A client whose ``timeout`` bounds each whole request (see :func:`send`), with the OS trust
    store plus an optional CA bundle, proxies from the environment, no automatic redirects
    (protocol endpoints must not redirect), and only the content codings read within bounds.
    ``client_cert`` (checked by :func:`.client_cert.check_client_certificate`) is presented to
    servers that ask for one."""
    import truststore

    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_bundle:
        _load_ca_bundle(context, ca_bundle)
    if client_cert is not None:
        from inspector.core.protocol.client_cert import load_into

        load_into(context, client_cert)
    return Client(
        timeout=timeout,
        client_certificate=client_cert,
        verify=context,
        transport=transport,
        follow_redirects=False,
        trust_env=True,
        headers={"User-Agent": f"token-inspector/{__version__}", "Accept": "application/json",
                 "Accept-Encoding": ACCEPT_ENCODING},
    )


def _load_ca_bundle(context: ssl.SSLContext, path: str) -> None:
    """Only a regular file: OpenSSL would wait for ever on a FIFO and read a device without end."""
    from inspector.core.errors import ProtocolError
    from inspector.core.files import require_regular

    hint = "Pass a PEM file with one or more CA certificates."
    require_regular(path, what="the CA bundle", error=ProtocolError, hint=hint)
    try:
        context.load_verify_locations(cafile=path)
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise ProtocolError(f"Cannot load the CA bundle {path!r}: {exc}.", hint=hint) from exc


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


#: Deeper JSON than any protocol answer (a few levels): everything that renders a body (redaction,
#: the JSON views) walks it recursively, and would fail well before Python's recursion limit.
MAX_JSON_DEPTH = 64


def _parse_body(response: httpx.Response) -> Any:
    """The JSON value of a JSON answer, else its text; RecursionError (JSON nested past
    :data:`MAX_JSON_DEPTH`, or past Python's recursion limit) is the caller's to report."""
    content_type = response.headers.get("content-type", "")
    if "json" in content_type:
        try:
            value = json.loads(response.content)
        except ValueError:  # not JSON, or not UTF-8
            return response.text
        if _nested_deeper(value, MAX_JSON_DEPTH):
            raise RecursionError
        return value
    return response.text


def _nested_deeper(value: Any, limit: int) -> bool:
    """Whether JSON ``value`` has objects or arrays nested more than ``limit`` deep (without recursing)."""
    level: list[Any] = [value]
    for _depth in range(limit):
        level = [child for item in level if isinstance(item, (dict, list))
                 for child in (item.values() if isinstance(item, dict) else item)]  # fmt: skip
        if not level:
            return False
    return any(isinstance(item, (dict, list)) for item in level)


def _tls_finding(exc: Exception, url: str, client: Client) -> Finding | None:
    from inspector.core.protocol.tls_alerts import SET_CERTIFICATE, client_certificate_alert

    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, ssl.SSLError):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return None
    sent = client.client_certificate is not None
    alert = client_certificate_alert(getattr(cause, "reason", None), certificate_sent=sent)
    if alert is not None:
        return error(alert[0], f"TLS with {urlsplit(url).hostname}: {alert[1]}",
                     advice=None if sent else SET_CERTIFICATE)
    problem = getattr(cause, "verify_message", None) or getattr(cause, "reason", None) or str(cause)
    host = urlsplit(url).hostname
    return error(
        "tls_error",
        f"The TLS connection to {host} failed: {problem}. If the server uses a private or corporate CA, "
        "pass its certificate with --ca-bundle FILE (PEM); if the certificate expired or names another "
        "host, the server's certificate must be fixed.",
    )


def send(
    client: Client,
    method: str,
    url: str,
    *,
    data: Mapping[str, str] | None = None,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    clock: Clock = time.perf_counter,
    limit: int = MAX_RESPONSE_BYTES,
) -> HttpResult:
    """Send one request; return the recorded exchange, the response, and a transport finding.

    ``data`` is sent form-encoded, ``content`` as it is (the caller sets its Content-Type).
    HTTP error statuses are not findings here: the caller knows what the endpoint's errors mean.
    A request that cannot be built (a malformed URL in the metadata, a header value that is not
    ASCII such as a token copied with '…') is an ``invalid_request`` finding. The whole exchange
    must end within ``client.total_timeout`` (``timeout``) and its body, decoded, stay within
    ``limit`` bytes (``response_too_large``); a body that cannot be decoded or read (JSON nested
    too deeply) is ``invalid_response``. A failed body still records the status and headers.
    """
    try:
        request = client.build_request(method, url, data=data, content=content, headers=headers)
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
    if client.cancelled:
        return _failed(exchange, _cancelled_finding(f"{method} {shown}"))
    start = clock()
    alarm = watchdog.arm(client.total_timeout, client.abort)
    try:
        return _exchange(client, request, exchange, start=start, clock=clock, limit=limit, alarm=alarm)
    finally:
        alarm.disarm()


def _exchange(client: Client, request: httpx.Request, exchange: Exchange, *, start: float, clock: Clock,
              limit: int, alarm: watchdog.Alarm) -> HttpResult:
    """The request, then its body read within the deadline and the cap; every failure a finding."""
    what = f"{exchange.method} {exchange.url}"
    deadline = start + client.total_timeout
    try:
        response = client.send(request, stream=True)
    except httpx.HTTPError as exc:
        exchange.elapsed = clock() - start
        return _failed(exchange, _transport_finding(exc, what, str(request.url), client, alarm.fired))
    except RuntimeError:  # closed by a cancel on another thread since send() looked
        if not client.cancelled:
            raise
        return _failed(exchange, _cancelled_finding(what), clock() - start)
    try:
        exchange.status = response.status_code
        exchange.response_headers = redact_mapping(dict(response.headers))
        if clock() > deadline:
            raise BodyTimeout
        content = read_body(response, limit=limit, deadline=deadline, clock=clock)
    except BodyTooLarge:
        return _failed(exchange, error(
            "response_too_large", f"The answer to {what} is larger than {limit / 2**20:g} MiB (counted once "
            "decompressed), far more than any protocol endpoint sends, so it was not read further. Check the "
            "URL: it may point at a file or a stream instead of the endpoint."), clock() - start)
    except BodyTimeout:
        return _failed(exchange, _deadline_finding(what, client), clock() - start)
    except UndecodableBody as exc:
        return _failed(exchange, error("invalid_response", f"The answer to {what} cannot be read: {exc}."),
                       clock() - start)
    except httpx.HTTPError as exc:
        return _failed(exchange, _transport_finding(exc, what, str(request.url), client, alarm.fired),
                       clock() - start)
    finally:
        response.close()
    exchange.elapsed = clock() - start
    response = httpx.Response(response.status_code, headers=_decoded_headers(response.headers), content=content,
                              request=request)
    try:
        exchange.body = _parse_body(response)
    except RecursionError:
        return _failed(exchange, error("invalid_response", f"The answer to {what} is JSON nested too deeply to "
                                       "read; no protocol endpoint sends that."), exchange.elapsed)
    return HttpResult(exchange, response, None)


def _decoded_headers(headers: httpx.Headers) -> list[tuple[str, str]]:
    """The headers that still describe the body once decoded (its coding and length do not)."""
    dropped = {"content-encoding", "content-length", "transfer-encoding"}
    return [(name, value) for name, value in headers.multi_items() if name.lower() not in dropped]


def _failed(exchange: Exchange, finding: Finding, elapsed: float | None = None) -> HttpResult:
    if elapsed is not None:
        exchange.elapsed = elapsed
    exchange.error = finding.code
    return HttpResult(exchange, None, finding)


#: Each front end names the timeout its own way (``--timeout SECONDS`` on the command line).
_SLOW_ADVICE = Advice("Check the URL, or raise {timeout} if the server is just slow.", ("timeout",))


def _deadline_finding(what: str, client: Client) -> Finding:
    return error("timeout", f"{what} did not finish within the {client.total_timeout:g} s timeout, which bounds "
                 "the whole request (connecting, the headers and the body).", advice=_SLOW_ADVICE)


def _cancelled_finding(what: str) -> Finding:
    return error("cancelled", f"{what} was cancelled: it was stopped before its answer arrived, or not sent.")


def _transport_finding(exc: httpx.HTTPError, what: str, url: str, client: Client, expired: bool) -> Finding:
    if client.cancelled:  # the sockets were shut down on purpose: whatever failed after, it was a cancel
        return _cancelled_finding(what)
    if expired:  # the watchdog shut the socket down: whatever failed after, the time was up
        return _deadline_finding(what, client)
    if isinstance(exc, httpx.TimeoutException):
        kind = type(exc).__name__.replace("Timeout", " timeout").lower().strip()
        return error("timeout", f"{what} timed out ({kind}). The server did not answer within the timeout.",
                     advice=_SLOW_ADVICE)
    return _tls_finding(exc, url, client) or error(
        "network_error",
        f"Could not reach {urlsplit(url).netloc.rpartition('@')[2]} ({exc or type(exc).__name__}). Check the URL, "
        "that the server is running, and any proxy settings (HTTPS_PROXY).",
    )
