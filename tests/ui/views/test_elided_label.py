"""ElidedLabel: a long text never widens the window; what is cut is in the tooltip."""

from __future__ import annotations

from inspector.ui.views.elided_label import ElidedLabel

ISSUER = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"


def shown(qtbot, text: str, width: int) -> ElidedLabel:
    label = ElidedLabel(text)
    qtbot.addWidget(label)
    label.resize(width, 30)
    label.show()
    qtbot.waitExposed(label)
    return label


def test_a_long_text_asks_for_room_but_accepts_a_dozen_characters(qtbot):
    label = shown(qtbot, ISSUER, 600)
    metrics = label.fontMetrics()
    assert label.sizeHint().width() >= metrics.horizontalAdvance(ISSUER)
    assert label.minimumSizeHint().width() <= metrics.averageCharWidth() * 12 + 4


def test_when_cut_it_keeps_both_ends_and_the_tooltip_has_it_whole(qtbot):
    label = shown(qtbot, ISSUER, 160)
    assert label.is_elided()
    assert label.shown_text().startswith("https://") and label.shown_text().endswith("v2.0")
    assert label.toolTip() == ISSUER and label.text() == ISSUER


def test_with_room_again_nothing_is_cut_and_the_tooltip_goes(qtbot):
    label = shown(qtbot, ISSUER, 160)
    label.resize(label.sizeHint().width() + 10, 30)
    assert not label.is_elided() and label.toolTip() == ""
    label.setText("")
    assert label.shown_text() == "" and label.toolTip() == ""
