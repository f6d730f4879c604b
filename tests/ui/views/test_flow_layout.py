"""FlowLayout: items left to right, wrapping onto the next line when out of room."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from inspector.ui.views.flow_layout import FlowLayout


def buttons_in(qtbot, width: int, count: int = 3) -> tuple[QWidget, list[QPushButton]]:
    box = QWidget()
    qtbot.addWidget(box)
    layout = FlowLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    buttons = [QPushButton(f"Open token number {n} in decoder") for n in range(count)]
    for button in buttons:
        layout.addWidget(button)
    box.resize(width, layout.heightForWidth(width))
    box.show()
    qtbot.waitExposed(box)
    return box, buttons


def test_with_room_the_items_share_one_line(qtbot):
    box, buttons = buttons_in(qtbot, 2000)
    assert len({button.y() for button in buttons}) == 1
    assert buttons[0].x() < buttons[1].x() < buttons[2].x()


def test_out_of_room_they_wrap_and_the_layout_asks_for_the_height(qtbot):
    width = QPushButton("Open token number 0 in decoder").sizeHint().width() + 20
    box, buttons = buttons_in(qtbot, width)
    assert len({button.y() for button in buttons}) == 3
    assert all(box.rect().contains(button.geometry()) for button in buttons)
    layout = box.layout()
    assert layout.minimumSize().width() <= width
    assert layout.heightForWidth(width) > layout.heightForWidth(2000)


def test_hidden_items_take_no_room(qtbot):
    box, buttons = buttons_in(qtbot, 2000)
    second = buttons[1].x()
    buttons[1].hide()
    box.layout().activate()
    assert buttons[2].x() == second
