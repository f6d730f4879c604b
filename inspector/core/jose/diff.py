"""Comparing two decoded tokens: for "this token works, that one does not".

Decode only, like :mod:`parse` (standard library, no crypto, no HTTP, no Qt): nothing is verified.
Every header parameter and claim of either token becomes one :class:`DiffEntry` — added (only in
B), removed (only in A), changed or same — with the registry's description; objects present on
both sides are compared member by member (``address.country``). NumericDates (RFC 7519 §2) are
also shown as dates, with the difference in plain words ("1 hour later"). Values are compared as
JSON text, so ``1`` and ``1.0`` or ``true`` and ``1`` differ, as they may to a library.

Signatures, ciphertexts and opaque tokens are never carried whole: only their first characters
and their length (:func:`inspector.core.redact.abbreviate`), and how two of them differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from inspector.core.errors import InspectorError
from inspector.core.jose.claims import TIME_CLAIMS, describe_claim, describe_header, is_numeric_date
from inspector.core.jose.parse import DecodedToken
from inspector.core.redact import abbreviate

__all__ = ["ChangeKind", "DiffEntry", "TokenDiff", "diff_tokens", "span_words"]

ChangeKind = Literal["added", "removed", "changed", "same"]
KINDS: tuple[ChangeKind, ...] = ("added", "removed", "changed", "same")
#: Objects nested deeper than this are compared whole: a hostile token cannot make the diff recurse.
MAX_DEPTH = 8
NOTE_ITEMS, NOTE_ITEM_CHARS = 5, 60
_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
_NOT_COMPARABLE = "not_comparable"


@dataclass(frozen=True, slots=True)
class DiffEntry:
    """One header parameter or claim (``path`` names nested members) in A and in B.

    ``old``/``new`` are the JSON values (None when absent: ``kind`` says which side has it);
    for a signature, ciphertext or opaque token they are abbreviations (``abbreviated``), shown
    as they are. ``old_date``/``new_date``
    render NumericDates; ``note`` says in words how the two differ (a time difference, list items
    added and removed, lengths).
    """

    part: str
    path: tuple[str, ...]
    kind: ChangeKind
    old: Any = None
    new: Any = None
    description: str = ""
    old_date: str | None = None
    new_date: str | None = None
    delta_seconds: float | None = None
    note: str = ""
    abbreviated: bool = False

    @property
    def name(self) -> str:
        return ".".join(self.path)

    @property
    def old_text(self) -> str:
        return self.old_date or ("" if self.kind == "added" else self._text(self.old))

    @property
    def new_text(self) -> str:
        return self.new_date or ("" if self.kind == "removed" else self._text(self.new))

    def _text(self, value: Any) -> str:
        return value if self.abbreviated else value_text(value)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"part": self.part, "claim": self.name, "path": list(self.path), "kind": self.kind}
        if self.kind != "added":
            data["old"] = self.old
        if self.kind != "removed":
            data["new"] = self.new
        for key in ("old_date", "new_date", "delta_seconds"):
            if (value := getattr(self, key)) is not None:
                data[key] = value
        if self.note:
            data["note"] = self.note
        if self.abbreviated:
            data["abbreviated"] = True
        if self.description:
            data["description"] = self.description
        return data


@dataclass(frozen=True)
class TokenDiff:
    """Every entry, header first, then payload, then signature; ``a``/``b`` sum each token up."""

    a: dict[str, Any]
    b: dict[str, Any]
    entries: list[DiffEntry] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return all(entry.kind == "same" for entry in self.entries)

    def counts(self) -> dict[str, int]:
        return {kind: sum(entry.kind == kind for entry in self.entries) for kind in KINDS}

    def to_json(self) -> dict[str, Any]:
        return {"identical": self.identical, "a": self.a, "b": self.b, "counts": self.counts(),
                "entries": [entry.to_json() for entry in self.entries]}


def value_text(value: Any) -> str:
    """A JSON value as one line of JSON text (strings quoted, as ``decode`` shows them)."""
    return json.dumps(value, ensure_ascii=False)


def span_words(seconds: float) -> str:
    """An exact span in words, every unit that is not zero: ``1 hour``, ``2 days 59 seconds``.
    Exact, because the difference a diff shows may be the reason one token works."""
    seconds = abs(seconds)
    if seconds < 1:
        return f"{seconds:g} seconds"
    parts, rest = [], int(seconds)
    for unit, size in _UNITS:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
    return " ".join(parts)


def diff_tokens(a: DecodedToken, b: DecodedToken) -> TokenDiff:
    """Compare two decoded tokens. Two opaque tokens are compared as strings; an opaque token and
    a JWT cannot be compared (InspectorError, code ``not_comparable``)."""
    if (a.format == "opaque") != (b.format == "opaque"):
        which = "A" if a.format == "opaque" else "B"
        raise InspectorError(
            f"Token {which} is opaque (not a JWT) and the other is a JWT: there is nothing to compare "
            "claim by claim.", code=_NOT_COMPARABLE,
            hint="Compare two JWTs, or two opaque tokens (those are compared by length and prefix).",
        )  # fmt: skip
    if a.format == "opaque":
        return TokenDiff(_outline(a), _outline(b), [_blob("token", "token", a.raw, b.raw)])
    entries = [_format_entry(a, b)]
    entries += _mapping_entries("header", a.header or {}, b.header or {}, ())
    entries += _payload_entries(a, b)
    if a.format == b.format == "jws":
        entries.append(_blob("signature", "signature", _segment(a, 2), _segment(b, 2)))
    return TokenDiff(_outline(a), _outline(b), entries)


def _outline(token: DecodedToken) -> dict[str, Any]:
    data: dict[str, Any] = {"format": token.format, "length": len(token.raw)}
    for name in ("alg", "enc", "kid", "typ"):
        value = (token.header or {}).get(name)
        if isinstance(value, str):
            data[name] = value
    return data


def _format_entry(a: DecodedToken, b: DecodedToken) -> DiffEntry:
    kind: ChangeKind = "same" if a.format == b.format else "changed"
    return DiffEntry("token", ("format",), kind, a.format, b.format, "JWS is a signed token, JWE an encrypted one.")


def _payload_entries(a: DecodedToken, b: DecodedToken) -> list[DiffEntry]:
    if a.claims is not None and b.claims is not None:
        return _mapping_entries("payload", a.claims, b.claims, ())
    if a.format == b.format == "jwe":
        return [_blob("payload", "ciphertext", _segment(a, 3), _segment(b, 3),
                      "encrypted: only the headers can be compared")]  # fmt: skip
    return [_blob("payload", "payload", _payload_text(a), _payload_text(b), "the claims of one token are not readable")]


def _mapping_entries(part: str, old: dict[str, Any], new: dict[str, Any], path: tuple[str, ...]) -> list[DiffEntry]:
    entries = []
    for name in [*old, *(name for name in new if name not in old)]:
        here = (*path, name)
        if name not in new:
            entries.append(_entry(part, here, "removed", old[name], None))
        elif name not in old:
            entries.append(_entry(part, here, "added", None, new[name]))
        elif _canonical(old[name]) == _canonical(new[name]):
            entries.append(_entry(part, here, "same", old[name], new[name]))
        elif isinstance(old[name], dict) and isinstance(new[name], dict) and len(here) < MAX_DEPTH:
            entries += _mapping_entries(part, old[name], new[name], here)
        else:
            entries.append(_entry(part, here, "changed", old[name], new[name]))
    return entries


def _entry(part: str, path: tuple[str, ...], kind: ChangeKind, old: Any, new: Any) -> DiffEntry:
    top = len(path) == 1
    description = _describe(part, path[0]) if top else ""
    if not (top and part == "payload" and path[0] in TIME_CLAIMS):
        return DiffEntry(part, path, kind, old, new, description, note=_list_note(kind, old, new))
    old_date = _date(old) if kind != "added" else None
    new_date = _date(new) if kind != "removed" else None
    delta, note = None, ""
    if kind == "changed" and is_numeric_date(old) and is_numeric_date(new):
        delta = new - old
        note = "the same moment" if delta == 0 else f"{span_words(delta)} {'later' if delta > 0 else 'earlier'}"
    return DiffEntry(part, path, kind, old, new, description, old_date, new_date, delta, note)


def _describe(part: str, name: str) -> str:
    if part == "header":
        return describe_header(name) or ""
    info = describe_claim(name)
    return info.description if info is not None else ""


def _date(value: Any) -> str | None:
    if not is_numeric_date(value):
        return None
    try:
        return datetime.fromtimestamp(value, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return None


def _list_note(kind: ChangeKind, old: Any, new: Any) -> str:
    """For a changed list (``aud``, ``amr``, roles): which items came and went."""
    if kind != "changed" or not isinstance(old, list) or not isinstance(new, list):
        return ""
    before, after = dict.fromkeys(_canonical(item) for item in old), dict.fromkeys(_canonical(item) for item in new)
    added = [text for text in after if text not in before]
    removed = [text for text in before if text not in after]
    words = [f"added {_items(added)}" if added else "", f"removed {_items(removed)}" if removed else ""]
    return "; ".join(word for word in words if word) or "the same items in another order or number"


def _items(texts: list[str]) -> str:
    """At most :data:`NOTE_ITEMS` items, each cut at :data:`NOTE_ITEM_CHARS`: a note stays one short line."""
    shown = [text if len(text) <= NOTE_ITEM_CHARS else f"{text[:NOTE_ITEM_CHARS]}…" for text in texts[:NOTE_ITEMS]]
    more = len(texts) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _blob(part: str, name: str, old: str, new: str, note: str = "") -> DiffEntry:
    """A value never shown whole (a signature, ciphertext, opaque token): abbreviations and how
    the two differ — length and how many leading characters they share."""
    if old == new:
        return DiffEntry(part, (name,), "same", abbreviate(old), abbreviate(new), note=note, abbreviated=True)
    shared = next((i for i, (x, y) in enumerate(zip(old, new)) if x != y), min(len(old), len(new)))
    lengths = f"{len(old)} characters each" if len(old) == len(new) else f"{len(old)} → {len(new)} characters"
    words = [note, lengths, _shared_words(shared)]
    return DiffEntry(part, (name,), "changed", abbreviate(old), abbreviate(new), note="; ".join(w for w in words if w),
                     abbreviated=True)


def _shared_words(shared: int) -> str:
    if shared == 0:
        return "different from the first character"
    if shared == 1:
        return "only the first character is the same"
    return f"the first {shared} characters are the same"


def _segment(token: DecodedToken, index: int) -> str:
    return token.segments[index] if len(token.segments) > index else ""


def _payload_text(token: DecodedToken) -> str:
    return _segment(token, 1) if token.format == "jws" else ""


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
