"""Running a flow from the command line and rendering its record: JSON lines (one per step,
flushed as it happens, then ``{"step": "done", ...}``) or text for people.

Both render the core's redacted record (:meth:`Step.redacted`, :meth:`Step.to_json`): secrets
masked at any depth and wherever they come back, tokens abbreviated unless ``--show-tokens`` (in
JSON, access and ID tokens are whole: scripts read them). Text for people carries what the
provider chose (error descriptions, claims, URLs), so each such value is escaped the way
``decode`` escapes a token: a hostile provider can neither drive the terminal nor forge a line.
"""

from __future__ import annotations

import json
import sys
from typing import IO, TYPE_CHECKING, Any

from inspector.cli.setting_names import FLAGS, flag_namer
from inspector.cli.text import printable, write_json, write_text
from inspector.core.advice import SettingNamer
from inspector.core.findings import Finding
from inspector.core.flows.context import FlowEnvironment, FlowObserver
from inspector.core.flows.model import Exchange, Flow, FlowStatus, Step, StepStatus
from inspector.core.flows.questions import DeviceCodeQuestion, OpenUrlQuestion, Question
from inspector.core.flows.settings import FlowSettings
from inspector.core.redact import SCRIPT_TOKENS, TOKEN_NAMES

if TYPE_CHECKING:
    from inspector.core.storage.flow_link import HistoryRecorder

__all__ = ["CliObserver", "exchange_line", "finding_line", "run_flow", "shown_tokens"]

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130
_MARKS = {StepStatus.OK: "✓", StepStatus.ERROR: "✗", StepStatus.CANCELLED: "■", StepStatus.SKIPPED: "–"}


def shown_tokens(*, as_json: bool, show_tokens: bool) -> frozenset[str]:
    """The token names printed in full: all with ``--show-tokens``; in JSON the access and ID
    tokens scripts read; in text none."""
    if show_tokens:
        return TOKEN_NAMES
    return SCRIPT_TOKENS if as_json else frozenset()


def value_text(value: Any) -> str:
    """One value on one line, escaped: text as is, structures as JSON."""
    return printable(json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (dict, list))
                     else str(value))


def exchange_line(exchange: Exchange) -> str:
    status = exchange.status if exchange.status is not None else exchange.error
    return f"{exchange.method} {printable(exchange.url)} → {value_text(status)} ({exchange.elapsed * 1000:.0f} ms)"


def finding_line(finding: Finding, name: SettingNamer | None = None) -> str:
    """``✖ code: message advice``, the settings in the advice named by their flags."""
    return (f"{finding.severity.mark} {printable(finding.code)}: "
            f"{printable(finding.text(name or flag_namer()))}")


class CliObserver(FlowObserver):
    """Prints each step as it ends; the history ``recorder`` is handed each token response as it
    arrives and the flow when it ends, and has saved both before the end of the flow is printed."""

    def __init__(self, out: IO[str], *, as_json: bool, show_tokens: bool,
                 recorder: HistoryRecorder | None = None, profile: str | None = None) -> None:
        self.out = out
        self.as_json = as_json
        self.shown = shown_tokens(as_json=as_json, show_tokens=show_tokens)
        self.recorder = recorder
        self.name = flag_namer(profile)

    def _write(self, text: str) -> None:
        write_text(self.out, text)

    def question(self, flow: Flow, question: Question) -> None:
        if self.as_json:
            return
        if isinstance(question, OpenUrlQuestion):
            self._write(f"{question.text}\n\n  {printable(question.url)}\n")
            for line in question.if_refused.render(self.name).split("\n"):
                self._write(printable(line))
            self._write(f"Waiting up to {question.timeout:g} seconds for the browser to come back "
                        f"({FLAGS['timeout']}); Ctrl+C stops.\n")
        elif isinstance(question, DeviceCodeQuestion):
            self._write(printable(question.text))
            if question.verification_uri_complete:
                self._write(f"  (or open {printable(question.verification_uri_complete)})")

    def token_obtained(self, flow: Flow, step: Step, token_response: dict[str, Any]) -> None:
        if self.recorder is not None:
            self.recorder(flow, step, token_response)

    def step_finished(self, flow: Flow, step: Step) -> None:
        self._report(step)
        if self.recorder is not None:  # the flow's imports are done: the keyring may open while it waits
            self.recorder.prepare()

    def _report(self, step: Step) -> None:
        if self.as_json:
            write_json(self.out, step.to_json(show_tokens=self.shown))
            return
        shown = step.redacted(self.shown)
        timing = "" if step.status is StepStatus.SKIPPED else f" ({step.duration * 1000:.0f} ms)"
        self._write(f"{_MARKS.get(step.status, '?')} {step.name}: {step.status.value}{timing}")
        for exchange in shown.exchanges:
            self._write(f"    {exchange_line(exchange)}")
        self._render_output(shown)
        for finding in shown.findings:
            self._write(f"    {finding_line(finding, self.name)}")

    def _render_output(self, step: Step) -> None:
        token = step.output.get("token")
        if isinstance(token, dict):
            for name, value in token.items():
                self._write(f"    {printable(str(name))}: {value_text(value)}")
        for name in ("request_uri", "expires_in", "rotated", "user_code", "verification_uri", "introspection", "revoked",
                     "encrypted", "claims", "assertion_header", "assertion_claims", "api", "dpop_proofs"):
            if name in step.output:
                self._write(f"    {name}: {value_text(step.output[name])}")
        for proof in step.output.get("dpop_proofs", ()):  # RFC 9449 §4.2: public, shown decoded
            self._write(f"    DPoP proof (request {proof['exchange']}) header: {value_text(proof['header'])}")
            self._write(f"      claims: {value_text(proof['claims'])}")
        if "dpop_proofs_omitted" in step.output:
            self._write(f"    ({step.output['dpop_proofs_omitted']} more DPoP proofs, one per poll, not shown)")

    def flow_finished(self, flow: Flow) -> None:
        if self.recorder is not None:  # tokens and record saved (or a warning says why not) before the result
            self.recorder.finish(flow)
        if self.as_json:
            write_json(self.out, flow.done_json(show_tokens=self.shown))
            return
        counts = {"error": 0, "warning": 0}
        for finding in flow.all_findings():
            if finding.severity.value in counts:
                counts[finding.severity.value] += 1
        self._write(f"\nFlow {flow.status.value} in {flow.duration:.1f} s "
                    f"({counts['error']} errors, {counts['warning']} warnings).")


def run_flow(grant: str, settings: FlowSettings, *, as_json: bool, show_tokens: bool,
             env: FlowEnvironment | None = None, out: IO[str] | None = None,
             recorder: HistoryRecorder | None = None, profile: str | None = None) -> int:
    """Run ``grant`` straight through; 0 when it succeeded, 1 when a step failed, 130 on Ctrl+C
    (after recording the flow as cancelled, so the JSON lines still end with a done line, and the
    ``recorder`` still saves it to the history). ``profile`` names the saved profile the settings
    came from, for advice about them."""
    from inspector.core.flows.runner import FlowRunner

    observer = CliObserver(out or sys.stdout, as_json=as_json, show_tokens=show_tokens, recorder=recorder,
                           profile=profile)
    runner = FlowRunner(grant, settings, env, observer)
    try:
        flow = runner.run_all()
    except KeyboardInterrupt:
        runner.interrupted()
        return EXIT_INTERRUPTED
    return EXIT_OK if flow.status is FlowStatus.OK else EXIT_FAILED
