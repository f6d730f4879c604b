"""Every CLI flow against the real oidc-provider (the `oidc_provider` fixture), as a user runs it."""

import base64
import json
import subprocess

import pytest

from tests.support.cli import ROOT, cli_command, run_cli
from tests.support.user_agent import UserAgent

pytestmark = pytest.mark.e2e


def auth_code(provider, *args, scope="openid email offline_access", consent=True, env=None):
    agent = UserAgent()
    pages = []

    def on_line(line):
        if line["step"] == "authorize":
            pages.append(agent.authorize(line["url"], consent=consent))

    try:
        run = run_cli("flow", "auth-code", "--issuer", provider.issuer, "--scope", scope, "--no-browser",
                      "--json", "--timeout", "30", *args, env=env, on_line=on_line)
    finally:
        agent.close()
    return run, pages


def assert_no_secret_anywhere(run, *secrets):
    for secret in secrets:
        assert secret not in run.stdout and secret not in run.stderr


def test_auth_code_with_client_secret_basic_and_an_es256_id_token(oidc_provider):
    secret = oidc_provider.secrets["basic-client"]
    agent = UserAgent()
    try:
        run = run_cli("flow", "auth-code", "--issuer", oidc_provider.issuer, "--client-id", "basic-client",
                      "--client-secret-env", "TI_SECRET", "--scope", "openid email offline_access",
                      "--no-browser", "--json", "--timeout", "30", env={"TI_SECRET": secret},
                      on_line=lambda line: line["step"] == "authorize" and agent.authorize(line["url"]))
    finally:
        agent.close()
    assert run.returncode == 0, run.stdout + run.stderr
    assert [line["step"] for line in run.lines] == ["discovery", "par", "authorize", "callback", "token", "id_token",
                                                    "userinfo", "api_call", "done"]
    skipped = {"par", "api_call"}  # the provider offers PAR but does not require it; no API URL was given
    assert all(line["status"] == ("skipped" if line["step"] in skipped else "ok") for line in run.lines), run.stdout
    authorize = run.step("authorize")
    assert "code_challenge_method=S256" in authorize["url"] and "state=" in authorize["url"]
    assert "nonce=" in authorize["url"]
    token = run.step("token")
    assert token["auth_method"] == "client_secret_basic"
    assert token["request"]["headers"]["authorization"] == "••••••"
    assert token["request"]["params"]["code_verifier"] == "••••••"
    assert set(token["token"]) >= {"access_token", "id_token", "refresh_token"}
    assert token["token"]["refresh_token"].endswith(" chars)")  # masked in --json unless --show-tokens
    id_token = run.step("id_token")
    header = json.loads(base64.urlsafe_b64decode(token["token"]["id_token"].split(".")[0] + "=="))
    assert header["alg"] == "ES256"
    assert id_token["valid"] is True and id_token["claims"]["sub"] == "alice"
    assert run.step("userinfo")["claims"]["email"] == "alice@example.test"
    assert "userinfo_sub_match" in [f["code"] for f in run.step("userinfo")["findings"]]
    assert run.step("callback")["iss"] == oidc_provider.issuer
    assert_no_secret_anywhere(run, secret, base64.b64encode(f"basic-client:{secret}".encode()).decode())


def test_auth_code_with_client_secret_post(oidc_provider):
    secret = oidc_provider.secrets["post-client"]
    run, _ = auth_code(oidc_provider, "--client-id", "post-client", "--client-secret", secret,
                       "--auth-method", "client_secret_post")
    assert run.returncode == 0, run.stdout + run.stderr
    token = run.step("token")
    assert token["auth_method"] == "client_secret_post"
    assert token["request"]["params"]["client_secret"] == "••••••"
    assert "authorization" not in token["request"]["headers"]
    assert run.step("id_token")["valid"] is True
    assert_no_secret_anywhere(run, secret)


def test_auth_code_public_client_with_pkce(oidc_provider):
    run, _ = auth_code(oidc_provider, "--client-id", "public-client")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.step("token")["auth_method"] == "none"
    assert run.step("token")["request"]["params"]["client_id"] == "public-client"
    assert run.done["status"] == "ok"


def test_public_client_without_pkce_is_refused_by_the_provider_with_a_finding(oidc_provider):
    run, _ = auth_code(oidc_provider, "--client-id", "public-client", "--no-pkce")
    assert run.returncode == 1
    callback = run.step("callback")
    assert callback["status"] == "error"
    assert [f["code"] for f in callback["findings"]] == ["callback_error"]
    assert "token" not in [line["step"] for line in run.lines]
    assert "Traceback" not in run.stderr


