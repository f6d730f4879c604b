"""The history's in-memory table and its byte layout (the plaintext inside the sealed file).

Summaries are stored as one line per entry — fields separated by U+001F, audiences by U+001E —
with the lines' end offsets, beside packed float arrays (time, exp) and the payloads as one blob
with their end offsets. Opening 10,000 entries therefore parses nothing per entry: a row object
is built only when a view reads it, and a search scans one lower-cased string. Summary fields are
display text: control characters (which would also let a hostile token drive a terminal) are
replaced, so they can never collide with the separators. A token's payload is the token byte for
byte; a flow's is its stored record (:mod:`inspector.core.flows.record`).
A table is immutable: changes return a new table, so views over the old one stay consistent.

The header names the summary fields. Tables written before flows were kept (no ``fields``: the
first seven, without ``status``) are read by giving every line an empty status.
"""

from __future__ import annotations

import json
import math
import struct
import sys
from array import array
from bisect import bisect_right
from itertools import accumulate
from typing import Iterable, NamedTuple, Sequence

from inspector.core.errors import StorageError
from inspector.core.storage.summary import FLOW_KIND

#: The fields of a summary line, in order; ``status`` is a flow's outcome (empty for a token).
FIELDS = ("id", "kind", "source", "profile", "iss", "sub", "aud", "status")
#: The fields of tables written before flows were kept.
LEGACY_FIELDS = FIELDS[:7]
#: Search field name -> position in the summary line ("flow" and "grant" are other names for the
#: source: a flow's tokens and a flow record are both saved under the grant's name).
SEARCH_FIELDS = {name: index for index, name in enumerate(FIELDS)} | {"flow": 2, "grant": 2}
FIELD_SEPARATOR, AUDIENCE_SEPARATOR = "\x1f", "\x1e"
SUMMARY_LIMIT = 512
_LENGTH = struct.Struct(">I")
#: Starts the payload of a token kept with its DPoP key (a NUL: no token's text starts with one).
BOUND_MARK = b"\x00dpop\x00"


class HistoryEntry(NamedTuple):
    """One saved token's or flow's summary (the token itself: ``HistoryStore.token(id)``; a flow's
    record: ``HistoryStore.flow_record(id)``).

    A named tuple rather than a frozen dataclass: listing builds many of these, and a tuple is
    several times cheaper to create.
    """

    id: str
    time: float
    kind: str
    source: str
    profile: str
    issuer: str
    subject: str
    audience: tuple[str, ...]
    expires: float | None
    #: A flow's outcome ("ok", "error", "cancelled"); empty for a token.
    status: str = ""

    @property
    def is_flow(self) -> bool:
        return self.kind == FLOW_KIND

    @property
    def source_label(self) -> str:
        return f"{self.profile} · {self.source}" if self.profile else self.source

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "time": self.time, "kind": self.kind, "source": self.source,
            "profile": self.profile or None, "iss": self.issuer or None, "sub": self.subject or None,
            "aud": list(self.audience), "exp": self.expires, "status": self.status or None,
        }  # fmt: skip


def display_text(value: object) -> str:
    """A summary field as safe, single-line, bounded display text.

    Control and format characters (ANSI escapes, bidi overrides) become U+FFFD, so a hostile
    claim can neither drive a terminal nor reorder what is shown, nor collide with separators.
    """
    text = ("" if value is None else str(value))[:SUMMARY_LIMIT]
    return text if text.isprintable() else "".join(c if c.isprintable() else "\ufffd" for c in text)


def token_payload(token: str, dpop_key: str | None = None) -> bytes:
    """A token's payload: the token byte for byte, or, with the private DPoP key it is bound to
    (RFC 9449: the token is useless without it), both under :data:`BOUND_MARK`. A token that
    itself begins with the mark (no real token does) is wrapped too, so reading is unambiguous."""
    encoded = token.encode("utf-8")
    if dpop_key is None and not encoded.startswith(BOUND_MARK):
        return encoded
    return BOUND_MARK + json.dumps({"token": token, "dpop_key": dpop_key}).encode("utf-8")


def split_payload(payload: bytes) -> tuple[str, str | None]:
    """``(token, dpop_key or None)`` of a token's payload (see :func:`token_payload`)."""
    if not payload.startswith(BOUND_MARK):
        return str(payload, "utf-8"), None
    try:
        data = json.loads(payload[len(BOUND_MARK):])
        token, key = data["token"], data["dpop_key"]
    except (ValueError, KeyError, TypeError) as exc:
        raise StorageError("A saved token's entry is damaged (its DPoP key cannot be read).") from exc
    if not isinstance(token, str) or not (key is None or isinstance(key, str)):
        raise StorageError("A saved token's entry is damaged (its DPoP key cannot be read).")
    return token, key


