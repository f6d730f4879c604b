"""The diff delegate paints from ChangeRole: a tinted row per change, a mark before the part, and
the side holding the change in the change's colour; unchanged rows stay as they are."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

from inspector.core.jose.diff import diff_tokens
from inspector.core.jose.parse import decode
from inspector.ui.models.diff import DiffModel
from inspector.ui.views.colours import change_colour
from inspector.ui.views.diff_delegate import DiffDelegate
from tests.support.storage import fake_jwt

A = fake_jwt({"sub": "alice", "aud": "api", "nonce": "n"}, signature=b"a" * 64)
B = fake_jwt({"sub": "alice", "aud": "web", "email": "e"}, signature=b"a" * 64)


def styled(qtbot):
    model = DiffModel(lambda: 0.0)
    model.set_diff(diff_tokens(decode(A), decode(B)))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = DiffDelegate(view)
    rows = {model.index(r, 1).data(): r for r in range(model.rowCount())}

    def style(claim: str, column: int) -> QStyleOptionViewItem:
        option = QStyleOptionViewItem()
        option.palette = view.palette()
        delegate.initStyleOption(option, model.index(rows[claim], column))
        return option

    return style, view.palette()


def test_each_kind_of_change_has_its_colour_and_mark(qtbot):
    style, palette = styled(qtbot)
    for claim, kind, mark, side in (("email", "added", "+", 3), ("nonce", "removed", "−", 2), ("aud", "changed", "~", 2)):
        colour = change_colour(kind, palette)
        assert style(claim, 0).text.startswith(f"{mark} "), claim
        assert style(claim, side).palette.color(QPalette.ColorRole.Text) == colour
        assert style(claim, side).font.bold()
        assert style(claim, 1).backgroundBrush.color().rgb() == colour.rgb()
    assert style("email", 2).palette.color(QPalette.ColorRole.Text) != change_colour("added", palette)  # A is empty


def test_an_unchanged_row_is_left_alone(qtbot):
    style, _palette = styled(qtbot)
    assert style("sub", 0).text == "  Payload"
    assert style("sub", 2).backgroundBrush.style().name == "NoBrush" and not style("sub", 2).font.bold()
