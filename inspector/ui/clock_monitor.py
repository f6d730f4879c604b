"""The clock readings the app has made so far, with a Qt signal when one arrives.

Workers hand over the exchanges they made (discovery, JWKS fetches, flow steps) right after
making them; no request is ever sent just to read a clock. ``changed`` is emitted from the
worker's thread and, since this object lives in the GUI thread, reaches widgets queued.
"""

from __future__ import annotations

from typing import Any, Iterable

from PySide6.QtCore import QObject, Signal

from inspector.core.protocol.clock import ClockBook, ClockReading, reading_from_exchanges


class ClockMonitor(QObject):
    """A :class:`ClockBook` plus ``changed``; safe to call ``note`` from any thread."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.book = ClockBook()

    def note(self, exchanges: Iterable[Any], received_at: float, issuer: str | None = None) -> ClockReading | None:
        """Read the clock from the newest of ``exchanges`` (``received_at``: the local time
        right after they returned), filed under its host and ``issuer``."""
        reading = reading_from_exchanges(exchanges, received_at)
        if reading is not None:
            self.book.record(reading, issuer=issuer)
            self.changed.emit()
        return reading

    def latest(self, url_or_host: str | None) -> ClockReading | None:
        return self.book.latest(url_or_host)

    def newest(self) -> ClockReading | None:
        return self.book.newest()
