"""Human rendering: questions before the wait, steps with exchanges and findings, a summary."""

import base64
import io
import json

import httpx

from inspector.cli.flow_output import run_flow
from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER, FakeProvider


def test_device_flow_prints_the_code_then_the_result():
    provider = FakeProvider()
    provider.on("/device", httpx.Response(200, json={"device_code": "dc", "user_code": "WXYZ-1234",
                                                     "verification_uri": f"{ISSUER}/activate",
                                                     "verification_uri_complete": f"{ISSUER}/activate?c=1"}))
    out = io.StringIO()
    code = run_flow("device", FlowSettings(issuer=ISSUER, client_id="tv"), as_json=False, show_tokens=False,
                    env=FlowEnvironment(transport=provider.transport(), sleep=lambda s: None), out=out)
    text = out.getvalue()
    assert code == 0
    assert f"visit {ISSUER}/activate and enter the code WXYZ-1234" in text
    assert text.index("WXYZ-1234") < text.index("✓ token")
    assert "ℹ device_interval_default" in text
    assert "Flow ok" in text and "(0 errors, 0 warnings)" in text


def test_failed_step_is_marked_and_the_summary_counts_errors():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(401, json={"error": "invalid_client"}))
    out = io.StringIO()
    code = run_flow("client_credentials", FlowSettings(issuer=ISSUER, client_id="c", client_secret="s"),
                    as_json=False, show_tokens=False, env=FlowEnvironment(transport=provider.transport()), out=out)
    text = out.getvalue()
    assert code == 1
    assert "✗ token: error" in text and "✖ token_error" in text and "invalid_client" in text
    assert "Flow error" in text and "(1 errors" in text


def test_no_browser_prints_the_url_before_waiting():
    provider = FakeProvider()
    out = io.StringIO()
    code = run_flow("auth_code", FlowSettings(issuer=ISSUER, client_id="app", timeout=0.1, open_browser=False),
                    as_json=False, show_tokens=False, env=FlowEnvironment(transport=provider.transport()), out=out)
    text = out.getvalue()
    assert code == 1
    assert "Open this URL in a browser to sign in:" in text and f"{ISSUER}/authorize?" in text
    assert text.index("Open this URL") < text.index("✗ callback")


def test_ctrl_c_records_a_cancelled_flow_ends_with_a_done_line_and_exits_130():
    def interrupt(url):
        raise KeyboardInterrupt

    provider = FakeProvider()
    out = io.StringIO()
    code = run_flow("auth_code", FlowSettings(issuer=ISSUER, client_id="app"), as_json=True, show_tokens=False,
                    env=FlowEnvironment(transport=provider.transport(), open_browser=interrupt), out=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 130
    assert [(line["step"], line["status"]) for line in lines] == [
        ("discovery", "ok"), ("par", "skipped"), ("authorize", "cancelled"), ("done", "cancelled")]
    assert "/token" not in provider.paths()


def test_a_step_that_fails_while_preparing_still_gets_its_line():
    import socket

    provider = FakeProvider()
    out = io.StringIO()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        settings = FlowSettings(issuer=ISSUER, client_id="app", redirect_port=busy.getsockname()[1])
        code = run_flow("auth_code", settings, as_json=True, show_tokens=False,
                        env=FlowEnvironment(transport=provider.transport()), out=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 1
    assert [(line["step"], line["status"]) for line in lines] == [
        ("discovery", "ok"), ("par", "skipped"), ("authorize", "error"), ("done", "error")]



def test_text_the_provider_chose_cannot_drive_the_terminal():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(400, json={"error": "invalid_client",
                                                    "error_description": "\x1b[2J\u202egotcha\x9b31m"}))
    out = io.StringIO()
    code = run_flow("client_credentials", FlowSettings(issuer=ISSUER, client_id="c", client_secret="s"),
                    as_json=False, show_tokens=False, env=FlowEnvironment(transport=provider.transport()), out=out)
    text = out.getvalue()
    assert code == 1
    assert not any(char in text for char in "\x1b\u202e\x9b")
    assert "\\u001b[2J\\u202egotcha\\u009b31m" in text


# -- what a hostile or echoing provider sends back (audit issue 8) ---------------------------------

CLIENT_SECRET = "s3cr3t-Web-Client-42"
REFRESH = "rt-" + "r" * 40
BASIC = base64.b64encode(f"web:{CLIENT_SECRET}".encode()).decode()


def client_credentials(provider, *, as_json, show_tokens=False, out=None, **settings):
    """Run client credentials as client 'web' (client_secret_basic); returns (exit code, output)."""
    out = out or io.StringIO()
    code = run_flow("client_credentials", FlowSettings(**{"issuer": ISSUER, "client_id": "web",
                                                          "client_secret": CLIENT_SECRET, **settings}),
                    as_json=as_json, show_tokens=show_tokens, env=FlowEnvironment(transport=provider.transport()),
                    out=out)
    return code, out.getvalue() if isinstance(out, io.StringIO) else out


def both_outputs(provider, **settings):
    """The text output and the --json output of the same flow."""
    return client_credentials(provider, as_json=False, **settings)[1], client_credentials(provider, as_json=True,
                                                                                          **settings)[1]


def test_echoed_nested_client_secret_is_masked():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(200, json={
        "access_token": "at-" + "x" * 40, "token_type": "Bearer",
        "debug": {"received": [{"client_secret": CLIENT_SECRET, "refresh_token": REFRESH,
                                "authorization": f"Basic {BASIC}", "headers": {"Authorization": f"Basic {BASIC}"}}],
                  "raw": f"grant_type=client_credentials&client_secret={CLIENT_SECRET}"}}))
    for output in both_outputs(provider):
        assert CLIENT_SECRET not in output and BASIC not in output and REFRESH not in output
        assert "debug" in output and "received" in output


