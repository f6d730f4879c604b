"""Child process of the crash test: adds history entries until it is killed.

Each id is printed (and flushed) only after ``add`` returned, i.e. after the write was durable;
the parent kills this process with SIGKILL at a random moment and then checks every printed id
is still in the history. The history key comes from ``MEMORY_KEYRING_SEED``.
Usage: python -m tests.support.history_writer HISTORY_FILE LABEL
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from inspector.core.storage.history import HistoryStore
from inspector.core.storage.vault import Vault
from tests.support.memory_keyring import MemoryKeyring


def main(path: str, label: str) -> None:
    store = HistoryStore(Path(path), Vault(MemoryKeyring()))
    padding = os.urandom(600).hex()  # ~1.2 kB tokens, like real JWTs
    number = 0
    while True:
        entry = store.add(f"{label}.{number}.{padding}", kind="access", source="crash-test")
        print(entry.id, flush=True)
        number += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
