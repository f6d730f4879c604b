"""Driving core flows in-process against the real provider: the injected browser opener hands
the authorization URL to the scripted user agent on a thread, as a person's browser would, and
device polling waits on a fake clock."""

from __future__ import annotations

import io
import threading
from typing import Any, Callable

from inspector.cli.flow_output import CliObserver
from inspector.core.flows.context import FlowEnvironment
from tests.support.user_agent import UserAgent


class ScriptedBrowser:
    """``open(url)`` signs in on a thread (the flow's listener is waiting meanwhile)."""

    def __init__(self, verify: str | bool = True) -> None:
        self.agent = UserAgent(verify=verify)
        self.threads: list[threading.Thread] = []
        self.responses: list = []
        self.errors: list[BaseException] = []

    def open(self, url: str) -> bool:
        def sign_in() -> None:
            try:
                self.responses.append(self.agent.authorize(url))
            except BaseException as exc:  # surfaced by close()
                self.errors.append(exc)

        thread = threading.Thread(target=sign_in, daemon=True)
        self.threads.append(thread)
        thread.start()
        return True

    def close(self) -> None:
        for thread in self.threads:
            thread.join(30)
        self.agent.close()
        if self.errors:
            raise self.errors[0]


def environment(browser: ScriptedBrowser, **overrides) -> FlowEnvironment:
    return FlowEnvironment(open_browser=browser.open, **overrides)


class PollingClock:
    """Device polling without waiting: ``sleep`` records each wait and moves ``monotonic`` on by it.

    Inject both (``FlowEnvironment(sleep=clock.sleep, monotonic=clock.monotonic)``): the flow
    stops polling when the device code's lifetime has passed on the same clock its waits use.
    A fake sleep with the real monotonic clock would let an unexpected answer spin the poll
    loop, without a pause, until the real device code lifetime (minutes) ran out.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def environment(self, **overrides) -> FlowEnvironment:
        return FlowEnvironment(sleep=self.sleep, monotonic=self.monotonic, **overrides)


def run_to_end(runner: Any, edit: Callable[[Any], Any] | None = None) -> Any:
    """Run ``runner``'s steps to the end and return its flow; ``edit(step)`` may change a step's
    parameters before it is sent, as the GUI lets a person do. The caller closes the runner."""
    while not runner.finished:
        step = runner.prepare_next()
        if step is not None and edit is not None:
            edit(step)
        runner.run_next()
    return runner.flow


def json_lines(*flows: Any, show_tokens: bool = False) -> str:
    """The flows as ``flow --json`` prints them."""
    out = io.StringIO()
    for flow in flows:
        observer = CliObserver(out, as_json=True, show_tokens=show_tokens)
        for step in flow.steps:
            observer.step_finished(flow, step)
        observer.flow_finished(flow)
    return out.getvalue()