def summary_line(entry: HistoryEntry) -> str:
    audience = AUDIENCE_SEPARATOR.join(display_text(aud) for aud in entry.audience)
    fields = (entry.id, entry.kind, entry.source, entry.profile, entry.issuer, entry.subject)
    return FIELD_SEPARATOR.join([*(display_text(value) for value in fields), audience, display_text(entry.status)])


class HistoryTable:
    """All entries, oldest first, plus the retention limit.

    ``text`` holds every summary line, each ended by a newline; ``line_ends`` are the offsets
    (in code points) just past each newline, so a row is one slice away and opening needs no split.
    """

    def __init__(self, text: str, line_ends: array, times: array, expiries: array, token_ends: array,
                 tokens: bytes | memoryview, max_entries: int) -> None:  # fmt: skip
        self.text = text
        self.line_ends = line_ends
        self.times = times
        self.expiries = expiries
        self.token_ends = token_ends
        self.tokens = tokens
        self.max_entries = max_entries
        self._positions: dict[str, int] | None = None
        self._search: tuple[str, array] | None = None

    @classmethod
    def empty(cls, max_entries: int) -> HistoryTable:
        return cls("", array("Q"), array("d"), array("d"), array("Q"), b"", max_entries)

    def __len__(self) -> int:
        return len(self.line_ends)

    def line(self, row: int) -> str:
        start = self.line_ends[row - 1] if row else 0
        return self.text[start : self.line_ends[row] - 1]

    def entry(self, row: int) -> HistoryEntry:
        entry_id, kind, source, profile, issuer, subject, audience, status = self.line(row).split(FIELD_SEPARATOR)
        expires = self.expiries[row]
        return HistoryEntry(
            entry_id, self.times[row], kind, source, profile, issuer, subject,
            tuple(audience.split(AUDIENCE_SEPARATOR)) if audience else (),
            None if math.isnan(expires) else expires, status,
        )  # fmt: skip

    def payload(self, row: int) -> bytes:
        start = self.token_ends[row - 1] if row else 0
        return bytes(self.tokens[start : self.token_ends[row]])

    def token(self, row: int) -> str:
        return split_payload(self.payload(row))[0]

    def dpop_key(self, row: int) -> str | None:
        """The private DPoP key kept with a bound token (None: none was kept)."""
        return split_payload(self.payload(row))[1]

    def kind(self, row: int) -> str:
        return self.line(row).split(FIELD_SEPARATOR, 2)[1]

    def entry_id(self, row: int) -> str:
        return self.line(row).partition(FIELD_SEPARATOR)[0]

    def position(self, entry_id: str) -> int | None:
        if self._positions is None:
            self._positions = {self.entry_id(row): row for row in range(len(self))}
        return self._positions.get(entry_id)

    def rows_with_id_prefix(self, prefix: str) -> list[int]:
        return [row for row in range(len(self)) if self.entry_id(row).startswith(prefix)]

    def rows_containing(self, needle: str, field: int | None = None) -> list[int]:
        """Rows containing the lower-case ``needle`` (in summary field number ``field``, or any).

        All lines are searched as one lower-cased string built once per table: the cost is a
        C-speed scan plus a step per match, not a Python loop over every row. Needles never hold
        a newline or a separator (they are whitespace-split words; the separators are whitespace).
        """
        text, ends = self._search_text()
        rows, position = [], text.find(needle)
        while position != -1:
            row = bisect_right(ends, position)
            start = ends[row - 1] if row else 0
            if field is None or text.count(FIELD_SEPARATOR, start, position) == field:
                rows.append(row)
                position = text.find(needle, ends[row])
            else:
                position = text.find(needle, position + 1)
        return rows

    def _search_text(self) -> tuple[str, array]:
        if self._search is None:
            if self.text.isascii():  # lower() keeps every offset
                self._search = (self.text.lower(), self.line_ends)
            else:  # a few characters change length when lowered ("İ"): rebuild the offsets
                lines = [self.line(row).lower() + "\n" for row in range(len(self))]
                self._search = ("".join(lines), array("Q", accumulate(map(len, lines))))
        return self._search

    def appended(self, added: Sequence[tuple[HistoryEntry, str | bytes]]) -> HistoryTable:
        """A new table with ``(entry, token or payload)`` pairs added, trimmed to the retention limit."""
        line_ends, times, expiries = array("Q", self.line_ends), array("d", self.times), array("d", self.expiries)
        lines, length = [self.text], len(self.text)
        ends, pieces, total = array("Q", self.token_ends), [self.tokens], len(self.tokens)
        for entry, token in added:
            line = summary_line(entry) + "\n"
            lines.append(line)
            length += len(line)
            line_ends.append(length)
            times.append(entry.time)
            expiries.append(math.nan if entry.expires is None else entry.expires)
            encoded = token.encode("utf-8") if isinstance(token, str) else token
            pieces.append(encoded)
            total += len(encoded)
            ends.append(total)
        table = HistoryTable("".join(lines), line_ends, times, expiries, ends, b"".join(pieces), self.max_entries)
        return table.with_limit(self.max_entries)

    def kept(self, rows: Iterable[int]) -> HistoryTable:
        """A new table holding only ``rows`` (in the given order)."""
        rows = list(rows)
        lines = [self.line(r) + "\n" for r in rows]
        pieces = [self.tokens[(self.token_ends[r - 1] if r else 0) : self.token_ends[r]] for r in rows]
        return HistoryTable(
            "".join(lines), array("Q", accumulate(map(len, lines))), array("d", (self.times[r] for r in rows)),
            array("d", (self.expiries[r] for r in rows)), array("Q", accumulate(map(len, pieces))),
            b"".join(pieces), self.max_entries,
        )  # fmt: skip

    def with_limit(self, max_entries: int) -> HistoryTable:
        """This table under another retention limit, without its oldest entries beyond it."""
        table = HistoryTable(self.text, self.line_ends, self.times, self.expiries, self.token_ends, self.tokens,
                             max_entries)  # fmt: skip
        return table.kept(range(len(self) - max_entries, len(self))) if len(self) > max_entries else table

    def encode(self) -> bytes:
        sections = [
            ("lines", self.text.encode("utf-8")), ("line_ends", _packed(self.line_ends)),
            ("times", _packed(self.times)), ("expiries", _packed(self.expiries)),
            ("token_ends", _packed(self.token_ends)), ("tokens", self.tokens),
        ]  # fmt: skip
        header = {"count": len(self), "max_entries": self.max_entries, "fields": list(FIELDS),
                  "sections": [[n, len(d)] for n, d in sections]}
        encoded = json.dumps(header).encode("utf-8")
        return b"".join([_LENGTH.pack(len(encoded)), encoded, *(data for _name, data in sections)])

    @classmethod
    def decode(cls, plaintext: bytes, where: str) -> HistoryTable:
        try:
            return cls._decode(memoryview(plaintext))
        except (ValueError, KeyError, TypeError, struct.error) as exc:
            raise StorageError(
                f"{where} decrypted but its contents are malformed ({exc}).",
                hint="It was left untouched; `token-inspector history clear` starts a new history.",
            ) from exc

    @classmethod
    def _decode(cls, data: memoryview) -> HistoryTable:
        (header_length,) = _LENGTH.unpack_from(data)
        offset = _LENGTH.size + header_length
        header = json.loads(bytes(data[_LENGTH.size : offset]))
        count, sections = int(header["count"]), {}
        for name, length in header["sections"]:
            sections[name] = data[offset : offset + length]
            offset += length
        if offset != len(data):
            raise ValueError("section lengths do not add up")
        text, line_ends = str(sections["lines"], "utf-8"), _unpacked("Q", sections["line_ends"], count)
        if (line_ends[-1] if count else 0) != len(text):
            raise ValueError("line offsets do not match the summary text")
        fields = tuple(header.get("fields", LEGACY_FIELDS))
        if fields == LEGACY_FIELDS:
            text, line_ends = _with_empty_status(text, line_ends)
        elif fields != FIELDS:
            raise ValueError(f"unknown summary fields {', '.join(map(str, fields))}")
        token_ends, tokens = _unpacked("Q", sections["token_ends"], count), sections["tokens"]
        if (token_ends[-1] if count else 0) != len(tokens):
            raise ValueError("token offsets do not match the token data")
        times, expiries = _unpacked("d", sections["times"], count), _unpacked("d", sections["expiries"], count)
        return cls(text, line_ends, times, expiries, token_ends, tokens, int(header["max_entries"]))


def _with_empty_status(text: str, line_ends: array) -> tuple[str, array]:
    """Legacy lines with an empty ``status`` field added: one more separator before each newline
    (no field holds a newline), so the n-th line ends n + 1 characters later."""
    return text.replace("\n", FIELD_SEPARATOR + "\n"), array("Q", (end + row + 1 for row, end in enumerate(line_ends)))


def _packed(values: array) -> bytes:
    if sys.byteorder == "big":  # the file is little-endian everywhere
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _unpacked(typecode: str, section: memoryview, count: int) -> array:
    values = array(typecode)
    values.frombytes(section)
    if sys.byteorder == "big":
        values.byteswap()
    if len(values) != count:
        raise ValueError(f"a number column holds {len(values)} values for {count} entries")
    return values


def rows_matching(table: HistoryTable, terms: Sequence[tuple[str | None, str]]) -> list[int]:
    """Rows (oldest first) matching every ``(field or None, lowercase needle)`` term."""
    rows: set[int] | None = None
    for field, needle in terms:
        found = set(table.rows_containing(needle, SEARCH_FIELDS[field] if field else None))
        rows = found if rows is None else rows & found
    return sorted(range(len(table)) if rows is None else rows)
