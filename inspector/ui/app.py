"""The desktop application: QApplication setup, the main window, first paint, then warm-up.

Before the first paint only QtCore/QtGui/QtWidgets and the window's frame (profile bar, sidebar,
menu, status bar) are set up. Right after it the panel on screen is built (the Decoder's
modules and Qt's enum tables cost more than a whole bare window), then a worker imports httpx,
PyJWT, cryptography and keyring, and the other panels are built. So the window appears about
as fast as a bare Qt window, and is usable a frame later.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from inspector import __version__
from inspector.core.storage.paths import default_paths
from inspector.resources import APP_ID
from inspector.ui.collector import GuiThreadCollector
from inspector.ui.context import AppContext
from inspector.ui.errorhook import ExceptionHook
from inspector.ui.icon import app_icon
from inspector.ui.native_crash import install as install_crash_trace
from inspector.ui.settings import open_settings
from inspector.ui.views.main_window import MainWindow
from inspector.ui.workers import WorkerPool

#: Benchmark and smoke-test hook ("1"): print "painted <ms>" at the first paint, "ready <ms>" when the
#: panel on screen is painted, "idle rss_kb=<n>" after the warm-up, then quit with status 0.
EXIT_AFTER_PAINT = "TOKEN_INSPECTOR_EXIT_AFTER_PAINT"


class FirstPaintWatcher(QObject):
    """Calls ``callback`` once, right after the window's first paint has been delivered."""

    def __init__(self, window: QObject, callback) -> None:
        super().__init__(window)
        self._callback = callback
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False


def resident_kb() -> int:
    """This process's resident memory in kB (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        return 0


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv[:1]))
    app.setApplicationName("Token Inspector")
    app.setApplicationDisplayName("Token Inspector")
    app.setOrganizationName("token-inspector")
    app.setApplicationVersion(__version__)
    # The launcher entry's name (Wayland's app_id): the taskbar finds the entry, and its icon, by it.
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def create_window(context: AppContext) -> MainWindow:
    return MainWindow(context, open_settings(context.paths))


def run_gui(argv: Sequence[str] | None = None, context: AppContext | None = None) -> int:
    """Open the main window and run until it closes; the exit code for the process.

    A native crash writes a trace into the data folder from the very start; a trace the last
    run left is offered above the panels."""
    started = time.perf_counter()
    paths = context.paths if context is not None else default_paths()
    crash_trace = install_crash_trace(paths)
    app = create_application(argv)
    context = context or AppContext.from_environment(WorkerPool(app), paths)
    window = create_window(context)
    if crash_trace.previous:
        window.show_crash_notice(crash_trace.previous, crash_trace.kept)
    hook = ExceptionHook(lambda: window)
    hook.install()
    collector = GuiThreadCollector(app)
    collector.install()
    benchmark = os.environ.get(EXIT_AFTER_PAINT) == "1"

    def on_idle() -> None:
        if benchmark:
            print(f"idle rss_kb={resident_kb()}", flush=True)
            app.quit()

    def on_panel_painted() -> None:
        if benchmark:
            print(f"ready {(time.perf_counter() - started) * 1000:.1f}", flush=True)
        window.warm_up(on_idle)

    def on_first_paint() -> None:
        if benchmark:
            print(f"painted {(time.perf_counter() - started) * 1000:.1f}", flush=True)
        window.finish_startup()
        FirstPaintWatcher(window.panels[window.current_panel_name], on_panel_painted)

    FirstPaintWatcher(window, on_first_paint)
    window.show()
    try:
        return app.exec()
    finally:
        collector.uninstall()
        hook.uninstall()
