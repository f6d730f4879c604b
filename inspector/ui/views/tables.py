"""One look for every table: whole-row selection, compact rows, no row numbers.

Tables of sentences (findings) wrap them onto more lines rather than cut them off; tables of
short values fit their columns to the room there is, so no column scrolls out of view.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

#: Findings' first two columns are sized for these (the longest severity and a long code).
SEVERITY_SAMPLE = "⚠ warning"
CODE_SAMPLE = "refresh_token_not_rotated"


def row_height(view: QTableView) -> int:
    """The height of a one-line row."""
    return view.fontMetrics().height() + 10


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
    rows.setDefaultSectionSize(row_height(view))
    columns = view.horizontalHeader()
    columns.setStretchLastSection(True)
    columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view


def wrap_rows(view: QTableView) -> None:
    """Long text wraps instead of being cut off: each row is as tall as its text needs at its
    column's width (at least one line), and follows the width when the table is resized."""
    view.setWordWrap(True)
    rows = view.verticalHeader()
    rows.setMinimumSectionSize(row_height(view))
    rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


def findings_table(model: QAbstractItemModel, name: str) -> QTableView:
    """Severity, Code, Message: the first two as wide as their longest words, messages wrapped."""
    view = make_table(model, name)
    metrics = view.fontMetrics()
    bold = view.font()
    bold.setBold(True)
    view.setColumnWidth(0, QFontMetrics(bold).horizontalAdvance(SEVERITY_SAMPLE) + 20)
    view.setColumnWidth(1, metrics.horizontalAdvance(CODE_SAMPLE) + 16)
    wrap_rows(view)
    return view


def fit_columns(view: QTableView, fitted: tuple[int, ...], shared: tuple[int, ...]) -> None:
    """The ``fitted`` columns as wide as their contents, the ``shared`` ones sharing the rest of
    the width: every column stays in view (long values elide; their tooltips have them whole)."""
    columns = view.horizontalHeader()
    columns.setStretchLastSection(False)
    for column in fitted:
        columns.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    for column in shared:
        columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def fit_rows(view: QTableView, most: int = 6) -> None:
    """Size ``view`` to its rows (up to ``most``), for short lists such as lint findings."""
    shown = min(view.model().rowCount(), most)
    lowest = row_height(view)
    body = sum(max(view.sizeHintForRow(row), lowest) for row in range(shown)) if shown else lowest
    view.setFixedHeight(view.horizontalHeader().sizeHint().height() + body + 2 * view.frameWidth())
