"""``flow auth-code`` with pushed authorization requests (RFC 9126) against the real oidc-provider:
``--par``, PAR on by default where the metadata requires it, and ``--no-par`` refused and diagnosed."""

import base64
import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.e2e.test_cli_flows import assert_no_secret_anywhere, auth_code
from tests.support.cli import run_cli

pytestmark = pytest.mark.e2e


def browser_query(run) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(run.step("authorize")["url"]).query)


def test_auth_code_with_par_sends_the_browser_only_client_id_and_request_uri(oidc_provider):
    secret = oidc_provider.secrets["par-required-client"]
    run, _ = auth_code(oidc_provider, "--client-id", "par-required-client", "--client-secret-env", "TI_SECRET",
                       "--par", env={"TI_SECRET": secret})
    assert run.returncode == 0, run.stdout + run.stderr
    assert [line["step"] for line in run.lines] == ["discovery", "par", "authorize", "callback", "token", "id_token",
                                                    "userinfo", "api_call", "done"]
    par = run.step("par")
    assert par["status"] == "ok" and par["par"] == "switched on" and par["expires_in"] == 60
    assert par["request"]["url"] == f"{oidc_provider.issuer}/request" and par["response"]["status"] == 201
    assert par["request"]["headers"]["authorization"] == "••••••"
    assert {"redirect_uri", "state", "nonce", "code_challenge", "scope"} <= set(par["request"]["params"])
    assert browser_query(run) == [("client_id", "par-required-client"), ("request_uri", par["request_uri"])]
    assert run.step("id_token")["valid"] is True and run.step("token")["auth_method"] == "client_secret_basic"
    assert_no_secret_anywhere(run, secret, base64.b64encode(f"par-required-client:{secret}".encode()).decode())


def test_par_is_on_by_default_where_the_metadata_requires_it(oidc_provider_strict):
    run, _ = auth_code(oidc_provider_strict, "--client-id", "public-client")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.step("par")["par"] == "required by the provider (require_pushed_authorization_requests)"
    assert [name for name, _value in browser_query(run)] == ["client_id", "request_uri"]


def test_no_par_where_it_is_required_is_refused_and_diagnosed(oidc_provider_strict, tmp_path):
    run, _ = auth_code(oidc_provider_strict, "--client-id", "public-client", "--no-par")
    assert run.returncode == 1
    par = run.step("par")
    assert par["status"] == "skipped" and "the provider will refuse it" in par["findings"][0]["message"]
    assert par["findings"][0]["settings"] == ["use_par"]
    assert "par_required_off" in [f["code"] for f in run.step("authorize")["findings"]]
    assert run.step("callback")["error_description"] == "Pushed Authorization Request must be used"
    record = tmp_path / "record.jsonl"
    record.write_text(run.stdout)
    diagnosis = run_cli("diagnose", str(record), "--json", json_lines=False)
    [cause, *_] = json.loads(diagnosis.stdout)["diagnoses"]
    assert (cause["cause"], cause["confidence"]) == ("par_required", "certain")


def test_with_dpop_the_push_carries_a_proof_and_takes_the_nonce_round(oidc_provider_strict):
    run, _ = auth_code(oidc_provider_strict, "--client-id", "dpop-client", "--dpop")
    assert run.returncode == 0, run.stdout + run.stderr
    par = run.step("par")
    assert par["status"] == "ok" and [name for name, _value in browser_query(run)] == ["client_id", "request_uri"]
    first, second = par["dpop_proofs"]
    assert first["claims"]["htu"] == f"{oidc_provider_strict.issuer}/request" and first["claims"]["htm"] == "POST"
    assert "nonce" not in first["claims"] and second["claims"]["nonce"] == second["nonce"]
    assert "dpop_nonce_retry" in [f["code"] for f in par["findings"]]
    assert run.step("token")["token"]["token_type"] == "DPoP"
