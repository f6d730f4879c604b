"""A native crash leaves a trace in the data folder, and the next start takes it once (issue 12:
the process aborted while painting, and nothing told what had happened)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from inspector.core.storage.paths import AppPaths
from inspector.ui.native_crash import KEPT_FILE, TRACE_FILE, install

ROOT = Path(__file__).resolve().parents[2]
CRASH = """
import os, resource, sys
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file for a crash on purpose
from inspector.core.storage.paths import AppPaths
from inspector.ui.native_crash import install

def painting():
    os.abort()  # what the crash report showed: an abort inside a paint

install(AppPaths.under(sys.argv[1]))
painting()
"""


def not_enabled(*_args, **_kwargs) -> None:
    """In-process, pytest's own fault handler stays in place."""


def test_a_native_crash_leaves_a_trace_that_the_next_start_offers_once(tmp_path):
    home = tmp_path / "home"
    crashed = subprocess.run([sys.executable, "-c", CRASH, str(home)], cwd=ROOT, capture_output=True, timeout=60)
    assert crashed.returncode != 0
    paths = AppPaths.under(home)
    written = (paths.data_dir / TRACE_FILE).read_text()
    assert "Fatal Python error: Aborted" in written and "in painting" in written

    first = install(paths, enable=not_enabled)
    assert "Fatal Python error: Aborted" in first.previous and "in painting" in first.previous
    assert first.kept == paths.data_dir / KEPT_FILE and first.kept.read_text().strip() == first.previous
    assert (paths.data_dir / TRACE_FILE).read_bytes() == b"", "the trace would be offered again"
    first.file.close()
    second = install(paths, enable=not_enabled)
    assert second.previous == "" and second.kept is None
    second.file.close()


def test_the_trace_file_is_handed_to_faulthandler_and_stays_open(tmp_path):
    enabled: list[tuple] = []
    trace = install(AppPaths.under(tmp_path), enable=lambda file, **options: enabled.append((file, options)))
    assert enabled == [(trace.file, {"all_threads": True})]
    assert not trace.file.closed and trace.path == tmp_path / "data" / TRACE_FILE
    trace.file.close()


def test_an_unwritable_data_folder_does_not_stop_the_start(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    enabled: list[object] = []
    trace = install(AppPaths.under(blocker), enable=enabled.append)  # the data folder cannot be created
    assert trace.path is None and trace.previous == "" and trace.file is None
    assert enabled == []


def test_a_trace_that_cannot_be_kept_is_still_offered(tmp_path):
    paths = AppPaths.under(tmp_path)
    paths.data_dir.mkdir(parents=True)
    (paths.data_dir / TRACE_FILE).write_text("Fatal Python error: Segmentation fault\n")
    (paths.data_dir / KEPT_FILE).mkdir()  # a folder where the copy should go
    trace = install(paths, enable=not_enabled)
    assert trace.previous == "Fatal Python error: Segmentation fault" and trace.kept is None
    trace.file.close()


def test_the_app_takes_the_last_runs_trace_when_it_starts(tmp_path):
    import os

    paths = AppPaths.under(tmp_path / "home")
    paths.data_dir.mkdir(parents=True)
    (paths.data_dir / TRACE_FILE).write_text("Fatal Python error: Aborted\n")
    env = dict(os.environ, TOKEN_INSPECTOR_HOME=str(tmp_path / "home"), TOKEN_INSPECTOR_EXIT_AFTER_PAINT="1",
               QT_QPA_PLATFORM="offscreen")
    started = subprocess.run([sys.executable, "-m", "inspector"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    assert "idle" in started.stdout
    assert (paths.data_dir / TRACE_FILE).read_text() == ""
    assert (paths.data_dir / KEPT_FILE).read_text() == "Fatal Python error: Aborted\n"
