"""A hostile HTTP server on 127.0.0.1 for the bounds on responses: it answers one connection at a
time, as slowly or as endlessly as an attacker would. Modes:

- ``trickle``: headers at once, then an endless body of spaces, one byte per ``interval``;
- ``trickle_headers``: the status line, then an endless header value, one byte per ``interval``;
- ``endless``: headers at once, then an endless body as fast as the client reads;
- ``silent``: reads the request and never answers.

``with SlowServer("trickle") as server:`` → ``server.url``; leaving stops every answer, so even a
client with no bound gets its connection closed and returns. :func:`blocked_reading` waits until
a client thread is blocked reading the answer (to cancel it there).
"""

from __future__ import annotations

import socket
import sys
import threading
import time

_BODY_HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1000000000000\r\n\r\n")


class SlowServer:
    def __init__(self, mode: str, *, interval: float = 0.05) -> None:
        self.mode = mode
        self.interval = interval
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.answering = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "SlowServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes accept(); close() alone does not
        except OSError:
            pass
        self._listener.close()
        self._thread.join(10)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with conn:
                try:
                    self._answer(conn)
                except OSError:  # the client gave up: wait for the next one
                    pass

    def _answer(self, conn: socket.socket) -> None:
        conn.recv(65536)
        self.answering.set()
        if self.mode == "silent":
            self._stop.wait()
        elif self.mode == "endless":
            conn.sendall(_BODY_HEAD)
            while not self._stop.is_set():
                conn.sendall(b" " * 65536)
        else:
            if self.mode == "trickle":
                conn.sendall(_BODY_HEAD)
            else:
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Padding: ")
            while not self._stop.wait(self.interval):
                conn.sendall(b" " if self.mode == "trickle" else b"a")


def blocked_reading(thread: threading.Thread, bound: float = 10) -> bool:
    """Wait until ``thread`` is inside httpcore's socket read: a cancel before it gets there fails
    the read at once, and would hide whether a read already blocked is woken."""
    end, pause = time.monotonic() + bound, threading.Event()
    while time.monotonic() < end:
        frame = sys._current_frames().get(thread.ident)
        if frame is not None and frame.f_code.co_name == "read" and "_backends" in frame.f_code.co_filename:
            return True
        pause.wait(0.01)
    return False
