"""The token history: every saved token and flow record, encrypted at rest, searchable, bounded
in size (the retention limit counts both).

The file is one sealed blob (see :mod:`sealed`) holding a summary table and the tokens (see
:mod:`history_table`). Each change rewrites it atomically under an inter-process lock, after
re-reading it if another process changed it since (the nonce in the file's preamble tells, for
the price of reading 37 bytes). The data key is fetched from the keyring once per store (keyring
calls may go over D-Bus) and created on the first write; :meth:`HistoryStore.clear` deletes the
file and the key, so copies of the old file become unreadable.

Reading an absent history needs no keyring; everything else raises KeyringUnavailableError when
the keyring cannot be used, and StorageError for a file that is damaged, newer, or keyed
differently — such a file is never overwritten except by an explicit ``clear``. A file older than
the last one written (a copy put back) is refused too (:mod:`rollback`) until
:meth:`HistoryStore.accept_older_file` accepts it.
"""

from __future__ import annotations

import base64
import binascii
import logging
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence, overload

from inspector.core.errors import StorageError
from inspector.core.storage import sealed
from inspector.core.storage.atomic import remove_stale_temporaries, write_atomic
from inspector.core.storage.filelock import locked
from inspector.core.storage.history_table import (
    SEARCH_FIELDS, HistoryEntry, HistoryTable, rows_matching, token_payload,
)
from inspector.core.storage.rollback import GenerationRecord, rolled_back_error
from inspector.core.storage.summary import FLOW_KIND, SHORT_KINDS, response_expiry, summarize
from inspector.core.storage.vault import Vault

if TYPE_CHECKING:
    from inspector.core.flows.record import FlowRecord

__all__ = ["DEFAULT_MAX_ENTRIES", "HistoryEntry", "HistoryStore", "HistoryView", "NewToken", "parse_search",
           "response_token_values", "response_tokens"]

log = logging.getLogger(__name__)

DEFAULT_MAX_ENTRIES = 1000
MAX_ENTRIES_LIMIT = 100_000
KEY_NAME = "history-key"
#: The token response members DPoP binds (RFC 9449 §5: the access token; a public client's
#: refresh token too), kept with the flow's DPoP key.
BOUND_TOKENS = ("access_token", "refresh_token")


@dataclass(frozen=True)
class NewToken:
    """A token to record: ``source`` is the flow's name, or "pasted". ``expires`` is an expiry
    known from outside the token (a token response's ``expires_in``); its own ``exp`` wins."""

    token: str
    kind: str | None = None
    source: str = "pasted"
    profile: str = ""
    expires: float | None = None
    #: The private DPoP key (a JWK) the token is bound to, kept beside it, encrypted like it.
    dpop_key: str | None = field(default=None, repr=False)


def response_token_values(response: Mapping[str, Any]) -> dict[str, str]:
    """The tokens of one token endpoint response by member (``access_token``, ``id_token``,
    ``refresh_token``): what the history records, and what a front end offers for the next grant."""
    return {name: value for name in SHORT_KINDS if isinstance(value := response.get(name), str) and value}


def response_tokens(response: Mapping[str, Any], *, flow: str, profile: str, received_at: float,
                    dpop_key: str | None = None) -> list[NewToken]:  # fmt: skip
    """The tokens of one token endpoint response (RFC 6749 §5.1, OIDC Core §3.1.3.3); the access
    token expires ``expires_in`` seconds after ``received_at``. ``dpop_key`` (the private JWK the
    flow proved possession with) is kept with the access and refresh tokens when the response
    says they are bound (``token_type: DPoP``, RFC 9449 §5): without it they cannot be used."""
    expires = {"access_token": response_expiry(response, received_at)}
    token_type = response.get("token_type")
    bound = dpop_key if isinstance(token_type, str) and token_type.lower() == "dpop" else None
    return [NewToken(value, SHORT_KINDS[name], flow, profile, expires.get(name),
                     bound if name in BOUND_TOKENS else None)
            for name, value in response_token_values(response).items()]


