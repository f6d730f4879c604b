"""``diagnose`` against records of real failures at the real oidc-provider, which answers
"grant request is invalid" for every bad grant: the record's structure must name the cause."""

import json

import httpx
import pytest

from inspector.core.protocol.http import make_client
from inspector.core.diagnosis.engine import diagnose_flows
from inspector.core.diagnosis.model import DiagnosisContext
from inspector.core.diagnosis.remote import IssuerSource
from inspector.core.flows.model import FlowStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.protocol.jwks import JwksCache
from tests.support.cli import run_cli
from tests.support.flows import ScriptedBrowser, environment, json_lines, run_to_end
from tests.support.user_agent import UserAgent

pytestmark = pytest.mark.e2e


def run_flow(provider, edit=None, jwks=None, **settings):
    """A core auth-code flow signed in by the scripted browser; ``edit(step)`` may change a step's
    parameters before it is sent, as the GUI lets a person do."""
    browser = ScriptedBrowser()
    settings = {"client_id": "public-client", "scope": "openid email", "timeout": 30, **settings}
    runner = FlowRunner("auth_code", FlowSettings(issuer=provider.issuer, **settings), environment(browser, jwks=jwks))
    try:
        return run_to_end(runner, edit)
    finally:
        runner.close()
        browser.close()


def diagnose_file(tmp_path, text, *args):
    path = tmp_path / "record.jsonl"
    path.write_text(text)
    run = run_cli("diagnose", str(path), "--json", *args, json_lines=False)
    assert "Traceback" not in run.stderr, run.stderr
    return run.returncode, json.loads(run.stdout)["diagnoses"]


def first(diagnoses):
    return diagnoses[0]["cause"], diagnoses[0]["confidence"]


def test_a_redirect_uri_changed_for_the_token_request(oidc_provider, tmp_path):
    flow = run_flow(oidc_provider, edit=lambda step: step.name == "token" and step.inputs.update(
        redirect_uri="http://127.0.0.1/elsewhere"))
    assert flow.step("token").output["error"] == "invalid_grant"
    code, diagnoses = diagnose_file(tmp_path, json_lines(flow, show_tokens=True))
    assert code == 0 and first(diagnoses) == ("redirect_uri_mismatch", "certain")
    assert "grant request is invalid" in json.dumps(diagnoses[0]["evidence"])


def test_a_redirect_uri_the_provider_refuses_shows_on_its_error_page(oidc_provider):
    url = httpx.URL(f"{oidc_provider.issuer}/auth", params={
        "client_id": "public-client", "response_type": "code", "scope": "openid", "state": "s" * 20,
        "redirect_uri": "http://127.0.0.1:5000/not-registered", "code_challenge": "c" * 43,
        "code_challenge_method": "S256"})
    with UserAgent() as agent:
        page = agent.client.get(url)
    assert page.status_code == 400
    head = f"HTTP/1.1 {page.status_code} Bad Request\r\ncontent-type: {page.headers['content-type']}\r\n\r\n"
    answer = head + page.text
    run = run_cli("diagnose", "-", "--json", stdin=answer, json_lines=False)
    assert run.returncode == 0
    assert first(json.loads(run.stdout)["diagnoses"]) == ("redirect_uri_mismatch", "certain")


def test_a_pkce_verifier_that_does_not_match_the_challenge(oidc_provider, tmp_path):
    flow = run_flow(oidc_provider, edit=lambda step: step.name == "token" and step.inputs.update(
        code_verifier="a-verifier-that-belongs-to-no-request-000000000"))
    body = flow.step("token").exchanges[-1].body
    assert body == {"error": "invalid_grant", "error_description": "grant request is invalid"}
    code, diagnoses = diagnose_file(tmp_path, json_lines(flow, show_tokens=True))
    assert code == 0 and first(diagnoses) == ("pkce_mismatch", "certain")
    assert "a-verifier-that-belongs" not in json.dumps(diagnoses)


def test_a_code_redeemed_once_and_sent_again(oidc_provider, tmp_path):
    used = run_flow(oidc_provider)
    assert used.status is FlowStatus.OK, [f.to_json() for f in used.all_findings()]
    code = used.step("callback").output["code"]
    again = run_flow(oidc_provider, edit=lambda step: step.name == "token" and step.inputs.update(code=code))
    assert again.step("token").output["error"] == "invalid_grant"
    exit_code, diagnoses = diagnose_file(tmp_path, json_lines(used, again, show_tokens=True))
    assert exit_code == 0 and first(diagnoses) == ("invalid_grant_code", "certain")
    assert "already sent in the token step of flow 1 and redeemed there" in diagnoses[0]["summary"]


