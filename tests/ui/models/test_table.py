"""The shared table shape: counts and headers follow from COLUMNS and the rows, nothing else."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from inspector.ui.models.table import ColumnTableModel


class Letters(ColumnTableModel):
    COLUMNS = ("Letter", "Code")

    def __init__(self, letters: str) -> None:
        super().__init__()
        self.letters = letters

    def item_count(self) -> int:
        return len(self.letters)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.has_row(index) or role != Qt.ItemDataRole.DisplayRole:
            return None
        letter = self.letters[index.row()]
        return letter if index.column() == 0 else str(ord(letter))


def test_a_subclass_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(Letters("abc"))
    qtmodeltester.check(Letters(""))


def test_headers_name_the_columns_and_nothing_beyond_them():
    model = Letters("ab")
    horizontal = Qt.Orientation.Horizontal
    assert [model.headerData(i, horizontal) for i in range(3)] == ["Letter", "Code", None]
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.headerData(0, horizontal, Qt.ItemDataRole.ToolTipRole) is None


def test_rows_have_no_children_and_a_stale_index_is_no_row():
    model = Letters("abc")
    last = model.index(2, 0)
    assert model.rowCount(last) == 0 and model.columnCount(last) == 0
    model.letters = "a"  # the rows shrank without the view hearing of it yet
    assert not model.has_row(last)
    assert model.data(last) is None
    assert not model.has_row(QModelIndex())
