import json

import pytest

from tests.support.memory_keyring import LockedKeyring, MemoryKeyring
from tests.support.storage import fake_jwt, memory_storage, run_cli


@pytest.fixture
def storage(tmp_path):
    return memory_storage(tmp_path, MemoryKeyring())


def token(sub, iss="https://idp.example"):
    return fake_jwt({"iss": iss, "sub": sub, "aud": "web", "exp": 1_700_003_600})


def fill(storage):
    store = storage.history
    return [
        store.add(token("alice"), source="authorization_code", profile="work"),
        store.add(token("bob", iss="https://other.example"), kind="access", source="device_code", profile="lab"),
        store.add("opaque-refresh-value", kind="refresh", source="authorization_code", profile="work"),
    ]


def test_list_shows_newest_first_without_tokens(storage):
    alice, bob, refresh = fill(storage)
    result = run_cli(storage, "history", "list")
    lines = result.out.splitlines()
    assert result.code == 0 and [line.split()[0] for line in lines] == [refresh.id, bob.id, alice.id]
    assert "work · authorization_code" in lines[2] and "alice" in lines[2]
    assert token("alice") not in result.out and "opaque-refresh-value" not in result.out


def test_list_json_and_search(storage):
    alice, bob, _refresh = fill(storage)
    data = json.loads(run_cli(storage, "history", "list", "--json", "--search", "iss:other").out)
    assert data["total"] == 1 and data["entries"][0]["id"] == bob.id and data["entries"][0]["sub"] == "bob"
    assert "token" not in data["entries"][0]
    text = run_cli(storage, "history", "list", "--search", "profile:work alice").out
    assert text.split()[0] == alice.id
    assert "No matching entries." in run_cli(storage, "history", "list", "--search", "nobody").out


def test_list_limit_reports_what_is_hidden(storage):
    fill(storage)
    result = run_cli(storage, "history", "list", "--limit", "1")
    assert len(result.out.splitlines()) == 1 and "2 more" in result.err


def test_show_prints_the_full_token(storage):
    alice, *_ = fill(storage)
    result = run_cli(storage, "history", "show", alice.id[:6])
    assert result.code == 0 and token("alice") in result.out and "audience: web" in result.out
    data = json.loads(run_cli(storage, "history", "show", alice.id, "--json").out)
    assert data["token"] == token("alice") and data["kind"] == "jwt"


def test_delete_and_unknown_id(storage):
    alice, *_ = fill(storage)
    assert f"Deleted entry {alice.id}" in run_cli(storage, "history", "delete", alice.id).out
    missing = run_cli(storage, "history", "show", alice.id)
    assert missing.code == 2 and "No history entry" in missing.err and "history list" in missing.err


def test_clear_needs_confirmation_when_not_interactive(storage):
    fill(storage)
    refused = run_cli(storage, "history", "clear")
    assert refused.code == 2 and "--yes" in refused.err
    assert len(storage.history.entries()) == 3
    assert run_cli(storage, "history", "clear", "--yes").code == 0
    assert "The history is empty." in run_cli(storage, "history", "list").out


def test_retention_can_be_shown_and_set(storage):
    fill(storage)
    assert "newest 1,000 entries" in run_cli(storage, "history", "retention").out
    assert json.loads(run_cli(storage, "history", "retention", "2", "--json").out) == {"max_entries": 2}
    assert len(storage.history.entries()) == 2
    bad = run_cli(storage, "history", "retention", "0")
    assert bad.code == 2 and "between 1 and" in bad.err


def test_without_a_keyring_reading_a_history_is_refused_with_a_fix(tmp_path):
    fill(memory_storage(tmp_path, MemoryKeyring()))
    locked = memory_storage(tmp_path, LockedKeyring())
    result = run_cli(locked, "history", "list")
    assert result.code == 2 and "could not read a secret" in result.err and "unlock" in result.err


def test_flow_recorder_saves_tokens_and_warns_when_refused(tmp_path, capsys):
    from types import SimpleNamespace

    from inspector.cli.history import flow_recorder

    storage = memory_storage(tmp_path / "ok", MemoryKeyring())
    record = flow_recorder("work", storage=storage)
    record(SimpleNamespace(grant="device"), None, {"access_token": "at", "refresh_token": "rt"})
    record.finish()
    assert sorted(e.source_label + " " + e.kind for e in storage.history.entries()) == [
        "work · device access", "work · device refresh",
    ]  # fmt: skip
    locked = memory_storage(tmp_path / "locked", LockedKeyring())
    record = flow_recorder(storage=locked)
    record(SimpleNamespace(grant="device"), None, {"access_token": "at"})
    assert capsys.readouterr().err == ""  # reported when the flow ends, before its result
    record.finish()
    err = capsys.readouterr().err
    assert "tokens were not saved to the history" in err and "--no-history" in err and "unlock" in err


def test_rolled_back_history_file_is_refused_in_plain_words_until_accepted(storage):
    history = storage.history
    history.add(fake_jwt({"sub": "deleted-later"}))
    old_copy = storage.paths.history_file.read_bytes()
    history.delete(history.entries()[0].id)
    history.add(fake_jwt({"sub": "newest"}))
    storage.paths.history_file.write_bytes(old_copy)
    refused = run_cli(storage, "history", "list")
    assert refused.code == 2 and "Traceback" not in refused.err
    assert "is older than the last one Token Inspector wrote" in refused.err
    assert "token-inspector history accept-older" in refused.err
    accepted = run_cli(storage, "history", "accept-older", "--json")
    assert accepted.code == 0 and json.loads(accepted.out) == {"accepted": True, "entries": 1}
    listed = run_cli(storage, "history", "list", "--json")
    assert listed.code == 0 and [e["sub"] for e in json.loads(listed.out)["entries"]] == ["deleted-later"]
