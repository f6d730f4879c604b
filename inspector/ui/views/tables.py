"""One look for every table: whole-row selection, compact fixed-height rows, no row numbers."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def make_table(model: QAbstractItemModel, name: str, widths: tuple[int, ...] = ()) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setAlternatingRowColors(True)
    rows = view.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
    columns = view.horizontalHeader()
    columns.setStretchLastSection(True)
    columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view


def fit_rows(view: QTableView, most: int = 6) -> None:
    """Size ``view`` to its rows (up to ``most``), for short lists such as lint findings."""
    shown = min(max(view.model().rowCount(), 1), most)
    height = view.horizontalHeader().height() + shown * view.verticalHeader().defaultSectionSize() + 4
    view.setFixedHeight(height)
