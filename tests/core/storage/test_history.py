import base64

import pytest

from inspector.core.errors import KeyringUnavailableError, StorageError
from inspector.core.storage import sealed
from inspector.core.storage.history import KEY_NAME, HistoryStore, NewToken, parse_search
from inspector.core.storage.vault import SERVICE, Vault
from tests.support.memory_keyring import LockedKeyring
from tests.support.storage import fake_jwt


class Clock:
    def __init__(self):
        self.now = 1_700_000_000.0

    def __call__(self):
        self.now += 1
        return self.now


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "history.bin"


@pytest.fixture
def store(path, keyring):
    return HistoryStore(path, Vault(keyring), clock=Clock())


def id_token(sub="alice", iss="https://idp.example", aud="web-app"):
    return fake_jwt({"iss": iss, "sub": sub, "aud": aud, "exp": 1_700_003_600, "nonce": "n-1"})


def test_added_tokens_list_newest_first_with_their_summary(store):
    first = store.add(id_token("alice"), source="authorization_code", profile="work")
    second = store.add("opaque-access-token-value", kind="access", source="client_credentials", profile="work")
    listed = list(store.entries())
    assert [e.id for e in listed] == [second.id, first.id]
    assert (first.kind, first.issuer, first.subject, first.audience, first.expires) == (
        "id", "https://idp.example", "alice", ("web-app",), 1_700_003_600.0,
    )  # fmt: skip
    assert first.source_label == "work · authorization_code" and first.time == 1_700_000_001.0
    assert second.kind == "access" and second.issuer == ""
    assert store.token(first.id) == id_token("alice")


def test_pasted_token_is_labelled_pasted(store):
    entry = store.add(id_token())
    assert entry.source == "pasted" and entry.source_label == "pasted" and entry.profile == ""


def test_history_survives_a_new_store_and_reads_the_key_once(path, keyring, store):
    ids = [store.add(id_token(f"user-{n}")).id for n in range(3)]
    keyring.calls = 0
    reopened = HistoryStore(path, Vault(keyring))
    assert [e.id for e in reopened.entries()] == ids[::-1]
    reopened.add(id_token("user-3"))
    reopened.search("user")
    assert reopened.token(ids[0]) == id_token("user-0")
    # the key and the last generation written are read once; the write records its generation
    # (the vault reads an entry before replacing it): never a keyring call per read
    assert keyring.calls == 4


def test_one_token_response_is_recorded_in_one_write(store, path):
    entries = store.add_many(
        [NewToken(id_token(), "id", "authorization_code", "work"), NewToken("rt-123", "refresh", "authorization_code", "work"),
         NewToken("", "access", "authorization_code", "work")]
    )  # fmt: skip
    assert [e.kind for e in entries] == ["id", "refresh"]
    assert len(store.entries()) == 2


def test_an_opaque_access_token_expires_expires_in_seconds_after_the_response(store):
    response = {"access_token": "opaque-at", "refresh_token": "rt", "id_token": id_token(), "expires_in": 3600}
    entries = {e.kind: e for e in store.add_token_response(response, flow="auth_code", received_at=1_700_000_500.0)}
    assert entries["access"].expires == 1_700_004_100.0
    assert entries["refresh"].expires is None, "expires_in is the access token's lifetime only (RFC 6749 §5.1)"
    assert entries["id"].expires == 1_700_003_600.0, "a token's own exp wins"


def test_without_a_response_time_the_expiry_counts_from_when_it_is_saved(store):
    [entry] = store.add_token_response({"access_token": "opaque-at", "expires_in": 60}, flow="client_credentials")
    assert entry.expires == 1_700_000_001.0 + 60  # the store's clock, read as the response is saved


