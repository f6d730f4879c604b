"""size_when_shown: pixel sizes from the real room, also for a splitter built before it is shown."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget

from inspector.ui.views.splitters import room, size_when_shown


def splitter_of_two() -> QSplitter:
    splitter = QSplitter()
    splitter.addWidget(QLabel("list"))
    splitter.addWidget(QLabel("detail"))
    return splitter


def test_a_splitter_shown_later_gets_the_pixels_asked_for_not_their_proportions(qtbot):
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    stack.addWidget(QLabel("first page"))
    splitter = splitter_of_two()
    stack.addWidget(splitter)
    size_when_shown(splitter, lambda total: [300, total - 300])
    stack.resize(1000, 400)
    stack.show()
    qtbot.waitExposed(stack)
    stack.setCurrentWidget(splitter)
    assert splitter.sizes()[0] == 300
    assert sum(splitter.sizes()) == room(splitter)


def test_a_splitter_on_screen_is_sized_at_once(qtbot):
    splitter = splitter_of_two()
    qtbot.addWidget(splitter)
    splitter.resize(800, 300)
    splitter.show()
    qtbot.waitExposed(splitter)
    size_when_shown(splitter, lambda total: [200, total - 200])
    assert splitter.sizes() == [200, room(splitter) - 200]
