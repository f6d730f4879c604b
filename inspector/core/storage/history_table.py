"""The history's in-memory table and its byte layout (the plaintext inside the sealed file).

Entries are stored column by column — one newline-joined text section per summary field, packed
float arrays for times, and the tokens as one blob with their end offsets — so opening 10,000
entries costs a handful of C-speed splits rather than 10,000 parsed records, and a list view only
builds the rows it shows. Summary fields are display text: control characters (which would also
let a hostile token drive the terminal) are replaced, so newlines can separate values. Tokens are
kept byte for byte. A table is immutable; changes return a new table, so views stay consistent.
"""

from __future__ import annotations

import json
import math
import struct
import sys
from array import array
from dataclasses import dataclass
from typing import Iterable, Sequence

from inspector.core.errors import StorageError

TEXT_COLUMNS = ("ids", "kinds", "sources", "profiles", "issuers", "subjects", "audiences")
FLOAT_COLUMNS = ("times", "expiries")
#: Search field name -> column.
SEARCH_FIELDS = {
    "id": "ids", "kind": "kinds", "source": "sources", "flow": "sources", "profile": "profiles",
    "iss": "issuers", "sub": "subjects", "aud": "audiences",
}  # fmt: skip
AUDIENCE_SEPARATOR = "\x1e"
SUMMARY_LIMIT = 512
_LENGTH = struct.Struct(">I")
_CONTROL = dict.fromkeys([*range(0x20), 0x7F, *range(0x80, 0xA0)], "\ufffd")


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One saved token's summary (the token itself: ``HistoryStore.token(id)``)."""

    id: str
    time: float
    kind: str
    source: str
    profile: str
    issuer: str
    subject: str
    audience: tuple[str, ...]
    expires: float | None

    @property
    def source_label(self) -> str:
        return f"{self.profile} · {self.source}" if self.profile else self.source

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "time": self.time, "kind": self.kind, "source": self.source,
            "profile": self.profile or None, "iss": self.issuer or None, "sub": self.subject or None,
            "aud": list(self.audience), "exp": self.expires,
        }  # fmt: skip


def display_text(value: object) -> str:
    """A summary field as safe, single-line, bounded display text."""
    text = "" if value is None else str(value)
    return text.translate(_CONTROL)[:SUMMARY_LIMIT]


