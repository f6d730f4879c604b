"""Findings: what a check found, as data. Shared by the JOSE verifier, discovery lint and flows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation with a stable ``code``; ``claim`` and ``part`` say where it points.

    ``part`` is the token segment ("header", "payload", "signature") or, in a flow, the step name.
    """

    code: str
    severity: Severity
    message: str
    claim: str | None = None
    part: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.claim is not None:
            data["claim"] = self.claim
        return data


def error(code: str, message: str, *, claim: str | None = None, part: str | None = None) -> Finding:
    return Finding(code, Severity.ERROR, message, claim, part)


def warning(code: str, message: str, *, claim: str | None = None, part: str | None = None) -> Finding:
    return Finding(code, Severity.WARNING, message, claim, part)


def info(code: str, message: str, *, claim: str | None = None, part: str | None = None) -> Finding:
    return Finding(code, Severity.INFO, message, claim, part)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