def test_search_by_field_and_free_text(store):
    store.add(id_token("alice", iss="https://login.example"), source="authorization_code", profile="Work")
    store.add(id_token("bob", aud="api"), source="device_code", profile="lab")
    store.add("opaque", kind="refresh")
    assert [e.subject for e in store.search("ALICE")] == ["alice"]
    assert [e.subject for e in store.search("iss:login")] == ["alice"]
    assert [e.subject for e in store.search("aud:api")] == ["bob"]
    assert [e.subject for e in store.search("profile:work")] == ["alice"]
    assert [e.kind for e in store.search("kind:refresh")] == ["refresh"]
    assert [e.subject for e in store.search("idp.example device")] == ["bob"]
    assert list(store.search("nobody")) == []


def test_parse_search_knows_fields_and_keeps_colons_in_free_text():
    assert parse_search("iss:https://x.example Kind:ID plain sub:") == [
        ("iss", "https://x.example"), ("kind", "id"), (None, "plain"), (None, "sub:"),
    ]  # fmt: skip


def test_get_accepts_a_unique_prefix_and_explains_misses(store):
    entry = store.add(id_token())
    assert store.get(entry.id[:4]) == entry
    assert store.get(entry.id.upper()) == entry
    with pytest.raises(StorageError, match="No history entry") as caught:
        store.get("ffffffffffff" if entry.id != "ffffffffffff" else "000000000000")
    assert caught.value.code == "history_entry_not_found"


def test_delete_removes_one_entry(store):
    keep, gone = store.add(id_token("a")), store.add(id_token("b"))
    assert store.delete(gone.id) == gone
    assert [e.id for e in store.entries()] == [keep.id]
    with pytest.raises(StorageError):
        store.token(gone.id)


def test_retention_defaults_to_1000_and_is_persisted(path, keyring):
    store = HistoryStore(path, Vault(keyring))
    assert store.max_entries == 1000
    for n in range(5):
        store.add(f"token-{n}")
    store.set_max_entries(3)
    assert [store.token(e.id) for e in store.entries()] == ["token-4", "token-3", "token-2"]
    other = HistoryStore(path, Vault(keyring))
    assert other.max_entries == 3
    other.add("token-5")
    assert len(other.entries()) == 3


def test_retention_limit_is_validated(store):
    with pytest.raises(StorageError, match="between 1 and"):
        store.set_max_entries(0)


def test_clear_deletes_everything_and_replaces_the_key(path, keyring, store):
    store.add(id_token())
    store.set_max_entries(50)
    old_file, old_key = path.read_bytes(), keyring.entries[(SERVICE, KEY_NAME)]
    store.clear()
    assert list(store.entries()) == [] and store.max_entries == 50
    assert keyring.entries[(SERVICE, KEY_NAME)] != old_key
    path.write_bytes(old_file)  # an old copy (a backup) is now useless
    with pytest.raises(StorageError, match="different key"):
        HistoryStore(path, Vault(keyring)).entries()


def test_changes_by_another_process_are_seen_and_never_lost(path, keyring):
    gui, cli = HistoryStore(path, Vault(keyring)), HistoryStore(path, Vault(keyring))
    a = gui.add("token-a")
    assert [e.id for e in gui.entries()] == [a.id]
    b = cli.add("token-b")
    c = gui.add("token-c")
    assert [e.id for e in cli.entries()] == [c.id, b.id, a.id]


def test_every_write_uses_a_fresh_nonce(path, store):
    store.add("one")
    first = path.read_bytes()[17:29]
    store.add("two")
    assert path.read_bytes()[17:29] != first


def test_absent_history_lists_empty_without_touching_the_keyring(path):
    store = HistoryStore(path, Vault(LockedKeyring()))
    assert list(store.entries()) == []


def test_without_a_keyring_saving_is_refused_and_nothing_is_written(path):
    store = HistoryStore(path, Vault(LockedKeyring()))
    with pytest.raises(KeyringUnavailableError, match="could not"):
        store.add(id_token())
    assert not path.exists()


def test_reading_an_existing_history_without_a_keyring_is_refused(path, store):
    store.add(id_token())
    with pytest.raises(KeyringUnavailableError):
        HistoryStore(path, Vault(LockedKeyring())).entries()


