"""HistoryModel: a correct Qt model; expiry state and chronological sort keys."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt

from inspector.core.storage.history_table import HistoryEntry
from inspector.ui.models.history import HistoryModel, SortRole
from inspector.ui.models.roles import TimeStateRole

NOW = 1_800_000_000.0


def entry(n: int, expires: float | None) -> HistoryEntry:
    return HistoryEntry(f"id{n}", NOW - n * 100, "access", "auth_code", "acme", "https://i", f"user{n}", ("api",),
                        expires)


def test_passes_the_qt_model_tester_with_a_proxy(qtmodeltester):
    model = HistoryModel(lambda: NOW)
    model.set_entries([entry(1, NOW - 10), entry(2, NOW + 3600), entry(3, None)])
    qtmodeltester.check(model)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    proxy.sort(0)
    qtmodeltester.check(proxy)
    assert [proxy.index(r, 4).data() for r in range(3)] == ["user3", "user2", "user1"]


def test_expiry_state_and_text():
    model = HistoryModel(lambda: NOW)
    model.set_entries([entry(1, NOW - 10), entry(2, NOW + 3600), entry(3, None)])
    assert [model.index(r, 5).data(TimeStateRole) for r in range(3)] == ["expired", "valid", None]
    assert model.index(2, 5).data() == "no expiry"
    assert model.index(0, 1).data() == "acme · auth_code"


def flow_entry(n: int, status: str) -> HistoryEntry:
    return HistoryEntry(f"flow{n}", NOW - n * 100, "flow", "device", "acme", "https://i", "", (), None, status)


def test_saved_flows_show_their_outcome_and_pass_the_model_tester(qtmodeltester):
    model = HistoryModel(lambda: NOW)
    model.set_entries([flow_entry(1, "ok"), flow_entry(2, "error"), flow_entry(3, "cancelled"), entry(4, None)])
    qtmodeltester.check(model)
    assert [model.index(r, 5).data() for r in range(4)] == ["✔ completed", "✖ failed", "■ cancelled", "no expiry"]
    assert [model.index(r, 2).data() for r in range(4)] == ["flow", "flow", "flow", "access"]
    assert model.index(1, 5).data(TimeStateRole) is None
    assert model.index(1, 5).data(SortRole) == float("inf")
    assert "saved flow" in model.index(1, 5).data(Qt.ItemDataRole.ToolTipRole)
