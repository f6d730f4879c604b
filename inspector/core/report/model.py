"""What a support report holds, as data: the diagnoses first, then the timeline (a flow's steps,
or a recording's OAuth exchanges) with timings, requests and responses, the findings, and the
tokens as header and claims only. Everything in it comes from sanitized data (:mod:`build`);
renderers escape, they never decide what may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from inspector.core.diagnosis.model import Diagnosis

__all__ = ["Exchange", "Finding", "Message", "Report", "Step", "TokenView"]


@dataclass(frozen=True)
class Message:
    """One side of an exchange: its first line (``POST https://…``, ``400``), headers and body."""

    line: str
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None


@dataclass(frozen=True)
class Exchange:
    request: Message
    response: Message | None
    elapsed_ms: float | None = None


@dataclass(frozen=True)
class Step:
    """A row of the timeline: a flow's step, or one recorded entry (with the OAuth kinds it is)."""

    title: str
    status: str
    started: str | None = None
    duration_ms: float | None = None
    exchanges: tuple[Exchange, ...] = ()


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    where: str


@dataclass(frozen=True)
class TokenView:
    """A token as the report shows it: where it was, its header and claims (never the token)."""

    where: str
    header: Mapping[str, Any] | None
    claims: Mapping[str, Any] | None
    note: str


@dataclass(frozen=True)
class Report:
    subject: str                                   # what the report is about, in words
    generated: str                                 # when, ISO 8601 UTC
    removed: Mapping[str, int]                     # what sanitizing removed, by name
    diagnoses: tuple[Diagnosis, ...]
    timeline_title: str                            # "Steps" or "OAuth exchanges"
    steps: tuple[Step, ...] = ()
    findings: tuple[Finding, ...] = ()
    tokens: tuple[TokenView, ...] = field(default=())
