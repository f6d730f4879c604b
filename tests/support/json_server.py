"""A small JSON server on 127.0.0.1 for tests: each request of the handled method is answered
with the JSON its ``answer`` callable returns, over TLS when given an SSL context. The test
servers that only answer one document (discovery over TLS or mTLS, a token endpoint for child
processes) are this plus their own answer."""

from __future__ import annotations

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


class JsonServer:
    """``with JsonServer(answer) as server:`` → ``server.base`` (``http(s)://127.0.0.1:<port>``).

    ``answer`` gets the request handler (its headers, its connection) once the request body has
    been read."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler], Any], *, method: str = "GET",
                 context: ssl.SSLContext | None = None) -> None:

        def respond(handler: BaseHTTPRequestHandler) -> None:
            handler.rfile.read(int(handler.headers.get("Content-Length", "0")))
            body = json.dumps(answer(handler)).encode()
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        def quiet(handler: BaseHTTPRequestHandler, *args: object) -> None:
            pass

        handler = type("Handler", (BaseHTTPRequestHandler,), {f"do_{method}": respond, "log_message": quiet})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        if context is not None:
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        scheme = "https" if context is not None else "http"
        self.base = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "JsonServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)
