"""The claim delegate paints from roles — time state, severity, category — never from the text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView

from inspector.ui.models.roles import CategoryRole, SeverityRole, TimeStateRole
from inspector.ui.views.claim_delegate import ClaimDelegate
from inspector.ui.views.colours import CATEGORY_LABEL, category_colour, severity_colour, state_colour


def item(text: str, **roles: object) -> QStandardItem:
    cell = QStandardItem(text)
    for role, value in roles.items():
        cell.setData(value, {"state": TimeStateRole, "severity": SeverityRole, "category": CategoryRole}[role])
    return cell


@pytest.fixture
def view(qtbot):
    model = QStandardItemModel()
    model.appendRow([item("exp", category="registered"), item("expired", state="valid")])
    model.appendRow([item("nbf", severity="error", category="registered"), item("valid", state="expired")])
    model.appendRow([item("plan"), item("pro")])
    table = QTableView()
    table.setModel(model)
    table.setItemDelegate(ClaimDelegate(table))
    qtbot.addWidget(table)
    table.resize(500, 200)
    table.show()
    return table


def styled(view: QTableView, row: int, column: int) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    option.initFrom(view)
    view.itemDelegate().initStyleOption(option, view.model().index(row, column))
    return option


def text_colour(option: QStyleOptionViewItem) -> QColor:
    return option.palette.color(QPalette.ColorRole.Text)


def test_time_colours_come_from_the_state_role_not_the_words_shown(view):
    palette = view.palette()
    says_expired_but_valid, says_valid_but_expired = styled(view, 0, 1), styled(view, 1, 1)
    assert text_colour(says_expired_but_valid) == state_colour("valid", palette)
    assert not says_expired_but_valid.font.bold()
    assert text_colour(says_valid_but_expired) == state_colour("expired", palette)
    assert says_valid_but_expired.font.bold()


def test_a_row_without_roles_keeps_the_palette_text_colour(view):
    option = styled(view, 2, 1)
    assert text_colour(option) == view.palette().color(QPalette.ColorRole.Text)
    assert option.text == "pro"


def test_the_severity_role_marks_and_colours_the_claim_name(view):
    flagged, plain = styled(view, 1, 0), styled(view, 0, 0)
    assert flagged.text == "✖ nbf" and text_colour(flagged) == severity_colour("error", view.palette())
    assert plain.text == "   exp"  # aligned with marked names, no mark of its own
    without_marks = ClaimDelegate(view, mark_severity=False)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    without_marks.initStyleOption(option, view.model().index(1, 0))
    assert option.text == "nbf" and text_colour(option) == severity_colour("error", view.palette())


def test_the_category_tag_is_drawn_in_the_category_colour(view):
    index = view.model().index(0, 0)
    rect = view.visualRect(index)
    image = QImage(rect.size(), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(0, 0, rect.width(), rect.height())
    option.state &= ~QStyle.StateFlag.State_Selected
    painter = QPainter(image)
    view.itemDelegate().paint(painter, option, index)
    painter.end()
    wanted = category_colour("registered", view.palette())
    pixels = {image.pixelColor(x, y).rgb() for x in range(image.width() // 2, image.width())
              for y in range(image.height())}
    assert wanted.rgb() in pixels
    hint = view.itemDelegate().sizeHint(option, index)
    assert hint.width() > option.fontMetrics.horizontalAdvance(CATEGORY_LABEL["registered"])
