"""The installation facts Help ▸ About shows: library versions from metadata, the keyring backend."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from inspector.core.about import LIBRARIES, keyring_backend_name, library_versions
from inspector.core.errors import KeyringUnavailableError
from inspector.core.storage.vault import Vault


def test_library_versions_come_from_the_installed_distributions():
    assert library_versions() == {name: version(name) for name in LIBRARIES}


def test_a_missing_distribution_is_named_not_installed():
    assert library_versions(("no-such-distribution-for-token-inspector",)) == {
        "no-such-distribution-for-token-inspector": "not installed"}


def test_the_keyring_backend_is_named_as_keyring_names_it(keyring):
    assert keyring_backend_name(Vault(keyring)) == "memory keyring MemoryKeyring (tests.support.memory_keyring.MemoryKeyring)"


def test_a_refused_backend_raises_the_keyring_error():
    from keyring.backends.fail import Keyring as FailKeyring

    with pytest.raises(KeyringUnavailableError, match="No system keyring was found"):
        keyring_backend_name(Vault(FailKeyring()))
