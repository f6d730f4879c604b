"""kill -9 during history writes never loses a saved entry nor leaves an unreadable file."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspector.core.storage.history import HistoryStore
from inspector.core.storage.vault import Vault
from tests.support.memory_keyring import SEED_VARIABLE, MemoryKeyring

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROOT = Path(__file__).resolve().parents[3]
KILLS = 50


def test_sigkill_at_random_points_never_loses_returned_writes(tmp_path):
    path = tmp_path / "data" / "history.bin"
    keyring = MemoryKeyring()
    HistoryStore(path, Vault(keyring)).set_max_entries(100_000)  # creates the key and the file
    env = dict(os.environ, **{SEED_VARIABLE: json.dumps(keyring.seed())})
    rng = random.Random(20261130)
    returned: set[str] = set()
    mid_write = 0
    for run in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.support.history_writer", str(path), f"run{run}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
        )  # fmt: skip
        for _ in range(rng.randint(0, 6)):  # let it finish a few writes, then kill it mid-stream
            line = child.stdout.readline()
            assert line, f"writer died on its own: {child.stderr.read()}"
            returned.add(line.strip())
        # A random delay *is* the random kill point (nothing is being waited for).
        time.sleep(rng.uniform(0, 0.004))
        child.send_signal(signal.SIGKILL)
        returned.update(line.strip() for line in child.stdout.read().splitlines() if line.strip())
        child.wait()
        child.stdout.close()
        child.stderr.close()
        assert child.returncode == -signal.SIGKILL
        mid_write += bool(list(path.parent.glob("*.tmp")))  # killed between temp file and rename
        ids = {entry.id for entry in HistoryStore(path, Vault(keyring)).entries()}
        assert returned <= ids, f"run {run}: lost {sorted(returned - ids)}"
    assert len(returned) >= KILLS
    assert mid_write > 0, "no kill landed inside a write: the test did not exercise the crash window"
    print(f"{KILLS} kills, {mid_write} inside a write, {len(returned)} returned writes all kept")
    survivor = HistoryStore(path, Vault(keyring))
    survivor.add("after the crashes")
    assert not list(path.parent.glob("*.tmp"))
