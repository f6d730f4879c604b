"""Flows in the CLI's history: `flow` saves its record when it ends (finished, failed or
cancelled, unless --no-history), `history list --kind flow` lists them, and `history show ID`
prints the record again — with --json, the very JSON lines `flow --json` printed."""

import io
import json

import httpx
import pytest

from inspector.cli import flow as flow_cli
from inspector.cli.main import build_parser
from inspector.core.flows.context import FlowEnvironment
from tests.support.fake_provider import ISSUER, FakeProvider
from tests.support.memory_keyring import LockedKeyring, MemoryKeyring
from tests.support.storage import memory_storage, run_cli

SECRET = "flow-Secret-2718281828"


@pytest.fixture
def storage(tmp_path):
    return memory_storage(tmp_path, MemoryKeyring())


def run(storage, provider, *argv, as_json=True):
    out = io.StringIO()
    args = build_parser("flow").parse_args(["client-credentials", "--issuer", ISSUER, "--client-id", "svc",
                                            "--client-secret", SECRET, *argv, *(["--json"] if as_json else [])])
    code = flow_cli.run(args, env=FlowEnvironment(transport=provider.transport()), out=out, storage=storage)
    return code, out.getvalue()


def flows(storage):
    return list(storage.history.search("", kind="flow"))


def test_a_finished_flow_is_saved_and_shown_again_as_the_same_json_lines(storage):
    code, printed = run(storage, FakeProvider())
    [entry] = flows(storage)
    assert code == 0 and (entry.source, entry.status, entry.issuer) == ("client_credentials", "ok", ISSUER)
    shown = run_cli(storage, "history", "show", entry.id, "--json")
    assert shown.code == 0 and shown.out == printed
    assert SECRET not in shown.out


def test_a_failed_flow_is_saved_with_its_error(storage):
    provider = FakeProvider()
    provider.on("/token", httpx.Response(401, json={"error": "invalid_client"}))
    code, _ = run(storage, provider)
    [entry] = flows(storage)
    assert code == 1 and entry.status == "error"
    lines = [json.loads(line) for line in run_cli(storage, "history", "show", entry.id, "--json").out.splitlines()]
    assert lines[-1]["step"] == "done" and lines[-1]["status"] == "error"
    assert next(line for line in lines if line["step"] == "token")["error"] == "invalid_client"


def test_a_flow_cancelled_with_ctrl_c_is_saved_as_cancelled(storage):
    provider = FakeProvider()

    def interrupted(request):
        raise KeyboardInterrupt

    provider.on("/token", interrupted)
    code, printed = run(storage, provider)
    [entry] = flows(storage)
    assert code == 130 and entry.status == "cancelled"
    assert run_cli(storage, "history", "show", entry.id, "--json").out == printed


def test_no_history_saves_no_record(storage):
    run(storage, FakeProvider(), "--no-history")
    assert list(storage.history.entries()) == []


def test_text_mode_says_where_the_flow_was_saved(storage, capsys):
    run(storage, FakeProvider(), as_json=False)
    [entry] = flows(storage)
    assert f"saved to the history as {entry.id} (token-inspector history show {entry.id})" in capsys.readouterr().err


def test_a_refused_save_warns_and_keeps_the_exit_code(tmp_path, capsys):
    locked = memory_storage(tmp_path, LockedKeyring())
    code, _ = run(locked, FakeProvider())
    assert code == 0
    assert "the flow and its tokens were not saved to the history" in capsys.readouterr().err


def test_list_kind_flow_lists_only_flows(storage):
    run(storage, FakeProvider())
    result = run_cli(storage, "history", "list", "--kind", "flow")
    [line] = result.out.splitlines()
    assert result.code == 0 and " flow " in line and "client_credentials" in line and line.endswith("ok")
    data = json.loads(run_cli(storage, "history", "list", "--kind", "flow", "--json").out)
    assert data["total"] == 1 and data["entries"][0]["kind"] == "flow" and data["entries"][0]["status"] == "ok"
    assert len(json.loads(run_cli(storage, "history", "list", "--json").out)["entries"]) == 2
    found = json.loads(run_cli(storage, "history", "list", "--search", "grant:client status:ok", "--json").out)
    assert [e["kind"] for e in found["entries"]] == ["flow"]  # tokens have no status


def test_show_in_text_renders_the_steps(storage):
    run(storage, FakeProvider())
    [entry] = flows(storage)
    result = run_cli(storage, "history", "show", entry.id)
    assert result.code == 0
    assert f"Saved flow {entry.id}: client_credentials, ok" in result.out
    assert "✓ token: ok" in result.out and "POST https://op.example/token → 200" in result.out
    assert "Flow ok in" in result.out and SECRET not in result.out
    assert "at-xxxxxxx" not in result.out  # tokens abbreviated in text


def test_a_flow_entry_is_not_a_token_for_diff(storage):
    run(storage, FakeProvider())
    [entry] = flows(storage)
    result = run_cli(storage, "diff", entry.id, "at-" + "x" * 40)
    assert result.code == 2 and "is a saved flow, not a token" in result.err
