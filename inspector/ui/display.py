"""Whether a window can be shown at all, checked before Qt is imported.

Without a display, Qt aborts the process with its own advice ("Reinstalling the application may
fix this"), which is wrong and alarming. We say what is actually missing instead.
"""

from __future__ import annotations

import os
import sys
from typing import Mapping

NO_DISPLAY_MESSAGE = (
    "token-inspector: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is "
    "set). Run it from a desktop session, or use the command line: `token-inspector --help` "
    "lists the commands (decode, verify, flow, ...)."
)


def display_problem(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """A message when no window can be opened here; None when Qt can try."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY_MESSAGE
