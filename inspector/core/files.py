"""Reading a file the user named, bounded: the one way the core and both front ends do it.

A path typed or dropped by mistake or malice may name a FIFO (opening it waits for a writer for
ever), a device (``/dev/zero`` never ends), a folder or a file far too large to hold. Every reader
of user files (key and JWKS files, secrets, CA bundles, profile exports, HAR recordings, artifacts
to diagnose) goes through :func:`read_bounded`, so each refusal is decided and worded once:
"Cannot read <what> <path>: <reason>." as the caller's error class, with the caller's code and hint.
Standard library only: ``token-inspector decode`` imports it.
"""

from __future__ import annotations

import math
import os
import select
import stat
import time
from pathlib import Path

from inspector.core.errors import InspectorError, UnusableInputError

__all__ = ["STREAM_SECONDS", "amount", "read_bounded", "require_regular", "too_large"]

#: How long a pipe may take to reach its end (``--secret-file <(pass show x)`` may wait for a
#: passphrase prompt first).
STREAM_SECONDS = 60.0
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class _Refused(Exception):
    """Why a file cannot be read; ``size`` marks a refusal by size (it takes the size hint)."""

    def __init__(self, reason: str, *, size: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.size = size


def read_bounded(path: str | Path, *, limit: int, what: str, error: type[InspectorError] = UnusableInputError,
                 code: str | None = None, hint: str | None = None, size_hint: str | None = None,
                 streams: bool = False, wait: float | None = None) -> bytes:
    """The bytes of ``path`` (``~`` expanded), at most ``limit`` of them; ``what`` names it in the
    message ("the key file"). A refusal is ``error(message, code=code, hint=...)``: ``size_hint``
    for a file too large, ``hint`` for anything else.

    Only a regular file is read, and one over ``limit`` bytes is refused unread, unless ``streams``:
    then a pipe, FIFO or device (``<(pass show x)``) is read up to ``limit`` bytes for at most
    ``wait`` seconds (default :data:`STREAM_SECONDS`). The file is opened non-blocking, so opening
    a FIFO nobody writes to returns at once.
    """
    try:
        return _read(Path(path).expanduser(), limit, streams, STREAM_SECONDS if wait is None else wait)
    except _Refused as refused:
        raise error(f"Cannot read {what} {str(path)!r}: {refused.reason}.", code=code,
                    hint=size_hint if refused.size else hint) from refused.__cause__


def require_regular(path: str | Path, *, what: str, error: type[InspectorError] = UnusableInputError,
                    code: str | None = None, hint: str | None = None) -> None:
    """Refuse ``path`` unless it is a regular file, for a library that reads it again by name
    (OpenSSL's ``cafile`` would wait for ever on a FIFO and read a device without end)."""
    try:
        try:
            _regular(os.stat(Path(path).expanduser()).st_mode)
        except OSError as exc:
            raise _Refused(_reason(exc)) from exc
        except ValueError as exc:
            raise _Refused("a file name cannot contain a NUL byte") from exc
    except _Refused as refused:
        raise error(f"Cannot read {what} {str(path)!r}: {refused.reason}.", code=code, hint=hint) from refused.__cause__


def too_large(size: int | None, limit: int) -> str:
    """Why content of ``size`` bytes (None: unknown, it did not end) is refused: "<it is> too large..."."""
    found = f"{amount(size)}, " if size is not None else ""
    return f"too large to read: {found}more than the {amount(limit)} it can be"


def amount(size: int) -> str:
    """A byte count as people read it: whole tenths of a megabyte as MB (a recording's size),
    anything else exactly (a limit such as 65,536 bytes stays recognisable)."""
    if size >= 1_000_000 and not size % 100_000:
        return f"{size / 1_000_000:,.1f} MB".replace(".0 ", " ")
    return f"{size:,} bytes"


def _read(location: Path, limit: int, streams: bool, wait: float) -> bytes:
    try:
        if not streams:
            _regular(os.stat(location).st_mode)  # before opening: a device may act on open
        fd = os.open(location, _FLAGS)
    except OSError as exc:
        raise _Refused(_reason(exc)) from exc
    except ValueError as exc:  # a NUL byte in the path: no file system accepts one
        raise _Refused("a file name cannot contain a NUL byte") from exc
    try:
        mode = os.fstat(fd)
        if not streams or stat.S_ISDIR(mode.st_mode):
            _regular(mode.st_mode)  # swapped for another kind since the stat
        if stat.S_ISREG(mode.st_mode):
            return _read_regular(fd, mode.st_size, limit)
        return _read_stream(fd, limit, wait)
    except OSError as exc:
        raise _Refused(_reason(exc)) from exc
    finally:
        os.close(fd)


def _regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((kind for test, kind in _KINDS if test(mode)), "something else")
        raise _Refused(f"it is {kind}, not a regular file")


def _reason(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    if isinstance(exc, (FileNotFoundError, IsADirectoryError)):
        return f"it is not a file ({reason.lower()})"
    return reason


def _read_regular(fd: int, size: int, limit: int) -> bytes:
    """One read, as json.load does: reading in chunks into a buffer of our own costs a copy of tens
    of MB. One byte more than ``fstat`` said shows a file that grew since (or ``/proc`` files,
    which say 0)."""
    if size > limit:
        raise _Refused("it is " + too_large(size, limit), size=True)
    data = _read_some(fd, size + 1)
    if len(data) > size:
        data += _read_some(fd, limit + 1 - len(data))
    if len(data) > limit:
        raise _Refused("it is " + too_large(None, limit), size=True)
    return data


def _read_some(fd: int, count: int) -> bytes:
    """Up to ``count`` bytes, to the end of the file (os.read may return fewer)."""
    chunks: list[bytes] = []
    while count > 0 and (chunk := os.read(fd, count)):
        chunks.append(chunk)
        count -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _read_stream(fd: int, limit: int, wait: float) -> bytes:
    if not hasattr(select, "poll"):
        raise _Refused("it is not a regular file")  # Windows: no way to bound the wait on it
    deadline = time.monotonic() + wait
    chunks: list[bytes] = []
    size = 0
    while True:
        if not _readable(fd, deadline - time.monotonic()):
            more = "more " if size else ""
            raise _Refused(f"nothing {more}arrived within {wait:g} seconds (is it a pipe or FIFO nobody writes to?)")
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            continue
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _Refused("it is " + too_large(None, limit), size=True)


def _readable(fd: int, seconds: float) -> bool:
    """poll(2), not select(2): it takes any descriptor number, and devices without a poll method
    (``/dev/zero``) simply count as readable."""
    if seconds <= 0:
        return False
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(max(1, math.ceil(seconds * 1000))))
