"""Against a real Secret Service: a client secret, a private key (long enough to be stored in
parts) and the history, saved by app processes, are read back by new processes (a restart)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.keys import private_pem
from tests.support.secret_service import running_secret_service
from tests.support.storage import fake_jwt
from tests.support.vault_child import resolve_in_child

pytestmark = [
    pytest.mark.keyring_integration,
    pytest.mark.skipif(
        not os.environ.get("DBUS_SESSION_BUS_ADDRESS"),
        reason="needs a D-Bus session bus: run under dbus-run-session (packaging/run-tests.sh does)",
    ),
]

ROOT = Path(__file__).resolve().parents[3]
SECRET = "integration-Client-Secret-5f2b9c"
TOKEN = fake_jwt({"iss": "https://idp.example", "sub": "integration-user", "aud": "web", "exp": 1_900_000_000})


@pytest.fixture
def app_env(tmp_path):
    with running_secret_service(tmp_path / "keyring") as env:
        env = {k: v for k, v in env.items() if not k.startswith("MEMORY_KEYRING")}
        env.update(TOKEN_INSPECTOR_HOME=str(tmp_path / "home"), PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")
        yield env


def app(env, *args, stdin=None):
    """One run of the app, as a fresh process."""
    result = subprocess.run([sys.executable, "-m", "inspector", *args], input=stdin, capture_output=True,
                            text=True, env=env, cwd=ROOT, timeout=60)  # fmt: skip
    assert "Traceback" not in result.stderr
    return result


def python(env, code):
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


SAVE_HISTORY = f"""
from inspector.core.storage.context import Storage
entry = Storage.from_environment().history.add({TOKEN!r}, source="authorization_code", profile="work")
print(entry.id)
"""

READ_BACK = """
import json, sys
from inspector.core.storage.context import Storage
storage = Storage.from_environment()
print(json.dumps({"secret": storage.profiles.secret("work", "client_secret"),
                  "key": storage.profiles.secret("work", "private_key"),
                  "token": storage.history.token(sys.argv[1] if len(sys.argv) > 1 else storage.history.entries()[0].id),
                  "backend": type(storage.vault.backend).__module__}))
"""


@pytest.fixture(scope="module")
def private_key():
    """A real RSA-4096 key (profile add checks that it is one): its PEM, over 3 KB, is stored in parts."""
    return private_pem(rsa.generate_private_key(public_exponent=65537, key_size=4096)).decode("ascii")


def test_secret_and_history_survive_an_app_restart(app_env, tmp_path, private_key):
    key_line = private_key.splitlines()[5].encode()
    key_file = tmp_path / "client-key.pem"
    key_file.write_text(private_key)
    added = app(app_env, "profile", "add", "work", "--issuer", "https://idp.example", "--client-secret-stdin",
                "--private-key-file", str(key_file), stdin=SECRET)  # fmt: skip
    assert added.returncode == 0, added.stderr
    entry_id = python(app_env, SAVE_HISTORY).strip()

    back = json.loads(python(app_env, READ_BACK))  # a new process: nothing cached
    assert back == {"secret": SECRET, "key": private_key, "token": TOKEN, "backend": "keyring.backends.SecretService"}
    shown = app(app_env, "history", "show", entry_id, "--json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["token"] == TOKEN
    assert "stored in the keyring" in app(app_env, "profile", "show", "work").stdout

    home = Path(app_env["TOKEN_INSPECTOR_HOME"])
    for path in [*home.rglob("*"), *Path(app_env["XDG_DATA_HOME"]).rglob("*")]:
        if path.is_file():
            content = path.read_bytes()
            assert SECRET.encode() not in content and TOKEN.encode() not in content, path
            assert key_line not in content, path


def test_clearing_the_history_removes_its_key_from_the_real_keyring(app_env):
    python(app_env, SAVE_HISTORY)
    assert app(app_env, "history", "clear", "--yes").returncode == 0
    listed = app(app_env, "history", "list", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout)["total"] == 0


LOCK_COLLECTION = """
from contextlib import closing
import secretstorage
with closing(secretstorage.dbus_init()) as connection:
    collection = secretstorage.Collection(connection)
    collection.lock()
    print(collection.is_locked())
"""


def test_a_locked_keyring_refuses_secrets_and_history_but_profiles_still_work(app_env):
    assert python(app_env, LOCK_COLLECTION).strip() == "True"  # no display: the unlock prompt cannot appear
    refused = app(app_env, "profile", "add", "work", "--issuer", "https://idp.example", "--client-secret-stdin", stdin=SECRET)
    assert refused.returncode != 0 and "KeyringLocked" in refused.stderr and "unlock" in refused.stderr
    assert app(app_env, "profile", "add", "plain", "--issuer", "https://idp.example").returncode == 0
    listed = app(app_env, "profile", "list")
    assert listed.returncode == 0 and listed.stdout.splitlines() == ["plain\thttps://idp.example\t-"]
    saved = subprocess.run([sys.executable, "-c", SAVE_HISTORY], capture_output=True, text=True, env=app_env, cwd=ROOT)
    assert saved.returncode != 0 and "KeyringUnavailableError" in saved.stderr
    assert not (Path(app_env["TOKEN_INSPECTOR_HOME"]) / "data" / "history.bin").exists()


SECRET_SERVICE = "keyring.backends.SecretService.Keyring"


@pytest.fixture
def desktop_env(tmp_path):
    """A GNOME-like session with nothing configured: no PYTHON_KEYRING_BACKEND, no keyringrc.cfg."""
    with running_secret_service(tmp_path / "keyring") as env:
        env = {k: v for k, v in env.items() if not k.startswith(("MEMORY_KEYRING", "PYTHON_KEYRING"))}
        yield dict(env, XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CURRENT_DESKTOP="GNOME")


def test_the_vault_asks_the_secret_service_directly_and_picks_what_keyring_would(desktop_env):
    found = resolve_in_child(desktop_env)
    assert found["picked"] == found["keyring_picks"] == SECRET_SERVICE
    assert "keyring.backends.macOS" not in found["loaded"]  # its import runs ldconfig, gcc and ld


def test_where_kwallet_could_outrank_it_keyrings_full_detection_decides(desktop_env, tmp_path):
    """A KDE session with dbus-python importable: keyring ranks KWallet's own API above the Secret
    Service when kwalletd runs, so secrets kept there must stay found (here it does not run)."""
    (tmp_path / "site" / "dbus").mkdir(parents=True)
    (tmp_path / "site" / "dbus" / "__init__.py").write_text("")  # importable, and unusable: not viable
    found = resolve_in_child(dict(desktop_env, XDG_CURRENT_DESKTOP="KDE", PYTHONPATH=str(tmp_path / "site")))
    assert found["picked"] == found["keyring_picks"] == SECRET_SERVICE
    assert "keyring.backends.macOS" in found["loaded"]


def test_an_explicit_choice_wins_over_a_running_secret_service(desktop_env):
    found = resolve_in_child(dict(desktop_env, PYTHON_KEYRING_BACKEND="tests.support.memory_keyring.MemoryKeyring"))
    assert found["picked"] == found["keyring_picks"] == "tests.support.memory_keyring.MemoryKeyring"
    assert "keyring.backends.SecretService" not in found["loaded"]