def test_a_wrong_client_secret(oidc_provider, tmp_path):
    agent = UserAgent()
    try:
        run = run_cli("flow", "auth-code", "--issuer", oidc_provider.issuer, "--client-id", "basic-client",
                      "--client-secret", "not-the-secret", "--scope", "openid", "--no-browser", "--json", "--timeout",
                      "30", "--no-history", on_line=lambda line: line["step"] == "authorize" and agent.authorize(
                          line["url"]))
    finally:
        agent.close()
    assert run.returncode == 1 and run.step("token")["error"] == "invalid_client"
    code, diagnoses = diagnose_file(tmp_path, run.stdout)
    assert code == 0 and first(diagnoses) == ("invalid_client", "certain")
    evidence = {(item["name"], json.dumps(item["value"])) for item in diagnoses[0]["evidence"]}
    assert ("client authentication", '"client_secret_basic"') in evidence
    assert any(name == "token_endpoint_auth_methods_supported" for name, _value in evidence)
    assert "not-the-secret" not in json.dumps(diagnoses)


def test_access_denied_by_the_person(oidc_provider, tmp_path):
    agent = UserAgent()
    try:
        run = run_cli("flow", "auth-code", "--issuer", oidc_provider.issuer, "--client-id", "public-client",
                      "--scope", "openid", "--no-browser", "--json", "--timeout", "30", "--no-history",
                      on_line=lambda line: line["step"] == "authorize" and agent.authorize(line["url"], consent=False))
    finally:
        agent.close()
    assert run.step("callback")["error"] == "access_denied"
    code, diagnoses = diagnose_file(tmp_path, run.stdout)
    assert code == 0 and first(diagnoses) == ("access_denied", "certain")


def test_a_refresh_token_used_again_after_rotation(oidc_provider, tmp_path):
    flow = run_flow(oidc_provider, scope="openid offline_access")
    original = flow.step("token").output["token"]["refresh_token"]
    common = ("--issuer", oidc_provider.issuer, "--client-id", "public-client", "--json", "--no-history")
    rotated = run_cli("flow", "refresh", f"--refresh-token={original}", *common)
    reused = run_cli("flow", "refresh", f"--refresh-token={original}", *common)
    assert rotated.returncode == 0 and reused.returncode == 1
    code, diagnoses = diagnose_file(tmp_path, rotated.stdout + reused.stdout)
    assert code == 0 and first(diagnoses) == ("refresh_token_invalid", "certain")


def test_a_rotated_key_the_applications_cached_jwks_lacks(oidc_provider):
    """The cache refetched moments ago (an unknown kid), so after the rotation it waits before
    fetching again: the new kid is unknown to it. The issuer's current JWKS has it."""
    cache = JwksCache(cooldown=3600)
    with make_client(timeout=30) as client:
        cache.keys(client, f"{oidc_provider.issuer}/jwks")
        cache.keys(client, f"{oidc_provider.issuer}/jwks", "a-kid-nobody-uses")
    oidc_provider.rotate_keys()
    flow = run_flow(oidc_provider, jwks=cache)
    assert "key_not_found" in [f.code for f in flow.step("id_token").findings]
    offline = diagnose_flows([flow], DiagnosisContext())
    assert [(d.cause, d.confidence.value) for d in offline.diagnoses][:1] == [("signing_key_rotated", "likely")]
    source = IssuerSource(issuer=oidc_provider.issuer, timeout=10)
    try:
        online = diagnose_flows([flow], DiagnosisContext(source=source))
    finally:
        source.close()
    assert [(d.cause, d.confidence.value) for d in online.diagnoses][:1] == [("signing_key_rotated", "certain")]
    assert "a fresh copy of the issuer's JWKS has it" in online.diagnoses[0].summary


def test_a_plain_authorization_request_from_a_client_that_must_push_it(oidc_provider, tmp_path):
    flow = run_flow(oidc_provider, client_id="par-required-client",
                    client_secret=oidc_provider.secrets["par-required-client"])
    assert flow.step("callback").output["error_description"] == "Pushed Authorization Request must be used"
    code, diagnoses = diagnose_file(tmp_path, json_lines(flow))
    assert code == 0 and first(diagnoses) == ("par_required", "certain")
    assert "pushed_authorization_request_endpoint" in diagnoses[0]["fix"]
