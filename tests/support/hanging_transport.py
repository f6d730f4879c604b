"""HTTP test transports beyond httpx.MockTransport."""

from __future__ import annotations

import threading

import httpx


class HangingTransport(httpx.BaseTransport):
    """A server that accepts the connection and never answers: a request blocks until the
    client is closed, as closing a socket aborts a read blocked on it."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self._closed = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.entered.set()
        if not self._closed.wait(60):
            return httpx.Response(504)
        raise httpx.ReadError("connection closed while waiting for the response", request=request)

    def close(self) -> None:
        self._closed.set()
