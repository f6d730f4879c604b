"""One thread that fires the deadlines of every request in flight.

A request's deadline must act from outside the thread blocked on its socket (see
:meth:`inspector.core.protocol.http.Client.abort`). A timer thread per request cost more than a
request to a local provider; this one thread sleeps until the nearest deadline instead.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from typing import Callable

from inspector.core import threads

__all__ = ["Alarm", "arm"]

log = logging.getLogger(__name__)


class Alarm:
    """A deadline armed for one request: ``fired`` once it passed (and ``action`` ran)."""

    def __init__(self, action: Callable[[], None]) -> None:
        self._action = action
        self._lock = threading.Lock()
        self._disarmed = False
        self.fired = False

    def disarm(self) -> None:
        """The request ended: the action will not run (if it is running, it finishes)."""
        with self._lock:
            self._disarmed = True

    @property
    def disarmed(self) -> bool:
        return self._disarmed

    def _fire(self) -> None:
        with self._lock:
            if self._disarmed:
                return
            self.fired = True
        self._action()


class _Watchdog:
    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._due: list[tuple[float, int, Alarm]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float, action: Callable[[], None]) -> Alarm:
        alarm = Alarm(action)
        with self._wake:
            heapq.heappush(self._due, (time.monotonic() + seconds, next(self._order), alarm))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="http-deadlines", daemon=True)
                threads.start(self._thread)
            self._wake.notify()
        return alarm

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._due and self._due[0][2].disarmed:
                    heapq.heappop(self._due)
                if not self._due:
                    self._wake.wait()
                    continue
                left = self._due[0][0] - time.monotonic()
                if left > 0:
                    self._wake.wait(left)
                    continue
                alarm = heapq.heappop(self._due)[2]
            try:  # outside the lock: shutting sockets down must not hold up arming
                alarm._fire()
            except Exception:  # a bug in one action must not end every later deadline
                log.exception("a request deadline's action failed")


_WATCHDOG = _Watchdog()


def arm(seconds: float, action: Callable[[], None]) -> Alarm:
    """Run ``action`` in ``seconds`` (on the watchdog's thread) unless disarmed first."""
    return _WATCHDOG.arm(seconds, action)
