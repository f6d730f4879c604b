"""The History panel lists saved tokens, searches them, opens, deletes and clears them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from inspector.ui.models.roles import TimeStateRole
from inspector.ui.views.history_panel import HistoryPanel
from tests.support.jose import compact

NOW = 1_800_000_000.0


def _token(sub: str, exp: float, iss: str = "https://login.acme.dev") -> str:
    return compact({"alg": "RS256", "kid": "k"}, {"iss": iss, "sub": sub, "exp": exp})


@pytest.fixture
def saved(context):
    context.clock = lambda: NOW
    history = context.storage.history
    tokens = {
        "alice": _token("alice", NOW - 600),
        "bob": _token("bob", NOW + 3600, "https://idp.example.org"),
        "carol": _token("carol", NOW + 60),
    }
    for token in tokens.values():
        history.add(token, source="auth_code", profile="acme-dev")
    return tokens


@pytest.fixture
def panel(qtbot, context, saved):
    widget = HistoryPanel(context)
    widget.confirm = lambda title, text: True
    qtbot.addWidget(widget)
    widget.show()
    widget.load()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 3, timeout=5000)
    return widget


def subjects(panel: HistoryPanel) -> list[str]:
    return [panel.proxy.index(r, 4).data() for r in range(panel.proxy.rowCount())]


def test_lists_entries_with_expiry_state(panel):
    assert sorted(subjects(panel)) == ["alice", "bob", "carol"]
    states = {panel.model.index(r, 4).data(): panel.model.index(r, 5).data(TimeStateRole) for r in range(3)}
    assert states == {"alice": "expired", "bob": "valid", "carol": "valid"}
    assert panel.count_label.text() == "3 saved entries"


def test_search_filters_rows(panel, qtbot):
    qtbot.keyClick(panel, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert panel.search.hasFocus()
    qtbot.keyClicks(panel.search, "idp.example")
    assert subjects(panel) == ["bob"]
    assert panel.count_label.text() == "1 of 3 saved entries"


def test_enter_opens_the_selected_entry(panel, qtbot, saved):
    panel.search.setText("carol")
    panel.view.setFocus()
    panel.view.selectRow(0)
    with qtbot.waitSignal(panel.open_requested, timeout=5000) as blocker:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert blocker.args == [saved["carol"]]


def test_delete_asks_then_removes(panel, qtbot):
    asked: list[str] = []
    panel.confirm = lambda title, text: asked.append(text) or True
    panel.search.setText("alice")
    panel.view.setFocus()
    panel.view.selectRow(0)
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    assert "alice" in asked[0]
    panel.search.clear()
    assert sorted(subjects(panel)) == ["bob", "carol"]


def test_declining_the_confirmation_keeps_the_entry(panel, qtbot, context):
    panel.confirm = lambda title, text: False
    panel.view.selectRow(0)
    panel.delete_button.click()
    panel.clear_button.click()
    assert context.pool.active == 0
    assert panel.model.rowCount() == 3


def test_clear_all_empties_the_history(panel, qtbot):
    panel.clear_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=5000)
    assert panel.count_label.text() == "0 saved entries"
    assert not panel.clear_button.isEnabled()


def test_no_usable_keyring_shows_a_banner(qtbot, context, saved):
    from keyring.backends.fail import Keyring as FailKeyring

    from inspector.ui.context import AppContext

    locked_out = AppContext(pool=context.pool, paths=context.paths, keyring_backend=FailKeyring())
    widget = HistoryPanel(locked_out)
    qtbot.addWidget(widget)
    widget.load()
    widget.show()
    qtbot.waitUntil(lambda: bool(widget.banner.text()), timeout=5000)
    assert "no keyring is usable" in widget.banner.text()
    assert widget.model.rowCount() == 0


def test_opening_from_the_window_shows_the_token_in_the_decoder(window, qtbot, saved):
    panel = window.show_panel("History")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=5000)
    panel.view.selectRow(0)
    panel.open_button.click()
    qtbot.waitUntil(lambda: window.current_panel_name == "Decoder", timeout=5000)
    decoder = window.panels["Decoder"]
    assert decoder.decoded is not None and decoder.decoded.raw in saved.values()


def test_a_rolled_back_history_file_is_explained_and_can_be_accepted(qtbot, context, saved):
    history = context.storage.history
    path = context.storage.paths.history_file
    old_copy = path.read_bytes()
    history.add(_token("dave", NOW + 60))
    path.write_bytes(old_copy)
    widget = HistoryPanel(context)
    asked: list[str] = []
    widget.confirm = lambda title, text: asked.append(text) or True
    qtbot.addWidget(widget)
    widget.show()
    widget.load()
    qtbot.waitUntil(lambda: bool(widget.banner.text()), timeout=5000)
    assert "older than the last one Token Inspector wrote" in widget.banner.text()
    assert "Traceback" not in widget.banner.text() and widget.accept_button.isVisible()
    assert widget.model.rowCount() == 0
    widget.accept_button.click()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 3, timeout=5000)
    assert "deleted after this copy was made come back" in asked[0]
    assert not widget.banner.isVisible() and not widget.accept_button.isVisible()
    assert sorted(subjects(widget)) == ["alice", "bob", "carol"]


def test_declining_to_accept_the_older_file_changes_nothing(qtbot, context, saved):
    path = context.storage.paths.history_file
    old_copy = path.read_bytes()
    context.storage.history.add(_token("dave", NOW + 60))
    path.write_bytes(old_copy)
    widget = HistoryPanel(context)
    asked: list[str] = []
    widget.confirm = lambda title, text: asked.append(title) and False
    qtbot.addWidget(widget)
    widget.show()
    widget.load()
    qtbot.waitUntil(widget.accept_button.isVisible, timeout=5000)
    widget.accept_button.click()
    assert asked == ["Use the older history file"]
    assert path.read_bytes() == old_copy and widget.accept_button.isVisible()


def test_at_900x600_every_column_is_in_view_without_scrolling(small_window, qtbot, context):
    context.storage.history.add(_token("00u1a2b3c4d5e6f7g8h9-service-account@acme.example", NOW + 3600,
                                       "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"),
                                source="client_credentials", profile="contoso-production")
    panel = small_window.show_panel("History")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    header, viewport = panel.view.horizontalHeader(), panel.view.viewport()
    for column, name in enumerate(panel.model.COLUMNS):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert 0 <= header.sectionViewportPosition(column) and right <= viewport.width(), f"{name} is out of view"
    assert panel.view.horizontalScrollBar().maximum() == 0
    subject = panel.proxy.index(0, 4)
    assert subject.data(Qt.ItemDataRole.ToolTipRole) == subject.data(), "an elided subject is whole in its tooltip"
