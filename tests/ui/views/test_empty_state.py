"""The Decoder's empty state: the ways in, each doing what it says, and the first-start welcome."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication

from inspector.core.storage.profile_model import Profile
from inspector.ui.app import create_window
from inspector.ui.views.decoder_panel import CLIPBOARD_EMPTY
from inspector.ui.views.empty_state import WAYS_IN
from inspector.ui.views.panels import PANEL_NAMES
from tests.support.jose import compact

TOKEN = compact({"alg": "RS256", "kid": "rsa-1"}, {"iss": "https://login.acme.dev", "sub": "alice"})


def start(qtbot, context):
    """The window as a newcomer gets it: shown, warmed up, profiles listed."""
    win = create_window(context)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.finish_startup()
    win.warm_up()
    qtbot.waitUntil(lambda: context.pool.active == 0, timeout=5000)
    return win


@pytest.fixture
def started(qtbot, context):
    return start(qtbot, context)


def test_every_way_in_names_a_panel_and_a_method_it_has(started):
    for way in WAYS_IN:
        assert way.panel in PANEL_NAMES
        assert callable(getattr(started.panels[way.panel], way.action)), way


def test_on_first_start_the_decoder_shows_the_welcome_and_every_way_in(started):
    decoder = started.panels["Decoder"]
    assert started.current_panel_name == "Decoder"
    assert decoder.body.currentWidget() is decoder.empty_state and decoder.empty_state.isVisible()
    assert decoder.empty_state.welcome
    assert [button.text() for button in decoder.empty_state.buttons.values()] == [way.button for way in WAYS_IN]


def test_paste_from_clipboard_decodes_the_copied_token(started):
    decoder = started.panels["Decoder"]
    QGuiApplication.clipboard().setText(f"Bearer {TOKEN}\n")
    decoder.empty_state.buttons["paste_token"].click()
    assert decoder.decoded is not None and decoder.decoded.claims["sub"] == "alice"
    assert decoder.body.currentWidget() is decoder.details
    assert started.focusWidget() is decoder.editor
    assert not decoder.empty_state.welcome, "someone who has decoded a token is past the welcome"


def test_paste_with_nothing_on_the_clipboard_says_how_and_puts_the_cursor_in_the_token_box(started):
    decoder = started.panels["Decoder"]
    QGuiApplication.clipboard().clear()
    decoder.empty_state.buttons["paste_token"].click()
    assert decoder.message_label.text() == CLIPBOARD_EMPTY and decoder.message_label.isVisible()
    assert started.focusWidget() is decoder.editor
    assert decoder.body.currentWidget() is decoder.empty_state


def test_new_profile_opens_a_new_profile_with_the_issuer_field_ready_to_type_in(started, qtbot):
    decoder = started.panels["Decoder"]
    decoder.empty_state.buttons["new_profile_for_issuer"].click()
    profiles = started.panels["Profiles"]
    assert started.current_panel_name == "Profiles"
    assert profiles.form.isEnabled() and profiles.form.name.text() == "" and profiles.form.issuer.text() == ""
    assert started.focusWidget() is profiles.form.issuer
    assert "Discover" in profiles.state_label.text()
    qtbot.keyClicks(started.focusWidget(), "https://login.acme.dev")
    assert profiles.form.issuer.text() == "https://login.acme.dev"


def test_the_welcome_goes_with_the_first_profile_and_the_ways_in_come_back_with_an_empty_box(
        started, qtbot, context):
    decoder = started.panels["Decoder"]
    profiles = started.panels["Profiles"]
    context.storage.profiles.add(Profile("acme-dev", issuer="https://login.acme.dev"))
    with qtbot.waitSignal(profiles.profiles_changed, timeout=5000):
        profiles.load()
    assert not decoder.empty_state.welcome
    assert decoder.body.currentWidget() is decoder.empty_state, "the ways in stay while the box is empty"
    decoder.set_token_text(TOKEN)
    assert decoder.body.currentWidget() is decoder.details
    decoder.clear_button.click()
    qtbot.waitUntil(lambda: decoder.body.currentWidget() is decoder.empty_state, timeout=5000)
    assert not decoder.empty_state.welcome


def test_with_saved_tokens_there_is_no_welcome(qtbot, context):
    context.storage.history.add(TOKEN)
    decoder = start(qtbot, context).panels["Decoder"]
    assert decoder.body.currentWidget() is decoder.empty_state
    assert not decoder.empty_state.welcome


def test_open_a_har_or_flow_record_opens_the_diagnose_panel_and_its_file_dialog(started, qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from tests.support.har_login import failing_login

    path = failing_login().write(tmp_path / "login.har")
    asked: list[str] = []

    def get_open_file_name(parent, caption, directory, filters):
        asked.append(caption)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", get_open_file_name)
    started.panels["Decoder"].empty_state.buttons["open_file_dialog"].click()
    assert started.current_panel_name == "Diagnose"
    assert asked == ["Open a HAR recording or a flow record"]
    diagnose = started.panels["Diagnose"]
    qtbot.waitUntil(lambda: diagnose.outcome is not None, timeout=10_000)
    assert diagnose.outcome.subject.path == path and diagnose.outcome.report.input == "har"
