"""Human rendering: questions before the wait, steps with exchanges and findings, a summary."""

import io

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
    assert "· device_interval_default" in text
    assert "Flow ok" in text and "(0 errors, 0 warnings)" in text


def test_failed_step_is_marked_and_the_summary_counts_errors():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(401, json={"error": "invalid_client"}))
    out = io.StringIO()
    code = run_flow("client_credentials", FlowSettings(issuer=ISSUER, client_id="c", client_secret="s"),
                    as_json=False, show_tokens=False, env=FlowEnvironment(transport=provider.transport()), out=out)
    text = out.getvalue()
    assert code == 1
    assert "✗ token: error" in text and "✗ token_error" in text and "invalid_client" in text
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
    import json

    def interrupt(url):
        raise KeyboardInterrupt

    provider = FakeProvider()
    out = io.StringIO()
    code = run_flow("auth_code", FlowSettings(issuer=ISSUER, client_id="app"), as_json=True, show_tokens=False,
                    env=FlowEnvironment(transport=provider.transport(), open_browser=interrupt), out=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 130
    assert [(line["step"], line["status"]) for line in lines] == [
        ("discovery", "ok"), ("authorize", "cancelled"), ("done", "cancelled")]
    assert "/token" not in provider.paths()


def test_a_step_that_fails_while_preparing_still_gets_its_line():
    import json
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
        ("discovery", "ok"), ("authorize", "error"), ("done", "error")]



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


def test_the_history_opens_the_keyring_once_the_first_step_is_reported_and_saves_the_tokens(tmp_path):
    import json

    from inspector.core.storage.flow_link import TokenRecorder
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
                    out=out, recorder=TokenRecorder(storage))
    steps = [json.loads(line)["step"] for line in seen_at_opening[0].splitlines()]
    assert code == 0 and steps[0] == "discovery"
    assert [entry.kind for entry in storage.history.entries()] == ["access"]
