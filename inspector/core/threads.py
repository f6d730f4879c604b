"""Starting the core's helper threads so that Ctrl+C always reaches the main thread.

A signal sent to the process (Ctrl+C's SIGINT) is delivered to any one of its threads that does
not block it. Python runs the handler (raising KeyboardInterrupt) on the main thread only, and
only once that thread runs Python code again: when the kernel hands the signal to a helper
thread while the main thread sits in a system call — the loopback listener's ``select``, for
the whole sign-in wait — the Ctrl+C is not seen until that call returns. So helper threads
block SIGINT. A thread inherits the signal mask of the thread that starts it, so the mask is
set around ``start`` (a helper could otherwise take a signal before it could block it itself);
a Ctrl+C arriving meanwhile stays pending and reaches the starter once it unblocks.
"""

from __future__ import annotations

import signal
import threading

__all__ = ["start"]

#: The signals Python turns into exceptions on the main thread.
MAIN_THREAD_SIGNALS = frozenset({signal.SIGINT})


def start(thread: threading.Thread) -> None:
    """Start ``thread`` with :data:`MAIN_THREAD_SIGNALS` blocked in it (where threads have
    signal masks; on Windows a console Ctrl+C is raised on the main thread anyway)."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:
        thread.start()
        return
    previous = mask(signal.SIG_BLOCK, MAIN_THREAD_SIGNALS)
    try:
        thread.start()
    finally:
        mask(signal.SIG_SETMASK, previous)
