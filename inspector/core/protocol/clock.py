"""How far the local clock is from a server's, read from the ``Date`` header of its responses.

Support staff lose hours to a laptop clock that is off: tokens look "expired" or "not yet
valid" when they are not. Every response an HTTP server sends carries ``Date`` (RFC 9110 §6.6.1,
formerly RFC 7231 §7.1.1.2), the moment the server generated it, to the second. Comparing it
with the local clock when the response arrived gives the skew without any extra request.

The server stamped the response at some moment between our sending the request and receiving
the answer, and ``Date`` is truncated to the whole second, so the true skew lies in
``[date - received, date - received + elapsed + 1]``. A reading reports the middle of that
interval and half its width as the uncertainty.

Stdlib only: the GUI imports this before httpx is loaded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterable, Mapping
from urllib.parse import urlsplit

from inspector.core.findings import Finding, info

if TYPE_CHECKING:
    from inspector.core.protocol.http import Exchange

__all__ = [
    "ClockBook", "ClockReading", "SIGNIFICANT_SKEW", "SMALL_SKEW", "TIME_FINDING_CODES", "clock_skew_finding",
    "format_offset", "host_of", "parse_http_date", "reading_from_exchanges", "skew_level", "time_of_day",
]

#: |skew| up to this is normal (NTP-synchronised machines); shown green.
SMALL_SKEW = 5.0
#: |skew| beyond this changes exp/nbf verdicts noticeably; shown red and explained in the decoder.
SIGNIFICANT_SKEW = 60.0
#: Findings whose verdict depends on the local clock (see inspector.core.jose.claim_checks).
TIME_FINDING_CODES = frozenset({"expired", "not_yet_valid", "issued_in_future"})
#: Resolution of the HTTP ``Date`` header: whole seconds.
DATE_RESOLUTION = 1.0


def parse_http_date(value: str | None) -> float | None:
    """Seconds since the epoch for an HTTP date, or None when it is not one.

    Accepts the three formats RFC 9110 §5.6.7 requires recipients to accept: IMF-fixdate
    (``Sun, 06 Nov 1994 08:49:37 GMT``), the obsolete RFC 850 form (``Sunday, 06-Nov-94
    08:49:37 GMT``) and asctime (``Sun Nov  6 08:49:37 1994``). HTTP dates are always UTC, so a
    date without a zone (asctime, ``-0000``) is read as UTC.
    """
    from email.utils import parsedate_to_datetime  # the email package is not loaded at start-up

    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def host_of(url: str | None) -> str:
    """The ``host[:port]`` readings are filed under (lower case; "" for no URL)."""
    if not url:
        return ""
    try:
        return urlsplit(url).netloc.rpartition("@")[2].lower()
    except ValueError:
        return ""


@dataclass(frozen=True)
class ClockReading:
    """One comparison: ``skew`` = server time − local time (positive: the local clock is behind).

    ``source`` says which response it came from, e.g. ``GET https://login.acme.dev/jwks``.
    """

    host: str
    server_time: float
    received_at: float
    elapsed: float
    source: str

    @property
    def skew(self) -> float:
        return self.server_time - self.received_at + (self.elapsed + DATE_RESOLUTION) / 2

    @property
    def uncertainty(self) -> float:
        return (self.elapsed + DATE_RESOLUTION) / 2

    @property
    def offset(self) -> float:
        """What the indicator shows: local − server (positive: your clock is ahead)."""
        return -self.skew

    def phrase(self) -> str:
        """``your clock is 2 min 5 s behind login.acme.dev`` (or ``matches … (within 1 s)``)."""
        skew, within = self.skew, _span(self.uncertainty, fine=True)
        if abs(skew) <= self.uncertainty:
            return f"your clock matches {self.host} (within {within})"
        direction = "behind" if skew > 0 else "ahead of"
        return f"your clock is {_span(abs(skew))} {direction} {self.host} (± {within})"


def format_offset(seconds: float) -> str:
    """``+2 s``, ``−2 min 5 s``, ``0 s``: a signed, compact duration for the top bar."""
    rounded = round(seconds)
    if rounded == 0:
        return "0 s"
    return f"{'+' if rounded > 0 else '−'}{_span(abs(rounded))}"


def _span(seconds: float, *, fine: bool = False) -> str:
    if fine and seconds < 10:
        return f"{seconds:.1f} s".replace(".0 s", " s")
    total = int(round(seconds))
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def skew_level(reading: ClockReading) -> str:
    """"ok" (≤ 5 s), "warning" (≤ 60 s) or "error" (beyond): the severity the indicator shows."""
    size = abs(reading.skew)
    if size <= SMALL_SKEW:
        return "ok"
    return "warning" if size <= SIGNIFICANT_SKEW else "error"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def reading_from_exchanges(exchanges: Iterable["Exchange"], received_at: float) -> ClockReading | None:
    """A reading from the newest exchange that got a response with a valid ``Date``.

    ``received_at`` is the local wall-clock time the caller took right after the exchanges
    returned: accurate for the last response only, so earlier ones are not used.
    """
    for exchange in reversed(list(exchanges)):
        if exchange.status is None:
            continue
        server_time = parse_http_date(_header(exchange.response_headers or {}, "date"))
        if server_time is None:
            return None
        return ClockReading(host_of(exchange.url), server_time, received_at, max(exchange.elapsed, 0.0),
                            f"{exchange.method} {exchange.url}")
    return None


class ClockBook:
    """The latest reading per host, shared by threads (workers record, the GUI reads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_host: dict[str, ClockReading] = {}
        self._newest: ClockReading | None = None

    def record(self, reading: ClockReading, *, issuer: str | None = None) -> None:
        """File ``reading`` under its own host and, when given, the issuer it was made for
        (a JWKS host may differ from the issuer's host, but it answered for that issuer)."""
        with self._lock:
            for host in {reading.host, host_of(issuer)} - {""}:
                known = self._by_host.get(host)
                if known is None or known.received_at <= reading.received_at:
                    self._by_host[host] = reading
            if self._newest is None or self._newest.received_at <= reading.received_at:
                self._newest = reading

    def latest(self, url_or_host: str | None) -> ClockReading | None:
        key = host_of(url_or_host) if url_or_host and "//" in url_or_host else (url_or_host or "").lower()
        with self._lock:
            return self._by_host.get(key)

    def newest(self) -> ClockReading | None:
        with self._lock:
            return self._newest


def clock_skew_finding(reading: ClockReading | None, findings: Iterable[Finding],
                       claims: Mapping[str, Any] | None, now: float) -> Finding | None:
    """An info finding when a significant skew may have decided a time verdict, else None.

    It applies when the skew exceeds :data:`SIGNIFICANT_SKEW` and either a time finding
    (expired, not yet valid, issued in the future) was reported, or an ``exp``/``nbf``/``iat``
    lies between the local time and the server's time, where the two clocks disagree.
    """
    if reading is None or abs(reading.skew) <= SIGNIFICANT_SKEW:
        return None
    timed = any(f.code in TIME_FINDING_CODES for f in findings)
    if not timed and claims:
        low, high = sorted((now, now + reading.skew))
        margin = reading.uncertainty
        timed = any(isinstance(value, (int, float)) and not isinstance(value, bool)
                    and low - margin <= value <= high + margin
                    for value in (claims.get(name) for name in ("exp", "nbf", "iat")))
    if not timed:
        return None
    skew = reading.skew
    direction = "behind" if skew > 0 else "ahead of"
    return info(
        "clock_skew",
        f"Your clock is {_span(abs(skew))} {direction} {reading.host}: exp/nbf judgements may be off by that "
        "much. Set your computer's clock automatically (NTP) and check again.",
    )


def time_of_day(timestamp: float) -> str:
    """``16:20:03 UTC``: when a reading was taken, for tooltips."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%H:%M:%S UTC")
