"""Token exchange (RFC 8693), the JWT bearer grant (RFC 7523 §2.1) and resource indicators
(RFC 8707) from the CLI against the real oidc-provider, whose test-only grant handlers are in
tests/e2e/provider/exchange.mjs."""

import json

import jwt
import pytest

from inspector.core.storage.history import HistoryStore
from inspector.core.storage.vault import Vault
from tests.support.cli import run_cli
from tests.support.memory_keyring import SEED_VARIABLE, MemoryKeyring
from tests.support.provider import TEST_API
from tests.support.user_agent import UserAgent

pytestmark = pytest.mark.e2e

URN = "urn:ietf:params:oauth:token-type:"


@pytest.fixture
def home(tmp_path):
    keyring = MemoryKeyring()
    HistoryStore(tmp_path / "data" / "history.bin", Vault(keyring)).set_max_entries(1000)
    env = {"TOKEN_INSPECTOR_HOME": str(tmp_path), "PYTHON_KEYRING_BACKEND": "tests.support.memory_keyring.MemoryKeyring",
           SEED_VARIABLE: json.dumps(keyring.seed())}
    return HistoryStore(tmp_path / "data" / "history.bin", Vault(keyring)), env


def service(provider, *args, env=None, stdin=None):
    return run_cli(*args, "--issuer", provider.issuer, "--client-id", "service-client", "--client-secret-env",
                   "TI_SECRET", "--json", env={**(env or {}), "TI_SECRET": provider.secrets["service-client"]},
                   stdin=stdin)


def client_credentials_token(provider, *args):
    run = service(provider, "flow", "client-credentials", "--scope", "api:read", "--no-history", *args)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.step("token")["token"]["access_token"]


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def test_client_credentials_with_resource_gets_a_jwt_access_token_for_that_audience(oidc_provider):
    token = client_credentials_token(oidc_provider, "--resource", TEST_API)
    assert claims(token)["aud"] == TEST_API


def test_token_exchange_of_a_client_credentials_token_for_the_resource_saves_the_token(oidc_provider, home):
    store, env = home
    subject = client_credentials_token(oidc_provider)
    run = service(oidc_provider, "flow", "token-exchange", "--subject-token", "-", "--subject-token-type",
                  "access_token", "--resource", TEST_API, "--scope", "api:read", env=env, stdin=subject + "\n")
    assert run.returncode == 0, run.stdout + run.stderr
    token = run.step("token")
    assert token["request"]["params"]["subject_token_type"] == URN + "access_token"
    assert token["issued_token_type"] == URN + "access_token"
    issued = claims(token["token"]["access_token"])
    assert issued["aud"] == TEST_API and issued["act"] == {"sub": "service-client"}
    assert subject not in run.stdout and oidc_provider.secrets["service-client"] not in run.stdout
    assert any(entry.kind == "access" and entry.source == "token_exchange" for entry in store.entries())
    [record] = store.search("", kind="flow")
    assert record.source == "token_exchange" and subject not in json.dumps(store.flow_record(record.id).lines)


def test_token_exchange_errors_are_the_providers_codes_in_findings(oidc_provider):
    subject = client_credentials_token(oidc_provider)
    unknown = service(oidc_provider, "flow", "token-exchange", "--subject-token", subject, "--resource",
                      "https://unknown.example", "--no-history")
    assert unknown.returncode == 1 and unknown.step("token")["error"] == "invalid_target"
    wrong_type = service(oidc_provider, "flow", "token-exchange", "--subject-token", subject, "--subject-token-type",
                         "id_token", "--no-history")
    assert wrong_type.step("token")["error"] == "invalid_request"
    stale = service(oidc_provider, "flow", "token-exchange", "--subject-token", "not-a-token-" + "x" * 30,
                    "--no-history")
    [finding] = stale.step("token")["findings"]
    assert stale.step("token")["error"] == "invalid_grant" and "subject_token is invalid" in finding["message"]


def jwt_client(provider, *args):
    return run_cli("flow", "jwt-bearer", "--issuer", provider.issuer, "--client-id", "jwt-client", "--key",
                   str(provider.key_pem_path), "--key-id", "jwt-client-key-1", "--json", "--no-history", *args)


def test_jwt_bearer_with_a_key_registered_in_the_clients_jwks(oidc_provider):
    run = jwt_client(oidc_provider, "--assertion-key", str(oidc_provider.key_pem_path))
    assert run.returncode == 0, run.stdout + run.stderr
    token = run.step("token")
    assert token["assertion_header"] == {"alg": "ES256", "typ": "JWT", "kid": "jwt-client-key-1"}
    assert token["assertion_claims"]["aud"] == f"{oidc_provider.issuer}/token"
    assert token["assertion_claims"]["iss"] == token["assertion_claims"]["sub"] == "jwt-client"
    assert token["request"]["params"]["assertion"] == "••••••"
    assert token["token"]["access_token"]


def test_jwt_bearer_an_assertion_the_provider_refuses_is_a_finding(oidc_provider):
    run = jwt_client(oidc_provider, "--assertion-claim", "aud=https://elsewhere.example/token")
    assert run.returncode == 1
    token = run.step("token")
    assert token["error"] == "invalid_grant"
    assert "the assertion did not verify" in token["findings"][0]["message"]


def test_auth_code_with_resource_gets_a_jwt_access_token_for_it(oidc_provider):
    """Without openid: a token for the resource is not one for the userinfo endpoint."""
    agent = UserAgent()
    try:
        run = run_cli("flow", "auth-code", "--issuer", oidc_provider.issuer, "--client-id", "basic-client",
                      "--client-secret-env", "TI_SECRET", "--scope", "api:read", "--resource", TEST_API,
                      "--no-browser", "--json", "--no-history", "--timeout", "30",
                      env={"TI_SECRET": oidc_provider.secrets["basic-client"]},
                      on_line=lambda line: line["step"] == "authorize" and agent.authorize(line["url"]))
    finally:
        agent.close()
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"resource={TEST_API.replace(':', '%3A')}" in run.step("authorize")["url"]
    assert claims(run.step("token")["token"]["access_token"])["aud"] == TEST_API
