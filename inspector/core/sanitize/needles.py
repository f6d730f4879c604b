"""Every form a removed value can take in a file, and the search proving none is left.

A value removed under its name in one place may stand elsewhere under none: a code quoted in an
error page, a token in a script, a secret inside an image. So each removed value of
``MIN_NEEDLE`` characters or more is looked for in the output as written (JSON-escaped),
percent-encoded (``quote``, ``quote_plus``), in base64 and base64url, and, for bodies saved in
base64, at each of the three byte alignments inside base64 text (the "cores" of its encoding: the
characters that depend on its bytes alone).

Tens of MB and dozens of needles: one substring search per needle costs about 20 ms per 50 MB,
so long needles are found by fixed windows instead. Every occurrence of a needle of length
``stride + 15`` or more covers a whole 8-byte window starting at a multiple of ``stride`` (even
at the very end of the text, where the last partial window is not read); the text's windows (a
memoryview cast to unsigned 64-bit integers, every ``stride / 8``-th) are intersected with the set
of every 8-byte substring of every needle, in C, and each candidate is confirmed by a substring
search. The stride is chosen from the needles' lengths to cost least; shorter needles get a
substring search each.
"""

from __future__ import annotations

import base64
import json
import sys
from typing import Iterable, Mapping
from urllib.parse import quote, quote_plus

from inspector.core.redact import MIN_ECHO

__all__ = ["MIN_NEEDLE", "Finder", "base64_cores", "bytes_finder", "forms", "output_finder"]

#: Shorter values are removed where their name says what they are, never searched for: "abc"
#: is everywhere, and replacing it would garble the file and give the value away by the gaps.
MIN_NEEDLE = MIN_ECHO
#: Relative costs per byte (CPython 3.11): one window of the memoryview, one substring search.
_WINDOW_COST, _SEARCH_COST = 32.0, 0.45
_STRIDES = (8, 16, 32, 64, 128)
#: A needle this much longer than the stride always covers a window that is read (see above).
_REACH = 15
_URLSAFE = bytes.maketrans(b"+/", b"-_")


def forms(value: str) -> set[str]:
    """``value`` as text may carry it: itself, percent-encoded, base64 and base64url (unpadded)."""
    data = value.encode("utf-8", "surrogatepass")
    found = {value, quote(value, safe=""), quote(value), quote_plus(value, safe=""),
             base64.b64encode(data).decode("ascii").rstrip("="),
             base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")}
    return {form for form in found if len(form) >= MIN_NEEDLE}


def base64_cores(data: bytes) -> set[bytes]:
    """The base64 and base64url characters that encode ``data`` wherever it starts in a byte
    string (three alignments): one of them is in the encoding of anything holding ``data``."""
    cores = set()
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data + b"\0\0")
        core = encoded[-(-8 * shift // 6): 8 * (shift + len(data)) // 6]
        cores.update((core, core.translate(_URLSAFE)))
    return {core for core in cores if len(core) >= MIN_NEEDLE}


def output_finder(removed: Iterable[str]) -> Finder:
    """Needles for the written file: each form JSON-escaped, and the cores of the raw and
    percent-encoded forms for base64-saved bodies."""
    needles: dict[bytes, str] = {}
    for value in removed:
        if len(value) < MIN_NEEDLE:
            continue
        for form in forms(value):
            needles.setdefault(json.dumps(form)[1:-1].encode("ascii"), value)
        for form in {value, quote(value, safe=""), quote_plus(value, safe="")}:
            for core in base64_cores(form.encode("utf-8", "surrogatepass")):
                needles.setdefault(core, value)
    return Finder(needles)


def bytes_finder(removed: Iterable[str]) -> Finder:
    """Needles for raw bytes (a body once decompressed): each form in UTF-8."""
    return Finder({form.encode("utf-8", "surrogatepass"): value for value in removed
                   if len(value) >= MIN_NEEDLE for form in forms(value)})


class Finder:
    """Which removed values occur in a byte string (``needles`` maps each needle to its value)."""

    def __init__(self, needles: Mapping[bytes, str]) -> None:
        self.needles = dict(needles)
        self.stride = _best_stride([len(needle) for needle in self.needles])
        self._searched = [needle for needle in self.needles if not self.stride or len(needle) < self.stride + _REACH]
        self._windows: dict[int, set[bytes]] = {}
        for needle in self.needles:
            if self.stride and len(needle) >= self.stride + _REACH:
                for start in range(len(needle) - 7):
                    self._windows.setdefault(int.from_bytes(needle[start:start + 8], sys.byteorder), set()).add(needle)
        self._keys = frozenset(self._windows)

    def __bool__(self) -> bool:
        return bool(self.needles)

    def find(self, data: bytes) -> set[str]:
        """The values with a needle in ``data``."""
        hits = {needle for needle in self._searched if needle in data}
        if self._keys and len(data) >= 8:
            windows = memoryview(data)[: len(data) // 8 * 8].cast("Q")[:: self.stride // 8]
            candidates = {needle for key in self._keys.intersection(windows) for needle in self._windows[key]}
            hits.update(needle for needle in candidates if needle in data)
        return {self.needles[needle] for needle in hits}


def _best_stride(lengths: list[int]) -> int:
    """The window stride costing least for needles of these lengths; 0: a search for each."""
    best, cost = 0, _SEARCH_COST * len(lengths)
    for stride in _STRIDES:
        searched = sum(1 for length in lengths if length < stride + _REACH)
        total = _WINDOW_COST / stride + _SEARCH_COST * searched
        if total < cost:
            best, cost = stride, total
    return best
