"""Flows in the history: saved beside tokens, searchable by grant, issuer and status, counted by the
retention limit, never handed out as a token; older files (format 2) still open and show."""

import base64
import json
import shutil
from pathlib import Path

import pytest

from inspector.core.errors import StorageError
from inspector.core.flows.record import FlowRecord
from inspector.core.storage import sealed
from inspector.core.storage.flow_link import flow_saver
from inspector.core.storage.history import HistoryStore
from inspector.core.storage.history_table import FIELDS, HistoryTable
from inspector.core.storage.vault import Vault
from tests.support.fake_provider import client_credentials_flow as client_credentials
from tests.support.memory_keyring import LockedKeyring, MemoryKeyring
from tests.support.storage import fake_jwt

DATA = Path(__file__).resolve().parents[2] / "data"


def record(grant="auth_code", status="ok", issuer="https://idp.example", sub="alice", profile="work"):
    lines = ({"step": "id_token", "status": "ok", "claims": {"sub": sub}, "findings": []},
             {"step": "done", "status": status, "flow": grant, "id": "f" * 32, "findings": []})
    return FlowRecord(grant, status, lines, (("id_token", "Check the ID token"),), profile, issuer, 1_700_000_000.0)


@pytest.fixture
def store(tmp_path, keyring):
    return HistoryStore(tmp_path / "data" / "history.bin", Vault(keyring))


def test_a_flow_is_listed_beside_the_tokens_with_its_summary(store):
    token = store.add(fake_jwt({"iss": "https://idp.example", "sub": "alice"}), source="auth_code")
    flow = store.add_flow(record(status="error"))
    assert [entry.id for entry in store.entries()] == [flow.id, token.id]
    assert (flow.kind, flow.source, flow.profile, flow.issuer, flow.subject, flow.status, flow.expires) == (
        "flow", "auth_code", "work", "https://idp.example", "alice", "error", None)
    assert flow.is_flow and not token.is_flow and token.status == ""
    assert flow.to_json()["status"] == "error" and token.to_json()["status"] is None
    assert store.flow_record(flow.id) == record(status="error")


def test_flows_are_searched_by_grant_issuer_status_and_kind(store):
    ok = store.add_flow(record("client_credentials", "ok", "https://a.example"))
    failed = store.add_flow(record("auth_code", "error", "https://b.example"))
    token = store.add(fake_jwt({"iss": "https://b.example", "sub": "bob"}), source="auth_code")

    def ids(text, **kind):
        return [entry.id for entry in store.search(text, **kind)]

    assert ids("grant:client_credentials") == [ok.id]
    assert ids("status:error") == [failed.id]
    assert ids("iss:b.example") == [token.id, failed.id]
    assert ids("iss:b.example", kind="flow") == [failed.id]
    assert ids("", kind="flow") == [failed.id, ok.id]
    assert ids("kind:flow status:ok") == [ok.id]
    assert ids("error") == [failed.id]


def test_a_flow_is_not_a_token_and_a_token_is_not_a_flow(store):
    flow = store.add_flow(record())
    token = store.add("opaque-token-value-1234", kind="access")
    with pytest.raises(StorageError) as caught:
        store.token(flow.id)
    assert caught.value.code == "history_entry_is_flow" and "history show" in caught.value.hint
    with pytest.raises(StorageError, match="is a token, not a saved flow"):
        store.flow_record(token.id)


def test_retention_counts_flows_too(store):
    store.set_max_entries(3)
    for n in range(3):
        store.add(f"opaque-token-value-{n:04d}", kind="access")
    flow = store.add_flow(record())
    assert len(store.entries()) == 3 and store.entries()[0].id == flow.id
    assert store.flow_record(flow.id).grant == "auth_code"


def test_the_table_names_its_fields(store):
    store.add_flow(record())
    key = base64.b64decode(store.vault.get("history-key"))
    table_bytes = sealed.unseal(key, store.path.read_bytes(), "f")
    header = json.loads(table_bytes[4 : 4 + int.from_bytes(table_bytes[:4], "big")])
    assert header["fields"] == list(FIELDS)
    assert sealed.read_header(store.path.read_bytes(), "f").version == 3


def test_unknown_fields_are_refused_as_malformed():
    table = HistoryTable.empty(10).appended([(record_entry(), "x")]).encode()
    length = int.from_bytes(table[:4], "big")
    header = json.loads(table[4 : 4 + length])
    header["fields"] = ["id", "kind", "colour"]
    encoded = json.dumps(header).encode()
    with pytest.raises(StorageError, match="malformed"):
        HistoryTable.decode(len(encoded).to_bytes(4, "big") + encoded + table[4 + length :], "The file")


def record_entry():
    from inspector.core.storage.history_table import HistoryEntry

    return HistoryEntry("0123456789ab", 1.0, "access", "pasted", "", "", "", (), None)


@pytest.fixture
def format_2(tmp_path):
    """A history written by the version before flows (tests/data/history-format2.*)."""
    described = json.loads((DATA / "history-format2.json").read_text())
    path = tmp_path / "history.bin"
    shutil.copy(DATA / "history-format2.bin", path)
    return path, MemoryKeyring(described["keyring"]), described


def test_a_file_from_before_flows_opens_and_its_entries_show(format_2):
    path, keyring, described = format_2
    assert sealed.read_header(path.read_bytes(), "f").version == 2
    store = HistoryStore(path, Vault(keyring))
    assert [entry.to_json() for entry in store.entries()] == [{**entry, "status": None}
                                                              for entry in described["entries"]]
    oldest = store.entries()[-1]
    assert store.token(oldest.id) == described["tokens"][0]
    assert [entry.id for entry in store.search("iss:old.example sub:alice")] == [oldest.id]


def test_saving_a_flow_into_a_file_from_before_flows_keeps_every_older_entry(format_2):
    path, keyring, described = format_2
    store = HistoryStore(path, Vault(keyring))
    flow = store.add_flow(record())
    reopened = HistoryStore(path, Vault(keyring))
    entries = list(reopened.entries())
    assert entries[0].id == flow.id and entries[0].status == "ok"
    assert [entry.to_json() for entry in entries[1:]] == [{**entry, "status": None} for entry in described["entries"]]
    assert reopened.token(entries[-2].id) == described["tokens"][1]
    assert sealed.read_header(path.read_bytes(), "f").version == sealed.FORMAT_VERSION


def test_the_saver_hook_records_a_flow_and_reports_a_refusal(tmp_path, keyring):
    store = HistoryStore(tmp_path / "history.bin", Vault(keyring))
    entry = flow_saver(store, profile="svc", issuer="https://op.example")(client_credentials())
    assert (entry.kind, entry.source, entry.profile, entry.status) == ("flow", "client_credentials", "svc", "ok")
    errors = []
    locked = HistoryStore(tmp_path / "locked.bin", Vault(LockedKeyring()))
    assert flow_saver(locked, on_error=errors.append)(client_credentials()) is None
    assert errors and errors[0].code == "keyring_unavailable"
    with pytest.raises(StorageError):
        flow_saver(locked)(client_credentials())
