"""Benchmark: the token history with 10,000 entries (run on demand, never in CI's pass/fail).

    .venv/bin/python tests/benchmarks/bench_history.py [--entries N] [--repeat R]

Every figure is compared, in the same run, with the bare cost of reading the same file and
decrypting it with AESGCM (nothing else, no copies). Target: open (decrypt + index) + list <= 2x.

- "open + list": a fresh store (key from the keyring, file read, decrypt, index) and the listing
  with its first screen of 50 rows built — what the GUI table and `history list` do.
- "+ every row": also builds all row objects (e.g. `history list --limit 0`).
- searches: all matches found and counted, first 50 rows built; on an open store, and "first
  search" on a fresh one (includes opening and building the lower-case search text).
- add: one entry on an open store (summary, encode, encrypt, atomic write with two fsyncs), with
  10,000 entries and with 1,000 (the default retention).

The actions run round-robin R times and each figure is the median, so a busy machine slows all
of them alike; the file stays in the page cache.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

from inspector.core.storage.history import KEY_NAME, HistoryStore, NewToken  # noqa: E402
from inspector.core.storage.vault import SERVICE, Vault  # noqa: E402
from tests.support.memory_keyring import MemoryKeyring  # noqa: E402

PAGE = 50


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def realistic_token(n: int) -> NewToken:
    """~1 kB RS256-signed-looking access and ID tokens, and some opaque refresh tokens."""
    if n % 5 == 4:
        return NewToken(b64(os.urandom(48)), "refresh", "authorization_code", f"profile-{n % 7}")
    claims = {
        "iss": f"https://login{n % 3}.example.com/realms/team-{n % 11}", "sub": f"user-{n:05d}",
        "aud": ["api://orders", f"client-{n % 13}"], "exp": 1_900_000_000 + n, "iat": 1_899_996_400 + n,
        "scope": "openid profile email orders:read", "email": f"user{n}@example.com", "jti": os.urandom(8).hex(),
    }  # fmt: skip
    header = {"alg": "RS256", "typ": "at+jwt" if n % 2 else "JWT", "kid": "2024-rotation-key"}
    token = ".".join([b64(json.dumps(header).encode()), b64(json.dumps(claims).encode()), b64(os.urandom(256))])
    return NewToken(token, None, "authorization_code" if n % 3 else "device_code", f"profile-{n % 7}")


def round_robin(actions: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {label: [] for label in actions}
    for _ in range(repeat):
        for label, action in actions.items():
            start = time.perf_counter()
            result = action()
            samples[label].append((time.perf_counter() - start) * 1000)
            del result  # freed outside the timed region
    return {label: statistics.median(values) for label, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=21)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.bin"
        keyring = MemoryKeyring()
        seeding = HistoryStore(path, Vault(keyring), max_entries=max(options.entries, 1000))
        start = time.perf_counter()
        seeding.add_many(realistic_token(n) for n in range(options.entries))
        seed_ms = (time.perf_counter() - start) * 1000
        key = base64.b64decode(keyring.entries[(SERVICE, KEY_NAME)])
        size = path.stat().st_size
        opened = HistoryStore(path, Vault(keyring))
        opened.entries()
        matches: dict[str, int] = {}

        def bare() -> bytes:
            view = memoryview(path.read_bytes())  # format 2: a 25-byte header, then the 12-byte nonce
            return AESGCM(key).decrypt(view[25:37], view[37:], view[:25])

        def open_and_list() -> Any:
            view = HistoryStore(path, Vault(keyring)).entries()
            return view, list(view[:PAGE])

        def open_and_list_every_row() -> Any:
            return list(HistoryStore(path, Vault(keyring)).entries())

        def searching(store_factory: Callable[[], HistoryStore], text: str) -> Callable[[], Any]:
            def action() -> Any:
                found = store_factory().search(text)
                matches[text] = len(found)
                return found, list(found[:PAGE])

            return action

        actions = {
            "bare read + AESGCM decrypt": bare,
            "open + list (first 50 rows)": open_and_list,
            "open + list + every row": open_and_list_every_row,
            "open + first search 'user-0042'": searching(lambda: HistoryStore(path, Vault(keyring)), "user-0042"),
            "search 'login1 orders'": searching(lambda: opened, "login1 orders"),
            "search 'sub:user-0042 kind:access'": searching(lambda: opened, "sub:user-0042 kind:access"),
            "search 'iss:team-3'": searching(lambda: opened, "iss:team-3"),
        }
        figures = round_robin(actions, options.repeat)
        small = HistoryStore(Path(folder) / "small.bin", Vault(keyring))  # the default retention: 1,000
        small.add_many(realistic_token(n) for n in range(1000))
        adds = round_robin(
            {"bare": bare, "add": lambda: opened.add(realistic_token(1).token),
             "add_small": lambda: small.add(realistic_token(2).token)},
            max(5, options.repeat // 3),
        )  # fmt: skip

    bare_ms = figures.pop("bare read + AESGCM decrypt")
    print(f"history: {options.entries:,} entries, file {size / 1e6:.1f} MB, seeded in one write in {seed_ms:.0f} ms")
    print(f"{'bare read + AESGCM decrypt':36} {bare_ms:8.2f} ms   1.00x")
    for label, ms in figures.items():
        note = "  (target <= 2x)" if label.startswith("open + list (") else ""
        found = next((f"  {count:,} matches" for text, count in matches.items() if f"'{text}'" in label), "")
        print(f"{label:36} {ms:8.2f} ms  {ms / bare_ms:5.2f}x{note}{found}")
    print(f"{'add one entry (rewrite + 2 fsyncs)':36} {adds['add']:8.2f} ms  {adds['add'] / adds['bare']:5.2f}x")
    print(f"{'add one entry, 1,000-entry history':36} {adds['add_small']:8.2f} ms  (the default retention)")


if __name__ == "__main__":
    main()
