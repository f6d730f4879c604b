"""The application shell: title, panels, shortcuts, remembered state, a real font."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from PySide6.QtGui import QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from inspector.ui.app import create_window
from inspector.ui.views.panels import ON_FIRST_SHOW, PANEL_NAMES


def test_window_is_titled_and_has_five_panels(window):
    assert window.windowTitle() == "Token Inspector"
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == list(PANEL_NAMES)
    assert window.stack.count() == 5


def test_ctrl_digit_switches_panels(window, qtbot):
    for index, name in enumerate(PANEL_NAMES):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + index), Qt.KeyboardModifier.ControlModifier)
        assert window.current_panel_name == name


def test_geometry_and_last_panel_are_remembered_under_the_home(qtbot, context, home):
    first = create_window(context)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 530)
    saved = first.size()
    first.show_panel("History")
    first.close()
    assert (home / "config" / "gui.ini").is_file()

    second = create_window(context)
    qtbot.addWidget(second)
    assert second.current_panel_name == "History"
    assert second.size() == saved


def test_a_real_font_family_is_available(window):
    families = QFontDatabase.families()
    assert families, "no font families: every glyph would render as a box"
    info = QFontInfo(QApplication.font())
    assert info.family() in families
    metrics = window.fontMetrics()
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "Token Inspector ✔✖⚠·")
    assert metrics.horizontalAdvance("W") > metrics.horizontalAdvance("i")


@pytest.mark.parametrize("panel", PANEL_NAMES)
def test_every_focusable_widget_has_an_accessible_name(window, panel):
    from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QWidget

    window.show_panel(panel)
    unnamed = [
        type(w).__name__
        for w in window.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and w.isVisibleTo(window)
        and not w.accessibleName()
        and not (isinstance(w, QLineEdit) and isinstance(w.parent(), (QAbstractSpinBox, QComboBox)))
        and type(w).__name__ not in {"QScrollBar", "QMenuBar", "QHeaderView", "QSizeGrip", "QTabBar"}
        and not w.objectName().startswith("qt_")
    ]
    assert unnamed == []


@pytest.mark.parametrize("panel", PANEL_NAMES)
def test_tab_reaches_the_panel_controls(window, qtbot, panel):
    from PySide6.QtWidgets import QApplication

    shown = window.show_panel(panel)
    window.sidebar.setFocus()
    reached = set()
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused is not None and shown.isAncestorOf(focused):
            reached.add(focused.accessibleName())
    assert len(reached) >= 3, reached


def test_warm_up_builds_every_panel_but_diagnose_and_fills_the_profile_chooser(window, qtbot, context):
    from inspector.core.storage.profile_model import Profile

    context.storage.profiles.add(Profile("acme-dev", issuer="https://login.acme.dev"))
    done: list[bool] = []
    window.warm_up(lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done) and window.profile_bar.combo.findText("acme-dev") >= 0, timeout=10_000)
    assert set(window.panels) == set(PANEL_NAMES) - ON_FIRST_SHOW
    assert window.keyring_label.text() == "Keyring: not used yet"
    window.show_panel("Diagnose")
    assert set(window.panels) == set(PANEL_NAMES)


def test_opening_a_panel_that_needs_the_keyring_reports_its_state(window, qtbot):
    window.show_panel("History")
    qtbot.waitUntil(lambda: window.keyring_label.text() == "Keyring: ready", timeout=10_000)


def test_ctrl_4_then_ctrl_f_searches_the_history(window, qtbot):
    window.sidebar.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    history = window.panels["History"]
    assert history.view.hasFocus()
    qtbot.keyClick(history.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert history.search.hasFocus()
