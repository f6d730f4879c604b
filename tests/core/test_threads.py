"""The core's helper threads block Ctrl+C, so the kernel hands it to the main thread, which
raises KeyboardInterrupt at once, even while it waits in a system call (the loopback listener's
select). Each thread reports its own signal mask from inside."""

import signal
import threading
from types import SimpleNamespace

import pytest

from inspector.core import threads
from inspector.core.flows import id_token
from inspector.core.protocol import watchdog
from inspector.core.storage.flow_link import HistoryRecorder

pytestmark = pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no per-thread signal masks")


def _own_mask():
    return signal.pthread_sigmask(signal.SIG_BLOCK, [])


def test_a_started_thread_blocks_ctrl_c_and_the_starter_still_receives_it():
    seen = []
    thread = threading.Thread(target=lambda: seen.append(_own_mask()))
    threads.start(thread)
    thread.join(10)
    assert signal.SIGINT in seen[0]
    assert signal.SIGINT not in _own_mask()


def test_the_history_recorders_thread_blocks_ctrl_c():
    seen = []

    class Storage:
        @property
        def vault(self):
            seen.append(_own_mask())
            return SimpleNamespace(backend=None)

        history = None

    recorder = HistoryRecorder(Storage())
    recorder.prepare()
    recorder.finish()
    assert seen and signal.SIGINT in seen[0]


def test_the_request_deadline_thread_blocks_ctrl_c():
    fired = threading.Event()
    seen = []
    watchdog.arm(0, lambda: (seen.append(_own_mask()), fired.set()))
    assert fired.wait(10)
    assert signal.SIGINT in seen[0]


def test_the_verifier_preload_thread_blocks_ctrl_c(monkeypatch):
    done = threading.Event()
    seen = []
    monkeypatch.setattr(id_token, "_import_verifier", lambda: (seen.append(_own_mask()), done.set()))
    id_token.preload_verifier()
    assert done.wait(10)
    assert signal.SIGINT in seen[0]
