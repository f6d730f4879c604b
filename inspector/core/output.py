"""A file written where the person said (``-o``, a Save dialog): never over one of the inputs it
was made from, and whole or not at all. The CLI and the GUI both write through it.

The input is refused as output by what it is, not by its name: the same path, a symbolic link to
it, or another hard link of it (``os.path.samefile``). The content goes to a temporary file in
the same folder, flushed and fsynced, then renamed over the target, so a reader (or a crash)
sees the old file or the new one, never half of it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from inspector.core.errors import InspectorError

__all__ = ["refuse_inputs", "write_output"]


def refuse_inputs(output: str, inputs: Iterable[str]) -> None:
    """A usage error when ``output`` is a folder or one of ``inputs`` under any name."""
    target = Path(output).expanduser()
    if target.is_dir():
        raise InspectorError(f"{output!r} is a folder: name the file to write.", code="usage")
    for source in inputs:
        try:
            same = os.path.samefile(target, Path(source).expanduser())
        except (OSError, ValueError):
            continue  # one of them does not exist (yet): they cannot be the same file
        if same:
            raise InspectorError(f"{output!r} is the input file {source!r} (or a link to it): it is never overwritten.",
                                 code="usage", hint="Write to another file name.")


def write_output(output: str, chunks: Iterable[bytes]) -> None:
    """``chunks`` written to ``output`` atomically (mode 0600 on POSIX: it may still say who signed in)."""
    target = Path(output).expanduser()
    try:
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InspectorError(f"Cannot write {output!r}: {exc.strerror or exc}.", code="usage") from exc
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.writelines(chunks)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InspectorError(f"Cannot write {output!r}: {exc.strerror or exc}. Nothing was written.",
                             code="usage") from exc
