from inspector.core.storage.context import Storage
from inspector.core.storage.paths import HOME_VARIABLE
from tests.support.memory_keyring import MemoryKeyring


def test_storage_from_environment_uses_the_home_folder_and_given_backend(tmp_path):
    keyring = MemoryKeyring()
    storage = Storage.from_environment({HOME_VARIABLE: str(tmp_path)}, backend=keyring)
    assert storage.profiles.path == tmp_path / "config" / "profiles.json"
    assert storage.history.path == tmp_path / "data" / "history.bin"
    storage.history.add("a-token")
    assert storage.vault.backend is keyring and keyring.entries


def test_stores_are_built_once_and_share_the_vault(tmp_path):
    storage = Storage.from_environment({HOME_VARIABLE: str(tmp_path)}, backend=MemoryKeyring())
    assert storage.history is storage.history and storage.profiles is storage.profiles
    assert storage.history.vault is storage.profiles.vault is storage.vault