def test_error_description_echoing_basic_credentials_is_masked():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(401, json={
        "error": "invalid_client", "error_description": f"bad credentials web:{CLIENT_SECRET} (Basic {BASIC})"},
        headers={"x-debug-auth": f"Basic {BASIC}"}))
    for output in both_outputs(provider):
        assert CLIENT_SECRET not in output and BASIC not in output and "web:" not in output
        assert "bad credentials ••••••" in output


def test_endpoint_url_with_password_is_masked_in_endpoints_step():
    url = "https://svc:hunter2-endpoint-pw@op.example/token?client_secret=query-secret-99&x=1"
    provider = FakeProvider()
    text, lines = both_outputs(provider, issuer="", endpoints={"token_endpoint": url})
    for output in (text, lines):
        assert "hunter2-endpoint-pw" not in output and "query-secret-99" not in output
        assert CLIENT_SECRET not in output
    endpoints = json.loads(lines.splitlines()[0])
    assert endpoints["step"] == "endpoints"
    assert endpoints["endpoints"]["token_endpoint"] == (
        "https://svc:••••••@op.example/token?client_secret=••••••&x=1")


def test_forged_line_in_error_description():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(400, json={"error": "invalid_client",
                                                    "error_description": "line1\n✓ token: ok\r\nFlow ok"}))
    code, text = client_credentials(provider, as_json=False)
    assert code == 1
    assert not any(line.startswith(("✓ token: ok", "Flow ok")) for line in text.splitlines())
    assert "line1\\u000a✓ token: ok\\u000d\\u000aFlow ok" in text


def test_c1_csi_and_rtl_override_escaped_in_json():
    hostile = "\x9b31m\u202egotcha\u2066\x1b[2J\x7f"
    provider = FakeProvider()
    provider.on("/token", httpx.Response(400, json={"error": "invalid_client", "error_description": hostile}))
    code, text = client_credentials(provider, as_json=True)
    assert code == 1
    assert not any(char in text for char in "\x9b\u202e\u2066\x1b\x7f")
    assert "\\u009b31m\\u202egotcha\\u2066\\u001b[2J\\u007f" in text
    token = json.loads(text.splitlines()[1])
    assert token["response"]["body"]["error_description"] == hostile  # parsed back to the same string
    assert hostile in token["findings"][0]["message"]


def test_lone_surrogate_still_ends_with_done_line():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(400, content=b'{"error": "invalid_client", "error_description": "a\\ud800b"}',
                                         headers={"content-type": "application/json"}))
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)  # a real stdout is strict
    code, _ = client_credentials(provider, as_json=True, out=stream)
    lines = [json.loads(line) for line in stream.buffer.getvalue().decode("utf-8").splitlines()]
    assert code == 1
    assert [line["step"] for line in lines] == ["discovery", "token", "done"]
    assert lines[1]["response"]["body"]["error_description"] == "a\ud800b"


def test_refresh_token_masked_in_json_without_show_tokens():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(200, json={"access_token": "at-" + "x" * 40, "token_type": "Bearer",
                                                    "id_token": "id-" + "i" * 40, "refresh_token": REFRESH}))
    _, text = client_credentials(provider, as_json=True)
    token = json.loads(text.splitlines()[1])["token"]
    assert REFRESH not in text and token["refresh_token"] == "rt-rrr…(43 chars)"
    assert token["access_token"] == "at-" + "x" * 40 and token["id_token"] == "id-" + "i" * 40  # scripts read them
    _, text = client_credentials(provider, as_json=True, show_tokens=True)
    assert json.loads(text.splitlines()[1])["token"]["refresh_token"] == REFRESH


