"""An in-memory keyring backend: unit tests pass one to the vault instead of touching the OS.

Neither keyring nor keyrings.alt ships one. Also selectable by name for child processes:
``PYTHON_KEYRING_BACKEND=tests.support.memory_keyring.MemoryKeyring``, optionally seeded from
``MEMORY_KEYRING_SEED`` (JSON ``{"service": {"name": "secret"}}``) so a child can be handed a key —
its own writes die with it. Its priority is below zero so keyring never picks it by itself.
"""

from __future__ import annotations

import json
import os

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError, PasswordSetError

SEED_VARIABLE = "MEMORY_KEYRING_SEED"


class MemoryKeyring(KeyringBackend):
    priority = -1  # type: ignore[assignment]  # never auto-selected

    def __init__(self, seed: dict[str, dict[str, str]] | None = None, *, max_chars: int | None = None) -> None:
        """``max_chars`` caps an entry like a real backend does (Windows: 1,280 UTF-16 characters)."""
        super().__init__()
        self.max_chars = max_chars
        if seed is None:
            seed = json.loads(os.environ.get(SEED_VARIABLE, "{}"))
        self.entries: dict[tuple[str, str], str] = {
            (service, name): value for service, names in seed.items() for name, value in names.items()
        }
        self.calls = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        if self.max_chars is not None and len(password) > self.max_chars:
            raise PasswordSetError(f"{len(password)} characters exceed this keyring's entry size")
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password!")

    def seed(self) -> dict[str, dict[str, str]]:
        """The entries in the ``MEMORY_KEYRING_SEED`` shape, to hand to a child process."""
        out: dict[str, dict[str, str]] = {}
        for (service, name), value in self.entries.items():
            out.setdefault(service, {})[name] = value
        return out


class LockedKeyring(KeyringBackend):
    """A Secret Service whose collection stays locked: every call fails like the real one."""

    priority = -1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")
