"""The clock readings the app has made so far, with a Qt signal when one arrives.

Workers hand over the exchanges they made (discovery, JWKS fetches, flow steps) right after
making them; no request is ever sent just to read a clock. ``changed`` is emitted from the
worker's thread and, since this object lives in the GUI thread, reaches widgets queued. The
core's clock module is imported with the first reading, not before the window's first paint.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Iterable

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from inspector.core.protocol.clock import ClockBook, ClockReading


class ClockMonitor(QObject):
    """A :class:`ClockBook` plus ``changed``; safe to call ``note`` from any thread."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._book: "ClockBook | None" = None

    def note(self, exchanges: Iterable[Any], received_at: float, issuer: str | None = None) -> "ClockReading | None":
        """Read the clock from the newest of ``exchanges`` (``received_at``: the local time
        right after they returned), filed under its host and ``issuer``."""
        from inspector.core.protocol.clock import ClockBook, reading_from_exchanges

        reading = reading_from_exchanges(exchanges, received_at)
        if reading is None:
            return None
        with self._lock:
            if self._book is None:
                self._book = ClockBook()
            book = self._book
        book.record(reading, issuer=issuer)
        self.changed.emit()
        return reading

    def latest(self, url_or_host: str | None) -> "ClockReading | None":
        return self._book.latest(url_or_host) if self._book is not None else None

    def newest(self) -> "ClockReading | None":
        return self._book.newest() if self._book is not None else None
