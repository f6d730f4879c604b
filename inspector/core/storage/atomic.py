"""Crash-safe file replacement: a reader sees the old file or the new one, never a torn mix.

The new content goes to a temporary file in the same folder (so the rename stays on one file
system), is flushed and fsynced, then ``os.replace`` swaps it in and the folder is fsynced so the
rename itself survives a power cut. A SIGKILL at any point leaves at worst a stray temporary file,
which :func:`remove_stale_temporaries` sweeps up (call it while holding the store's lock).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from inspector.core.errors import StorageError

TEMP_SUFFIX = ".tmp"


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` (owner-only on POSIX) if needed."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"Cannot create the folder {folder}: {exc.strerror or exc}.",
            hint="Check its permissions, or point TOKEN_INSPECTOR_HOME somewhere writable.",
        ) from exc


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably (file mode 0600 on POSIX)."""
    ensure_private_dir(path.parent)
    try:
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise StorageError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as exc:
        _unlink_quietly(Path(temp_name))
        raise StorageError(
            f"Cannot write {path}: {exc.strerror or exc}. The previous version is unchanged.",
            hint="Check free disk space and the folder's permissions.",
        ) from exc
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened, i.e. Windows)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files a killed writer of ``path`` left behind."""
    for stray in path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"):
        _unlink_quietly(stray)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
