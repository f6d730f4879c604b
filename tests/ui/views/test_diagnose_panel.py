"""The Diagnose panel: pasted artifacts give their first cause; a HAR opened or dropped is read in
a worker with progress, its timeline marks the failing exchange, and no secret of it reaches a
widget; unusable input is a message; Ctrl+5, History's Diagnose, and closing the window."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from inspector.core.errors import FlowCancelledError
from inspector.core.flows.cancel import CancelToken
from inspector.core.storage.profile_model import Profile
from inspector.ui.views.diagnose_inputs import LARGE_PASTE
from inspector.ui.views.diagnose_panel import DiagnosePanel
from tests.support.diagnosis import id_token
from tests.support.har import HarBuilder
from tests.support.har_login import FAILING_ENTRY, ID_TOKEN, SECRETS, failing_login
from tests.support.widget_text import shown_text

WAIT = 10_000


@pytest.fixture
def panel(qtbot, context):
    widget = DiagnosePanel(context)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def har_file(tmp_path):
    return failing_login().write(tmp_path / "login.har")


def wait_done(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: not panel.session.busy and (panel.outcome is not None or bool(panel.banner.text())),
                    timeout=WAIT)


def paste(qtbot, panel, text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    panel.box.insertFromMimeData(mime)
    wait_done(qtbot, panel)


def first_cause(panel) -> tuple[str, str]:
    card = panel.cards.cards[0]
    return card.diagnosis.cause, card.confidence_label.text()


def file_mime(*paths) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def test_a_pasted_expired_token_gives_token_expired_first(qtbot, panel):
    now = int(time.time())
    paste(qtbot, panel, f"Bearer {id_token(iat=now - 7200, exp=now - 600)}")
    assert first_cause(panel) == ("token_expired", "✖ certain")
    assert panel.subject_label.text() == "Diagnosed the pasted text, read as a token."
    assert not panel.timeline_box.isVisible() and not panel.detail.isVisible()


def test_a_pasted_callback_url_gives_its_error_first(qtbot, panel):
    paste(qtbot, panel, "https://app.example.com/callback?error=access_denied&error_description=No&state=xyz")
    assert first_cause(panel) == ("access_denied", "✖ certain")


def test_a_pasted_error_answer_gives_its_error_first(qtbot, panel):
    paste(qtbot, panel, '{"error": "invalid_client", "error_description": "client authentication failed"}')
    assert first_cause(panel) == ("invalid_client", "✖ certain")
    assert "read as a provider's error answer" in panel.subject_label.text()


def test_opening_a_har_reads_it_in_a_worker_with_progress_and_marks_the_failing_exchange(qtbot, panel, har_file):
    panel.choose_file = lambda: str(har_file)
    seen: list[float] = []
    panel.session.progress.connect(seen.append)
    panel.open_button.click()
    assert panel.session.busy and panel.progress_row.isVisible()  # the window goes on while the worker reads
    assert panel.subject_label.text() == "Diagnosing the file login.har…"
    wait_done(qtbot, panel)
    assert seen and seen[-1] == 1.0 and panel.progress_bar.value() == 1000 and not panel.progress_row.isVisible()
    assert first_cause(panel) == ("redirect_uri_mismatch", "✖ certain")
    assert panel.timeline_box.isVisible()
    assert panel.timeline_label.text() == "Timeline (from the HAR: 10 entries, 9 about OAuth)"
    row = panel.timeline_view.currentIndex().row()
    assert panel.timeline_model.exchange(row).index == FAILING_ENTRY
    assert panel.timeline_model.index(row, 5).data().startswith("◀ fails")
    assert panel.detail.title.text() == f"Token · HAR entry {FAILING_ENTRY}"
    assert panel.detail.request_line.text() == "POST https://login.example.com/token"
    assert panel.report is panel.outcome.report and panel.source_path == har_file


def test_no_password_code_cookie_or_token_of_the_har_reaches_any_widget(qtbot, panel, har_file):
    panel.open_file(har_file)
    wait_done(qtbot, panel)
    for row in range(panel.timeline_model.rowCount()):
        panel.timeline_view.selectRow(row)
        for tab in range(panel.detail.tabs.count()):
            panel.detail.tabs.setCurrentIndex(tab)
            text = shown_text(panel)
            assert [secret for secret in SECRETS if secret in text] == [], (row, tab)
    panel.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Diagnosed the file login.har, read as a HAR recording.")
    assert [secret for secret in SECRETS if secret in copied] == []


def test_a_client_secret_the_provider_echoes_in_its_error_is_masked_on_the_cards(qtbot, panel, tmp_path):
    """The engine quotes the provider's error_description as evidence; a provider that echoes the
    secret it was sent must not put it on screen, on the clipboard or in the report for export."""
    secret = "very-secret-client-value-42"
    har = HarBuilder()
    har.token("https://idp.example/token", {"grant_type": "client_credentials", "client_id": "svc",
                                            "client_secret": secret},
              status=401, json={"error": "invalid_client", "error_description": f"client secret {secret} is wrong"})
    panel.open_file(har.write(tmp_path / "echo.har"))
    wait_done(qtbot, panel)
    assert first_cause(panel)[0] == "invalid_client"
    assert "client secret •••••• is wrong" in panel.cards.cards[0].evidence_label.text()
    panel.copy_button.click()
    assert secret not in shown_text(panel) and secret not in QGuiApplication.clipboard().text()
    assert secret not in str(panel.report.to_json())


def test_a_token_of_a_timeline_row_opens_in_the_decoder(qtbot, panel, har_file):
    panel.open_file(har_file)
    wait_done(qtbot, panel)
    opened: list = []
    panel.open_requested.connect(lambda token, expected: opened.append((token, expected)))
    exchanges = [panel.timeline_model.exchange(r) for r in range(panel.timeline_model.rowCount())]
    row = next(r for r, item in enumerate(exchanges) if item.kind.value == "token" and item.status == 200)
    panel.timeline_view.selectRow(row)
    button = next(b for b in panel.detail.token_buttons if b.text() == "Open the ID token in the Decoder")
    button.click()
    assert opened == [(ID_TOKEN, None)]


def test_dropping_a_har_on_the_panel_diagnoses_it(qtbot, panel, har_file):
    mime = file_mime(har_file)
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    panel.dragEnterEvent(enter)
    assert enter.isAccepted()
    panel.dropEvent(QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier))
    wait_done(qtbot, panel)
    assert panel.source_path == har_file and first_cause(panel)[0] == "redirect_uri_mismatch"


def test_a_file_dropped_in_the_box_is_read_not_pasted_as_its_name(qtbot, panel, har_file, tmp_path):
    messages: list[str] = []
    panel.status_message.connect(messages.append)
    panel.box.insertFromMimeData(file_mime(har_file, tmp_path / "other.har"))
    wait_done(qtbot, panel)
    assert panel.box.toPlainText() == "" and panel.source_path == har_file
    assert "One file at a time: login.har was opened." in messages


def test_a_large_paste_is_diagnosed_without_filling_the_box(qtbot, panel):
    text = failing_login().dumps().decode()
    text = text.replace('"entries"', '"comment": "' + "x" * LARGE_PASTE + '", "entries"', 1)
    paste(qtbot, panel, text)
    assert panel.box.toPlainText() == "" and panel.outcome.report.input == "har"
    assert panel.subject_label.text().startswith("Diagnosed the pasted text (0.1 MB), read as a HAR recording.")


def sparse(path, size):
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.txt", b"just some words someone saved", "This is not a token, a URL, a provider's answer"),
    ("cut.har", b'{"log": {"version": "1.2", "entries": [{"request": {"url": "https://a', "cut short"),
    ("other.json", b'{"hello": "world"}', "The JSON is none of the known shapes"),
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "is binary"),
    ("latin1.txt", "caf\xe9 au lait".encode("latin-1"), "is not UTF-8 text"),
    ("empty.har", b"", "The input is empty"),
    ("huge.har", None, "is too large to read: 200 MB, more than the 150 MB"),
    ("folder", "folder", "is a directory, not a regular file"),
])
def test_unusable_input_is_a_message_in_the_panel(qtbot, panel, tmp_path, name, content, message):
    path = tmp_path / name
    if content is None:
        sparse(path, 200_000_000)
    elif content == "folder":
        path.mkdir()
    else:
        path.write_bytes(content)
    panel.open_file(path)
    wait_done(qtbot, panel)
    assert message in panel.banner.text(), panel.banner.text()
    assert "Traceback" not in panel.banner.text() and panel.banner.isVisible()
    assert panel.outcome is None and panel.cards.cards == [] and not panel.progress_row.isVisible()
    assert panel.subject_label.text() == f"The file {name} could not be diagnosed."


def test_a_recording_without_the_sign_in_says_how_to_record_one(qtbot, panel, tmp_path):
    har = HarBuilder("firefox")
    har.script("https://app.example.com/app.js")
    panel.open_file(har.write(tmp_path / "page.har"))
    wait_done(qtbot, panel)
    assert panel.outcome.timeline.entry_count == 1 and panel.timeline_model.rowCount() == 0
    assert "turn on Preserve log (Persist Logs in Firefox), sign in again" in panel.banner.text()


def test_the_fields_say_what_was_expected_and_diagnose_runs_the_last_file_again(qtbot, panel, har_file):
    panel.open_file(har_file)
    wait_done(qtbot, panel)
    panel.form.toggle.click()
    panel.form.client_id.setText("web-app")
    assert panel.form.summary.text() == "client web-app"
    panel.diagnose_button.click()
    wait_done(qtbot, panel)
    assert panel.source_path == har_file
    assert panel.subject_label.text().endswith("Expected: client id web-app.")


def test_diagnose_with_nothing_to_diagnose_says_what_to_do(panel):
    panel.diagnose_button.click()
    assert panel.banner.text() == "Paste something to diagnose, or open a HAR or flow record file."
    assert not panel.session.busy


def test_public_ways_in_for_the_first_start_screen(qtbot, panel, har_file):
    chosen: list[bool] = []
    panel.choose_file = lambda: chosen.append(True) or ""
    panel.open_file_dialog()
    assert chosen == [True] and not panel.session.busy  # cancelled dialog: nothing happens
    panel.diagnose_text('{"error": "invalid_client"}')
    wait_done(qtbot, panel)
    assert first_cause(panel)[0] == "invalid_client"


def test_ctrl_5_shows_the_panel_with_the_box_focused(window, qtbot):
    window.sidebar.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_panel_name == "Diagnose"
    assert window.panels["Diagnose"].box.hasFocus()


def test_diagnose_on_a_history_entry_uses_the_profile_it_was_saved_with(window, qtbot, context):
    context.storage.profiles.add(Profile("acme", issuer="https://login.acme.dev", client_id="web-app"))
    token = id_token(iss="https://login.other.example", kid="other-1")
    context.storage.history.add(token, profile="acme")
    history = window.show_panel("History")
    assert not history.diagnose_button.isEnabled()  # nothing listed yet
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=WAIT)
    history.view.selectRow(0)
    assert history.diagnose_button.isEnabled()
    history.diagnose_button.click()
    qtbot.waitUntil(lambda: window.current_panel_name == "Diagnose", timeout=WAIT)
    panel = window.panels["Diagnose"]
    wait_done(qtbot, panel)
    assert first_cause(panel)[0] == "wrong_environment"
    assert panel.form.profile == "acme"
    assert "Expected: profile 'acme', issuer https://login.acme.dev, client id web-app." in panel.subject_label.text()


def test_closing_the_window_cancels_a_har_being_read(window, qtbot, context, har_file):
    panel = window.show_panel("Diagnose")
    readers: list[CancelToken] = []
    stopped: list[bool] = []

    def reader(source, cancel, progress):
        readers.append(cancel)
        cancel.wait(WAIT / 1000)  # reads until cancelled
        stopped.append(True)
        raise FlowCancelledError("Reading the HAR recording was cancelled.")

    panel.session.har_reader = reader
    panel.open_file(har_file)
    qtbot.waitUntil(lambda: bool(readers), timeout=WAIT)
    window.close()
    assert readers[0].cancelled and stopped == [True]  # the window waited for the worker to stop
    QApplication.processEvents()
    assert panel.outcome is None