def test_auth_code_with_private_key_jwt(oidc_provider):
    run, _ = auth_code(oidc_provider, "--client-id", "jwt-client", "--key", str(oidc_provider.key_pem_path))
    assert run.returncode == 0, run.stdout + run.stderr
    token = run.step("token")
    assert token["auth_method"] == "private_key_jwt"
    assert token["request"]["params"]["client_assertion"] == "••••••"
    assert token["request"]["params"]["client_assertion_type"].endswith("jwt-bearer")
    assert run.step("id_token")["valid"] is True


def test_refresh_rotates_for_the_public_client_then_introspect_revoke(oidc_provider):
    run, _ = auth_code(oidc_provider, "--client-id", "public-client", "--show-tokens")  # --json masks refresh tokens
    first = run.step("token")["token"]
    refresh = run_cli("flow", "refresh", "--issuer", oidc_provider.issuer, "--client-id", "public-client",
                      "--refresh-token", "-", "--json", "--show-tokens", stdin=first["refresh_token"] + "\n")
    assert refresh.returncode == 0, refresh.stdout + refresh.stderr
    token = refresh.step("token")
    assert token["rotated"] is True
    assert token["token"]["refresh_token"] != first["refresh_token"]
    assert "refresh_token_rotated" in [f["code"] for f in token["findings"]]
    assert refresh.step("id_token")["valid"] is True

    # the old refresh token was consumed by the rotation
    again = run_cli("flow", "refresh", "--issuer", oidc_provider.issuer, "--client-id", "public-client",
                    f"--refresh-token={first['refresh_token']}", "--json")
    assert again.returncode == 1
    assert again.step("token")["error"] == "invalid_grant"
    assert [f["code"] for f in again.step("token")["findings"]] == ["token_error"]


def test_refresh_does_not_rotate_for_a_confidential_client(oidc_provider):
    secret = oidc_provider.secrets["basic-client"]
    run, _ = auth_code(oidc_provider, "--client-id", "basic-client", "--client-secret", secret, "--show-tokens")
    refresh_token = run.step("token")["token"]["refresh_token"]
    refresh = run_cli("flow", "refresh", "--issuer", oidc_provider.issuer, "--client-id", "basic-client",
                      "--client-secret", secret, f"--refresh-token={refresh_token}", "--json")
    assert refresh.returncode == 0, refresh.stdout
    assert refresh.step("token")["rotated"] is False
    assert "refresh_token_not_rotated" in [f["code"] for f in refresh.step("token")["findings"]]


def test_introspect_revoke_and_userinfo_over_an_access_token(oidc_provider):
    secret = oidc_provider.secrets["basic-client"]
    run, _ = auth_code(oidc_provider, "--client-id", "basic-client", "--client-secret", secret)
    access_token = run.step("token")["token"]["access_token"]
    common = ("--issuer", oidc_provider.issuer, "--client-id", "basic-client", "--client-secret", secret, "--json")

    info = run_cli("userinfo", "-", "--issuer", oidc_provider.issuer, "--json", stdin=access_token)
    assert info.returncode == 0, info.stdout
    assert info.step("userinfo")["claims"]["sub"] == "alice"

    # an access token is base64url: one in 64 begins with '-', so it goes after -- as the help says
    active = run_cli("introspect", "--token-type-hint", "access_token", *common, "--", access_token)
    assert active.returncode == 0, active.stdout
    assert active.step("introspection")["introspection"]["active"] is True
    assert active.step("introspection")["introspection"]["sub"] == "alice"

    revoked = run_cli("revoke", "-", *common, stdin=access_token)
    assert revoked.returncode == 0, revoked.stdout
    assert revoked.step("revocation")["revoked"] is True

    inactive = run_cli("introspect", "-", *common, stdin=access_token)
    assert inactive.step("introspection")["introspection"] == {"active": False}
    assert "token_inactive" in [f["code"] for f in inactive.step("introspection")["findings"]]

    refused = run_cli("userinfo", "--issuer", oidc_provider.issuer, "--json", "--", access_token)
    assert refused.returncode == 1
    assert [f["code"] for f in refused.step("userinfo")["findings"]] == ["userinfo_error", "invalid_token"]


def test_client_credentials(oidc_provider):
    secret = oidc_provider.secrets["service-client"]
    run = run_cli("flow", "client-credentials", "--issuer", oidc_provider.issuer, "--client-id", "service-client",
                  "--client-secret-env", "SERVICE_SECRET", "--scope", "api:read", "--json",
                  env={"SERVICE_SECRET": secret})
    assert run.returncode == 0, run.stdout + run.stderr
    assert [line["step"] for line in run.lines] == ["discovery", "token", "api_call", "done"]
    assert run.step("token")["token"]["scope"] == "api:read"
    assert_no_secret_anywhere(run, secret)


