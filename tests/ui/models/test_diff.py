"""The diff table: the core's entries as rows, coloured through ChangeRole, dates and the
difference in words, time tooltips against the clock."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt

from inspector.core.jose.diff import diff_tokens
from inspector.core.jose.parse import decode
from inspector.ui.models.diff import DiffModel
from inspector.ui.models.roles import ChangeRole, ObjectRole, PartRole
from tests.support.storage import fake_jwt

EXP = 1_796_637_600  # 2026-12-07 10:00:00 UTC
A = fake_jwt({"iss": "https://idp", "sub": "alice", "exp": EXP, "nonce": "n"}, signature=b"a" * 64)
B = fake_jwt({"iss": "https://idp", "sub": "alice", "exp": EXP + 3600, "email": "a@x"}, signature=b"b" * 64)


def model(diff=None) -> DiffModel:
    built = DiffModel(lambda: EXP - 60)
    built.set_diff(diff if diff is not None else diff_tokens(decode(A), decode(B)))
    return built


def row_of(diff_model: DiffModel, name: str) -> int:
    return next(r for r in range(diff_model.rowCount()) if diff_model.index(r, 1).data() == name)


def test_passes_the_qt_model_tester(qtmodeltester):
    qtmodeltester.check(model())
    qtmodeltester.check(model(diff_tokens(decode(A), decode(A))))
    empty = DiffModel(lambda: 0.0)
    qtmodeltester.check(empty)


def test_the_filter_proxy_hiding_unchanged_rows_passes_too(qtmodeltester):
    source = model()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    proxy.setFilterRole(ChangeRole)
    proxy.setFilterRegularExpression("^(added|removed|changed)$")
    qtmodeltester.check(proxy)
    assert {proxy.index(r, 1).data() for r in range(proxy.rowCount())} == {"exp", "nonce", "email", "signature"}


def test_rows_show_both_sides_and_the_difference():
    diff_model = model()
    exp = row_of(diff_model, "exp")
    cells = [diff_model.index(exp, column).data() for column in range(5)]
    assert cells == ["Payload", "exp", "2026-12-07 10:00:00 UTC", "2026-12-07 11:00:00 UTC", "changed · 1 hour later"]
    nonce, email = row_of(diff_model, "nonce"), row_of(diff_model, "email")
    assert [diff_model.index(nonce, c).data() for c in (2, 3, 4)] == ['"n"', "", "only in A"]
    assert [diff_model.index(email, c).data() for c in (2, 3, 4)] == ["", '"a@x"', "only in B"]
    assert diff_model.index(exp, 0).data(ChangeRole) == "changed"
    assert diff_model.index(email, 0).data(ChangeRole) == "added"
    assert diff_model.index(exp, 0).data(PartRole) == "payload"
    assert diff_model.index(exp, 0).data(ObjectRole).delta_seconds == 3600


def test_tooltips_give_the_meaning_and_how_each_time_stands_now():
    diff_model = model()
    exp = row_of(diff_model, "exp")
    assert diff_model.index(exp, 2).data(Qt.ItemDataRole.ToolTipRole).endswith("expires in 1 minute")
    assert diff_model.index(exp, 3).data(Qt.ItemDataRole.ToolTipRole).endswith("expires in 61 minutes")
    assert diff_model.index(exp, 1).data(Qt.ItemDataRole.ToolTipRole).startswith("Expiration time")
    assert "exp, changed: A 2026-12-07" in diff_model.index(exp, 1).data(Qt.ItemDataRole.AccessibleTextRole)


def test_a_long_value_is_cut_in_the_cell():
    long = fake_jwt({"iss": "https://idp", "blob": "x" * 5000})
    diff_model = model(diff_tokens(decode(A), decode(long)))
    cell = diff_model.index(row_of(diff_model, "blob"), 3).data()
    assert len(cell) < 400 and cell.endswith("(5,002 characters)")
