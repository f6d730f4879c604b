"""Recording decoded tokens in the history: whole tokens once, per the preference, never twice."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData

from inspector.core.jose.parse import decode
from inspector.ui.recording import PASTE, TYPING, VERIFY, is_recordable
from tests.support.jose import compact, segment, sign

NOW = 1_800_000_000.0
SECRET = "a-shared-secret-of-at-least-32-bytes!!"


def token(sub: str = "alice") -> str:
    return sign({"iss": "https://login.acme.dev", "sub": sub, "exp": int(NOW) + 600}, SECRET, "HS256")


def paste(decoder, text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    decoder.editor.setFocus()
    decoder.editor.selectAll()  # the paste replaces what was there, as after Ctrl+A
    decoder.editor.insertFromMimeData(mime)


def entries(context, qtbot) -> list:
    """The saved tokens, once every job started so far (a recording one too) has finished."""
    qtbot.waitUntil(lambda: context.pool.active == 0, timeout=10_000)
    with context.storage_lock:
        return list(context.storage.history.entries())


def settle(decoder, qtbot) -> None:
    """Typing paused: fire the recording timer now instead of waiting 1.5 s."""
    assert decoder.record_timer.isActive(), "typing should have (re)started the recording timer"
    decoder.record_timer.stop()
    decoder.record_timer.timeout.emit()


@pytest.fixture
def decoder(window, context):
    context.clock = lambda: NOW
    return window.panels["Decoder"]


# -- what counts as a whole token -------------------------------------------------------------
@pytest.mark.parametrize(("text", "trigger", "expected"), [
    (token(), PASTE, True),
    (token(), TYPING, True),
    (token(), VERIFY, True),
    (token()[: token().rindex(".") + 5], TYPING, False),       # signature still being typed
    (token()[: token().rindex(".") + 5], PASTE, True),         # pasted as is: the user's token
    (token().rsplit(".", 1)[0], PASTE, False),                 # header.payload: no signature yet
    (token()[:30], PASTE, False),                               # half a header: reads as opaque, too short
    ("abc", PASTE, False),
    ("2YotnFZFEjr1zCsicMWpAA-opaque-access", PASTE, True),      # RFC 6749's opaque example, pasted whole
    ("2YotnFZFEjr1zCsicMWpAA-opaque-access", TYPING, False),
    (compact({"alg": "none"}, {"sub": "x"}, signature=""), PASTE, True),
    (f"{segment({'alg': 'RSA-OAEP', 'enc': 'A256GCM'})}.a2V5.aXY.Y2lwaGVy.dGFn", PASTE, True),
])
def test_only_whole_tokens_are_recordable(text, trigger, expected):
    assert is_recordable(decode(text), trigger) is expected


def test_nothing_is_recordable_without_a_token():
    assert not is_recordable(None, PASTE)


# -- the Decoder records per the preference ----------------------------------------------------
def test_a_pasted_token_is_recorded_once(decoder, qtbot, context):
    with qtbot.waitSignal(decoder.recorder.recorded, timeout=10_000):
        paste(decoder, f"Bearer {token()}")
    paste(decoder, token())          # the same token again
    decoder.verify_form.select_source(decoder.verify_form.source.SECRET)
    decoder.verify_form.secret.setText(SECRET)
    with qtbot.waitSignal(decoder.verify_form.report_ready, timeout=10_000):
        decoder.verify_form.verify_button.click()
    saved = entries(context, qtbot)
    assert [(e.subject, e.source) for e in saved] == [("alice", "pasted")]
    assert not decoder.save_button.isEnabled(), "Save to history is off for a token already there"


def test_typing_records_only_once_it_settles_on_a_whole_token(decoder, qtbot, context):
    whole = token("typed")
    decoder.editor.setPlainText(whole[: whole.rindex(".") + 3])  # half a signature
    settle(decoder, qtbot)
    assert entries(context, qtbot) == []
    decoder.editor.setPlainText(whole)
    with qtbot.waitSignal(decoder.recorder.recorded, timeout=10_000):
        settle(decoder, qtbot)
    assert [e.subject for e in entries(context, qtbot)] == ["typed"]


@pytest.mark.parametrize("text", ["hello world", "abc", "eyJhbGciOiJIUzI1", "a.b.c.d", token().rsplit(".", 1)[0]])
def test_garbage_or_half_tokens_are_not_recorded(decoder, qtbot, context, text):
    paste(decoder, text)
    decoder.editor.setPlainText(text + " ")
    settle(decoder, qtbot)
    assert entries(context, qtbot) == []


def test_verify_records_a_token_typed_without_a_pause(decoder, qtbot, context):
    decoder.editor.setPlainText(token("verified"))
    decoder.decode_now()
    decoder.verify_form.select_source(decoder.verify_form.source.SECRET)
    decoder.verify_form.secret.setText(SECRET)
    with qtbot.waitSignals([decoder.recorder.recorded, decoder.verify_form.report_ready], timeout=10_000):
        decoder.verify_form.verify_button.click()
    assert [e.subject for e in entries(context, qtbot)] == ["verified"]


def test_with_the_preference_off_nothing_is_recorded(window, decoder, qtbot, context):
    window.record_action.setChecked(False)
    assert window.recording_label.text() == "History: off"
    paste(decoder, token())
    decoder.editor.setPlainText(token("typed"))
    settle(decoder, qtbot)
    assert entries(context, qtbot) == []
    assert decoder.save_button.isEnabled(), "the manual button stays for when recording is off"


def test_a_token_opened_from_the_history_is_not_recorded_again(window, decoder, qtbot, context):
    with context.storage_lock:
        context.storage.history.add(token("old"), source="auth_code", profile="acme")
    history = window.show_panel("History")
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=10_000)
    history.view.selectRow(0)
    with qtbot.waitSignal(history.open_requested, timeout=10_000):
        history.open_selected()
    assert window.current_panel_name == "Decoder" and decoder.decoded.claims["sub"] == "old"
    decoder.verify_form.select_source(decoder.verify_form.source.SECRET)
    decoder.verify_form.secret.setText(SECRET)
    with qtbot.waitSignal(decoder.verify_form.report_ready, timeout=10_000):
        decoder.verify_form.verify_button.click()
    paste(decoder, token("old"))
    assert [(e.subject, e.source) for e in entries(context, qtbot)] == [("old", "auth_code")]


def test_the_preference_persists_across_windows(qtbot, context, home):
    from inspector.ui.app import create_window

    first = create_window(context)
    qtbot.addWidget(first)
    assert first.record_action.isChecked(), "recording is on by default"
    first.record_action.setChecked(False)
    first.close()
    assert "record_decoded=false" in (home / "config" / "gui.ini").read_text()

    second = create_window(context)
    qtbot.addWidget(second)
    second.finish_startup()
    assert not second.record_action.isChecked()
    assert not second.panels["Decoder"].recorder.enabled
    second.record_action.setChecked(True)
    assert second.panels["Decoder"].recorder.enabled


def test_without_a_keyring_recording_stops_quietly_and_the_status_bar_says_why(qtbot, home):
    from inspector.core.storage.paths import AppPaths
    from inspector.ui.app import create_window
    from inspector.ui.context import AppContext
    from inspector.ui.workers import WorkerPool
    from tests.support.memory_keyring import LockedKeyring

    pool = WorkerPool()
    context = AppContext(pool=pool, paths=AppPaths.under(home), keyring_backend=LockedKeyring(), clock=lambda: NOW)
    window = create_window(context)
    qtbot.addWidget(window)
    window.finish_startup()
    decoder = window.panels["Decoder"]
    messages: list[str] = []
    decoder.status_message.connect(messages.append)
    with qtbot.waitSignal(decoder.recorder.keyring_unavailable, timeout=10_000):
        paste(decoder, token("first"))
    qtbot.waitUntil(lambda: pool.active == 0, timeout=10_000)
    paste(decoder, token("second"))
    assert pool.active == 0, "no further keyring attempts this session"
    assert window.keyring_label.text() == "Keyring: unavailable"
    assert sum("not recorded" in m for m in messages) == 1
    assert not context.paths.history_file.exists()
    assert pool.shutdown(10_000)
