"""Loading a HAR recording (HAR 1.2 as Chrome, Firefox and Safari save it) and reading its OAuth
exchanges, in the order the browser started them.

The file is the user's (often a customer's), tens of MB, and may not be a HAR at all. It is read
bounded by ``MAX_BYTES`` and never from a FIFO or a device (``core.files.read_bounded``);
every way it can be unusable is an ``UnusableInputError`` that says what is wrong and what to do.
An entry too broken to read is left out and counted, not fatal: real recordings have odd entries.

Cost: one ``json.loads`` plus a few dictionary lookups per entry; only candidate entries (see
``triage``) have their URLs and bodies parsed. ``tests/benchmarks/bench_har.py`` measures it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from inspector.core.errors import FlowCancelledError, UnusableInputError
from inspector.core.files import read_bounded, too_large
from inspector.core.flows.cancel import CancelToken
from inspector.core.har.classify import Classifier, Entries
from inspector.core.har.model import HarExchange, HarTimeline
from inspector.core.har.triage import CANDIDATE, MAYBE, triage

__all__ = ["MAX_BYTES", "HarLog", "har_log", "load_har", "read_har", "timeline_of"]

#: The largest recording read: far above a recorded login (a few to tens of MB), far below memory
#: trouble (parsed JSON takes several times its size); the diagnosis and the sanitizer share it.
MAX_BYTES = 150_000_000
_SIZE_HINT = "Record only the login: clear the network log, sign in again, then save the recording."
_HINT = ("Save the recording again from the browser's developer tools: Network panel, "
         "'Save all as HAR' (Chrome, Edge), 'Save All As HAR' (Firefox) or 'Export' (Safari).")
#: Rough share of the work done once the file is read and parsed; classifying is the rest.
_READ, _PARSED = 0.1, 0.85

Source = bytes | bytearray | str | Path
Progress = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class HarLog:
    """A loaded recording: the whole JSON document (for a rewrite), its entries and who made it."""

    document: dict[str, Any]
    entries: list[Any]
    creator: str | None


def read_har(source: Source, *, cancel: CancelToken | None = None, progress: Progress | None = None,
             max_bytes: int = MAX_BYTES) -> HarTimeline:
    """The OAuth exchanges of a recording, in ``startedDateTime`` order (ties: file order).

    ``source`` is the file's path, or its content as bytes or text (a ``str`` is the HAR's JSON,
    never a file name). ``progress`` is called with the fraction done, from 0 to 1 (reading and
    parsing the file are one step each: they cannot report inside). ``cancel`` is checked between
    steps and while classifying; a cancelled read raises ``FlowCancelledError``.
    """
    report = progress or _silent
    log = load_har(source, cancel=cancel, progress=lambda fraction: report(fraction * _PARSED), max_bytes=max_bytes)
    return timeline_of(log, cancel=cancel, progress=report)


def timeline_of(log: HarLog, *, cancel: CancelToken | None = None, progress: Progress | None = None) -> HarTimeline:
    """The OAuth exchanges of a recording already parsed (``har_log``): a caller that had to parse
    the JSON to learn it is a HAR need not parse tens of MB again."""
    report = progress or _silent
    candidates, maybes, skipped = _triage(log, cancel, report)
    _check(cancel)
    classifier = Classifier(raw_params=(log.creator or "").startswith("Firefox"))  # Firefox decodes params
    exchanges = classifier.exchanges(candidates, maybes)
    report(1.0)
    return HarTimeline(exchanges=_in_time_order(exchanges), entry_count=len(log.entries), creator=log.creator,
                       skipped_entries=skipped, skipped_bodies=classifier.unreadable_bodies)


def load_har(source: Source, *, cancel: CancelToken | None = None, progress: Progress | None = None,
             max_bytes: int = MAX_BYTES) -> HarLog:
    """The recording as JSON, checked to be a HAR (``log.entries`` a list); see ``read_har``."""
    report = progress or _silent
    if isinstance(source, Path):
        data: bytes | bytearray | str = read_bounded(source, limit=max_bytes, what="the recording", hint=_HINT,
                                                     size_hint=_SIZE_HINT)
        name = f"The file {str(source)!r}"
    else:
        data, name = source, "The recording"
        if len(data) > max_bytes:
            raise UnusableInputError(f"{name} is {too_large(len(data), max_bytes)}.", hint=_SIZE_HINT)
        if isinstance(data, str) and data.startswith("\ufeff"):
            data = data[1:]  # a byte order mark some editors add; json.loads accepts it only in bytes
    report(_READ)
    _check(cancel)
    document = _parse(data, name)
    report(1.0)
    return har_log(document, name)


def har_log(document: Any, name: str = "The recording") -> HarLog:
    """``document`` (parsed JSON) checked to be a HAR: ``log.entries`` a list."""
    log = document.get("log") if isinstance(document, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise UnusableInputError(f"{name} is JSON but not a HAR recording: it has no list of requests (log.entries).",
                                 hint=_HINT)
    return HarLog(document, entries, _creator(log.get("creator")))


def _parse(data: bytes | bytearray | str, name: str) -> Any:
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise UnusableInputError(f"{name} is not text (binary data), so it is not a HAR recording.",
                                 hint=_HINT) from exc
    except json.JSONDecodeError as exc:
        if not exc.doc.strip():
            raise UnusableInputError(f"{name} is empty.", hint=_HINT) from exc
        if "\x00" in exc.doc[:4096]:
            raise UnusableInputError(f"{name} is not text (binary data), so it is not a HAR recording.",
                                     hint=_HINT) from exc
        if exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise UnusableInputError(f"{name} ends in the middle of its JSON: it was cut short (an incomplete "
                                     "download or copy).", hint=_HINT) from exc
        raise UnusableInputError(f"{name} is not a HAR recording: it is not JSON ({exc.msg} at line {exc.lineno}, "
                                 f"column {exc.colno}).", hint=_HINT) from exc
    except RecursionError as exc:
        raise UnusableInputError(f"{name} is not a HAR recording: its JSON is nested too deeply.", hint=_HINT) from exc


def _triage(log: HarLog, cancel: CancelToken | None, report: Progress) -> tuple[Entries, Entries, int]:
    """Candidate and maybe entries (see ``triage``), and how many entries were too broken to read."""
    candidates: Entries = []
    maybes: Entries = []
    skipped = 0
    total = len(log.entries) or 1
    for index, entry in enumerate(log.entries):
        if not index & 1023:
            _check(cancel)
            report(_PARSED + (1 - _PARSED) * 0.9 * index / total)
        try:
            request = entry["request"]
            if not isinstance(request["url"], str) or not isinstance(request["method"], str):
                skipped += 1
                continue
            look = triage(request, entry.get("response"))
        except (TypeError, KeyError, IndexError, AttributeError):  # not an object, or no request, URL or method
            skipped += 1
            continue
        if look == CANDIDATE:
            candidates.append((index, entry))
        elif look == MAYBE:
            maybes.append((index, entry))
    return candidates, maybes, skipped


def _in_time_order(exchanges: list[HarExchange]) -> tuple[HarExchange, ...]:
    """By ``started``, ties (and entries without a usable time, which keep their place after the
    one before them) in file order."""
    keyed = []
    moment = float("-inf")
    for position, exchange in enumerate(exchanges):
        if exchange.started is not None:
            moment = exchange.started.timestamp()
        keyed.append((moment, position, exchange))
    keyed.sort(key=lambda item: item[:2])
    return tuple(exchange for _, _, exchange in keyed)


def _creator(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    words = [value.get(key) for key in ("name", "version")]
    return " ".join(word for word in words if isinstance(word, str) and word) or None


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.cancelled:
        raise FlowCancelledError("Reading the HAR recording was cancelled.")


def _silent(fraction: float) -> None:
    """No progress reporting."""
