"""The Flows panel's observer of a running flow: the core's :class:`FlowObserver`, called on the
worker thread, handing each event to the GUI thread as one typed signal of the
:class:`~inspector.ui.flow_session.FlowSession`.

A step or flow it hands over is a snapshot taken here, on the worker, when the event fires: the
worker goes on changing the live record (the next exchange, the next findings) while the GUI
paints. Tokens and the ended flow's record are saved here too, before the GUI hears of them, so
a crash while painting cannot lose them; the GUI only learns how many tokens were saved.

Imported when a flow starts: its core imports (the flow context, httpx behind it) stay out of
the app's start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import SignalInstance

from inspector.core.flows.context import FlowObserver
from inspector.core.flows.model import Flow, Step
from inspector.core.flows.questions import Question
from inspector.ui.flow_session import Emission

if TYPE_CHECKING:
    from inspector.ui.flow_session import FlowSession

__all__ = ["FlowBridge"]


class FlowBridge(FlowObserver):
    """Forwards the runner's calls to ``session``'s signals through :attr:`report` (the running
    job's progress channel, set per job), reading the clock off each step's responses on the way."""

    def __init__(self, session: FlowSession, *, issuer: str) -> None:
        self.session = session
        self.issuer = issuer
        self.report: Callable[[Any], None] = lambda _item: None

    def emit(self, signal: SignalInstance, value: Any = None) -> None:
        """Have ``signal`` emitted with ``value`` on the GUI thread, after what was reported before."""
        self.report(Emission(signal, value))

    def step_started(self, flow: Flow, step: Step) -> None:
        self.emit(self.session.step_started, step.snapshot())

    def step_finished(self, flow: Flow, step: Step) -> None:
        shown = step.snapshot()
        if shown.exchanges:
            self.session.context.note_exchanges(shown.exchanges, self.issuer)
        self.emit(self.session.step_finished, shown)

    def question(self, flow: Flow, question: Question) -> None:
        self.emit(self.session.question, question)  # frozen: nothing to copy

    def token_obtained(self, flow: Flow, step: Step, token_response: dict[str, Any]) -> None:
        self.report(self.session.save_tokens(flow, token_response))

    def flow_finished(self, flow: Flow) -> None:
        saved = self.session.save_flow(flow, self.issuer)  # first: the GUI work that follows may not survive
        self.emit(self.session.flow_finished, flow.snapshot())
        self.report(saved)
