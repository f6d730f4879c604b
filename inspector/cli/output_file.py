"""Writing a command's result to standard output as the bytes it is (a HAR, a report)."""

from __future__ import annotations

import sys
from typing import Iterable

__all__ = ["write_stdout"]


def write_stdout(chunks: Iterable[bytes]) -> None:
    """``chunks`` to standard output as bytes."""
    stream = getattr(sys.stdout, "buffer", None)
    for chunk in chunks:
        if stream is not None:
            stream.write(chunk)
        else:
            sys.stdout.write(chunk.decode("utf-8", "replace"))
    sys.stdout.flush()
