"""The bridge between the core's FlowRunner and the Flows panel.

The runner is synchronous and runs in workers, one step per job (Next step) or all of them
(Run all). Its observer (:class:`FlowBridge`, a core ``FlowObserver``) is called on the worker
thread and hands each event to the GUI thread, in order, as one typed signal of the session per
kind. A step or flow a signal carries is a snapshot taken on the worker when the event fired
(:meth:`Step.snapshot`), never the live record the worker goes on changing. Opening the browser
happens on the GUI thread, through the context's injectable opener, and the worker waits for
its answer. Between jobs the GUI may edit the next step's ``inputs`` (the live step's: no worker
touches the flow meanwhile).

Every run, Run again included, loads the profile as saved at that moment: an edited secret or
redirect path applies to the next run. Tokens are saved to the history on the worker thread,
under the storage lock, as soon as the token endpoint answers, through the core's recorder the
CLI uses too, before the GUI hears how many were saved, so a crash while painting them cannot
lose them; the flow's record is saved the same way when it ends (finished, failed or cancelled).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal, SignalInstance

from inspector.core.errors import describe
from inspector.ui.context import AppContext
from inspector.ui.setting_names import gui_namer
from inspector.ui.workers import Job

#: Seconds the worker waits for the GUI thread to open the browser before assuming it did not.
OPEN_TIMEOUT = 10.0


@dataclass(frozen=True)
class GuiCall:
    """Run ``fn(*args)`` on the GUI thread; the worker waits on ``done`` for ``box['result']``."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    box: dict[str, Any]
    done: threading.Event


@dataclass(frozen=True)
class Emission:
    """One of the session's signals and its value, handed from the worker to be emitted on the
    GUI thread (through the worker's progress channel, so it keeps its place among the rest)."""

    signal: SignalInstance
    value: Any


