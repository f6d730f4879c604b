"""`flow` saves its record in the history when it ends — finished, failed or cancelled (Ctrl+C) —
against the real oidc-provider, and `history list --kind flow` / `history show ID --json` give it
back as the JSON lines `flow --json` printed, without the secrets it sent."""

import json
import os
import signal
import subprocess

import pytest

from inspector.core.storage.history import HistoryStore
from inspector.core.storage.vault import Vault
from tests.support.cli import ROOT, cli_command, run_cli
from tests.support.memory_keyring import SEED_VARIABLE, MemoryKeyring
from tests.support.user_agent import UserAgent

pytestmark = pytest.mark.e2e


@pytest.fixture
def home(tmp_path):
    """A history whose key every child process is handed (their in-memory keyring dies with them)."""
    keyring = MemoryKeyring()
    HistoryStore(tmp_path / "data" / "history.bin", Vault(keyring)).set_max_entries(1000)
    env = {"TOKEN_INSPECTOR_HOME": str(tmp_path), "PYTHON_KEYRING_BACKEND": "tests.support.memory_keyring.MemoryKeyring",
           SEED_VARIABLE: json.dumps(keyring.seed())}
    return tmp_path, keyring, env


def saved_flows(home):
    path, keyring, _env = home
    store = HistoryStore(path / "data" / "history.bin", Vault(keyring))
    return store, list(store.search("", kind="flow"))


def shown_again(home, entry_id):
    return run_cli("history", "show", entry_id, "--json", env=home[2])


def test_a_finished_auth_code_flow_is_saved_whole_and_shown_again(oidc_provider, home):
    secret = oidc_provider.secrets["basic-client"]
    agent = UserAgent()
    try:
        run = run_cli("flow", "auth-code", "--issuer", oidc_provider.issuer, "--client-id", "basic-client",
                      "--client-secret-env", "TI_SECRET", "--scope", "openid email offline_access", "--no-browser",
                      "--json", "--timeout", "30", env={**home[2], "TI_SECRET": secret},
                      on_line=lambda line: line["step"] == "authorize" and agent.authorize(line["url"]))
    finally:
        agent.close()
    assert run.returncode == 0, run.stdout + run.stderr
    store, [entry] = saved_flows(home)
    assert (entry.source, entry.status, entry.issuer, entry.subject) == ("auth_code", "ok", oidc_provider.issuer,
                                                                        "alice")
    shown = shown_again(home, entry.id)
    assert shown.returncode == 0 and shown.lines == run.lines
    refresh = next(e for e in store.entries() if e.kind == "refresh")
    stored = json.dumps(store.flow_record(entry.id).lines)
    assert secret not in stored and store.token(refresh.id) not in stored
    assert run.step("token")["request"]["params"]["code_verifier"] == "••••••"
    listed = run_cli("history", "list", "--kind", "flow", env=home[2], json_lines=False)
    assert listed.returncode == 0 and [line.split()[0] for line in listed.stdout.splitlines()] == [entry.id]


def test_a_failed_flow_is_saved_with_its_error(oidc_provider, home):
    run = run_cli("flow", "client-credentials", "--issuer", oidc_provider.issuer, "--client-id", "service-client",
                  "--client-secret", "wrong-secret", "--json", env=home[2])
    assert run.returncode == 1
    _store, [entry] = saved_flows(home)
    assert entry.status == "error" and entry.source == "client_credentials"
    shown = shown_again(home, entry.id)
    assert shown.lines == run.lines and shown.step("token")["error"] == "invalid_client"
    assert "wrong-secret" not in shown.stdout


def test_a_flow_interrupted_with_ctrl_c_is_saved_as_cancelled(oidc_provider, home):
    process = subprocess.Popen(
        cli_command("flow", "auth-code", "--issuer", oidc_provider.issuer, "--client-id", "public-client",
                    "--no-browser", "--json", "--timeout", "30"),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **home[2]}, cwd=ROOT,
    )  # fmt: skip
    try:
        lines = []
        for text in process.stdout:
            lines.append(json.loads(text))
            if lines[-1]["step"] == "authorize":
                process.send_signal(signal.SIGINT)  # the flow now waits on the loopback listener
        assert process.wait(30) == 130, process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    assert lines[-1]["status"] == "cancelled"
    _store, [entry] = saved_flows(home)
    assert entry.status == "cancelled"
    assert shown_again(home, entry.id).lines == lines