def test_wrong_client_secret_is_a_token_error_with_exit_1(oidc_provider):
    run = run_cli("flow", "client-credentials", "--issuer", oidc_provider.issuer, "--client-id", "service-client",
                  "--client-secret", "wrong-secret", "--json")
    assert run.returncode == 1
    assert run.step("token")["error"] == "invalid_client"
    assert run.done["status"] == "error"
    assert "Traceback" not in run.stderr


def test_human_output_abbreviates_tokens_unless_asked(oidc_provider):
    secret = oidc_provider.secrets["service-client"]
    base = ("flow", "client-credentials", "--issuer", oidc_provider.issuer, "--client-id", "service-client",
            "--client-secret", secret, "--scope", "api:read")
    short = run_cli(*base)
    assert short.returncode == 0
    assert "access_token: " in short.stdout and "…(43 chars)" in short.stdout
    full = run_cli(*base, "--show-tokens")
    line = next(text for text in full.stdout.splitlines() if "access_token:" in text)
    assert "…" not in line and len(line.split("access_token: ")[1]) == 43
    assert_no_secret_anywhere(short, secret)
    assert_no_secret_anywhere(full, secret)


def test_discover_reports_metadata_and_lint(oidc_provider):
    run = run_cli("discover", oidc_provider.issuer, "--json", json_lines=False)
    assert run.returncode == 0
    data = json.loads(run.stdout)
    assert data["metadata"]["issuer"] == oidc_provider.issuer
    assert [f["code"] for f in data["findings"]] == ["http_loopback"]


def test_discovery_issuer_mismatch_stops_before_any_other_request(oidc_provider):
    run = run_cli("flow", "auth-code", "--issuer", oidc_provider.issuer + "/", "--client-id", "public-client",
                  "--no-browser", "--json")
    assert run.returncode == 1
    assert [line["step"] for line in run.lines] == ["discovery", "done"]
    assert "discovery_issuer_mismatch" in [f["code"] for f in run.step("discovery")["findings"]]


def test_cancelling_at_the_consent_page_is_a_callback_error_and_no_token_request(oidc_provider):
    run, pages = auth_code(oidc_provider, "--client-id", "public-client", consent=False)
    assert run.returncode == 1
    callback = run.step("callback")
    assert callback["error"] == "access_denied"
    assert [f["code"] for f in callback["findings"]] == ["callback_error"]
    assert "End-User aborted interaction" in callback["findings"][0]["message"]
    assert [line["step"] for line in run.lines] == ["discovery", "par", "authorize", "callback", "done"]
    assert pages[0].status_code == 400 and "access_denied" in pages[0].text and "close this tab" in pages[0].text


def test_a_chosen_redirect_port_is_used(oidc_provider, unused_tcp_port):
    run, _ = auth_code(oidc_provider, "--client-id", "public-client", "--redirect-port", str(unused_tcp_port),
                       "--redirect-path", "/callback")
    assert run.returncode == 0, run.stdout
    assert run.step("authorize")["redirect_uri"] == f"http://127.0.0.1:{unused_tcp_port}/callback"


def test_nobody_signing_in_times_out_cleanly(oidc_provider):
    run = run_cli("flow", "auth-code", "--issuer", oidc_provider.issuer, "--client-id", "public-client",
                  "--no-browser", "--json", "--timeout", "0.5")
    assert run.returncode == 1
    assert [f["code"] for f in run.step("callback")["findings"]] == ["timeout"]
    assert run.done["status"] == "error" and "Traceback" not in run.stderr


def test_auth_code_with_client_secret_jwt(oidc_provider):
    secret = oidc_provider.secrets["secret-jwt-client"]
    run, _ = auth_code(oidc_provider, "--client-id", "secret-jwt-client", "--client-secret-env", "TI_SECRET",
                       "--auth-method", "client_secret_jwt", env={"TI_SECRET": secret})
    assert run.returncode == 0, run.stdout + run.stderr
    token = run.step("token")
    assert token["auth_method"] == "client_secret_jwt"
    assert token["request"]["params"]["client_assertion"] == "••••••"
    assert "client_secret" not in token["request"]["params"] and "authorization" not in token["request"]["headers"]
    assert run.step("id_token")["valid"] is True
    assert_no_secret_anywhere(run, secret)


