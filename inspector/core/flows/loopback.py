"""The loopback redirect listener of a native app (RFC 8252 §7.3, §8.3).

It binds 127.0.0.1 only (never 0.0.0.0, so nothing off this machine can reach it), on port 0 or a
chosen port, answers exactly one authorization response and then closes its socket. Requests
that are not the callback (favicon, scanners, junk) get a 404 and do not end the wait; the
callback's checks live in :mod:`callback`, and every value echoed into the page is HTML-escaped
(it is attacker-chosen).

Any local process can connect, so one must not be able to hold the listener: connections are
served together (one thread, ``selectors``), each request must arrive whole within
:data:`REQUEST_SECONDS` and :data:`MAX_HEAD` bytes, at most :data:`MAX_CONNECTIONS` are kept (the
oldest is dropped for a newcomer), and the wait ends at its timeout or on cancel whatever is
connected. A browser's redirect is read as soon as it arrives, however many slow clients there are.
"""

from __future__ import annotations

import html
import selectors
import socket
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qsl, urlsplit

from inspector.core.flows.callback import CALLBACK_PARAMETERS, CallbackResult, check_callback
from inspector.core.flows.cancel import CancelToken

__all__ = ["CallbackResult", "LoopbackListener"]

#: The most of a request that is read (a browser's request head is a few kilobytes).
MAX_HEAD = 16 * 1024
#: A request must arrive whole within this long of its connection; a browser sends it at once.
REQUEST_SECONDS = 5.0
#: Connections kept open at once; a new one beyond this drops the one open the longest.
MAX_CONNECTIONS = 32
#: Connections the kernel queues until they are accepted.
BACKLOG = 64


def _page(title: str, message: str) -> bytes:
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Token Inspector</title>"
        "<style>body{font-family:sans-serif;max-width:36em;margin:4em auto;color:#222}</style></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
        "<p>You can close this tab and return to Token Inspector.</p></body></html>"
    ).encode("utf-8")
    return body