def test_a_refresh_token_the_flow_sent_is_masked_where_it_comes_back():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(400, json={"error": "invalid_grant",
                                                    "error_description": f"refresh token {REFRESH} was revoked"}))
    for as_json in (False, True):
        out = io.StringIO()
        run_flow("refresh", FlowSettings(issuer=ISSUER, client_id="app", token=REFRESH), as_json=as_json,
                 show_tokens=False, env=FlowEnvironment(transport=provider.transport()), out=out)
        assert REFRESH not in out.getvalue() and "refresh token rt-rrr…(43 chars) was revoked" in out.getvalue()


def test_the_cli_words_a_timeout_with_its_flag_and_says_which_redirect_uri_to_register():
    provider = FakeProvider()
    out = io.StringIO()
    run_flow("auth_code", FlowSettings(issuer=ISSUER, client_id="app", timeout=0.1, open_browser=False),
             as_json=False, show_tokens=False, env=FlowEnvironment(transport=provider.transport()), out=out)
    text = out.getvalue()
    waiting = text[text.index("If the browser shows an error"):text.index("✗ callback")]
    assert "the client must have exactly http://127.0.0.1:" in waiting and "--redirect-port to a fixed port" in waiting
    assert "Waiting up to 0.1 seconds for the browser to come back (--timeout SECONDS); Ctrl+C stops." in waiting
    timeout_line = next(line for line in text.splitlines() if "✖ timeout:" in line)
    assert timeout_line.rstrip().endswith("or allow more time with --timeout SECONDS.")


def test_advice_about_a_setting_a_profile_supplied_names_the_profile_too():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(401, json={"error": "invalid_client"}))
    out = io.StringIO()
    run_flow("client_credentials", FlowSettings(issuer=ISSUER, client_id="c", client_secret="s"), as_json=False,
             show_tokens=False, env=FlowEnvironment(transport=provider.transport()), out=out, profile="acme")
    assert ("Check --client-secret-env VAR (or the client secret in profile 'acme') and --client-id (or the client "
            "id in profile 'acme')") in out.getvalue()


def test_a_skipped_step_is_printed_with_the_reason():
    provider = FakeProvider()
    out = io.StringIO()
    code = run_flow("refresh", FlowSettings(issuer=ISSUER, client_id="c", token="rt"), as_json=False,
                    show_tokens=False, env=FlowEnvironment(transport=provider.transport()), out=out)
    lines = out.getvalue().splitlines()
    assert code == 0
    skipped = lines.index("– id_token: skipped")
    assert lines[skipped + 1] == ("    ℹ step_skipped: There is no ID token to validate: the refresh response has "
                                 "none, which is allowed (OIDC Core §12.2).")


def test_the_history_opens_the_keyring_once_the_first_step_is_reported_and_saves_the_tokens(tmp_path):
    import json

    from inspector.core.storage.flow_link import HistoryRecorder
    from tests.support.memory_keyring import MemoryKeyring
    from tests.support.storage import GatedVault, memory_storage

    out = io.StringIO()
    seen_at_opening = []

    class WatchedVault(GatedVault):
        @property
        def backend(self):
            if not seen_at_opening:
                seen_at_opening.append(out.getvalue())
            return GatedVault.backend.fget(self)

    storage = memory_storage(tmp_path)
    storage.vault = WatchedVault(MemoryKeyring())
    storage.vault.gate.set()
    code = run_flow("client_credentials", FlowSettings(issuer=ISSUER, client_id="c", client_secret="s"),
                    as_json=True, show_tokens=False, env=FlowEnvironment(transport=FakeProvider().transport()),
                    out=out, recorder=HistoryRecorder(storage))
    steps = [json.loads(line)["step"] for line in seen_at_opening[0].splitlines()]
    assert code == 0 and steps[0] == "discovery"
    assert sorted(entry.kind for entry in storage.history.entries()) == ["access", "flow"]


def test_the_text_output_shows_the_pushed_request_uri_and_its_lifetime():
    from tests.core.flows.test_auth_code_par import SECRET, Browser, ParProvider

    provider = ParProvider()
    browser = Browser(provider)
    out = io.StringIO()
    code = run_flow("auth_code", FlowSettings(issuer=ISSUER, client_id="app", client_secret=SECRET, scope="api",
                                              use_par=True, timeout=10),
                    as_json=False, show_tokens=False,
                    env=FlowEnvironment(transport=provider.transport(), open_browser=browser.open), out=out)
    browser.join()
    text = out.getvalue()
    assert code == 0, text
    assert "✓ par: ok" in text and f"POST {ISSUER}/par → 201" in text
    assert "request_uri: urn:ietf:params:oauth:request_uri:" in text and "expires_in: 60" in text
    assert SECRET not in text
