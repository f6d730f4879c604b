"""Findings: what a check found, as data. Shared by the JOSE verifier, discovery lint and flows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable

from inspector.core.advice import Advice, SettingNamer


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


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