def _response(status: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n"
        "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n"
        "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


@dataclass
class _Connection:
    """One accepted connection and the part of its request read so far."""

    sock: socket.socket
    deadline: float
    head: bytearray = field(default_factory=bytearray)

    def read(self) -> bool:
        """Read what has arrived; True once the request is complete (or can grow no more)."""
        try:
            chunk = self.sock.recv(MAX_HEAD - len(self.head))
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            chunk = b""
        self.head += chunk
        return not chunk or b"\r\n\r\n" in self.head or len(self.head) >= MAX_HEAD


class LoopbackListener:
    """Bind on construction (so the redirect URI is known), then ``wait`` once, then closed."""

    def __init__(
        self,
        *,
        expected_state: str,
        expected_issuer: str | None = None,
        require_iss: bool = False,
        port: int = 0,
        path: str = "/callback",
        redirect_host: str = "127.0.0.1",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.expected_state = expected_state
        self.expected_issuer = expected_issuer
        self.require_iss = require_iss
        self.path = path if path.startswith("/") else "/" + path
        self.redirect_host = redirect_host
        self._clock = clock
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._sock.bind(("127.0.0.1", port))
            self._sock.listen(BACKLOG)
            self._sock.setblocking(False)
        except OSError:
            self._sock.close()
            raise
        self.port: int = self._sock.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()
        self._selector = selectors.DefaultSelector()
        self._open: dict[socket.socket, _Connection] = {}  # oldest first
        self._ignored = 0

    @property
    def redirect_uri(self) -> str:
        return f"http://{self.redirect_host}:{self.port}{self.path}"

    @property
    def closed(self) -> bool:
        return self._sock.fileno() == -1

    def address(self) -> tuple[str, int]:
        return self._sock.getsockname()

    def close(self) -> None:
        for connection in list(self._open.values()):
            self._drop(connection)
        self._selector.close()
        for sock in (self._sock, self._wake_r, self._wake_w):
            sock.close()

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def wait(self, timeout: float, cancel: CancelToken | None = None) -> CallbackResult:
        """Serve until the callback arrives, ``timeout`` seconds pass, or ``cancel`` fires."""
        cancel = cancel or CancelToken()
        unsubscribe = cancel.on_cancel(self._wake)
        deadline = self._clock() + timeout
        try:
            self._selector.register(self._sock, selectors.EVENT_READ)
            self._selector.register(self._wake_r, selectors.EVENT_READ)
            while True:
                if cancel.cancelled:
                    return self._ended("cancelled")
                now = self._clock()
                if now >= deadline:
                    return self._ended("timeout")
                for connection in [c for c in self._open.values() if c.deadline <= now]:
                    self._ignore(connection)
                until = min([deadline, *(c.deadline for c in self._open.values())])
                ready = self._selector.select(until - now)
                if cancel.cancelled:
                    return self._ended("cancelled")
                result = self._serve_ready([key.data for key, _events in ready if key.data is not None])
                if result is None and any(key.fileobj is self._sock for key, _events in ready):
                    result = self._accept()
                if result is not None:
                    result.ignored_requests = self._ignored
                    return result
        finally:
            unsubscribe()
            self.close()

    def _ended(self, outcome: str) -> CallbackResult:
        return CallbackResult(outcome, ignored_requests=self._ignored)

    def _serve_ready(self, connections: list[_Connection]) -> CallbackResult | None:
        for connection in connections:
            if connection.read():
                result = self._answer(connection)
                if result is not None:
                    return result
        return None

    def _accept(self) -> CallbackResult | None:
        """Take every queued connection and read what each has sent already (a browser sends its
        request at once); past :data:`MAX_CONNECTIONS` the oldest connection makes room. A
        request's time counts from its own accept, not from when the wait last looked at the clock
        nor from the start of the batch (answering the connections before it takes time too)."""
        for _ in range(BACKLOG):
            try:
                sock, _peer = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return None
            except OSError:  # e.g. the peer reset the connection while it was queued
                continue
            sock.setblocking(False)
            if len(self._open) >= MAX_CONNECTIONS:
                self._ignore(next(iter(self._open.values())))
            connection = _Connection(sock, self._clock() + REQUEST_SECONDS)
            self._open[sock] = connection
            self._selector.register(sock, selectors.EVENT_READ, connection)
            if connection.read():
                result = self._answer(connection)
                if result is not None:
                    return result
        return None

    def _answer(self, connection: _Connection) -> CallbackResult | None:
        """Reply to a complete request and close it; the result if it was the callback."""
        result = self._handle(connection)
        self._drop(connection)
        if result is None:
            self._ignored += 1
        return result

    def _ignore(self, connection: _Connection) -> None:
        self._drop(connection)
        self._ignored += 1

    def _drop(self, connection: _Connection) -> None:
        self._open.pop(connection.sock, None)
        try:
            self._selector.unregister(connection.sock)
        except (KeyError, ValueError):
            pass
        connection.sock.close()

    def _handle(self, connection: _Connection) -> CallbackResult | None:
        head = bytes(connection.head)
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            return None
        method, target = parts[0], parts[1]
        url = urlsplit(target)
        pairs = parse_qsl(url.query, keep_blank_values=True)
        if method != "GET" or url.path != self.path or not CALLBACK_PARAMETERS & {name for name, _value in pairs}:
            self._reply(connection, "404 Not Found",
                        _page("Not found", "This address only receives a sign-in callback."))
            return None
        result = check_callback(pairs, expected_state=self.expected_state, expected_issuer=self.expected_issuer,
                                require_iss=self.require_iss)
        if result.outcome == "ok":
            self._reply(connection, "200 OK",
                        _page("Signed in", "Token Inspector received the authorization response."))
        else:
            self._reply(connection, "400 Bad Request", _page("Sign-in did not complete", result.findings[0].message))
        return result

    @staticmethod
    def _reply(connection: _Connection, status: str, body: bytes) -> None:
        """One send: a page of about a kilobyte fits the empty send buffer of a new connection."""
        try:
            connection.sock.send(_response(status, body))
        except OSError:
            pass
