"""Tokens the real oidc-provider encrypts: a client registered with id_token_encrypted_response_alg
and a signed-then-encrypted userinfo (userinfo_signed_response_alg + userinfo_encrypted_response_alg)
runs the authorization code flow from the CLI, with --decrypt-key and with its profile's key."""

import base64
import json

import pytest

from inspector.core.storage.history import HistoryStore
from inspector.core.storage.profile_model import Profile
from inspector.core.storage.vault import Vault
from tests.support.cli import run_cli
from tests.support.memory_keyring import SEED_VARIABLE, MemoryKeyring
from tests.support.provider import ENCRYPTED_CLIENT
from tests.support.storage import memory_storage
from tests.support.user_agent import UserAgent

pytestmark = pytest.mark.e2e


def auth_code(provider, *args, env):
    agent = UserAgent()
    try:
        return run_cli("flow", "auth-code", "--scope", "openid email", "--no-browser", "--json", "--timeout", "30",
                       *args, env=env, on_line=lambda line: line["step"] == "authorize" and agent.authorize(line["url"]))
    finally:
        agent.close()


def assert_decrypted_and_verified(run):
    assert run.returncode == 0, run.stdout + run.stderr
    assert all(line["status"] in ("ok", "skipped") for line in run.lines), run.stdout  # PAR is off here
    token = run.step("token")["token"]["id_token"]
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert (header["alg"], header["enc"], len(token.split("."))) == ("RSA-OAEP-256", "A256GCM", 5)
    id_token = run.step("id_token")
    assert id_token["decrypted"] is True and id_token["valid"] is True
    assert id_token["encrypted"]["alg"] == "RSA-OAEP-256" and id_token["decryption_key"]["kid"] == "enc-rsa-1"
    assert id_token["claims"]["sub"] == "alice" and "nonce" in id_token["claims"]
    userinfo = run.step("userinfo")
    assert userinfo["decrypted"] is True and userinfo["signed"] is True
    assert (userinfo["encrypted"]["alg"], userinfo["encrypted"]["enc"]) == ("ECDH-ES", "A128CBC-HS256")
    assert userinfo["claims"]["email"] == "alice@example.test"
    assert {"decrypted", "userinfo_sub_match"} <= {f["code"] for f in userinfo["findings"]}


def test_decrypt_key_file_decrypts_and_verifies_the_providers_encrypted_id_token_and_userinfo(oidc_provider, tmp_path):
    run = auth_code(oidc_provider, "--issuer", oidc_provider.issuer, "--client-id", ENCRYPTED_CLIENT,
                    "--client-secret-env", "TI_SECRET", "--decrypt-key", str(oidc_provider.decryption_key_path),
                    "--no-history", env={"TI_SECRET": oidc_provider.secrets[ENCRYPTED_CLIENT],
                                         "TOKEN_INSPECTOR_HOME": str(tmp_path)})
    assert_decrypted_and_verified(run)


def test_the_profiles_decryption_key_decrypts_and_the_history_keeps_the_token_as_issued(oidc_provider, tmp_path):
    keyring = MemoryKeyring()
    storage = memory_storage(tmp_path, keyring)
    storage.history.set_max_entries(1000)
    storage.profiles.add(Profile(name="encrypted", issuer=oidc_provider.issuer, client_id=ENCRYPTED_CLIENT,
                                 auth_method="client_secret_basic", scopes=("openid", "email")),
                         secrets={"client_secret": oidc_provider.secrets[ENCRYPTED_CLIENT],
                                  "decryption_key": oidc_provider.decryption_key_path.read_text()})
    env = {"TOKEN_INSPECTOR_HOME": str(tmp_path), "PYTHON_KEYRING_BACKEND": "tests.support.memory_keyring.MemoryKeyring",
           SEED_VARIABLE: json.dumps(keyring.seed())}
    run = auth_code(oidc_provider, "--profile", "encrypted", env=env)
    assert_decrypted_and_verified(run)
    store = HistoryStore(tmp_path / "data" / "history.bin", Vault(keyring))
    id_entry = next(entry for entry in store.entries() if entry.kind == "id")
    assert store.token(id_entry.id) == run.step("token")["token"]["id_token"]  # as issued: encrypted
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"alice@example.test" not in path.read_bytes(), path


def test_without_a_key_the_flow_fails_and_says_which_key_to_give(oidc_provider, tmp_path):
    run = auth_code(oidc_provider, "--issuer", oidc_provider.issuer, "--client-id", ENCRYPTED_CLIENT,
                    "--client-secret-env", "TI_SECRET", "--no-history",
                    env={"TI_SECRET": oidc_provider.secrets[ENCRYPTED_CLIENT], "TOKEN_INSPECTOR_HOME": str(tmp_path)})
    assert run.returncode == 1
    [finding] = run.step("id_token")["findings"]
    assert finding["code"] == "decryption_key_missing" and "alg RSA-OAEP-256, enc A256GCM" in finding["message"]
    assert finding["settings"] == ["decryption_key"] and "claims" not in run.step("id_token")
    assert "Traceback" not in run.stderr
