"""Sanitizing a whole HAR recording: every entry kept, in order, with its timings; every secret
replaced by its marker.

Two passes. The first rewrites each entry where secrets stand by name (URLs and their queries
and fragments, ``Location``/``redirectURL``, headers and cookies, ``queryString``, ``postData``,
bodies in any encoding, and any other member a browser adds, such as Chrome's ``_initiator``),
remembering every value it removes. The second writes the file and searches it for every removed
value in every form (:mod:`needles`); an entry still holding one anywhere (a code quoted in a page,
a token inside an image) has it replaced. The output is HAR 1.2 JSON (ASCII), one entry per line.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, Mapping

from inspector import __version__
from inspector.core.errors import FlowCancelledError, UnusableInputError
from inspector.core.flows.cancel import CancelToken
from inspector.core.har.reader import MAX_BYTES as READ_LIMIT
from inspector.core.har.reader import HarLog, Source, load_har
from inspector.core.sanitize import rules
from inspector.core.sanitize.bodies import Bodies
from inspector.core.sanitize.cleaner import Cleaner
from inspector.core.sanitize.markers import Markers
from inspector.core.sanitize.needles import Finder, bytes_finder, output_finder
from inspector.core.sanitize.scrubber import Scrubber

__all__ = ["MAX_BYTES", "SanitizedHar", "removed_summary", "sanitize_har"]

#: The largest recording sanitized is the largest one read (held in memory three times over: the
#: text, the parsed document, the output).
MAX_BYTES = READ_LIMIT
NOTE = ("Sanitized by Token Inspector {version}: cookies, credentials, codes, tokens and secrets are replaced by "
        "redacted-… markers (equal values, equal markers; a code_verifier's marker ends with its S256 challenge), "
        "JWTs keep their header and claims without their signature. Sizes are the original's.")
Progress = Callable[[float], None]
#: Share of the work: loading, then the entries, then writing and checking.
_LOADED, _WALKED = 0.3, 0.8


@dataclass(frozen=True)
class SanitizedHar:
    """The sanitized recording (JSON, in ``chunks`` to write one after the other: joining 50 MB
    costs as much as checking it), and what was removed, counted by name."""

    chunks: tuple[bytes, ...]
    counts: Mapping[str, int]
    entries: int

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)

    @property
    def size(self) -> int:
        return sum(map(len, self.chunks))

    @property
    def removed(self) -> int:
        return sum(self.counts.values())

    def write(self, handle: BinaryIO) -> None:
        handle.writelines(self.chunks)


def removed_summary(counts: Mapping[str, int]) -> str:
    """What was removed, by name, for the CLI and the GUI: ``Removed 12 values: 4 code, 6 cookie, …``."""
    total = sum(counts.values())
    if not total:
        return "No secret was found to remove."
    listed = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
    return f"Removed {total} value{'s' if total != 1 else ''}: {listed}. They are now redacted-… markers."


def sanitize_har(source: Source, *, mask_personal: bool = False, markers: Markers | None = None,
                 max_bytes: int = MAX_BYTES, cancel: CancelToken | None = None,
                 progress: Progress | None = None) -> SanitizedHar:
    """``source`` (a path, or the HAR's bytes or text) without its secrets. ``markers`` is for
    tests (a fixed key); by default each call uses a fresh random key. Unusable input (not JSON,
    not a HAR, over ``max_bytes``, nested too deeply) raises ``UnusableInputError``; ``cancel`` raises
    ``FlowCancelledError``."""
    report = progress or _silent
    log = load_har(source, cancel=cancel, progress=lambda fraction: report(fraction * _LOADED), max_bytes=max_bytes)
    try:
        return _sanitized(log, markers, mask_personal, cancel, report)
    except RecursionError as exc:  # JSON json.loads could just parse is too deep to walk again
        raise UnusableInputError("The recording nests its JSON too deeply to be sanitized.",
                                 hint="Record only the login, then save the recording again.") from exc


def _sanitized(log: HarLog, markers: Markers | None, mask_personal: bool, cancel: CancelToken | None,
               report: Progress) -> SanitizedHar:
    scrubber = Scrubber(markers, personal=mask_personal)
    walker = _Walker(scrubber, raw_params=(log.creator or "").startswith("Firefox"))
    entries = log.entries
    for index, entry in enumerate(entries):
        if not index & 255:
            _check(cancel)
            report(_LOADED + (_WALKED - _LOADED) * index / (len(entries) or 1))
        entries[index] = walker.entry(entry)
    walker.around(log.document)
    walker.bodies.check_inflated(bytes_finder(scrubber.removed))
    _check(cancel)
    output = _Output(log.document, entries)
    _recheck(output, scrubber)
    report(1.0)
    return SanitizedHar(output.chunks(), dict(scrubber.counts), len(entries))


class _Walker:
    def __init__(self, scrubber: Scrubber, *, raw_params: bool) -> None:
        self.scrubber = scrubber
        self.bodies = Bodies(scrubber)
        self.raw_params = raw_params  # Firefox records queryString and postData.params decoded

    def entry(self, entry: Any) -> Any:
        if not isinstance(entry, dict):
            return self.scrubber.json(entry)
        for key, value in entry.items():
            if key in ("request", "response") and isinstance(value, dict):
                self._message(value, request=key == "request")
            elif isinstance(value, (str, dict, list)):
                entry[key] = self.scrubber.json(value, key)
        return entry

    def around(self, document: dict[str, Any]) -> None:
        """Everything but the entries (pages' titles are URLs, comments are anyone's words), and
        the note saying what the markers are."""
        for key, value in document.items():
            if key != "log":
                document[key] = self.scrubber.json(value, key)
        log = document["log"]
        for key, value in log.items():
            if key != "entries":
                log[key] = self.scrubber.json(value, key)
        note = NOTE.format(version=__version__)
        log["comment"] = f"{log['comment']}\n{note}" if isinstance(log.get("comment"), str) and log["comment"] else note

    def _message(self, message: dict[str, Any], *, request: bool) -> None:
        scrubber = self.scrubber
        for key, value in message.items():
            if key in ("url", "redirectURL") and isinstance(value, str):
                message[key] = scrubber.text(value)
            elif key == "headers" and isinstance(value, list):
                self._headers(value)
            elif key == "cookies" and isinstance(value, list):
                for cookie in value:
                    if isinstance(cookie, dict):
                        cookie["value"] = scrubber.cookie_value(cookie.get("value"))
            elif key == "queryString" and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("value"), str):
                        item["value"] = self.bodies.param(item["name"], item["value"], self.raw_params)
            elif key == "postData" and request and isinstance(value, dict):
                self.bodies.post_data(value, self.raw_params)
                self._rest(value, ("params", "text"))
            elif key == "content" and not request and isinstance(value, dict):
                self.bodies.content(value, message.get("headers"))
                self._rest(value, ("text",))
            elif isinstance(value, (str, dict, list)):
                message[key] = scrubber.json(value, key)

    def _headers(self, items: list[Any]) -> None:
        scrubber = self.scrubber
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(
                    item.get("value"), str):
                continue
            name, value = item["name"].lower(), item["value"]
            if name == "cookie":
                item["value"] = scrubber.cookie_header(value)
            elif name == "set-cookie":
                item["value"] = scrubber.set_cookie_header(value)
            elif name in rules.CREDENTIAL_HEADERS:
                item["value"] = scrubber.credential(value, name)
            elif (kind := rules.header_kind(name)) is not None:
                item["value"] = scrubber.remove(name, value, kind)
            else:
                item["value"] = scrubber.text(value)

    def _rest(self, holder: dict[str, Any], done: tuple[str, ...]) -> None:
        for key, value in holder.items():
            if key not in done and isinstance(value, (str, dict, list)):
                holder[key] = self.scrubber.json(value, key)


class _Output:
    """The file as written: the document around the entries, and one line per entry."""

    def __init__(self, document: dict[str, Any], entries: list[Any]) -> None:
        self.document = document
        self.entries = entries
        self.lines = [_dump(entry) for entry in entries]
        self.frame()

    def frame(self) -> None:
        log = self.document["log"]
        placeholder = secrets.token_hex(16)
        log["entries"] = placeholder
        try:
            before, _, after = _dump(self.document).partition(f'"{placeholder}"'.encode("ascii"))
        finally:
            log["entries"] = self.entries
        self.head, self.tail = before + b"[\n", b"\n]" + after + b"\n"

    def chunks(self) -> tuple[bytes, ...]:
        parts = [self.head]
        for line in self.lines:
            parts += (line, b",\n")
        parts[-1 if self.lines else len(parts):] = [self.tail]
        return tuple(parts)

    def held(self, finder: Finder) -> tuple[set[str], set[int], bool]:
        """The removed values still in the file, the entries holding them, and whether the
        document around the entries does."""
        found: set[str] = set()
        dirty = set()
        for index, line in enumerate(self.lines):
            if values := finder.find(line):
                found |= values
                dirty.add(index)
        around = finder.find(self.head + self.tail)
        return found | around, dirty, bool(around)


def _recheck(output: _Output, scrubber: Scrubber) -> None:
    """Until no removed value is left in the file in any form (see the module's docstring): each
    form replaced where found, then any string still holding one replaced whole. A needle is
    JSON-escaped text or base64 characters, so it lies within one string (or key, or number),
    never across the structure: the second round leaves none."""
    finder = output_finder(scrubber.removed)
    if not finder:
        return
    for whole in (False, True):
        found, dirty, around = output.held(finder)
        if not found:
            return
        cleaner = Cleaner(found, scrubber, whole=whole)
        if around:
            log = output.document["log"]
            for key in [key for key in output.document if key != "log"]:
                output.document[key] = cleaner.value(output.document[key])
            for key in [key for key in log if key != "entries"]:
                log[key] = cleaner.value(log[key])
            output.frame()
        for index in dirty:
            output.entries[index] = cleaner.value(output.entries[index])
            output.lines[index] = _dump(output.entries[index])


def _dump(value: Any) -> bytes:
    """One JSON line, ASCII: anything else escaped (a control or bidi character a hostile page
    put in stays inert when the file is printed on a terminal, and a lone surrogate is valid)."""
    return json.dumps(value, check_circular=False).encode("ascii")


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.cancelled:
        raise FlowCancelledError("Sanitizing the HAR recording was cancelled.")


def _silent(fraction: float) -> None:
    """No progress reporting."""
