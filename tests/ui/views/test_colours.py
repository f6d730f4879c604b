"""Colours stay readable: light and dark palettes get different shades of the same meaning."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from inspector.ui.views.colours import change_colour, is_dark, part_colour, severity_colour, state_colour


def palette(window: str) -> QPalette:
    result = QPalette()
    result.setColor(QPalette.ColorRole.Window, QColor(window))
    return result


def test_dark_palettes_get_lighter_colours(qapp):
    light, dark = palette("#f0f0f0"), palette("#202020")
    assert not is_dark(light) and is_dark(dark)
    for pick, key in ((state_colour, "expired"), (state_colour, "valid"), (severity_colour, "warning"),
                      (part_colour, "payload"), (change_colour, "added"), (change_colour, "changed")):
        assert pick(key, dark).lightness() > pick(key, light).lightness()


def test_neutral_time_states_keep_the_text_colour(qapp):
    assert state_colour("past", palette("#ffffff")) is None
    assert state_colour("neutral", palette("#ffffff")) is None


def test_a_diff_colours_changes_and_leaves_the_same_alone(qapp):
    light = palette("#ffffff")
    assert len({change_colour(kind, light).name() for kind in ("added", "removed", "changed")}) == 3
    assert change_colour("same", light) is None
