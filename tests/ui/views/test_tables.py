"""Tables: findings wrap their messages (and re-wrap when resized); fitted columns stay in view."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel

from inspector.core.findings import error, warning
from inspector.ui.models.findings import FindingsModel
from inspector.ui.views.tables import findings_table, fit_columns, fit_rows, make_table, row_height

LONG = ("The header carries 'jku', a key chosen by whoever wrote the token: it was not fetched and not "
        "trusted; only your keys are used.")


def findings_view(qtbot, width: int):
    model = FindingsModel()
    model.set_findings([error("expired", "The token expired 3 minutes ago."), warning("header_key_ignored", LONG)])
    view = findings_table(model, "Findings")
    qtbot.addWidget(view)
    view.resize(width, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_long_message_wraps_onto_more_lines_and_a_short_one_keeps_one(qtbot):
    view = findings_view(qtbot, 700)
    assert view.rowHeight(0) == row_height(view)
    assert view.rowHeight(1) > row_height(view)


def test_rows_wrap_again_when_the_table_gets_narrower(qtbot):
    view = findings_view(qtbot, 900)
    wide = view.rowHeight(1)
    view.resize(500, 300)
    qtbot.waitUntil(lambda: view.rowHeight(1) > wide, timeout=2000)


def test_fit_rows_makes_room_for_wrapped_rows(qtbot):
    view = findings_view(qtbot, 500)
    fit_rows(view)
    assert view.height() >= view.horizontalHeader().height() + view.rowHeight(0) + view.rowHeight(1)


def test_fitted_and_shared_columns_all_stay_in_view(qtbot):
    model = QStandardItemModel(1, 4)
    for column, text in enumerate(("2026-12-07 20:50:50", "x" * 80, "jwt", "y" * 80)):
        model.setItem(0, column, QStandardItem(text))
    view = make_table(model, "Table")
    fit_columns(view, fitted=(0, 2), shared=(1, 3))
    qtbot.addWidget(view)
    view.resize(500, 200)
    view.show()
    qtbot.waitExposed(view)
    assert view.horizontalScrollBar().maximum() == 0
    assert view.columnWidth(0) >= view.fontMetrics().horizontalAdvance("2026-12-07 20:50:50")
    assert abs(view.columnWidth(1) - view.columnWidth(3)) <= 1
