"""Window settings live in gui.ini under the app's home; a damaged file never stops the app."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from inspector.core.storage.paths import AppPaths
from inspector.ui.app import create_window
from inspector.ui.settings import (
    SETTINGS_FILE,
    open_settings,
    record_decoded,
    set_record_decoded,
    set_sign_in_timeout,
    sign_in_timeout,
)
from inspector.ui.views.panels import PANEL_NAMES

DAMAGED = {
    "binary garbage": b"\x00\xff\xfe[window\x00]\ngeometry=\x80\x81\n\xc3(",
    "wrong types": b"[window]\ngeometry=not-a-geometry\npanel=Nonexistent\n[history]\nrecord_decoded=maybe\n",
    "truncated": b"[window]\ngeometry=@ByteArray(\\x1\\xd9\\xd0\\xcb\\0\\x3\\0\\0\\0\\0",
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_gui_ini_opens_the_window_with_defaults(qtbot, context, home, content):
    paths = AppPaths.under(home)
    paths.config_dir.mkdir(parents=True)
    (paths.config_dir / SETTINGS_FILE).write_bytes(content)
    win = create_window(context)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.finish_startup()
    assert win.current_panel_name in PANEL_NAMES
    assert win.width() > 200 and win.height() > 200
    win.sidebar.setCurrentRow(PANEL_NAMES.index("History"))
    win.save_state()  # a file Qt could not parse is replaced, so the window remembers again
    assert win.settings.status() == QSettings.Status.NoError
    assert open_settings(paths).value("window/panel") == "History"


def test_record_decoded_defaults_on_and_is_saved_at_once(qapp, home):
    paths = AppPaths.under(home)
    settings = open_settings(paths)
    assert record_decoded(settings)
    set_record_decoded(settings, False)
    assert not record_decoded(open_settings(paths))
    assert (paths.config_dir / SETTINGS_FILE).read_text().count("record_decoded=false") == 1


def test_settings_stay_under_the_apps_home(qapp, home):
    settings = open_settings(AppPaths.under(home))
    assert settings.fileName().startswith(str(home))
    assert settings.format() == QSettings.Format.IniFormat


def test_a_config_folder_that_cannot_be_created_still_opens_the_window(qtbot, context, home):
    (home / "config").write_text("a file where the config folder should be")
    win = create_window(context)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.save_state()  # nowhere to save: the session goes on without it
    assert win.current_panel_name in PANEL_NAMES


def test_an_unparsable_file_is_set_aside_not_lost(qapp, home):
    paths = AppPaths.under(home)
    paths.config_dir.mkdir(parents=True)
    (paths.config_dir / SETTINGS_FILE).write_bytes(DAMAGED["binary garbage"])
    settings = open_settings(paths)
    assert settings.status() == QSettings.Status.NoError
    assert (paths.config_dir / (SETTINGS_FILE + ".damaged")).read_bytes() == DAMAGED["binary garbage"]


def test_the_time_to_sign_in_defaults_to_two_minutes_and_only_offered_values_are_read(qapp, home):
    paths = AppPaths.under(home)
    settings = open_settings(paths)
    assert sign_in_timeout(settings) == 120.0
    set_sign_in_timeout(settings, 600)
    assert sign_in_timeout(open_settings(paths)) == 600.0
    for odd in ("soon", "0", "-5", "7"):
        settings.setValue("flows/sign_in_timeout", odd)
        assert sign_in_timeout(settings) == 120.0


def test_the_settings_menu_sets_the_time_to_sign_in_for_the_next_flow(qtbot, context, home):
    set_sign_in_timeout(open_settings(AppPaths.under(home)), 300)
    win = create_window(context)
    qtbot.addWidget(win)
    assert context.sign_in_timeout == 300.0 and win.sign_in_actions[300.0].isChecked()
    win.sign_in_actions[1800.0].trigger()
    assert context.sign_in_timeout == 1800.0 and not win.sign_in_actions[300.0].isChecked()
    assert sign_in_timeout(open_settings(AppPaths.under(home))) == 1800.0
