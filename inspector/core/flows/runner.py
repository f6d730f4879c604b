"""The step runner: one step at a time (the GUI prepares a step, lets the person edit its
parameters, then runs it) or straight through (the CLI). Cancellable from any thread.

A step never raises to the caller: an error becomes a finding on the step and the flow stops
there, so a state or issuer mismatch can never be followed by a token request.
"""

from __future__ import annotations

from inspector.core.errors import InspectorError, internal_error_text
from inspector.core.findings import error, has_errors, info
from inspector.core.flows import dpop
from inspector.core.flows.context import FlowContext, FlowEnvironment, FlowObserver, StepSpec
from inspector.core.flows.grants import grant as find_grant
from inspector.core.flows.model import Flow, FlowStatus, Step, StepStatus
from inspector.core.flows.settings import FlowSettings
from inspector.core.flows.steps import CONFIGURED_ENDPOINTS, DISCOVERY

__all__ = ["FlowRunner"]


class FlowRunner:
    def __init__(
        self,
        grant: str,
        settings: FlowSettings,
        env: FlowEnvironment | None = None,
        observer: FlowObserver | None = None,
    ) -> None:
        chosen = find_grant(grant)
        # Endpoints set by hand replace discovery (a provider without a discovery document).
        self._specs: list[StepSpec] = [CONFIGURED_ENDPOINTS if spec is DISCOVERY and settings.endpoints else spec
                                       for spec in chosen.steps]
        self.flow = Flow(grant, [Step(spec.name, spec.title) for spec in self._specs])
        self.env = env or FlowEnvironment()
        self.context = FlowContext(self.flow, settings, self.env, observer or FlowObserver(),
                                   endpoints_needed=chosen.endpoints)
        self._index = 0
        self._started: float | None = None
        self._dpop_started = False

    @property
    def finished(self) -> bool:
        return self.flow.status in (FlowStatus.OK, FlowStatus.ERROR, FlowStatus.CANCELLED)

    def next_step(self) -> Step | None:
        return None if self.finished or self._index >= len(self._specs) else self.flow.steps[self._index]

    def cancel(self) -> None:
        """Safe from any thread: wakes a listener wait or a polling sleep at once."""
        self.env.cancel.cancel()

    def prepare_next(self) -> Step | None:
        """Fill the next step's ``inputs`` (skipping steps that do not apply) without sending.
        Before the first step, a flow with DPoP on gets its key (a kept key that cannot be loaded
        stops the flow there, said on that step)."""
        first = self.next_step()
        if first is not None and not self._dpop_started:
            self._dpop_started = True
            self._guard(first, lambda ctx, _step: dpop.start(ctx))
            if first.status is StepStatus.ERROR:
                self.context.observer.step_finished(self.flow, first)
                self._finish(FlowStatus.ERROR)
                return first
        while (step := self.next_step()) is not None:
            spec = self._specs[self._index]
            reason = spec.skip(self.context)
            if reason is not None:
                step.status = StepStatus.SKIPPED
                step.findings.append(info("step_skipped", reason.text, part=step.name, advice=reason.advice))
                self._index += 1
                self.context.observer.step_finished(self.flow, step)
                continue
            if not step.prepared:
                self._guard(step, spec.prepare)
                step.prepared = True
            if step.status is StepStatus.ERROR:
                self.context.observer.step_finished(self.flow, step)
                self._finish(FlowStatus.ERROR)
                return step
            return step
        if not self.finished:
            self._finish(FlowStatus.OK)
        return None

    def run_next(self) -> Step | None:
        """Run the next step (preparing it first if needed); returns it, or None when done."""
        if self._started is None:
            self._started = self.env.monotonic()
            self.flow.started_at = self.env.clock()
            self.flow.status = FlowStatus.RUNNING
        step = self.prepare_next()
        if step is None or self.finished:
            return step
        spec = self._specs[self._index]
        step.status = StepStatus.RUNNING
        self.context.observer.step_started(self.flow, step)
        began = self.env.monotonic()
        if self.env.cancel.cancelled:
            step.status = StepStatus.CANCELLED
        else:
            self._guard(step, spec.run)
        step.duration = self.env.monotonic() - began
        if self.env.cancel.cancelled and step.status in (StepStatus.RUNNING, StepStatus.CANCELLED):
            step.status = StepStatus.CANCELLED
        elif step.status is StepStatus.RUNNING:
            step.status = StepStatus.ERROR if has_errors(step.findings) else StepStatus.OK
        self._index += 1
        self.context.observer.step_finished(self.flow, step)
        if step.status is StepStatus.CANCELLED:
            self._finish(FlowStatus.CANCELLED)
        elif step.status is StepStatus.ERROR:
            self._finish(FlowStatus.ERROR)
        elif self._index >= len(self._specs):
            self._finish(FlowStatus.OK)
        return step

    def interrupted(self) -> None:
        """The thread running the flow was interrupted (Ctrl+C): record the flow as cancelled."""
        self.env.cancel.cancel()
        step = self.next_step()
        if step is not None and step.status is StepStatus.RUNNING:
            step.status = StepStatus.CANCELLED
            self.context.observer.step_finished(self.flow, step)
        if not self.finished:
            self._finish(FlowStatus.CANCELLED)

    def run_all(self) -> Flow:
        try:
            while not self.finished:
                self.run_next()
        finally:
            self.close()
        return self.flow

    def close(self) -> None:
        self.context.close()

    def _guard(self, step: Step, action) -> None:  # noqa: ANN001 - a StepSpec callable
        if action is None:
            return
        try:
            action(self.context, step)
        except InspectorError as exc:
            step.findings.append(error(exc.code, str(exc), part=step.name))
            step.status = StepStatus.ERROR
        except Exception as exc:  # a bug must still end as data, never a traceback
            step.findings.append(error("internal_error", f"Unexpected internal error in step {step.name!r} "
                                       f"({internal_error_text(exc)}). Please report it.",
                                       part=step.name))
            step.status = StepStatus.ERROR

    def _finish(self, status: FlowStatus) -> None:
        self.flow.status = status
        if self._started is not None:
            self.flow.duration = self.env.monotonic() - self._started
        self.close()
        self.context.observer.flow_finished(self.flow)