class FlowSession(QObject):
    """One flow at a time. Signals arrive in the GUI thread; a Step or Flow they carry is a snapshot."""

    step_started = Signal(object)  # Step: about to send its request
    step_finished = Signal(object)  # Step: ended (ok, error, cancelled or skipped)
    step_ready = Signal(object)  # Step: the next one, prepared: its inputs may be edited before Next step
    question = Signal(object)  # OpenUrlQuestion | DeviceCodeQuestion: the person must act
    wait = Signal(float)  # device polling waits this many seconds before the next poll
    tokens_saved = Signal(int)  # how many tokens of a token response went to the history
    tokens_not_saved = Signal(str)  # why they did not (the flow goes on)
    flow_finished = Signal(object)  # Flow: it reached ok, error or cancelled
    flow_saved = Signal(object)  # HistoryEntry of the ended flow's record
    flow_not_saved = Signal(str)  # why it was not saved
    busy_changed = Signal(bool)
    failed = Signal(str)  # could not start (profile, keyring, settings problems)
    flow_created = Signal(object)  # the Flow record, before its first step

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.runner: Any = None
        self.grant = ""
        self.profile_name = ""
        self._worker: Any = None

    @property
    def busy(self) -> bool:
        return self._worker is not None

    @property
    def flow(self) -> Any:
        return self.runner.flow if self.runner is not None else None

    # -- starting -----------------------------------------------------------------------------
    def start(self, grant: str, profile_name: str | None, token: str | None, then: str, *,
              api_url: str | None = None) -> None:
        """Load the profile and its secrets as saved now (a worker), build a fresh runner in place
        of the last one, then ``then`` ("next"/"all"). Run again is this too. ``api_url``: the API
        the flow's last step calls with its access token (None: that step is skipped)."""
        if self.busy:
            return
        if not profile_name:
            self.failed.emit("Choose a profile in the Profile box at the top (create one on the Profiles panel).")
            return
        context = self.context

        def load(_job: Job) -> Any:
            from inspector.core.storage.flow_link import settings_from_profile

            with context.storage_lock:
                return settings_from_profile(context.storage.profiles, profile_name, token=token)

        def loaded(settings: Any) -> None:
            self._set_worker(None)
            problems = settings.problems(gui_namer(profile_name))
            if problems:
                self.failed.emit("This profile cannot run the flow: " + "; ".join(problems) + ".")
                return
            self.close()
            self.grant, self.profile_name = grant, profile_name
            self._new_runner(replace(settings, api_url=api_url or None))
            self.step(all_steps=then == "all")

        self._set_worker(self.context.pool.start(load, on_finished=loaded, on_errored=self._on_start_errored,
                                                 on_cancelled=lambda: self._set_worker(None), name="flow-settings"))

    def _new_runner(self, settings: Any) -> None:
        from inspector.core.flows.context import FlowEnvironment
        from inspector.core.flows.runner import FlowRunner
        from inspector.ui.flow_bridge import FlowBridge

        env = FlowEnvironment(transport=self.context.transport, clock=self.context.clock,
                              open_browser=self._open_browser, sleep=self._sleep, jwks=self.context.jwks_cache)
        self._observer = FlowBridge(self, issuer=settings.issuer)
        settings = replace(settings, sign_in_timeout=self.context.sign_in_timeout)  # as set now
        self.runner = FlowRunner(self.grant, settings, env, self._observer)
        self.flow_created.emit(self.runner.flow)

    # -- running ------------------------------------------------------------------------------
    def step(self, *, all_steps: bool = False) -> None:
        """Run the next step (or all remaining ones) in a worker, then prepare the one after."""
        runner = self.runner
        if self.busy or runner is None or runner.finished:
            return

        def job(job: Job) -> None:
            self._observer.report = job.report
            unlink = job.cancel.on_cancel(runner.cancel)  # closing the window stops a waiting step
            try:
                run(job)
            finally:
                unlink()

        def run(job: Job) -> None:
            if all_steps:
                while not runner.finished:
                    runner.run_next()
            else:
                runner.run_next()
                if not runner.finished:
                    runner.prepare_next()
            if runner.finished:
                runner.close()
            elif (ready := runner.next_step()) is not None:
                self._observer.emit(self.step_ready, ready.snapshot())

        self._set_worker(self.context.pool.start(
            job, on_progress=self._on_progress, on_finished=lambda _r: self._set_worker(None),
            on_errored=self._on_step_errored, on_cancelled=lambda: self._set_worker(None),
            name=f"flow-{self.grant}"))

    def cancel(self) -> None:
        """Stop the running step at once (the listener wait and polling sleeps wake up)."""
        if self.runner is not None:
            self.runner.cancel()

    def close(self) -> None:
        if self.runner is not None and not self.busy:
            self.runner.close()

    # -- worker-side hooks (called on the worker thread) ---------------------------------------
    def _open_browser(self, url: str) -> bool:
        call = GuiCall(self.context.open_url, (url,), {}, threading.Event())
        self._observer.report(call)
        cancel = self.runner.env.cancel
        deadline = OPEN_TIMEOUT
        while not call.done.wait(0.1):
            deadline -= 0.1
            if deadline <= 0 or cancel.cancelled:
                return False
        return bool(call.box.get("result"))

    def save_tokens(self, flow: Any, token_response: dict[str, Any]) -> Emission:
        """Save the tokens of ``token_response`` to the history through the core's recorder, as
        the CLI does, under the storage lock. Runs on the worker thread; the outcome is for the
        GUI: ``tokens_saved`` (how many) or ``tokens_not_saved`` (why). A refused save never
        stops the flow."""
        from inspector.core.storage.flow_link import token_recorder

        context = self.context
        try:
            with context.storage_lock:
                saved = token_recorder(context.storage.history, profile=self.profile_name)(flow, None, token_response)
        except Exception as exc:  # noqa: BLE001 - described to the user; the flow goes on
            return Emission(self.tokens_not_saved, describe(exc))
        return Emission(self.tokens_saved, len(saved))

    def save_flow(self, flow: Any, issuer: str) -> Emission:
        """Save the ended flow's record to the history (the core's saver, as the CLI does). Runs on
        the worker thread; the outcome is ``flow_saved`` (the entry) or ``flow_not_saved`` (why)."""
        from inspector.core.storage.flow_link import flow_saver

        context = self.context
        try:
            with context.storage_lock:
                entry = flow_saver(context.storage.history, profile=self.profile_name, issuer=issuer)(flow)
        except Exception as exc:  # noqa: BLE001 - described to the user; the flow has ended anyway
            return Emission(self.flow_not_saved, describe(exc))
        return Emission(self.flow_saved, entry)

    def _sleep(self, seconds: float) -> None:
        self._observer.emit(self.wait, float(seconds))
        self.context.poll_wait(self.runner.env.cancel, seconds)

    # -- GUI-side handlers --------------------------------------------------------------------
    def _on_progress(self, item: GuiCall | Emission) -> None:
        if isinstance(item, GuiCall):
            try:
                item.box["result"] = item.fn(*item.args)
            finally:
                item.done.set()
            return
        item.signal.emit(item.value)

    def _on_step_errored(self, exc: BaseException) -> None:
        self._set_worker(None)
        self.failed.emit(f"The flow stopped: {describe(exc)}")

    def _on_start_errored(self, exc: BaseException) -> None:
        self._set_worker(None)
        self.failed.emit(f"Could not start the flow: {describe(exc)}")

    def _set_worker(self, worker: Any) -> None:
        was = self.busy
        self._worker = worker
        if was != self.busy:
            self.busy_changed.emit(self.busy)