class HistoryView(Sequence[HistoryEntry]):
    """Entries of one table snapshot, newest first; rows are built only when read."""

    def __init__(self, table: HistoryTable, rows: Sequence[int]) -> None:
        self._table = table
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[HistoryEntry]:
        return map(self._table.entry, self._rows)

    @overload
    def __getitem__(self, index: int) -> HistoryEntry: ...
    @overload
    def __getitem__(self, index: slice) -> HistoryView: ...
    def __getitem__(self, index: int | slice) -> HistoryEntry | HistoryView:
        if isinstance(index, slice):
            return HistoryView(self._table, self._rows[index])
        return self._table.entry(self._rows[index])


def parse_search(text: str) -> list[tuple[str | None, str]]:
    """``"iss:example kind:id alice"`` -> terms; every term must match (case-insensitive)."""
    terms: list[tuple[str | None, str]] = []
    for word in text.split():
        field, sep, needle = word.partition(":")
        if sep and field.lower() in SEARCH_FIELDS and needle:
            terms.append((field.lower(), needle.lower()))
        else:
            terms.append((None, word.lower()))
    return terms


class HistoryStore:
    def __init__(self, path: Path, vault: Vault, *, max_entries: int = DEFAULT_MAX_ENTRIES,
                 clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.path = Path(path)
        self.vault = vault
        self._default_max = _checked_limit(max_entries)
        self._clock = clock
        self._key: bytes | None = None
        self._preamble: bytes | None = None
        self._table: HistoryTable | None = None
        self._generations = GenerationRecord(vault)
        #: (key id, generation) of the file as this store last read or wrote it.
        self._seen: tuple[bytes, int] | None = None

    # -- reading ---------------------------------------------------------------------------------
    def entries(self) -> HistoryView:
        table = self._current()
        return HistoryView(table, range(len(table) - 1, -1, -1))

    def search(self, text: str, *, kind: str | None = None) -> HistoryView:
        """Entries matching ``text`` (see :func:`parse_search`), newest first; only those of
        ``kind`` exactly (e.g. "flow") when given."""
        table = self._current()
        rows = rows_matching(table, parse_search(text))
        if kind is not None:
            rows = [row for row in rows if table.kind(row) == kind]
        return HistoryView(table, rows[::-1])

    def get(self, entry_id: str) -> HistoryEntry:
        """The entry with this id, or a unique id prefix of at least 4 characters."""
        table = self._current()
        return table.entry(self._row(table, entry_id))

    def token(self, entry_id: str) -> str:
        table = self._current()
        row = self._row(table, entry_id)
        if table.kind(row) == FLOW_KIND:
            raise StorageError(f"History entry {table.entry_id(row)} is a saved flow, not a token.",
                               code="history_entry_is_flow",
                               hint=f"`token-inspector history show {table.entry_id(row)}` shows it.")  # fmt: skip
        return table.token(row)

    def dpop_key(self, entry_id: str) -> str | None:
        """The private DPoP key (a JWK, as :meth:`DpopKey.from_private_jwk` reads it) kept with a
        DPoP-bound token, so a later request can prove possession (``call --from-history ID
        --dpop``); None when the token was not bound. Never part of what :meth:`token` returns nor
        of any listing, export or report."""
        table = self._current()
        row = self._row(table, entry_id)
        return None if table.kind(row) == FLOW_KIND else table.dpop_key(row)

    def flow_record(self, entry_id: str) -> FlowRecord:
        """The stored record of a saved flow (see :mod:`inspector.core.flows.record`)."""
        from inspector.core.flows.record import FlowRecord

        table = self._current()
        row = self._row(table, entry_id)
        if table.kind(row) != FLOW_KIND:
            raise StorageError(f"History entry {table.entry_id(row)} is a token, not a saved flow.",
                               code="history_entry_is_token")  # fmt: skip
        return FlowRecord.decode(table.payload(row), f"The saved flow {table.entry_id(row)}")

    @property
    def max_entries(self) -> int:
        return self._current().max_entries

    # -- changing --------------------------------------------------------------------------------
    def add(self, token: str, *, kind: str | None = None, source: str = "pasted", profile: str = "") -> HistoryEntry:
        if not token.strip():
            raise StorageError("There is no token to save: the text is empty.")
        return self.add_many([NewToken(token, kind, source, profile)])[0]

    def add_many(self, tokens: Iterable[NewToken]) -> list[HistoryEntry]:
        """Record several tokens (e.g. one token response) in a single write."""
        items = [item for item in tokens if item.token.strip()]
        if not items:
            return []
        added: list[HistoryEntry] = []

        def change(table: HistoryTable) -> HistoryTable:
            ids: set[str] = set()
            pairs: list[tuple[HistoryEntry, str]] = []
            for item in items:
                summary = summarize(item.token, item.kind, item.expires)
                entry = HistoryEntry(
                    _new_id(table, ids), self._clock(), summary.kind, item.source, item.profile,
                    summary.issuer, summary.subject, summary.audience, summary.expires,
                )  # fmt: skip
                pairs.append((entry, token_payload(item.token, item.dpop_key)))
            new = table.appended(pairs)
            first = len(new) - min(len(pairs), len(new))
            added.extend(new.entry(row) for row in range(first, len(new)))
            return new

        self._change(change)
        return added

    def add_flow(self, record: FlowRecord) -> HistoryEntry:
        """Record a flow that ended (its record is already redacted and bounded): listed with the
        tokens, searchable by grant, issuer, subject, profile and status."""
        payload = record.encode()
        added: list[HistoryEntry] = []

        def change(table: HistoryTable) -> HistoryTable:
            entry = HistoryEntry(_new_id(table, set()), self._clock(), FLOW_KIND, record.grant, record.profile,
                                 record.issuer, record.subject, (), None, record.status)  # fmt: skip
            new = table.appended([(entry, payload)])
            added.append(new.entry(len(new) - 1))
            return new

        self._change(change)
        log.info("saved a %s flow record (%d bytes)", record.grant, len(payload))
        return added[0]

    def add_token_response(self, response: Mapping[str, Any], *, flow: str, profile: str = "",
                           received_at: float | None = None, dpop_key: str | None = None) -> list[HistoryEntry]:
        """Record the tokens of one token endpoint response, received at ``received_at`` (default:
        now), with the access token's expiry from ``expires_in`` and, for bound tokens, the flow's
        ``dpop_key`` (see :func:`response_tokens`)."""
        received = self._clock() if received_at is None else received_at
        return self.add_many(response_tokens(response, flow=flow, profile=profile, received_at=received,
                                             dpop_key=dpop_key))

    def delete(self, entry_id: str) -> HistoryEntry:
        removed: list[HistoryEntry] = []

        def change(table: HistoryTable) -> HistoryTable:
            row = self._row(table, entry_id)
            removed.append(table.entry(row))
            return table.kept(r for r in range(len(table)) if r != row)

        self._change(change)
        return removed[0]

    def set_max_entries(self, limit: int) -> None:
        """Change the retention limit; the oldest entries beyond it are deleted now."""
        limit = _checked_limit(limit)
        self._change(lambda table: table.with_limit(limit))

    def clear(self) -> None:
        """Delete every entry and the data key (works on a damaged or foreign-keyed file too)."""
        with locked(self.path):
            remove_stale_temporaries(self.path)
            limit = self._readable_limit()
            try:  # first: if the file cannot go, the key it needs stays
                self.path.unlink(missing_ok=True)
            except OSError as exc:
                raise StorageError(f"Cannot remove {self.path}: {exc.strerror or exc}.",
                                   hint="Remove or rename it yourself, then try again.") from exc
            self.vault.delete(KEY_NAME)
            self._generations.forget()
            self._key = None
            self._preamble = self._table = self._seen = None
            self._write(HistoryTable.empty(limit))
        log.info("history cleared")

    def accept_older_file(self) -> int:
        """Make the file on disk the current history although it is older than the last one written
        (the user put a backup back on purpose); returns how many entries it holds.

        It is rewritten as the newest generation, so the newer file it replaced, or any other old
        copy, is refused in turn if it comes back.
        """
        with locked(self.path):
            remove_stale_temporaries(self.path)
            try:
                blob = self.path.read_bytes()
            except FileNotFoundError:
                raise StorageError(f"There is no history file at {self.path} to accept.") from None
            except OSError as exc:
                raise StorageError(f"Cannot read {self.path}: {exc.strerror or exc}.") from exc
            header, table = self._unsealed(blob)
            newest = max(header.generation, self._generations.last_written(header.key_id),
                         self._seen[1] if self._seen is not None and self._seen[0] == header.key_id else 0)
            self._seen = (header.key_id, newest)
            self._write(table)
        log.info("accepted an older history file (generation %d)", header.generation)
        return len(table)

    # -- internals -------------------------------------------------------------------------------
    def _change(self, change: Callable[[HistoryTable], HistoryTable]) -> None:
        with locked(self.path):
            remove_stale_temporaries(self.path)
            self._write(change(self._current()))

    def _write(self, table: HistoryTable) -> None:
        key = self._data_key(create=True)
        kid = sealed.key_id(key)
        seen = self._seen
        generation = 1 + (seen[1] if seen is not None and seen[0] == kid else self._generations.last_written(kid))
        blob = sealed.seal(key, table.encode(), generation)
        write_atomic(self.path, blob)
        self._preamble, self._table, self._seen = blob[: sealed.PREAMBLE_BYTES], table, (kid, generation)
        self._generations.record(kid, generation)

    def _current(self) -> HistoryTable:
        """The table as on disk now, re-read only if the file changed since we last saw it."""
        try:
            with self.path.open("rb") as handle:
                preamble = handle.read(sealed.PREAMBLE_BYTES)
                if preamble == self._preamble and self._table is not None:
                    return self._table
                handle.seek(0)
                blob = handle.read()
        except FileNotFoundError:
            self._preamble, self._table = None, HistoryTable.empty(self._default_max)
            return self._table
        except OSError as exc:
            raise StorageError(f"Cannot read {self.path}: {exc.strerror or exc}.") from exc
        header, table = self._unsealed(blob)
        self._check_not_rolled_back(header)
        self._preamble, self._table, self._seen = preamble, table, (header.key_id, header.generation)
        return table

    def _unsealed(self, blob: bytes) -> tuple[sealed.Header, HistoryTable]:
        where = f"The history file {self.path}"
        header = sealed.read_header(blob, where)
        key = self._data_key(create=False, expected=header.key_id)
        return header, HistoryTable.decode(sealed.unseal(key, blob, where), where)

    def _check_not_rolled_back(self, header: sealed.Header) -> None:
        """Refuse a file older than the newest this store or the keyring knows of (same key)."""
        seen = self._seen[1] if self._seen is not None and self._seen[0] == header.key_id else 0
        expected = max(seen, self._generations.last_written(header.key_id))
        if header.generation < expected:
            raise rolled_back_error(self.path, header.generation, expected)

    def _data_key(self, *, create: bool, expected: bytes | None = None) -> bytes:
        if self._key is not None and (expected is None or sealed.key_id(self._key) == expected):
            return self._key
        stored = self.vault.get(KEY_NAME)
        if stored is None:
            if not create:
                raise StorageError(
                    f"The history file {self.path} exists but its key is missing from the keyring "
                    "(was the keyring reset, or is this another user's file?).",
                    hint="The history cannot be read without it; `token-inspector history clear` starts a new one.",
                )
            key = sealed.new_key()
            self.vault.set(KEY_NAME, base64.b64encode(key).decode("ascii"))
            log.info("created a new history key in the keyring")
        else:
            try:
                key = base64.b64decode(stored, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise StorageError("The history key in the keyring is not valid base64.") from exc
            if len(key) != sealed.KEY_BYTES:
                raise StorageError("The history key in the keyring has the wrong length.")
        self._key = key
        return key

    def _readable_limit(self) -> int:
        try:
            return self._current().max_entries
        except StorageError:
            return self._default_max

    @staticmethod
    def _row(table: HistoryTable, entry_id: str) -> int:
        entry_id = entry_id.strip().lower()
        row = table.position(entry_id)
        if row is not None:
            return row
        if len(entry_id) >= 4:
            rows = table.rows_with_id_prefix(entry_id)
            if len(rows) == 1:
                return rows[0]
            if rows:
                raise StorageError(f"{len(rows)} history entries start with {entry_id!r}; give more of the id.")
        raise StorageError(
            f"No history entry has the id {entry_id!r}.",
            code="history_entry_not_found",
            hint="`token-inspector history list` shows the ids.",
        )


def _new_id(table: HistoryTable, taken: set[str]) -> str:
    while True:
        candidate = secrets.token_hex(6)
        if table.position(candidate) is None and candidate not in taken:
            taken.add(candidate)
            return candidate


def _checked_limit(limit: int) -> int:
    if not 1 <= int(limit) <= MAX_ENTRIES_LIMIT:
        raise StorageError(f"The history size must be between 1 and {MAX_ENTRIES_LIMIT:,} entries, not {limit}.")
    return int(limit)
