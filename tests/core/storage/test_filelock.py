import subprocess
import sys

import pytest

from inspector.core.storage.filelock import locked

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="probes the lock with fcntl")

PROBE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    print("busy")
else:
    print("free")
"""


def probe(lock_file):
    return subprocess.run([sys.executable, "-c", PROBE, str(lock_file)], capture_output=True, text=True, check=True).stdout.strip()


def test_lock_excludes_other_processes_until_released(tmp_path):
    target = tmp_path / "data" / "history.bin"
    lock_file = target.with_name(".history.bin.lock")
    with locked(target):
        assert probe(lock_file) == "busy"
    assert probe(lock_file) == "free"


def test_lock_is_released_when_the_body_raises(tmp_path):
    target = tmp_path / "history.bin"
    with pytest.raises(RuntimeError), locked(target):
        raise RuntimeError("boom")
    assert probe(target.with_name(".history.bin.lock")) == "free"