class HistoryTable:
    """All entries, oldest first, plus the retention limit."""

    def __init__(self, columns: dict[str, list[str]], floats: dict[str, array], token_ends: array,
                 tokens: bytes, max_entries: int) -> None:  # fmt: skip
        self.columns = columns
        self.floats = floats
        self.token_ends = token_ends
        self.tokens = tokens
        self.max_entries = max_entries
        self._positions: dict[str, int] | None = None
        self._lowered: dict[str, list[str]] = {}

    @classmethod
    def empty(cls, max_entries: int) -> HistoryTable:
        return cls({n: [] for n in TEXT_COLUMNS}, {n: array("d") for n in FLOAT_COLUMNS}, array("Q"), b"", max_entries)

    def __len__(self) -> int:
        return len(self.token_ends)

    def entry(self, row: int) -> HistoryEntry:
        c = self.columns
        expires = self.floats["expiries"][row]
        audience = c["audiences"][row]
        return HistoryEntry(
            c["ids"][row], self.floats["times"][row], c["kinds"][row], c["sources"][row],
            c["profiles"][row], c["issuers"][row], c["subjects"][row],
            tuple(audience.split(AUDIENCE_SEPARATOR)) if audience else (),
            None if math.isnan(expires) else expires,
        )  # fmt: skip

    def token(self, row: int) -> str:
        start = self.token_ends[row - 1] if row else 0
        return self.tokens[start : self.token_ends[row]].decode("utf-8")

    def position(self, entry_id: str) -> int | None:
        if self._positions is None:
            self._positions = dict(zip(self.columns["ids"], range(len(self))))
        return self._positions.get(entry_id)

    def lowered(self, column: str) -> list[str]:
        """A column in lower case, computed once per table for searching."""
        if column not in self._lowered:
            self._lowered[column] = [value.lower() for value in self.columns[column]]
        return self._lowered[column]

    def appended(self, added: Sequence[tuple[HistoryEntry, str]]) -> HistoryTable:
        """A new table with ``(entry, token)`` pairs added, trimmed to the retention limit."""
        columns = {name: list(self.columns[name]) for name in TEXT_COLUMNS}
        floats = {name: array("d", self.floats[name]) for name in FLOAT_COLUMNS}
        ends, pieces, total = array("Q", self.token_ends), [self.tokens], len(self.tokens)
        for entry, token in added:
            for name, value in zip(TEXT_COLUMNS[:-1], (entry.id, entry.kind, entry.source, entry.profile,
                                                       entry.issuer, entry.subject)):  # fmt: skip
                columns[name].append(display_text(value))
            columns["audiences"].append(AUDIENCE_SEPARATOR.join(display_text(aud) for aud in entry.audience))
            floats["times"].append(entry.time)
            floats["expiries"].append(math.nan if entry.expires is None else entry.expires)
            encoded = token.encode("utf-8")
            pieces.append(encoded)
            total += len(encoded)
            ends.append(total)
        table = HistoryTable(columns, floats, ends, b"".join(pieces), self.max_entries)
        return table.with_limit(self.max_entries)

    def kept(self, rows: Iterable[int]) -> HistoryTable:
        """A new table holding only ``rows`` (in the given order)."""
        rows = list(rows)
        columns = {name: [self.columns[name][r] for r in rows] for name in TEXT_COLUMNS}
        floats = {name: array("d", (self.floats[name][r] for r in rows)) for name in FLOAT_COLUMNS}
        pieces = [self.tokens[(self.token_ends[r - 1] if r else 0) : self.token_ends[r]] for r in rows]
        ends, total = array("Q"), 0
        for piece in pieces:
            total += len(piece)
            ends.append(total)
        return HistoryTable(columns, floats, ends, b"".join(pieces), self.max_entries)

    def with_limit(self, max_entries: int) -> HistoryTable:
        table = HistoryTable(self.columns, self.floats, self.token_ends, self.tokens, max_entries)
        return table.kept(range(len(self) - max_entries, len(self))) if len(self) > max_entries else table

    def encode(self) -> bytes:
        sections = [("\n".join(self.columns[name]).encode("utf-8"), name) for name in TEXT_COLUMNS]
        sections += [(_packed(self.floats[name]), name) for name in FLOAT_COLUMNS]
        sections += [(_packed(self.token_ends), "token_ends"), (self.tokens, "tokens")]
        header = json.dumps(
            {"count": len(self), "max_entries": self.max_entries, "sections": [[n, len(d)] for d, n in sections]}
        ).encode("utf-8")
        return b"".join([_LENGTH.pack(len(header)), header, *(data for data, _name in sections)])

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
        columns = {name: _split(sections[name], count) for name in TEXT_COLUMNS}
        floats = {name: _unpacked("d", sections[name], count) for name in FLOAT_COLUMNS}
        ends, tokens = _unpacked("Q", sections["token_ends"], count), bytes(sections["tokens"])
        if count and ends[-1] != len(tokens):
            raise ValueError("token offsets do not match the token data")
        return cls(columns, floats, ends, tokens, int(header["max_entries"]))


def _split(section: memoryview, count: int) -> list[str]:
    values = str(section, "utf-8").split("\n") if count else []
    if len(values) != count:
        raise ValueError(f"a column holds {len(values)} values for {count} entries")
    return values


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
    rows: Iterable[int] = range(len(table))
    for field, needle in terms:
        names = [SEARCH_FIELDS[field]] if field else sorted(set(SEARCH_FIELDS.values()))
        lowered = [table.lowered(name) for name in names]
        rows = [r for r in rows if any(needle in column[r] for column in lowered)]
    return list(rows)
