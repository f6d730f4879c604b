"""Export report… and Sanitize HAR… on the Diagnose panel: the report is of the panel's input (a
file, pasted text, a flow) and holds no secret of it; the sanitized copy is written where asked
(``NAME.sanitized.har`` beside the input by default), holds no secret of the input, says what was
removed, can be cancelled, and never replaces the input, which stays untouched."""

from __future__ import annotations

import hashlib
import time

import pytest

from inspector.core.errors import FlowCancelledError
from inspector.core.flows.cancel import CancelToken
from inspector.core.har.reader import read_har
from inspector.core.sanitize import har as sanitize_module
from tests.core.sanitize.test_har import secret_forms
from tests.support.diagnosis import id_token
from tests.support.echo import BASIC, SECRET, echoing_har
from tests.support.har_login import SECRETS, failing_login
from tests.ui.views.test_diagnose_panel import WAIT, paste, panel, wait_done  # noqa: F401 - fixture


@pytest.fixture
def har_file(tmp_path):
    return failing_login().write(tmp_path / "login.har")


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def opened(qtbot, panel, path):
    panel.open_file(path)
    wait_done(qtbot, panel)
    assert panel.outcome is not None
    return panel


def leaked(data: bytes, secrets) -> list[str]:
    text = data.decode("utf-8", "replace")
    return [form for secret in secrets for form in secret_forms(secret) if form in text]


def made_report(qtbot, panel) -> str:
    assert panel.report_button.isEnabled()
    panel.report_button.click()
    dialog = panel.result_actions.report_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=WAIT)
    return dialog.data.decode()


def test_nothing_diagnosed_offers_neither_action(panel):
    assert not panel.report_button.isEnabled() and not panel.sanitize_button.isEnabled()


def test_export_report_on_an_opened_har_reports_that_file_without_its_secrets(qtbot, panel, har_file):
    opened(qtbot, panel, har_file)
    text = made_report(qtbot, panel)
    assert "login.har" in text and "redirect" in text
    assert leaked(text.encode(), SECRETS) == []
    assert panel.result_actions.report_dialog.input_path == str(har_file)  # Save never writes over it


def test_export_report_on_a_har_whose_provider_echoed_the_client_secret(qtbot, panel, tmp_path):
    path = tmp_path / "echo.har"
    path.write_bytes(echoing_har())
    opened(qtbot, panel, path)
    text = made_report(qtbot, panel)
    assert "invalid" in text and leaked(text.encode(), [SECRET]) == [] and BASIC not in text


def test_export_report_on_a_pasted_token(qtbot, panel):
    now = int(time.time())
    token = id_token(iat=now - 7200, exp=now - 600)
    paste(qtbot, panel, token)
    assert not panel.sanitize_button.isEnabled()  # not a HAR file
    text = made_report(qtbot, panel)
    assert "the pasted text" in text and token not in text


def test_a_pasted_callback_url_has_no_report_to_make(qtbot, panel):
    paste(qtbot, panel, "https://app.example.com/callback?error=access_denied&state=xyz")
    assert panel.outcome is not None
    assert not panel.report_button.isEnabled() and not panel.sanitize_button.isEnabled()


def test_sanitize_har_writes_the_copy_beside_it_without_secrets_and_leaves_the_input(qtbot, panel, har_file):
    before = digest(har_file)
    opened(qtbot, panel, har_file)
    asked: list[str] = []
    panel.result_actions.ask_path = lambda suggested: asked.append(suggested) or suggested
    with qtbot.waitSignal(panel.result_actions.sanitized, timeout=WAIT) as written:
        panel.sanitize_button.click()
        assert panel.result_actions.progress_bar.isVisible() and not panel.sanitize_button.isEnabled()
    target = har_file.with_name("login.sanitized.har")
    assert asked == [str(target)] and written.args == [str(target)]
    data = target.read_bytes()
    assert leaked(data, SECRETS) == [] and len(read_har(data).exchanges) == len(read_har(har_file.read_bytes()).exchanges)
    assert digest(har_file) == before
    message = panel.banner.text()
    assert message.startswith(f"Wrote a sanitized copy of login.har to {target}") and "Removed " in message
    assert not panel.result_actions.progress_bar.isVisible() and panel.sanitize_button.isEnabled()


def test_sanitize_har_refuses_to_write_over_the_input(qtbot, panel, har_file):
    before = digest(har_file)
    opened(qtbot, panel, har_file)
    panel.result_actions.ask_path = lambda suggested: str(har_file)
    panel.sanitize_button.click()
    qtbot.waitUntil(lambda: "No sanitized copy was written" in panel.banner.text(), timeout=WAIT)
    assert "never overwritten" in panel.banner.text() and digest(har_file) == before


def test_sanitize_har_cancelled_writes_nothing(qtbot, panel, har_file, monkeypatch):
    opened(qtbot, panel, har_file)
    started: list[CancelToken] = []

    def waits_for_cancel(source, *, cancel, progress, **_options):
        started.append(cancel)
        progress(0.5)
        cancel.wait(WAIT / 1000)
        raise FlowCancelledError("Cancelled.")

    monkeypatch.setattr(sanitize_module, "sanitize_har", waits_for_cancel)
    panel.result_actions.ask_path = lambda suggested: suggested
    panel.sanitize_button.click()
    qtbot.waitUntil(lambda: panel.result_actions.progress_bar.value() == 500, timeout=WAIT)
    panel.result_actions.cancel_button.click()
    qtbot.waitUntil(lambda: panel.banner.text().startswith("Cancelled"), timeout=WAIT)
    assert not har_file.with_name("login.sanitized.har").exists() and started[0].cancelled


def test_a_cancelled_save_dialog_does_nothing(qtbot, panel, har_file):
    opened(qtbot, panel, har_file)
    panel.result_actions.ask_path = lambda suggested: ""
    panel.sanitize_button.click()
    assert not panel.result_actions.progress_bar.isVisible() and not har_file.with_name("login.sanitized.har").exists()