def test_missing_key_explains_and_clear_recovers(path, keyring, store):
    store.add(id_token())
    del keyring.entries[(SERVICE, KEY_NAME)]
    fresh = HistoryStore(path, Vault(keyring))
    with pytest.raises(StorageError, match="key is missing from the keyring"):
        fresh.entries()
    fresh.clear()
    assert list(fresh.entries()) == []
    fresh.add("again")
    assert len(HistoryStore(path, Vault(keyring)).entries()) == 1


def test_damaged_file_is_reported_and_never_overwritten(path, store):
    store.add(id_token())
    damaged = bytearray(path.read_bytes())
    damaged[-5] ^= 0xFF
    path.write_bytes(bytes(damaged))
    for attempt in (lambda s: s.entries(), lambda s: s.add("new"), lambda s: s.set_max_entries(5)):
        with pytest.raises(StorageError, match="damaged or was altered"):
            attempt(HistoryStore(path, store.vault))
    assert path.read_bytes() == bytes(damaged)


def test_invalid_key_in_keyring_is_reported(path, keyring, store):
    store.add("x")
    keyring.entries[(SERVICE, KEY_NAME)] = base64.b64encode(b"short").decode()
    with pytest.raises(StorageError, match="wrong length"):
        HistoryStore(path, Vault(keyring)).entries()
    keyring.entries[(SERVICE, KEY_NAME)] = "not base64!"
    with pytest.raises(StorageError, match="not valid base64"):
        HistoryStore(path, Vault(keyring)).entries()


def test_stray_temporaries_from_a_killed_writer_are_swept(path, store):
    store.add("x")
    stray = path.with_name(f".{path.name}.deadbeef.tmp")
    stray.write_bytes(b"half written")
    store.add("y")
    assert not stray.exists()


def test_file_is_sealed_with_the_key_from_the_keyring(path, keyring, store):
    store.add(id_token())
    key = base64.b64decode(keyring.entries[(SERVICE, KEY_NAME)])
    assert len(key) == 32
    assert b"alice" in sealed.unseal(key, path.read_bytes(), "f")


def test_an_empty_token_is_refused(store):
    with pytest.raises(StorageError, match="no token to save"):
        store.add("  \n")


def test_clear_that_cannot_remove_the_file_is_a_storage_error_and_keeps_the_key(path, keyring, store):
    """A directory where the history file should be: unlink raised IsADirectoryError (an internal
    error in the CLI), after the key had already been deleted."""
    store.add(id_token())
    key = keyring.entries[(SERVICE, KEY_NAME)]
    path.unlink()
    (path / "inside").mkdir(parents=True)
    with pytest.raises(StorageError, match="Cannot remove"):
        store.clear()
    assert keyring.entries[(SERVICE, KEY_NAME)] == key


DPOP_KEY = '{"kty": "EC", "crv": "P-256", "x": "x", "y": "y", "d": "dpop-private-part"}'


def test_a_bound_tokens_dpop_key_is_kept_beside_it_and_only_dpop_key_gives_it(tmp_path, keyring):
    store = HistoryStore(tmp_path / "history.bin", Vault(keyring))
    [bound, plain] = store.add_many([NewToken("at-bound", "access", "auth_code", dpop_key=DPOP_KEY),
                                     NewToken("at-plain", "access", "auth_code")])
    reopened = HistoryStore(tmp_path / "history.bin", Vault(keyring))
    assert reopened.token(bound.id) == "at-bound" and reopened.dpop_key(bound.id) == DPOP_KEY
    assert reopened.token(plain.id) == "at-plain" and reopened.dpop_key(plain.id) is None
    assert "dpop-private-part" not in repr(list(reopened.entries())) + repr([e.to_json() for e in reopened.entries()])
    assert b"dpop-private-part" not in (tmp_path / "history.bin").read_bytes()


def test_a_pasted_text_that_begins_like_a_bound_payload_reads_back_as_it_was(tmp_path, keyring):
    store = HistoryStore(tmp_path / "history.bin", Vault(keyring))
    odd = "\x00dpop\x00{\"token\": \"x\", \"dpop_key\": \"k\"}"
    entry = store.add(odd)
    assert store.token(entry.id) == odd and store.dpop_key(entry.id) is None