def test_a_wrong_secret_for_client_secret_jwt_is_refused_by_the_provider(oidc_provider):
    run = run_cli("flow", "refresh", "--issuer", oidc_provider.issuer, "--client-id", "secret-jwt-client",
                  "--client-secret", "w" * 48, "--auth-method", "client_secret_jwt", "--refresh-token=rt", "--json")
    assert run.returncode == 1
    assert run.step("token")["error"] == "invalid_client"


def test_a_wrong_client_secret_says_which_method_was_used_and_which_the_provider_supports(oidc_provider):
    run = run_cli("flow", "client-credentials", "--issuer", oidc_provider.issuer, "--client-id", "service-client",
                  "--client-secret", "wrong-secret", "--scope", "api:read")
    assert run.returncode == 1
    line = next(text for text in run.stdout.splitlines() if "token_error" in text)
    assert "'invalid_client'" in line and "This means the provider did not accept the client's authentication" in line
    assert "The client authenticated with client_secret_basic (chosen automatically); the provider supports " in line
    assert "client_secret_post" in line and "(token_endpoint_auth_methods_supported)" in line
    assert "Check --client-secret-env VAR and --client-id, and that --auth-method is one the provider allows" in line


def test_a_scope_the_provider_does_not_grant_is_a_scope_narrowed_warning(oidc_provider):
    run, _ = auth_code(oidc_provider, "--client-id", "public-client", scope="openid email no-such-scope")
    assert run.returncode == 0, run.stdout
    token = run.step("token")
    assert token["token"]["scope"] == "openid email"
    [narrowed] = [f for f in token["findings"] if f["code"] == "scope_narrowed"]
    assert narrowed["severity"] == "warning" and "no-such-scope was not granted" in narrowed["message"]
    assert narrowed["settings"] == ["scope"]


def test_without_openid_the_skipped_steps_say_why_in_the_text_output(oidc_provider):
    lines: list[str] = []
    with UserAgent() as agent, subprocess.Popen(
            cli_command("flow", "auth-code", "--issuer", oidc_provider.issuer, "--client-id", "public-client",
                        "--scope", "email", "--no-browser", "--timeout", "30", "--no-history"),
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        for text in process.stdout:
            lines.append(text.rstrip("\n"))
            if text.strip().startswith(oidc_provider.issuer + "/auth?"):
                agent.authorize(text.strip())  # the person signs in at the printed URL
        assert process.wait(60) == 0, "\n".join(lines) + process.stderr.read()
    for name in ("id_token", "userinfo"):
        reason = lines[lines.index(f"– {name}: skipped") + 1]
        assert reason.startswith("    ℹ step_skipped: ") and "did not include openid" in reason
        assert reason.endswith("Add openid to --scope to get an ID token and the userinfo claims.")


def test_the_json_record_has_the_authorization_request_as_sent_and_the_callback_with_the_code_masked(oidc_provider):
    run, _ = auth_code(oidc_provider, "--client-id", "public-client", scope="openid")
    assert run.returncode == 0, run.stdout
    request = run.step("authorize")["authorization_request"]
    assert request["url"] == oidc_provider.issuer + "/auth"
    assert request["params"]["redirect_uri"] == run.step("authorize")["redirect_uri"]
    assert {"client_id", "scope", "state", "nonce", "code_challenge", "code_challenge_method"} <= set(request["params"])
    params = run.step("callback")["authorization_response"]["params"]
    assert params["state"] == request["params"]["state"] and params["iss"] == oidc_provider.issuer
    assert params["code"].endswith(" chars)") and run.step("callback")["code"] not in json.dumps(params)


def test_a_redirect_uri_the_provider_refuses_ends_with_the_uri_to_register_and_the_timeout_flag(oidc_provider):
    opened: list = []

    def on_line(line):
        if line["step"] == "authorize":
            with UserAgent() as browser:
                opened.append(browser.client.get(line["url"]))

    run = run_cli("flow", "auth-code", "--issuer", oidc_provider.issuer, "--client-id", "public-client",
                  "--redirect-path", "/not-registered", "--no-browser", "--json", "--timeout", "1", on_line=on_line)
    assert opened[0].status_code == 400 and "redirect_uri did not match" in opened[0].text
    assert run.returncode == 1
    [timeout] = run.step("callback")["findings"]
    sent = run.step("authorize")["redirect_uri"]
    assert timeout["code"] == "timeout" and f"exactly {sent} registered" in timeout["advice"]
    assert timeout["settings"] == ["redirect_port", "sign_in_timeout"]
