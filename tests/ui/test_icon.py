"""The window icon: every shipped size up to 256 px, and the application sets it with its desktop id."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from inspector.resources import APP_ID
from inspector.ui.app import create_application
from inspector.ui.icon import WINDOW_ICON_MAX, app_icon


def test_the_icon_offers_each_size_up_to_the_window_maximum(qapp):
    sizes = app_icon().availableSizes()
    assert sizes == [QSize(n, n) for n in (16, 24, 32, 48, 64, 128, 256)]
    assert max(size.width() for size in sizes) == WINDOW_ICON_MAX
    assert not app_icon().pixmap(QSize(48, 48)).isNull()


def test_the_application_carries_the_icon_and_the_desktop_entry_name(qapp):
    app = create_application()
    assert app is QApplication.instance()
    assert app.desktopFileName() == APP_ID
    assert not app.windowIcon().isNull()
    assert app.windowIcon().availableSizes() == app_icon().availableSizes()


def test_the_main_window_shows_the_icon(window):
    assert window.windowIcon().availableSizes() == app_icon().availableSizes()
