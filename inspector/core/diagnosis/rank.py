"""Root cause first: the order of a report.

The same cause found twice with the same sentence becomes one diagnosis with the surer
confidence and both sets of evidence. Then ``possible`` notes go last, and the rest are ordered
by tier (see causes.py: a token from another environment or of the wrong kind before the audience
and nonce failures it causes), then by confidence, then by the order they were found in.
"""

from __future__ import annotations

from typing import Iterable

from inspector.core.diagnosis.causes import CAUSES
from inspector.core.diagnosis.model import Confidence, Diagnosis

__all__ = ["MAX_EVIDENCE", "rank"]

#: Evidence kept per diagnosis after merging (a HAR can repeat one fact many times).
MAX_EVIDENCE = 24


def rank(diagnoses: Iterable[Diagnosis]) -> tuple[Diagnosis, ...]:
    diagnoses = list(diagnoses)
    if len(diagnoses) < 2:
        return tuple(diagnoses)
    merged: dict[tuple[str, str], Diagnosis] = {}
    order: dict[tuple[str, str], int] = {}
    for diagnosis in diagnoses:
        key = (diagnosis.cause, diagnosis.summary)
        known = merged.get(key)
        if known is None:
            merged[key], order[key] = diagnosis, len(order)
            continue
        surer = known if known.confidence.order <= diagnosis.confidence.order else diagnosis
        unique = {(item.kind, item.name, repr(item.value), item.where): item
                  for item in (*known.evidence, *diagnosis.evidence)}
        evidence = tuple(unique.values())[:MAX_EVIDENCE]
        merged[key] = Diagnosis(surer.cause, surer.confidence, surer.summary, surer.fix, evidence,
                                tuple(dict.fromkeys((*known.entries, *diagnosis.entries))))

    def position(key: tuple[str, str]) -> tuple[bool, int, int, int]:
        diagnosis = merged[key]
        confidence = diagnosis.confidence
        return (confidence is Confidence.POSSIBLE, _TIERS[diagnosis.cause], confidence.order, order[key])

    return tuple(merged[key] for key in sorted(merged, key=position))


_TIERS = {code: cause.tier for code, cause in CAUSES.items()}
