"""A token endpoint on 127.0.0.1 for processes under test (the bundle, an installed wheel): it
answers every POST with a bearer token and records the Authorization header it was sent, so a
test can tell which client secret a child process read back from its keyring."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class TokenEndpoint:
    """``with TokenEndpoint() as endpoint:`` → ``endpoint.url``; ``endpoint.authorizations``."""

    def __init__(self) -> None:
        self.authorizations: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.authorizations.append(self.headers.get("Authorization", ""))
                body = json.dumps({"access_token": "at-" + "x" * 40, "token_type": "Bearer", "expires_in": 300}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/token"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "TokenEndpoint":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)
