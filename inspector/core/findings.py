"""Findings: what a check found, as data. Shared by the JOSE verifier, discovery lint and flows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable

from inspector.core.advice import Advice, SettingNamer


class Severity(str, Enum):
    """How much a finding matters; its order, words and mark are the same in every front end."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: sort by ``-rank`` for the worst first, ``max`` for the worst of several."""
        return _RANK[self]

    @property
    def label(self) -> str:
        """The word for people: "error", "warning", "note" (``value`` is the stable name for JSON)."""
        return _LABEL[self]

    @property
    def mark(self) -> str:
        """The symbol shown before a finding or a claim it points at."""
        return _MARK[self]


_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}
_LABEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_MARK = {Severity.ERROR: "✖", Severity.WARNING: "⚠", Severity.INFO: "ℹ"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation with a stable ``code``; ``claim`` and ``part`` say where it points.

    ``part`` is the token segment ("header", "payload", "signature") or, in a flow, the step name.
    ``advice`` is the next step, kept apart so each front end can name the settings it concerns.
    """

    code: str
    severity: Severity
    message: str
    claim: str | None = None
    part: str | None = None
    advice: Advice | None = None

    def text(self, name: SettingNamer | None = None) -> str:
        """The message followed by the advice, its settings worded by ``name``."""
        return f"{self.message} {self.advice.render(name)}" if self.advice is not None else self.message

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.claim is not None:
            data["claim"] = self.claim
        if self.advice is not None:
            data["advice"] = self.advice.render()
            if self.advice.settings:
                data["settings"] = list(self.advice.settings)
        return data


def error(code: str, message: str, *, claim: str | None = None, part: str | None = None,
          advice: Advice | None = None) -> Finding:
    return Finding(code, Severity.ERROR, message, claim, part, advice)


def warning(code: str, message: str, *, claim: str | None = None, part: str | None = None,
            advice: Advice | None = None) -> Finding:
    return Finding(code, Severity.WARNING, message, claim, part, advice)


def info(code: str, message: str, *, claim: str | None = None, part: str | None = None,
         advice: Advice | None = None) -> Finding:
    return Finding(code, Severity.INFO, message, claim, part, advice)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
