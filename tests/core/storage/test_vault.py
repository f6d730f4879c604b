import importlib
import os

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from inspector.core.errors import KeyringUnavailableError, StorageError
from inspector.core.storage.vault import NATIVE_BACKENDS, SERVICE, Vault, refusal_reason, usable_backend
from tests.support.memory_keyring import LockedKeyring, MemoryKeyring
from tests.support.vault_child import resolve_in_child


class PlaintextFileKeyring(KeyringBackend):
    """Stands in for keyrings.alt.file.PlaintextKeyring (we never depend on keyrings.alt)."""

    priority = -1

    def get_password(self, service, username):
        return None

    def set_password(self, service, username, password):
        raise AssertionError("a refused backend must never be written to")

    def delete_password(self, service, username):
        return None


PlaintextFileKeyring.__module__ = "keyrings.alt.file"


class EmptyChainer(chainer.ChainerBackend):
    priority = -1  # keyring registers every subclass: keep these out of its own detection
    backends = []


class PlaintextOnlyChainer(chainer.ChainerBackend):
    priority = -1
    backends = [PlaintextFileKeyring()]


class MixedChainer(chainer.ChainerBackend):
    priority = -1
    backends = [PlaintextFileKeyring(), MemoryKeyring()]


def test_secrets_round_trip_under_the_app_service_name():
    keyring = MemoryKeyring()
    vault = Vault(keyring)
    vault.set("profile/work/client_secret", "s3cret")
    assert vault.get("profile/work/client_secret") == "s3cret"
    assert keyring.entries == {("token-inspector", "profile/work/client_secret"): "s3cret"}
    vault.delete("profile/work/client_secret")
    assert vault.get("profile/work/client_secret") is None


def test_deleting_a_missing_secret_is_not_an_error():
    Vault(MemoryKeyring()).delete("nothing-here")


def test_working_backend_is_available():
    assert Vault(MemoryKeyring()).is_available()


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (fail.Keyring(), "No system keyring was found"),
        (null.Keyring(), "discards secrets"),
        (PlaintextFileKeyring(), "keeps secrets in a file on disk"),
        (EmptyChainer(), "chainer found none"),
        (PlaintextOnlyChainer(), "chainer found none"),
    ],
)
def test_unsafe_backends_are_refused_with_why_and_how_to_fix(backend, reason):
    vault = Vault(backend)
    assert not vault.is_available()
    with pytest.raises(KeyringUnavailableError, match=reason) as caught:
        vault.set("name", "value")
    assert caught.value.code == "keyring_unavailable"
    assert "PYTHON_KEYRING_BACKEND" in caught.value.hint


def test_chainer_resolves_to_its_first_acceptable_member():
    backend = MixedChainer()
    assert isinstance(usable_backend(backend), MemoryKeyring)


def test_refusal_reason_is_none_for_a_real_backend():
    assert refusal_reason(MemoryKeyring()) is None


def test_locked_secret_service_errors_become_keyring_unavailable():
    vault = Vault(LockedKeyring())
    with pytest.raises(KeyringUnavailableError, match="could not store a secret: KeyringLocked") as caught:
        vault.set("name", "value")
    assert "unlock" in caught.value.hint
    with pytest.raises(KeyringUnavailableError, match="could not read"):
        vault.get("name")
    assert not vault.is_available()


def test_secret_values_never_appear_in_errors():
    class Exploding(MemoryKeyring):
        def set_password(self, service, username, password):
            raise OSError("D-Bus connection lost")

    with pytest.raises(KeyringUnavailableError) as caught:
        Vault(Exploding()).set("name", "hunter2-secret")
    assert "hunter2-secret" not in str(caught.value)
    assert "D-Bus connection lost" in str(caught.value)


WINDOWS_LIMIT = 1280  # Credential Manager: 2,560 bytes of UTF-16
LONG_PEM = "-----BEGIN PRIVATE KEY-----\n" + "A" * 1700 + "\n-----END PRIVATE KEY-----\n"


def test_values_over_the_entry_size_cap_are_split_and_joined_back():
    keyring = MemoryKeyring(max_chars=WINDOWS_LIMIT)
    vault = Vault(keyring)
    vault.set("profile/work/private_key", LONG_PEM)
    assert vault.get("profile/work/private_key") == LONG_PEM
    assert all(len(value) <= WINDOWS_LIMIT for value in keyring.entries.values())
    assert len(keyring.entries) == 3  # the head and two parts


def test_a_backend_refusing_a_value_is_reported_as_unavailable():
    with pytest.raises(KeyringUnavailableError, match="could not store a secret: PasswordSetError"):
        Vault(MemoryKeyring(max_chars=5)).set("name", "x" * 8)


