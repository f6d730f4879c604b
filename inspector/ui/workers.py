"""Thread-pool workers: the one bridge from blocking core calls to Qt signals.

The GUI thread never blocks: HTTP, keyring calls, JWKS fetches, listener waits and polling run in
a :class:`Worker`. A worker never touches widgets; it reports through :class:`WorkerSignals`,
whose owner lives in the GUI thread, so every emission crosses threads as a queued signal.
Each worker has the core's :class:`CancelToken`, which the job polls, waits on or hands to a
flow runner; a job stops early by returning or raising FlowCancelledError.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from inspector.core.errors import FlowCancelledError
from inspector.core.flows.cancel import CancelToken


class WorkerSignals(QObject):
    """``started``; then exactly one of ``finished(result)``, ``errored(exc)``, ``cancelled``."""

    started = Signal()
    progress = Signal(object)
    finished = Signal(object)
    errored = Signal(object)
    cancelled = Signal()
    done = Signal()  # after any of the three outcomes, for bookkeeping


class Job:
    """What a worker function receives: its cancel token and a way to report progress."""

    def __init__(self, token: CancelToken, signals: WorkerSignals) -> None:
        self.cancel = token
        self._signals = signals

    def report(self, event: Any) -> None:
        self._signals.progress.emit(event)


class Worker(QRunnable):
    """Runs ``fn(job)`` in the pool; the outcome arrives as a signal in the GUI thread."""

    def __init__(self, fn: Callable[[Job], Any], name: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.name = name or getattr(fn, "__name__", "job")
        self.signals = WorkerSignals()
        self.token = CancelToken()
        self._fn = fn

    def cancel(self) -> None:
        self.token.cancel()

    def run(self) -> None:
        signals = self.signals
        signals.started.emit()
        try:
            result = self._fn(Job(self.token, signals))
        except FlowCancelledError:
            signals.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI as data
            if self.token.cancelled:
                signals.cancelled.emit()
            else:
                signals.errored.emit(exc)
        else:
            if self.token.cancelled:
                signals.cancelled.emit()
            else:
                signals.finished.emit(result)
        signals.done.emit()


class WorkerPool(QObject):
    """Starts workers, keeps them alive until they report, and cancels them all at shutdown."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._active: set[Worker] = set()

    def start(
        self,
        fn: Callable[[Job], Any],
        *,
        on_finished: Callable[[Any], None] | None = None,
        on_errored: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
        name: str = "",
    ) -> Worker:
        worker = Worker(fn, name)
        for signal, slot in (
            (worker.signals.finished, on_finished),
            (worker.signals.errored, on_errored),
            (worker.signals.cancelled, on_cancelled),
            (worker.signals.progress, on_progress),
        ):
            if slot is not None:
                signal.connect(slot)
        worker.signals.done.connect(lambda w=worker: self._forget(w))
        was_idle = not self._active
        self._active.add(worker)
        if was_idle:
            self.busy_changed.emit(True)
        self._pool.start(worker)
        return worker

    @property
    def active(self) -> int:
        return len(self._active)

    def cancel_all(self) -> None:
        for worker in list(self._active):
            worker.cancel()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel everything and wait for the threads; True if they all stopped in time."""
        self.cancel_all()
        return self._pool.waitForDone(timeout_ms)

    def _forget(self, worker: Worker) -> None:
        self._active.discard(worker)
        if not self._active:
            self.busy_changed.emit(False)
