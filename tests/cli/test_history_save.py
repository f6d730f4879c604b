"""`decode --save` and `verify --save` record the token as pasted; without --save nothing is touched."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.core.storage.history import HistoryStore
from inspector.core.storage.vault import Vault
from tests.support.memory_keyring import SEED_VARIABLE
from tests.support.storage import fake_jwt

ROOT = Path(__file__).resolve().parents[2]
TOKEN = fake_jwt({"iss": "https://idp.example", "sub": "saved-user", "aud": "web", "exp": 1_900_000_000, "nonce": "n"},
                 {"alg": "HS256", "typ": "JWT"})  # fmt: skip


@pytest.fixture
def home(tmp_path, keyring):
    """A history whose key the child processes are handed (their in-memory keyring dies with them)."""
    HistoryStore(tmp_path / "data" / "history.bin", Vault(keyring)).set_max_entries(1000)
    return tmp_path


def app(home, keyring, *args, backend="tests.support.memory_keyring.MemoryKeyring"):
    env = dict(os.environ, TOKEN_INSPECTOR_HOME=str(home), PYTHON_KEYRING_BACKEND=backend,
               **{SEED_VARIABLE: json.dumps(keyring.seed())})  # fmt: skip
    return subprocess.run([sys.executable, "-m", "inspector", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)  # fmt: skip


def saved(home, keyring):
    store = HistoryStore(home / "data" / "history.bin", Vault(keyring))
    return [(entry, store.token(entry.id)) for entry in store.entries()]


def test_decode_save_records_the_token_as_pasted(home, keyring):
    result = app(home, keyring, "decode", f"Bearer {TOKEN}", "--save")
    assert result.returncode == 0, result.stderr
    [(entry, token)] = saved(home, keyring)
    assert token == TOKEN and entry.source == "pasted" and entry.subject == "saved-user" and entry.kind == "id"
    assert f"Saved to the history as {entry.id}." in result.stderr
    assert "saved-user" in result.stdout  # the decode output is unchanged


def test_decode_json_save(home, keyring):
    result = app(home, keyring, "decode", TOKEN, "--json", "--save")
    assert result.returncode == 0 and json.loads(result.stdout)["claims"]["sub"] == "saved-user"
    assert len(saved(home, keyring)) == 1


def test_decode_without_save_records_nothing(home, keyring):
    assert app(home, keyring, "decode", TOKEN).returncode == 0
    assert saved(home, keyring) == []


def test_verify_save_records_even_an_invalid_token_and_keeps_its_exit_code(home, keyring):
    result = app(home, keyring, "verify", TOKEN, "--secret", "wrong-secret", "--save")
    assert result.returncode == 1 and "NOT VALID" in result.stdout
    [(entry, token)] = saved(home, keyring)
    assert token == TOKEN and entry.source == "pasted"


def test_save_without_a_keyring_still_decodes_but_exits_non_zero(home, keyring):
    result = app(home, keyring, "decode", TOKEN, "--save", backend="keyring.backends.fail.Keyring")
    assert result.returncode == 2
    assert "saved-user" in result.stdout
    assert "was not saved to the history" in result.stderr and "No system keyring was found" in result.stderr
    assert "Traceback" not in result.stderr


def test_decode_without_save_loads_no_keyring_or_crypto(tmp_path):
    code = (
        "import sys; from inspector.cli.main import main; main(['decode', sys.argv[1]]);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('keyring', 'cryptography', 'httpx', 'PySide6')))"
    )
    env = dict(os.environ, TOKEN_INSPECTOR_HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code, TOKEN], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]"
