"""Garbage collection runs on the GUI thread only, never inside a worker."""

from __future__ import annotations

import gc
import threading

from inspector.ui.collector import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self
        self.collected_on: list[str] = []

    def __del__(self) -> None:
        self.collected_on.append(threading.current_thread().name)


def test_installed_collector_turns_automatic_collection_off_and_back_on(qapp) -> None:
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        collector = GuiThreadCollector()
        collector.install()
        assert not gc.isenabled()
        collector.uninstall()
        assert gc.isenabled()
    finally:
        if not was_enabled:
            gc.disable()


def test_garbage_made_in_a_worker_is_collected_on_the_gui_thread(qapp, qtbot) -> None:
    collector = GuiThreadCollector(interval_ms=10)
    collector.install()
    try:
        seen: list[str] = []

        def make_garbage() -> None:
            for _ in range(gc.get_threshold()[0] * 3):
                cycle = Cycle()
                cycle.collected_on = seen
            del cycle

        worker = threading.Thread(target=make_garbage, name="worker")
        worker.start()
        worker.join()
        assert seen == [], "a collection ran in the worker thread"
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        assert set(seen) == {threading.current_thread().name}
    finally:
        collector.uninstall()
