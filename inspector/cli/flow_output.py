"""Running a flow from the command line and rendering its record: JSON lines (one per step,
flushed as it happens, then ``{"step": "done", ...}``) or text for people.

Text for people carries what the provider chose (error descriptions, claims, URLs), so every
line is escaped the way ``decode`` escapes a token: a hostile provider cannot drive the terminal.
"""

from __future__ import annotations

import json
import sys
from typing import IO, TYPE_CHECKING, Any

from inspector.cli.text import printable
from inspector.core.findings import Finding
from inspector.core.flows.context import FlowEnvironment, FlowObserver
from inspector.core.flows.model import Exchange, Flow, FlowStatus, Step, StepStatus
from inspector.core.flows.questions import DeviceCodeQuestion, OpenUrlQuestion, Question
from inspector.core.flows.settings import FlowSettings
from inspector.core.redact import abbreviate

if TYPE_CHECKING:
    from inspector.core.storage.flow_link import TokenRecorder

__all__ = ["CliObserver", "exchange_line", "finding_line", "run_flow"]

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130
_MARKS = {StepStatus.OK: "✓", StepStatus.ERROR: "✗", StepStatus.CANCELLED: "■", StepStatus.SKIPPED: "–"}
_SEVERITY = {"error": "✗", "warning": "!", "info": "·"}


def exchange_line(exchange: Exchange) -> str:
    status = exchange.status if exchange.status is not None else exchange.error
    return f"{exchange.method} {exchange.url} → {status} ({exchange.elapsed * 1000:.0f} ms)"


def finding_line(finding: Finding) -> str:
    return f"{_SEVERITY.get(finding.severity.value, '?')} {finding.code}: {finding.message}"


class CliObserver(FlowObserver):
    def __init__(self, out: IO[str], *, as_json: bool, show_tokens: bool,
                 recorder: TokenRecorder | None = None) -> None:
        self.out = out
        self.as_json = as_json
        self.show_tokens = show_tokens or as_json
        self.recorder = recorder

    def _write(self, text: str) -> None:
        self.out.write((text if self.as_json else "\n".join(map(printable, text.split("\n")))) + "\n")
        self.out.flush()

    def question(self, flow: Flow, question: Question) -> None:
        if self.as_json:
            return
        if isinstance(question, OpenUrlQuestion):
            self._write(f"{question.text}\n\n  {question.url}\n")
        elif isinstance(question, DeviceCodeQuestion):
            self._write(f"{question.text}")
            if question.verification_uri_complete:
                self._write(f"  (or open {question.verification_uri_complete})")

    def token_obtained(self, flow: Flow, step: Step, token_response: dict[str, Any]) -> None:
        if self.recorder is not None:
            self.recorder(flow, step, token_response)

    def step_finished(self, flow: Flow, step: Step) -> None:
        self._report(step)
        if self.recorder is not None:  # the flow's imports are done: the keyring may open while it waits
            self.recorder.prepare()

    def _report(self, step: Step) -> None:
        if self.as_json:
            self._write(json.dumps(step.to_json(show_tokens=True), ensure_ascii=False, default=str))
            return
        if step.status is StepStatus.SKIPPED:
            return
        self._write(f"{_MARKS.get(step.status, '?')} {step.name}: {step.status.value} ({step.duration * 1000:.0f} ms)")
        for exchange in step.exchanges:
            self._write(f"    {exchange_line(exchange)}")
        self._render_output(step)
        for finding in step.findings:
            self._write(f"    {finding_line(finding)}")

    def _render_output(self, step: Step) -> None:
        show = self.show_tokens
        token = step.output.get("token")
        if isinstance(token, dict):
            for name, value in token.items():
                text = value if show or not isinstance(value, str) or name not in _TOKEN_FIELDS else abbreviate(value)
                self._write(f"    {name}: {text}")
        for name in ("rotated", "user_code", "verification_uri", "introspection", "revoked", "claims"):
            if name in step.output and step.status is not StepStatus.SKIPPED:
                value = step.output[name]
                text = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
                self._write(f"    {name}: {text}")

    def flow_finished(self, flow: Flow) -> None:
        if self.recorder is not None:  # the tokens are saved (or a warning says why not) before the result
            self.recorder.finish()
        if self.as_json:
            self._write(json.dumps(flow.done_json(), ensure_ascii=False))
            return
        counts = {"error": 0, "warning": 0}
        for finding in flow.all_findings():
            if finding.severity.value in counts:
                counts[finding.severity.value] += 1
        self._write(f"\nFlow {flow.status.value} in {flow.duration:.1f} s "
                    f"({counts['error']} errors, {counts['warning']} warnings).")


_TOKEN_FIELDS = frozenset({"access_token", "refresh_token", "id_token", "device_code"})


def run_flow(grant: str, settings: FlowSettings, *, as_json: bool, show_tokens: bool,
             env: FlowEnvironment | None = None, out: IO[str] | None = None,
             recorder: TokenRecorder | None = None) -> int:
    """Run ``grant`` straight through; 0 when it succeeded, 1 when a step failed, 130 on Ctrl+C
    (after recording the flow as cancelled, so the JSON lines still end with a done line).
    ``recorder`` saves the tokens obtained to the history."""
    from inspector.core.flows.runner import FlowRunner

    observer = CliObserver(out or sys.stdout, as_json=as_json, show_tokens=show_tokens, recorder=recorder)
    runner = FlowRunner(grant, settings, env, observer)
    try:
        flow = runner.run_all()
    except KeyboardInterrupt:
        runner.interrupted()
        return EXIT_INTERRUPTED
    return EXIT_OK if flow.status is FlowStatus.OK else EXIT_FAILED
