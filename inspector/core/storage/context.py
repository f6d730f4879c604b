"""One run's storage: the folders, the vault and the two stores, built from the environment.

The CLI and the GUI both start here; tests build a :class:`Storage` from a temporary folder and
an in-memory keyring instead.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Mapping

from inspector.core.storage.paths import AppPaths, default_paths
from inspector.core.storage.vault import Vault

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

    from inspector.core.storage.history import HistoryStore
    from inspector.core.storage.profiles import ProfileStore


class Storage:
    def __init__(self, paths: AppPaths, vault: Vault) -> None:
        self.paths = paths
        self.vault = vault

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, backend: KeyringBackend | None = None
    ) -> Storage:
        """``TOKEN_INSPECTOR_HOME`` or the platform folders; keyring's own backend detection."""
        return cls(default_paths(environ), Vault(backend))

    @cached_property
    def profiles(self) -> ProfileStore:
        from inspector.core.storage.profiles import ProfileStore

        return ProfileStore(self.paths.profiles_file, self.vault)

    @cached_property
    def history(self) -> HistoryStore:
        from inspector.core.storage.history import HistoryStore

        return HistoryStore(self.paths.history_file, self.vault)
