"""Spin boxes and combos in a scrolled form take the wheel only when focused (issue 12): scrolling
the profile form over the Port field turned "any free port" into 3."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea

from inspector.ui.views.wheel_guard import scroll_area_around

NOTCH_UP = QPoint(0, 120)


def wheel(widget, delta: QPoint = NOTCH_UP) -> None:
    """One notch of the mouse wheel with the pointer over ``widget``."""
    inside = QPointF(5, 5)
    event = QWheelEvent(inside, QPointF(widget.mapToGlobal(inside.toPoint())), QPoint(0, 0), delta,
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def form(window, qtbot):
    """The profile form of a new profile, in a window short enough for the form to scroll."""
    window.resize(900, 420)
    panel = window.show_panel("Profiles")
    panel.new_button.click()
    window.sidebar.setFocus()
    scroll = scroll_area_around(panel.form.redirect_port)
    assert isinstance(scroll, QScrollArea)
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0, timeout=5000)
    return panel.form


def test_the_wheel_scrolls_the_form_instead_of_changing_an_unfocused_port(form):
    bar = scroll_area_around(form.redirect_port).verticalScrollBar()
    bar.setValue(bar.maximum())
    assert form.redirect_port.value() == 0 and form.redirect_port.text() == "any free port"
    for _ in range(3):
        wheel(form.redirect_port)
    assert form.redirect_port.value() == 0, "the wheel changed a field the person was scrolling past"
    assert bar.value() < bar.maximum(), "the form did not scroll"


def test_the_wheel_does_not_change_an_unfocused_combo_in_the_form(form):
    method = form.auth_method.currentData()
    wheel(form.auth_method, QPoint(0, -120))
    assert form.auth_method.currentData() == method


def test_a_focused_spin_box_still_takes_the_wheel(form):
    form.redirect_port.setFocus()
    assert form.redirect_port.hasFocus()
    wheel(form.redirect_port)
    assert form.redirect_port.value() == 1


def test_the_wheel_does_not_focus_a_field(form):
    assert form.redirect_port.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert form.auth_method.focusPolicy() == Qt.FocusPolicy.StrongFocus
