"""A flow is a record: steps with their inputs, exchanges, findings, outputs and timing.

Every front end renders the same record (the CLI as JSON lines, the GUI as a step list), and
saved as JSON lines it is what diagnosis, reports and history read. Errors are data here:
a failed step has status ``error`` and findings that say why.
"""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Collection

from inspector.core.findings import Finding
from inspector.core.protocol.http import Exchange
from inspector.core.redact import Redactor, SentValues

__all__ = ["Exchange", "Flow", "FlowStatus", "Step", "StepStatus"]


class StepStatus(str, Enum):
    PENDING = "pending"
    RUNNING = "running"
    OK = "ok"
    ERROR = "error"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


class FlowStatus(str, Enum):
    PENDING = "pending"
    RUNNING = "running"
    OK = "ok"
    ERROR = "error"
    CANCELLED = "cancelled"


@dataclass
class Step:
    """One step. ``inputs`` are the parameters it will send: a GUI may edit them between
    ``prepare`` and ``run``. ``output`` holds what it learned (a URL, a user code, a token
    response, claims). ``sent`` is shared with the step's flow: what the flow sent, so that no
    rendering of the step shows it again (:mod:`inspector.core.redact`)."""

    name: str
    title: str
    status: StepStatus = StepStatus.PENDING
    inputs: dict[str, str] = field(default_factory=dict)
    prepared: bool = False
    exchanges: list[Exchange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    output: dict[str, Any] = field(default_factory=dict)
    duration: float = 0.0
    sent: SentValues = field(default_factory=SentValues, repr=False, compare=False)

    def snapshot(self) -> Step:
        """A copy a front end may keep and read while the runner goes on changing this step (the
        GUI's flows run in a worker): every container copied, exchanges included (one is filled in
        as its response arrives). ``sent`` stays shared: it only grows, and is thread-safe."""
        return replace(self, inputs=dict(self.inputs), exchanges=copy.deepcopy(self.exchanges),
                       findings=list(self.findings), output=copy.deepcopy(self.output))

    def redactor(self, show_tokens: bool | Collection[str] = False) -> Redactor:
        """Masks secrets and, unless shown, tokens: by name, and by value what the flow sent."""
        return Redactor.of(self.sent, show_tokens)

    def redacted(self, show_tokens: bool | Collection[str] = False) -> Step:
        """A copy for display (the CLI's text, the GUI's step view) masked as :meth:`to_json` is."""
        redactor = self.redactor(show_tokens)
        return replace(self, inputs=redactor.value(self.inputs), output=redactor.value(self.output),
                       exchanges=[exchange.redacted(redactor) for exchange in self.exchanges],
                       findings=[redactor.finding(finding) for finding in self.findings])

    def to_json(self, *, show_tokens: bool | Collection[str] = False) -> dict[str, Any]:
        """The step's JSON line: ``request``/``response`` of its last exchange, all exchanges when
        there were several, outputs and findings; secrets masked, tokens abbreviated unless
        ``show_tokens`` (True, or the token names to show in full)."""
        redactor = self.redactor(show_tokens)
        data: dict[str, Any] = {"step": self.name, "status": self.status.value}
        data.update(redactor.value(self.output))
        if self.exchanges:
            data.update(self.exchanges[-1].to_json(redactor))
            if len(self.exchanges) > 1:
                data["exchanges"] = [exchange.to_json(redactor) for exchange in self.exchanges]
        data["duration_ms"] = round(self.duration * 1000, 1)
        data["findings"] = [redactor.finding(finding).to_json() for finding in self.findings]
        return data


@dataclass
class Flow:
    grant: str
    steps: list[Step]
    id: str = field(default_factory=lambda: secrets.token_hex(16))
    status: FlowStatus = FlowStatus.PENDING
    started_at: float | None = None
    duration: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    #: What the flow sent (its HTTP client adds to it); every step renders through it.
    sent: SentValues = field(default_factory=SentValues, repr=False, compare=False)
    #: The private JWK of the flow's DPoP key (RFC 9449), for the history to keep (encrypted) beside
    #: a token bound to it; never rendered, and not in a snapshot.
    dpop_key: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        for step in self.steps:
            step.sent = self.sent

    def snapshot(self) -> Flow:
        """A copy of the flow and of each step (:meth:`Step.snapshot`) that the runner no longer changes."""
        return replace(self, steps=[step.snapshot() for step in self.steps], findings=list(self.findings),
                       dpop_key=None)

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def all_findings(self) -> list[Finding]:
        """Every step's findings, then the flow's own."""
        return [finding for step in self.steps for finding in step.findings] + list(self.findings)

    def done_json(self, *, show_tokens: bool | Collection[str] = False) -> dict[str, Any]:
        """The last JSON line of a flow record. ``started_at`` (the local clock, epoch seconds)
        with the steps' durations dates each step, which a diagnosis compares with the server's
        ``Date`` headers."""
        redactor = Redactor.of(self.sent, show_tokens)
        return {
            "step": "done",
            "status": self.status.value,
            "flow": self.grant,
            "id": self.id,
            "started_at": self.started_at,
            "duration_ms": round(self.duration * 1000, 1),
            "findings": [redactor.finding(finding).to_json() for finding in self.all_findings()],
        }

    def to_json(self, *, show_tokens: bool | Collection[str] = False) -> dict[str, Any]:
        return {
            "id": self.id,
            "grant": self.grant,
            "status": self.status.value,
            "started_at": self.started_at,
            "steps": [step.to_json(show_tokens=show_tokens) for step in self.steps],
            "done": self.done_json(show_tokens=show_tokens),
        }
