"""Benchmark: the token history with 10,000 entries (run on demand, never in CI's pass/fail).

    .venv/bin/python tests/benchmarks/bench_history.py [--entries N] [--flows PERCENT] [--repeat R]

By default one entry in ten is a saved flow: a realistic auth code record (discovery metadata,
authorize, callback, token response with JWTs, ID token check, userinfo) of about 9 kB of JSON,
stored compressed beside ~1 kB tokens.

Every figure is compared, in the same run, with the bare cost of reading the same file and
decrypting it with AESGCM (nothing else, no copies). Target: open (decrypt + index) + list <= 2x.

- "open + list": a fresh store (key from the keyring, file read, decrypt, index) and the listing
  with its first screen of 50 rows built — what the GUI table and `history list` do.
- "+ every row": also builds all row objects (e.g. `history list --limit 0`).
- searches: all matches found and counted, first 50 rows built; on an open store, and "first
  search" on a fresh one (includes opening and building the lower-case search text).
- add: one entry on an open store (summary, encode, encrypt, atomic write with two fsyncs), with
  10,000 entries and with 1,000 (the default retention); and one flow record (compress, then the same).
- show a flow: read one saved flow's record and rebuild the flow (what opening it in the GUI does).

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

from inspector.core.flows.record import FlowRecord  # noqa: E402
from inspector.core.storage.history import KEY_NAME, HistoryStore, NewToken, _new_id  # noqa: E402
from inspector.core.storage.history_table import HistoryEntry  # noqa: E402
from inspector.core.storage.summary import summarize  # noqa: E402
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


def realistic_flow(n: int) -> FlowRecord:
    """A finished auth code flow's record, shaped as the runner records it, with fresh random tokens."""
    issuer = f"https://login{n % 3}.example.com/realms/team-{n % 11}"
    access, id_token = realistic_token(n).token, realistic_token(n + 1).token
    metadata = {name: f"{issuer}/protocol/openid-connect/{name}" for name in (
        "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint",
        "introspection_endpoint", "revocation_endpoint", "device_authorization_endpoint")}
    metadata |= {"issuer": issuer, "scopes_supported": ["openid", "profile", "email", "offline_access"] * 3,
                 "response_types_supported": ["code", "id_token", "code id_token"],
                 "id_token_signing_alg_values_supported": ["RS256", "ES256", "PS256"],
                 "claims_supported": ["sub", "iss", "aud", "exp", "iat", "email", "name", "preferred_username"] * 2}
    exchange = {"headers": {"content-type": "application/json", "cache-control": "no-store"}}
    response = {"access_token": access, "id_token": id_token, "refresh_token": "eyJhbG…(812 chars)",
                "token_type": "Bearer", "expires_in": 300, "scope": "openid profile email offline_access"}
    claims = {"iss": issuer, "sub": f"user-{n:05d}", "aud": "web", "email": f"user{n}@example.com", "nonce": "n"}
    lines = (
        {"step": "discovery", "status": "ok", "issuer": issuer, "duration_ms": 41.2, "findings": [],
         "request": {"method": "GET", "url": f"{issuer}/.well-known/openid-configuration", "headers": {}, "params": {}},
         "response": {"status": 200, **exchange, "body": metadata}, "elapsed_ms": 40.8},
        {"step": "authorize", "status": "ok", "url": f"{metadata['authorization_endpoint']}?client_id=web&" + "x" * 300,
         "redirect_uri": "http://127.0.0.1:53817/callback", "duration_ms": 2.0, "findings": []},
        {"step": "callback", "status": "ok", "code": "a1b2c3…(44 chars)", "iss": issuer, "duration_ms": 5210.4,
         "findings": []},
        {"step": "token", "status": "ok", "auth_method": "client_secret_basic", "token": response,
         "request": {"method": "POST", "url": metadata["token_endpoint"], "headers": {"authorization": "••••••"},
                     "params": {"grant_type": "authorization_code", "code": "a1b2c3…(44 chars)",
                                "code_verifier": "••••••", "redirect_uri": "http://127.0.0.1:53817/callback"}},
         "response": {"status": 200, **exchange, "body": response}, "elapsed_ms": 88.1, "duration_ms": 88.6,
         "findings": []},
        {"step": "id_token", "status": "ok", "claims": claims, "valid": True, "duration_ms": 12.3,
         "findings": [{"code": "verified", "severity": "info", "message": "The signature is valid (RS256)."}]},
        {"step": "userinfo", "status": "ok", "claims": claims, "duration_ms": 30.1, "findings": []},
        {"step": "done", "status": "ok", "flow": "auth_code", "id": os.urandom(16).hex(), "duration_ms": 5390.0,
         "findings": []},
    )  # fmt: skip
    titles = tuple((line["step"], line["step"].title()) for line in lines[:-1])
    return FlowRecord("auth_code", "ok", lines, titles, f"profile-{n % 7}", issuer, 1_899_996_400.0 + n)


