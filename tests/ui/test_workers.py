"""Workers: results, errors and cancellation arrive as signals in the GUI thread."""

from __future__ import annotations

import threading

import pytest

from inspector.core.errors import FlowCancelledError
from inspector.ui.workers import WorkerPool


@pytest.fixture
def pool(qapp):
    p = WorkerPool()
    yield p
    assert p.shutdown(5000)


def test_result_arrives_in_the_gui_thread(qtbot, pool):
    gui_thread = threading.get_ident()
    seen: list[tuple[object, bool]] = []
    pool.start(
        lambda job: threading.get_ident() != gui_thread,
        on_finished=lambda r: seen.append((r, threading.get_ident() == gui_thread)),
    )
    qtbot.waitUntil(lambda: pool.active == 0, timeout=5000)
    assert seen == [(True, True)]


def test_an_exception_becomes_errored_with_the_exception(qtbot, pool):
    errors: list[BaseException] = []
    pool.start(lambda job: 1 / 0, on_errored=errors.append)
    qtbot.waitUntil(lambda: pool.active == 0, timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_cancel_stops_a_waiting_job_and_reports_cancelled(qtbot, pool):
    entered = threading.Event()

    def job_fn(job):
        entered.set()
        if job.cancel.wait(30):
            raise FlowCancelledError("stopped")
        return "not cancelled"

    finished: list[object] = []
    worker = pool.start(job_fn, on_finished=finished.append)
    qtbot.waitUntil(entered.is_set, timeout=5000)
    with qtbot.waitSignal(worker.signals.cancelled, timeout=5000):
        worker.cancel()
    assert finished == []


def test_progress_is_delivered_in_order(qtbot, pool):
    events: list[int] = []

    def job_fn(job):
        for i in range(5):
            job.report(i)

    pool.start(job_fn, on_progress=events.append)
    qtbot.waitUntil(lambda: pool.active == 0, timeout=5000)
    assert events == [0, 1, 2, 3, 4]


def test_busy_changed_reports_idle_after_the_last_worker(qtbot, pool):
    states: list[bool] = []
    pool.busy_changed.connect(states.append)
    pool.start(lambda job: None)
    qtbot.waitUntil(lambda: pool.active == 0, timeout=5000)
    assert states == [True, False]
