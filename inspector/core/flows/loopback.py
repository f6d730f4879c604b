"""The loopback redirect listener of a native app (RFC 8252 §7.3, §8.3).

It binds 127.0.0.1 only (never 0.0.0.0, so nothing off this machine can reach it), on port 0 or a
chosen port, answers exactly one authorization response and then closes its socket. Requests
that are not the callback (favicon, scanners, junk) get a 404 and do not end the wait; the
callback's checks live in :mod:`callback`, and every value echoed into the page is HTML-escaped
(it is attacker-chosen).
"""

from __future__ import annotations

import html
import selectors
import socket
import time
from typing import Callable
from urllib.parse import parse_qsl, urlsplit

from inspector.core.flows.callback import CALLBACK_PARAMETERS, CallbackResult, check_callback
from inspector.core.flows.cancel import CancelToken

__all__ = ["CallbackResult", "LoopbackListener"]

MAX_HEAD = 16 * 1024
PER_CONNECTION_SECONDS = 2.0


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
            self._sock.listen(8)
        except OSError:
            self._sock.close()
            raise
        self.port: int = self._sock.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()

    @property
    def redirect_uri(self) -> str:
        return f"http://{self.redirect_host}:{self.port}{self.path}"

    @property
    def closed(self) -> bool:
        return self._sock.fileno() == -1

    def address(self) -> tuple[str, int]:
        return self._sock.getsockname()

    def close(self) -> None:
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
        ignored = 0
        selector = selectors.DefaultSelector()
        try:
            selector.register(self._sock, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while True:
                if cancel.cancelled:
                    return CallbackResult("cancelled", ignored_requests=ignored)
                remaining = deadline - self._clock()
                if remaining <= 0:
                    return CallbackResult("timeout", ignored_requests=ignored)
                if not selector.select(remaining):
                    continue
                if cancel.cancelled:
                    return CallbackResult("cancelled", ignored_requests=ignored)
                conn, _peer = self._sock.accept()
                with conn:
                    result = self._serve(conn, min(PER_CONNECTION_SECONDS, max(remaining, 0.05)))
                if result is None:
                    ignored += 1
                    continue
                result.ignored_requests = ignored
                return result
        finally:
            unsubscribe()
            selector.close()
            self.close()

    def _serve(self, conn: socket.socket, seconds: float) -> CallbackResult | None:
        conn.settimeout(seconds)
        head = b""
        try:
            while b"\r\n\r\n" not in head and len(head) < MAX_HEAD:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                head += chunk
        except OSError:
            return None
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            return None
        method, target = parts[0], parts[1]
        url = urlsplit(target)
        pairs = parse_qsl(url.query, keep_blank_values=True)
        if method != "GET" or url.path != self.path or not CALLBACK_PARAMETERS & {name for name, _value in pairs}:
            self._reply(conn, "404 Not Found", _page("Not found", "This address only receives a sign-in callback."))
            return None
        result = check_callback(pairs, expected_state=self.expected_state, expected_issuer=self.expected_issuer,
                                require_iss=self.require_iss)
        if result.outcome == "ok":
            self._reply(conn, "200 OK", _page("Signed in", "Token Inspector received the authorization response."))
        else:
            self._reply(conn, "400 Bad Request", _page("Sign-in did not complete", result.findings[0].message))
        return result

    @staticmethod
    def _reply(conn: socket.socket, status: str, body: bytes) -> None:
        try:
            conn.sendall(_response(status, body))
        except OSError:
            pass
