"""What claims mean: the registry lookup and time claims in words.

``describe_claim`` answers from :mod:`inspector.core.jose.registry`; names shaped like URLs are
namespaced custom claims (RFC 7519 §4.2, and what Auth0 requires for custom claims).
``describe_time`` renders a NumericDate (RFC 7519 §2) in UTC, in local time and as a phrase
relative to an injected ``now`` ("expired 3 minutes ago").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import Any, Literal

from inspector.core.jose.registry import CLAIMS, HEADER_PARAMETERS

__all__ = [
    "ClaimInfo",
    "TIME_CLAIMS",
    "TimeText",
    "describe_claim",
    "describe_header",
    "describe_time",
    "humanize_duration",
    "in_date_range",
    "is_numeric_date",
]

Category = Literal["registered", "oidc", "access_token", "vendor"]
TimeState = Literal["expired", "not_yet_valid", "valid", "past", "future", "neutral"]

#: Claims whose value is a NumericDate (seconds since 1970-01-01T00:00:00Z).
TIME_CLAIMS = frozenset({"exp", "nbf", "iat", "auth_time", "updated_at"})
#: The NumericDates a calendar can show: 0001-01-01 to 9999-12-31T23:59:59Z (as Python's datetime).
DATE_RANGE = (-62_135_596_800, 253_402_300_799)

_UNITS = ((2 * 365 * 86400, 365 * 86400, "year"), (60 * 86400, 30 * 86400, "month"), (2 * 86400, 86400, "day"),
          (2 * 3600, 3600, "hour"), (60, 60, "minute"))  # (shown from, size, name)
_VERBS = {"iat": "issued", "auth_time": "authenticated", "updated_at": "updated"}


@dataclass(frozen=True, slots=True)
class ClaimInfo:
    name: str
    category: Category
    description: str
    vendor: str | None = None


@dataclass(frozen=True, slots=True)
class TimeText:
    utc: str
    local: str
    relative: str
    state: TimeState


_OUT_OF_RANGE = TimeText("out of range", "out of range", "out of range: too far from today to be a real date",
                         "neutral")


def describe_claim(name: str) -> ClaimInfo | None:
    """The registry entry for ``name``; None for a custom claim the registry does not know."""
    entry = CLAIMS.get(name)
    if entry is not None:
        category, vendor, description = entry
        return ClaimInfo(name, category, description, vendor or None)  # type: ignore[arg-type]
    if name.startswith(("https://", "http://")):
        return ClaimInfo(
            name,
            "vendor",
            "Namespaced custom claim: a URL-shaped name avoids collisions (RFC 7519 §4.2; Auth0 requires it).",
            "namespaced",
        )
    return None


def describe_header(name: str) -> str | None:
    """One line on a JOSE header parameter; None if unregistered."""
    return HEADER_PARAMETERS.get(name)


def is_numeric_date(value: Any) -> bool:
    """A JSON number that is finite (booleans are not numbers, RFC 7519 §2). An integer too large
    for a float (10**309) is one; whether it is a date is :func:`in_date_range`'s question."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)


def in_date_range(value: Any) -> bool:
    """A NumericDate within :data:`DATE_RANGE`: one a clock can reach and a date can show.
    Comparing, never converting, so no integer is too large for it."""
    return is_numeric_date(value) and DATE_RANGE[0] <= value <= DATE_RANGE[1]


def describe_time(claim: str, epoch: Any, now: float, *, tz: tzinfo | None = None) -> TimeText:
    """UTC, local (``tz``, default the system zone) and relative text, with the claim's state.

    ``exp == now`` is expired and ``nbf == now`` is valid, as the verifier decides (RFC 7519 §4.1.4).
    """
    if not is_numeric_date(epoch):
        return TimeText("not a number", "not a number", "not a valid time (a NumericDate is a JSON number)", "neutral")
    if not in_date_range(epoch):
        return _OUT_OF_RANGE
    try:
        moment = datetime.fromtimestamp(epoch, timezone.utc)
        local = moment.astimezone(tz) if tz is not None else moment.astimezone()
    except (OverflowError, OSError, ValueError):  # in range in UTC, past year 9999 in the local zone
        return _OUT_OF_RANGE
    utc_text = moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    local_text = f"{local.strftime('%Y-%m-%d %H:%M:%S')} {local.tzname() or ''} ({local.strftime('%z')})".replace(
        "  ", " "
    )
    relative, state = _relative(claim, float(epoch), now)
    return TimeText(utc_text, local_text, relative, state)


def humanize_duration(seconds: float) -> str:
    """``3 minutes``, ``63 minutes``, ``2 hours``, ``1 second``: floor to the largest fitting unit."""
    seconds = abs(seconds)
    for shown_from, size, name in _UNITS:
        if seconds >= shown_from:
            return _plural(int(seconds // size), name)
    return _plural(int(seconds), "second")


def _relative(claim: str, epoch: float, now: float) -> tuple[str, TimeState]:
    delta = epoch - now
    span = humanize_duration(delta)
    if claim == "exp":
        if delta <= 0:
            return ("expired just now" if delta > -1 else f"expired {span} ago"), "expired"
        return f"expires in {span}", "valid"
    if claim == "nbf":
        if delta > 0:
            return f"becomes valid in {span}", "not_yet_valid"
        return ("valid from now" if delta > -1 else f"valid since {span} ago"), "valid"
    verb = _VERBS.get(claim, "at")
    if delta > 0:
        return f"{verb} in {span} (in the future)", "future"
    return (f"{verb} just now" if delta > -1 else f"{verb} {span} ago"), "past"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
