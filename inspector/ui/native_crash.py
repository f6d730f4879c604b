"""A trace of a native crash, kept for the next start.

A crash in native code (Qt, a C extension) — a segmentation fault, an abort — ends the process
before any Python handler runs: no error dialog, nothing that says what happened. faulthandler
writes the Python stack of every thread into a file in the app's data folder at that moment.
The next start takes the trace from there to offer it (see MainWindow.show_crash_notice), keeps
a copy for a support person, and empties the file, so each trace is offered once.

Only source file names, line numbers and function names are written: never a token or secret.
"""

from __future__ import annotations

import faulthandler
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable

from inspector.core.storage.paths import AppPaths

TRACE_FILE = "native-crash.txt"
#: The last trace offered, for a support person to find after the notice is gone.
KEPT_FILE = "native-crash.previous.txt"
#: A trace is a few kB; no more than this is read from a file that grew for another reason.
MAX_TRACE_BYTES = 256 * 1024


@dataclass
class CrashTrace:
    """This process's trace file (``None``: no writable data folder) and the last run's trace."""

    path: Path | None
    #: The trace a crashed earlier run left ("" when it ended normally).
    previous: str = ""
    #: Where that trace was kept (None: not kept, or none to keep).
    kept: Path | None = None
    #: Open for the whole process: faulthandler writes to its descriptor when the crash comes.
    file: BinaryIO | None = field(default=None, repr=False)


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def install(paths: AppPaths, enable: Callable[..., None] = faulthandler.enable) -> CrashTrace:
    """Take the trace an earlier run left, then have faulthandler write this run's into the same
    file (``enable`` is the seam for tests, which must not take over pytest's own handler).

    Never raises: without a writable data folder there is no trace file, and the app starts.
    The file is opened for appending, so two running instances never cut each other's trace.
    """
    path = paths.data_dir / TRACE_FILE
    try:
        paths.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        file = open(path, "a+b", opener=_private)  # noqa: SIM115 - open for the process's lifetime
    except OSError:
        return CrashTrace(None)
    try:
        previous, kept = _take_trace(file, paths.data_dir / KEPT_FILE)
        enable(file, all_threads=True)
    except (OSError, RuntimeError, ValueError):
        file.close()
        return CrashTrace(None)
    return CrashTrace(path, previous, kept, file)


def _take_trace(file: BinaryIO, keep: Path) -> tuple[str, Path | None]:
    """The trace in ``file`` (faulthandler writes ASCII; paths may hold anything), copied to
    ``keep`` where possible; ``file`` is emptied so the trace is not offered again."""
    file.seek(0)
    data = file.read(MAX_TRACE_BYTES)
    if not data:
        return "", None
    file.truncate(0)
    trace = data.decode("utf-8", "replace").strip()
    if not trace:
        return "", None
    from inspector.core.errors import StorageError
    from inspector.core.storage.atomic import write_atomic

    try:
        write_atomic(keep, data)
    except (StorageError, OSError):
        return trace, None
    return trace, keep
