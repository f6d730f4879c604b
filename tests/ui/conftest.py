"""GUI test setup: offscreen Qt (set before any Qt import), a throwaway home, a worker pool."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402
from typing import Iterator  # noqa: E402

import pytest  # noqa: E402

#: The offscreen platform cannot pass size hints to a window system; it says so once per window.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def gui_thread_collection(qapp) -> Iterator[None]:
    """As in the app: garbage collection only on the GUI thread, never inside a worker."""
    from inspector.ui.collector import GuiThreadCollector

    collector = GuiThreadCollector()
    collector.install()
    yield
    collector.uninstall()
    collector.deleteLater()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def context(qapp, home: Path) -> Iterator["AppContext"]:  # noqa: F821
    from inspector.core.storage.paths import AppPaths
    from inspector.ui.context import AppContext
    from inspector.ui.workers import WorkerPool

    from tests.support.memory_keyring import MemoryKeyring

    pool = WorkerPool()
    ctx = AppContext(pool=pool, paths=AppPaths.under(home), keyring_backend=MemoryKeyring({}))
    yield ctx
    assert pool.shutdown(10_000), "a worker did not stop within 10 s of being cancelled"


@pytest.fixture
def window(qtbot, context):
    from inspector.ui.app import create_window

    win = create_window(context)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.finish_startup()
    return win


#: The smallest window the layout is made for (issue 12): everything must stay usable at this size.
SMALL_WINDOW = (900, 600)


@pytest.fixture
def small_window(qtbot, context):
    """The main window at 900×600 with every panel built, as after the app's warm-up."""
    from inspector.ui.app import create_window

    win = create_window(context)
    qtbot.addWidget(win)
    win.resize(*SMALL_WINDOW)
    win.show()
    qtbot.waitExposed(win)
    win.finish_startup()
    win.warm_up()
    assert (win.width(), win.height()) == SMALL_WINDOW
    return win


@pytest.fixture
def broken_storage_context(context) -> "AppContext":  # noqa: F821
    """The same services, but every store access fails with a bug-shaped exception
    (``KeyError('history')``, not one of ours), to check what the user is shown."""
    from inspector.ui.context import AppContext

    class BrokenStorageContext(AppContext):
        @property
        def storage(self):  # noqa: ANN201
            raise KeyError("history")

    return BrokenStorageContext(pool=context.pool, paths=context.paths, keyring_backend=context.keyring_backend)
