"""An exclusive lock between processes (the GUI and a CLI run may write the same file).

The lock is an advisory lock on a sibling ``.lock`` file; the operating system releases it when
the holder dies, so a killed writer never blocks the next one.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from inspector.core.errors import StorageError
from inspector.core.storage.atomic import ensure_private_dir


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for writes to ``path`` (blocks until it is free)."""
    ensure_private_dir(path.parent)
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StorageError(f"Cannot create the lock file {lock_path}: {exc.strerror or exc}.") from exc
    try:
        _acquire(fd)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _acquire(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)

    def _release(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _acquire(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
