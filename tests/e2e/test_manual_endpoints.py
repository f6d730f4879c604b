"""A profile with endpoints set by hand and no issuer (a provider without discovery) runs the
client-credentials and authorization-code flows against the real provider, via the CLI."""

import io
import json

import httpx
import pytest

from inspector.cli import flow as flow_cli
from inspector.cli.main import build_parser
from inspector.core.flows.context import FlowEnvironment
from tests.support.flows import ScriptedBrowser
from tests.support.memory_keyring import MemoryKeyring
from tests.support.storage import memory_storage, run_cli

pytestmark = pytest.mark.e2e

NEEDED = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


@pytest.fixture
def storage(tmp_path):
    return memory_storage(tmp_path, MemoryKeyring())


@pytest.fixture(scope="module")
def endpoints(oidc_provider):
    """The provider's endpoints, read once by the test (the flows themselves never fetch metadata)."""
    metadata = httpx.get(f"{oidc_provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    return {name: metadata[name] for name in NEEDED}


def add_manual_profile(storage, name, endpoints, client_id, secret, monkeypatch, *extra):
    monkeypatch.setenv("E2E_SECRET", secret)
    options = [f"--{field.replace('_', '-')}={url}" for field, url in endpoints.items()]
    added = run_cli(storage, "profile", "add", name, *options, "--client-id", client_id,
                    "--client-secret-env", "E2E_SECRET", *extra)
    assert added.code == 0, added.err
    assert storage.profiles.get(name).issuer == ""


def run_flow(storage, flow, *argv, env=None):
    out = io.StringIO()
    args = build_parser("flow").parse_args([flow, *argv, "--json", "--no-history"])
    code = flow_cli.run(args, env=env, out=out, storage=storage)
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def requested_urls(lines):
    return [exchange["request"]["url"] for line in lines for exchange in line.get("exchanges") or
            ([line] if "request" in line else [])]


def test_client_credentials_with_only_a_token_endpoint(oidc_provider, endpoints, storage, monkeypatch):
    add_manual_profile(storage, "svc", {"token_endpoint": endpoints["token_endpoint"]}, "service-client",
                       oidc_provider.secrets["service-client"], monkeypatch, "--scope", "api:read")
    code, lines = run_flow(storage, "client-credentials", "--profile", "svc")
    assert code == 0, lines
    assert [line["step"] for line in lines] == ["endpoints", "token", "api_call", "done"]
    assert lines[1]["token"]["scope"] == "api:read"
    assert requested_urls(lines) == [endpoints["token_endpoint"]]


def test_auth_code_with_endpoints_by_hand_verifies_the_es256_id_token(oidc_provider, endpoints, storage, monkeypatch):
    add_manual_profile(storage, "web", endpoints, "basic-client", oidc_provider.secrets["basic-client"], monkeypatch,
                       "--scope", "openid email")
    browser = ScriptedBrowser()
    try:
        code, lines = run_flow(storage, "auth-code", "--profile", "web", "--timeout", "30",
                               env=FlowEnvironment(open_browser=browser.open))
    finally:
        browser.close()
    assert code == 0, lines
    steps = {line["step"]: line for line in lines}
    assert list(steps) == ["endpoints", "par", "authorize", "callback", "token", "id_token", "userinfo", "api_call",
                           "done"]
    assert steps["authorize"]["url"].startswith(endpoints["authorization_endpoint"] + "?")
    assert steps["id_token"]["valid"] is True and steps["id_token"]["claims"]["sub"] == "alice"
    assert "issuer_unchecked" in [f["code"] for f in steps["id_token"]["findings"]]
    assert steps["userinfo"]["claims"]["email"] == "alice@example.test"
    assert not any(".well-known" in url for url in requested_urls(lines))