def test_replacing_and_deleting_a_split_value_leaves_no_parts():
    keyring = MemoryKeyring(max_chars=WINDOWS_LIMIT)
    vault = Vault(keyring)
    vault.set("key", LONG_PEM * 2)
    vault.set("key", LONG_PEM)
    assert vault.get("key") == LONG_PEM and len(keyring.entries) == 3
    vault.set("key", "short")
    assert vault.get("key") == "short" and len(keyring.entries) == 1
    vault.set("key", LONG_PEM)
    vault.delete("key")
    assert keyring.entries == {}


def test_a_missing_part_is_reported():
    keyring = MemoryKeyring()
    vault = Vault(keyring)
    vault.set("key", LONG_PEM)
    del keyring.entries[(SERVICE, "key#1")]
    with pytest.raises(StorageError, match="incomplete"):
        vault.get("key")


MEMORY = "tests.support.memory_keyring.MemoryKeyring"
#: keyring.core imports ``fail``, and the vault the chainer's class (to recognise one): no other backend.
NO_BACKEND_ASKED = {"keyring.backends.fail", "keyring.backends.chainer"}
SESSION_VARIABLES = ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND", "DISPLAY", "WAYLAND_DISPLAY")


@pytest.fixture
def headless_env(tmp_path):
    """No session bus (so no Secret Service), no configured backend, no keyringrc.cfg of ours."""
    env = {name: value for name, value in os.environ.items() if name not in SESSION_VARIABLES}
    return dict(env, XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))


def test_python_keyring_backend_wins_and_nothing_else_is_asked(headless_env):
    found = resolve_in_child(dict(headless_env, PYTHON_KEYRING_BACKEND=MEMORY))
    assert found["picked"] == found["keyring_picks"] == MEMORY
    assert set(found["loaded"]) <= NO_BACKEND_ASKED


def test_keyringrc_cfg_wins_and_nothing_else_is_asked(headless_env, tmp_path):
    config = tmp_path / "config" / "python_keyring"
    config.mkdir(parents=True)
    (config / "keyringrc.cfg").write_text(f"[backend]\ndefault-keyring={MEMORY}\n")
    found = resolve_in_child(headless_env)
    assert found["picked"] == found["keyring_picks"] == MEMORY
    assert set(found["loaded"]) <= NO_BACKEND_ASKED


def test_an_explicitly_chosen_insecure_backend_is_still_refused(headless_env):
    found = resolve_in_child(dict(headless_env, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring"))
    assert found["picked"].startswith("refused: ") and "discards secrets" in found["picked"]


def test_without_a_secret_service_keyrings_full_detection_runs_and_finds_none(headless_env):
    found = resolve_in_child(headless_env)
    assert found["picked"].startswith("refused: No system keyring was found")
    assert found["picked"] == found["keyring_picks"]
    assert "keyring.backends.macOS" in found["loaded"]  # every backend was loaded: the full detection


PLAINTEXT_PLUGIN = """
from keyring.backend import KeyringBackend
class PlaintextKeyring(KeyringBackend):  # registers itself, as a keyrings.alt plugin's import does
    priority = 1
    def get_password(self, service, username): return None
    def set_password(self, service, username, password): raise AssertionError("written to")
PlaintextKeyring.__module__ = "keyrings.alt.file"
"""


def test_a_plaintext_backend_found_by_the_full_detection_is_refused(headless_env):
    found = resolve_in_child(headless_env, setup=PLAINTEXT_PLUGIN)
    assert found["picked"].startswith("refused: ") and "keeps secrets in a file on disk" in found["picked"]
    assert found["picked"] == found["keyring_picks"]


def test_every_vault_in_a_process_shares_the_detected_backend():
    """As keyring.get_keyring() does: a secret one vault stores is there for the next (the session's
    PYTHON_KEYRING_BACKEND is an in-memory keyring, whose entries live in its one object)."""
    Vault().set("shared-by-vaults", "value")
    try:
        assert Vault().get("shared-by-vaults") == "value"
        assert Vault().backend is Vault().backend
    finally:
        Vault().delete("shared-by-vaults")


@pytest.mark.parametrize(("prefix", "name"), NATIVE_BACKENDS)
def test_each_native_backend_names_a_concrete_keyring_backend(prefix, name):
    """Importable on any platform: only their viability depends on it."""
    module, _, class_name = name.rpartition(".")
    cls = getattr(importlib.import_module(module), class_name)
    assert issubclass(cls, KeyringBackend) and not cls.__abstractmethods__
