"""The by-value rule's second half: a removed value found where no rule looked is replaced there.

:mod:`needles` says which removed values are still in a written document; :class:`Cleaner`
replaces them in the document itself: each form (raw, percent-encoded, base64) by the value's
replacement, a base64 body holding one at any byte alignment by a marker; in its ``whole``
round, any string (or key, or number) still holding one is replaced entirely. A needle is
JSON-escaped text or base64 characters, so it lies within one string, never across the
structure: after the second round none is left. :func:`sanitize_document` does both passes for
any JSON document (a flow record, a report's data); one too deep to walk is an ``UnusableInputError``.
"""

from __future__ import annotations

import json
from typing import Any

from inspector.core.errors import UnusableInputError
from inspector.core.sanitize.bodies import replace_body
from inspector.core.sanitize.markers import Markers
from inspector.core.sanitize.needles import base64_cores, forms, output_finder
from inspector.core.sanitize.scrubber import Scrubber, encoded

__all__ = ["ELSEWHERE", "Cleaner", "sanitize_document"]

ELSEWHERE = "value seen elsewhere"


def sanitize_document(value: Any, *, mask_personal: bool = False, markers: Markers | None = None,
                      scrubber: Scrubber | None = None) -> tuple[Any, Scrubber]:
    """A JSON document without its secrets (the scrubber's rules, then the by-value check of the
    whole), and the scrubber that knows what was removed. ``scrubber`` continues another's work
    (the same markers, the values it removed)."""
    scrubber = scrubber or Scrubber(markers, personal=mask_personal)
    try:
        cleaned = scrubber.json(value)
        finder = output_finder(scrubber.removed)
        for whole in (False, True):
            found = finder.find(json.dumps(cleaned).encode("ascii")) if finder else set()
            if not found:
                break
            cleaned = Cleaner(found, scrubber, whole=whole).value(cleaned)
    except RecursionError as exc:  # JSON json.loads could just parse is too deep to walk again
        raise UnusableInputError("The document nests its JSON too deeply to be sanitized.") from exc
    return cleaned, scrubber


class Cleaner:
    """Replaces the found values wherever they are: each form by the value's replacement, a
    base64 body holding one by a marker; ``whole``: any string holding one, entirely."""

    def __init__(self, found: set[str], scrubber: Scrubber, *, whole: bool) -> None:
        self.scrubber = scrubber
        self.whole = whole
        self.forms = sorted(((form, value) for value in found for form in forms(value)), key=lambda pair: -len(pair[0]))
        self.cores = {core.decode("ascii") for value in found for core in base64_cores(value.encode("utf-8",
                                                                                                  "surrogatepass"))}

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            text = value.get("text")
            if value.get("encoding") == "base64" and isinstance(text, str) and any(core in text for core in self.cores):
                replace_body(value, self.scrubber, "it holds a secret seen elsewhere in the file")
            return {self.text(key) if isinstance(key, str) else key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = json.dumps(value)
            return self._marked(text) if any(form in text for form, _ in self.forms) else value
        return value

    def text(self, text: str) -> str:
        if self.whole:
            holds = any(form in text for form, _ in self.forms) or any(core in text for core in self.cores)
            return self._marked(text) if holds else text
        for form, value in self.forms:
            if form in text:
                replacement = self.scrubber.removed[value]
                text = text.replace(form, encoded(replacement, form != value))
                self.scrubber.counts[ELSEWHERE] += 1
                self.scrubber.total += 1
        return text

    def _marked(self, text: str) -> str:
        self.scrubber.counts[ELSEWHERE] += 1
        self.scrubber.total += 1
        return self.scrubber.markers.mark(text)
