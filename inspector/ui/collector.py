"""Python's cyclic garbage collection, run only on the GUI thread.

Left automatic, the collector runs in whichever thread happens to allocate when a threshold is
crossed — often a worker deep in httpx. If the garbage it finds holds Qt objects (a closed
dialog, a panel's lambda), their C++ side is destroyed from that worker thread, which crashes
Qt. This is the approach of pyqtgraph's GarbageCollector: automatic collection off, and a timer
on the GUI thread collects with the same generational thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    """Owns garbage collection while installed; ``uninstall`` gives it back to Python."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)
        self._was_enabled = gc.isenabled()

    def install(self) -> None:
        gc.disable()
        self._timer.start()

    def uninstall(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect_if_due(self) -> None:
        """Collect the oldest generation whose allocation count passed its threshold."""
        thresholds = gc.get_threshold()
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return
