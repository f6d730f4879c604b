"""Storage for tests: a temporary home and an in-memory keyring, plus a CLI runner that injects it."""

from __future__ import annotations

import io
import threading
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from inspector.cli.main import build_parser
from inspector.core.errors import InspectorError
from inspector.core.storage.context import Storage
from inspector.core.storage.paths import AppPaths
from inspector.core.storage.vault import Vault
from tests.support.memory_keyring import MemoryKeyring


class GatedVault(Vault):
    """A vault whose keyring takes until ``gate`` opens to be found, like keyring's detection;
    it notes the thread that looked for it."""

    def __init__(self, keyring: MemoryKeyring) -> None:
        super().__init__(keyring)
        self.gate = threading.Event()
        self.resolved_on: list[str] = []

    @property
    def backend(self) -> MemoryKeyring:
        self.resolved_on.append(threading.current_thread().name)
        assert self.gate.wait(10)
        return super().backend


def memory_storage(home: Path, keyring: MemoryKeyring | None = None) -> Storage:
    return Storage(AppPaths.under(home), Vault(keyring if keyring is not None else MemoryKeyring()))


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(storage: Storage, *argv: str) -> CliResult:
    """Run one subcommand as ``token-inspector`` would, with ``storage`` injected."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            parsed = build_parser(argv[0]).parse_args(list(argv[1:]))
            code = parsed.run(parsed, storage=storage)
        except SystemExit as exc:
            code = int(exc.code or 0)
        except InspectorError as exc:  # what cli.main prints for a refused operation
            print(f"token-inspector: {exc}", file=err)
            code = 2
    return CliResult(code, out.getvalue(), err.getvalue())


def fake_jwt(claims: dict, header: dict | None = None, signature: bytes = b"not-a-real-signature") -> str:
    """A JWS-shaped token with the given claims (the history summarises, it never verifies)."""
    import base64
    import json

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

    header = header or {"alg": "RS256", "typ": "JWT", "kid": "k1"}
    return ".".join([part(json.dumps(header).encode()), part(json.dumps(claims).encode()), part(signature)])