def seed(store: HistoryStore, count: int, flow_percent: int) -> None:
    """``count`` entries in one write, one in ``100 / flow_percent`` a flow record."""
    every = 100 // flow_percent if flow_percent else 0
    taken: set[str] = set()

    def change(table: Any) -> Any:
        pairs = []
        for n in range(count):
            if every and n % every == every - 1:
                record = realistic_flow(n)
                entry = HistoryEntry(_new_id(table, taken), 1_899_996_400.0 + n, "flow", "auth_code", record.profile,
                                     record.issuer, f"user-{n:05d}", (), None, "ok")  # fmt: skip
                pairs.append((entry, record.encode()))
            else:
                item = realistic_token(n)
                summary = summarize(item.token, item.kind)
                entry = HistoryEntry(_new_id(table, taken), 1_899_996_400.0 + n, summary.kind, item.source,
                                     item.profile, summary.issuer, summary.subject, summary.audience,
                                     summary.expires)  # fmt: skip
                pairs.append((entry, item.token))
        return table.appended(pairs)

    store._change(change)


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
    parser.add_argument("--flows", type=int, default=10, metavar="PERCENT", help="share of saved flows (default 10)")
    parser.add_argument("--repeat", type=int, default=21)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.bin"
        keyring = MemoryKeyring()
        seeding = HistoryStore(path, Vault(keyring), max_entries=max(options.entries, 1000))
        start = time.perf_counter()
        if options.flows:
            seed(seeding, options.entries, options.flows)
        else:
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
        seed(small, 1000, options.flows)
        flow_id = next((entry.id for entry in opened.entries() if entry.is_flow), None)
        adds = round_robin(
            {"bare": bare, "add": lambda: opened.add(realistic_token(1).token),
             "add_small": lambda: small.add(realistic_token(2).token),
             "add_flow": lambda: opened.add_flow(realistic_flow(3)),
             "show_flow": lambda: flow_id and opened.flow_record(flow_id).to_flow()},
            max(5, options.repeat // 3),
        )  # fmt: skip

    bare_ms = figures.pop("bare read + AESGCM decrypt")
    flows = options.entries * options.flows // 100
    print(f"history: {options.entries:,} entries ({flows:,} saved flows), file {size / 1e6:.1f} MB, "
          f"seeded in one write in {seed_ms:.0f} ms")
    print(f"{'bare read + AESGCM decrypt':36} {bare_ms:8.2f} ms   1.00x")
    for label, ms in figures.items():
        note = "  (target <= 2x)" if label.startswith("open + list (") else ""
        found = next((f"  {count:,} matches" for text, count in matches.items() if f"'{text}'" in label), "")
        print(f"{label:36} {ms:8.2f} ms  {ms / bare_ms:5.2f}x{note}{found}")
    print(f"{'add one entry (rewrite + 2 fsyncs)':36} {adds['add']:8.2f} ms  {adds['add'] / adds['bare']:5.2f}x")
    print(f"{'add one entry, 1,000-entry history':36} {adds['add_small']:8.2f} ms  (the default retention)")
    print(f"{'add one flow record':36} {adds['add_flow']:8.2f} ms  {adds['add_flow'] / adds['bare']:5.2f}x")
    if options.flows:
        print(f"{'show one saved flow (read + rebuild)':36} {adds['show_flow']:8.2f} ms")
        print(f"{'flow record stored':36} {len(realistic_flow(5).encode()):8,} bytes "
              f"({len(json.dumps(realistic_flow(5).lines)):,} of JSON)")


if __name__ == "__main__":
    main()
