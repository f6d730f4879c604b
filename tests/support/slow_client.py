"""Local clients that hold a connection open without finishing their request, as a hostile local
process would against the loopback listener (slowloris)."""

from __future__ import annotations

import socket
import threading

START = b"GET /callback?a"


def idle_connection(port: int) -> socket.socket:
    """A connection that sent the start of a request line and then nothing."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(START)
    return sock


class SlowClient:
    """Sends the start of a request line, then one more byte every ``interval`` seconds (so a
    per-read timeout never fires) for at most ``limit`` seconds, never ending the request head.

    ``interval`` paces the attack; no test waits on it. ``ran_out`` is set once the attack has
    run its whole ``limit`` (a listener that served it alone was held that long); being stopped
    or cut off by the listener does not set it.
    """

    def __init__(self, port: int, *, interval: float = 0.5, limit: float = 60.0) -> None:
        self.sock = idle_connection(port)
        self.ran_out = threading.Event()
        self._stop = threading.Event()
        self._rounds = int(limit / interval)
        self._interval = interval
        self._thread = threading.Thread(target=self._trickle, name="slow-client", daemon=True)
        self._thread.start()

    def _trickle(self) -> None:
        try:
            for _ in range(self._rounds):
                if self._stop.wait(self._interval):
                    return
                self.sock.sendall(b"a")
        except OSError:  # cut off by the listener
            return
        self.ran_out.set()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self.sock.close()

    def __enter__(self) -> SlowClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
