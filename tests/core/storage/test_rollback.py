"""A history file older than the last one written (a copy put back) is refused until accepted."""

import base64

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from inspector.core.errors import StorageError
from inspector.core.storage import sealed
from inspector.core.storage.history import KEY_NAME, HistoryStore
from inspector.core.storage.history_table import HistoryTable
from inspector.core.storage.rollback import ENTRY_NAME, ROLLED_BACK
from inspector.core.storage.vault import SERVICE, Vault


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "history.bin"


def store_on(path, keyring):
    return HistoryStore(path, Vault(keyring))


def test_rolled_back_history_file_is_detected(path, keyring):
    """Copying an older history.bin back used to bring deleted entries back and drop newer ones
    without a word."""
    store = store_on(path, keyring)
    deleted = store.add("token-deleted-later").id
    store.add("token-kept")
    old_copy = path.read_bytes()
    store.delete(deleted)
    store.add("token-newest")
    path.write_bytes(old_copy)
    for reader in (store_on(path, keyring), store):  # a new process, and the one that wrote it
        with pytest.raises(StorageError) as caught:
            reader.entries()
        assert caught.value.code == ROLLED_BACK
        assert "older than the last one Token Inspector wrote" in caught.value.message
        assert "accept-older" in caught.value.hint
    with pytest.raises(StorageError, match="older than the last one"):
        store_on(path, keyring).add("token-on-top")
    assert path.read_bytes() == old_copy  # refused, never overwritten


def test_accepting_the_older_file_makes_it_current_and_the_newer_copy_is_refused_in_turn(path, keyring):
    store = store_on(path, keyring)
    store.add("token-a")
    old_copy = path.read_bytes()
    store.add("token-b")
    newer_copy = path.read_bytes()
    path.write_bytes(old_copy)
    reader = store_on(path, keyring)
    assert reader.accept_older_file() == 1
    assert [reader.token(e.id) for e in reader.entries()] == ["token-a"]
    assert [store.token(e.id) for e in store.entries()] == ["token-a"]
    path.write_bytes(newer_copy)
    with pytest.raises(StorageError) as caught:
        store_on(path, keyring).entries()
    assert caught.value.code == ROLLED_BACK


def test_the_generation_is_bound_to_the_key_in_the_keyring(path, keyring):
    store = store_on(path, keyring)
    for n in range(3):
        store.add(f"token-{n}")
    key = base64.b64decode(keyring.entries[(SERVICE, KEY_NAME)])
    assert sealed.read_header(path.read_bytes(), "f").generation == 3
    assert keyring.entries[(SERVICE, ENTRY_NAME)] == f"{sealed.key_id(key).hex()}:3"


def test_a_file_newer_than_its_record_is_accepted(path, keyring):
    """A crash after the file was written but before the keyring recorded it leaves the file ahead."""
    store = store_on(path, keyring)
    store.add("token-a")
    keyring.entries[(SERVICE, ENTRY_NAME)] = keyring.entries[(SERVICE, ENTRY_NAME)].replace(":1", ":0")
    assert len(store_on(path, keyring).entries()) == 1


def test_a_record_left_by_a_cleared_history_does_not_judge_the_new_one(path, keyring):
    store = store_on(path, keyring)
    for n in range(5):
        store.add(f"token-{n}")
    store.clear()
    assert (SERVICE, ENTRY_NAME) in keyring.entries  # clear wrote the new, empty history
    keyring.entries[(SERVICE, ENTRY_NAME)] = "00112233445566ff:99"  # another key's record
    store_on(path, keyring).add("fresh")
    assert len(store_on(path, keyring).entries()) == 1


def test_a_history_without_a_generation_is_migrated(path, keyring):
    """Files written before generations existed (format 1) open as before, get one on the next
    write, and are then refused if put back."""
    key = sealed.new_key()
    keyring.set_password(SERVICE, KEY_NAME, base64.b64encode(key).decode("ascii"))
    table = HistoryTable.empty(1000).appended([(_entry("0123456789ab"), "token-from-before")])
    header = sealed.MAGIC + bytes([1]) + sealed.key_id(key)
    nonce = b"\x02" * sealed.NONCE_BYTES
    format_1 = header + nonce + AESGCM(key).encrypt(nonce, table.encode(), header)
    path.parent.mkdir(parents=True)
    path.write_bytes(format_1)
    store = store_on(path, keyring)
    assert [store.token(e.id) for e in store.entries()] == ["token-from-before"]
    store.add("token-after")
    assert sealed.read_header(path.read_bytes(), "f") == sealed.Header(sealed.FORMAT_VERSION, sealed.key_id(key), 1)
    path.write_bytes(format_1)
    with pytest.raises(StorageError) as caught:
        store_on(path, keyring).entries()
    assert caught.value.code == ROLLED_BACK


def test_writes_after_the_file_was_removed_continue_the_count(path, keyring):
    store = store_on(path, keyring)
    store.add("token-a")
    old_copy = path.read_bytes()
    store.add("token-b")
    path.unlink()
    store_on(path, keyring).add("token-c")
    assert sealed.read_header(path.read_bytes(), "f").generation == 3
    path.write_bytes(old_copy)
    with pytest.raises(StorageError, match="older than the last one"):
        store_on(path, keyring).entries()


def test_accepting_needs_a_file(path, keyring):
    with pytest.raises(StorageError, match="no history file"):
        store_on(path, keyring).accept_older_file()


def test_a_damaged_record_only_restarts_the_check_and_says_so_in_the_log(path, keyring, caplog):
    store = store_on(path, keyring)
    store.add("token-a")
    key_id = keyring.entries[(SERVICE, ENTRY_NAME)].partition(":")[0]
    keyring.entries[(SERVICE, ENTRY_NAME)] = f"{key_id}:not-a-number"
    with caplog.at_level("WARNING", logger="inspector.core.storage.rollback"):
        assert len(store_on(path, keyring).entries()) == 1
    assert "history-generation is damaged" in caplog.text


def _entry(entry_id):
    from inspector.core.storage.history_table import HistoryEntry

    return HistoryEntry(entry_id, 1_700_000_000.0, "access", "pasted", "", "", "", (), None)
