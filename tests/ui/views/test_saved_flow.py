"""A saved flow in the GUI: listed in History with its outcome, opened read-only in the Flows
panel (its steps, requests, responses and findings; nothing to run), and Back to the runner."""

from __future__ import annotations

import httpx
import pytest
from PySide6.QtCore import Qt

from inspector.core.flows.record import FlowRecord
from tests.support.fake_provider import ACCESS_TOKEN, client_credentials_flow


@pytest.fixture
def saved(context):
    """A finished flow, then one the provider refused (the newest)."""
    history = context.storage.history
    ok = history.add_flow(FlowRecord.of(client_credentials_flow(), profile="svc"))
    refused = httpx.Response(401, json={"error": "invalid_client", "error_description": "bad secret"})
    failed = history.add_flow(FlowRecord.of(client_credentials_flow(token_answer=refused), profile="svc"))
    return {"ok": ok, "failed": failed}


def open_history(window, qtbot):
    panel = window.show_panel("History")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    return panel


def test_history_lists_flows_with_their_outcome(window, qtbot, saved):
    panel = open_history(window, qtbot)
    rows = {panel.proxy.index(r, 5).data(): [panel.proxy.index(r, c).data() for c in (1, 2)]
            for r in range(panel.proxy.rowCount())}  # fmt: skip
    assert rows == {"✖ failed": ["svc · client_credentials", "flow"], "✔ completed": ["svc · client_credentials", "flow"]}
    panel.view.selectRow(0)
    assert panel.open_button.text() == "&Open in Flows"
    assert not panel.compare_button.isEnabled()
    panel.search.setText("failed")
    assert panel.proxy.rowCount() == 1


def test_a_saved_flow_opens_read_only_in_the_flows_panel(window, qtbot, saved):
    panel = open_history(window, qtbot)
    row = next(r for r in range(2) if panel.proxy.index(r, 5).data() == "✖ failed")
    panel.view.selectRow(row)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    flows = window.panels["Flows"]
    qtbot.waitUntil(lambda: flows.pages.currentWidget() is flows.saved_view, timeout=10_000)
    assert window.current_panel_name == "Flows"
    view = flows.saved_view
    assert not flows.run_all_button.isVisible() and not flows.next_button.isVisible()
    assert view.title.text().startswith("Saved flow: Client credentials · ✖ failed")
    assert "Read-only" in view.notes.text()
    assert view.title.textFormat() == Qt.TextFormat.PlainText  # the issuer is the provider's text
    assert [view.steps_model.step(r).name for r in range(view.steps_model.rowCount())] == ["discovery", "token", "api_call"]
    assert view.detail.step.name == "token"  # the step that failed
    assert view.detail.response_line.text().startswith("HTTP 401")
    assert not view.detail.params_box.isVisible() and view.entry.id == saved["failed"].id
    assert view.detail.findings_model.rowCount() >= 1


def test_a_token_the_record_kept_whole_opens_in_the_decoder_and_an_abbreviated_one_offers_nothing(window, qtbot,
                                                                                                   saved):
    panel = open_history(window, qtbot)
    panel.view.selectRow(next(r for r in range(2) if panel.proxy.index(r, 5).data() == "✔ completed"))
    panel.open_button.click()
    flows = window.panels["Flows"]
    qtbot.waitUntil(lambda: flows.pages.currentWidget() is flows.saved_view, timeout=10_000)
    view = flows.saved_view
    view.steps_view.setCurrentIndex(view.steps_model.index(1))
    labels = [view.detail.tokens_layout.itemAt(i).widget().text() for i in range(view.detail.tokens_layout.count())
              if view.detail.tokens_layout.itemAt(i).widget() is not None]
    assert labels == ["Open access token in decoder"]  # the refresh token was stored abbreviated
    view.detail.tokens_layout.itemAt(0).widget().click()
    qtbot.waitUntil(lambda: window.current_panel_name == "Decoder", timeout=5000)
    assert window.panels["Decoder"].editor.toPlainText() == ACCESS_TOKEN


def test_nothing_runs_while_a_saved_flow_is_shown_and_back_returns_to_the_runner(window, qtbot, saved, context):
    panel = open_history(window, qtbot)
    panel.view.selectRow(0)
    panel.open_selected()
    flows = window.panels["Flows"]
    qtbot.waitUntil(lambda: flows.pages.currentWidget() is flows.saved_view and context.pool.active == 0,
                    timeout=10_000)
    context.active_profile = "anything"
    flows.run(all_steps=True)
    qtbot.keyClick(flows.saved_view.steps_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert flows.session.runner is None and not flows.session.busy and context.pool.active == 0
    flows.saved_view.back_button.click()
    assert flows.pages.currentWidget() is flows.live and flows.run_all_button.isVisible()
