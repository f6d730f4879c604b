"""Diagnose and Export report… on a saved flow (issue 10 part 4): History's Diagnose on a flow
entry diagnoses the flow rebuilt from its record (not a token), and the read-only saved-flow view
offers Diagnose and Export report… beside Back; no token of the record reaches a report, and the
window still fits 900×600 with the saved flow shown."""

from __future__ import annotations

from inspector.core.flows.record import FlowRecord
from tests.support.fake_provider import ACCESS_TOKEN, client_credentials_flow
from tests.ui.views.test_main_window import fresh_minimum_size
from tests.ui.views.test_saved_flow import open_history, saved  # noqa: F401 - fixture

TIMEOUT = 10_000


def select(panel, outcome: str) -> None:
    panel.view.selectRow(next(r for r in range(panel.proxy.rowCount()) if panel.proxy.index(r, 5).data() == outcome))


def diagnosed(window, qtbot):
    qtbot.waitUntil(lambda: window.current_panel_name == "Diagnose", timeout=TIMEOUT)
    diagnose = window.panels["Diagnose"]
    qtbot.waitUntil(lambda: diagnose.outcome is not None or bool(diagnose.banner.text()), timeout=TIMEOUT)
    assert diagnose.outcome is not None, diagnose.banner.text()
    return diagnose


def saved_view(window, qtbot, outcome: str):
    history = open_history(window, qtbot)
    select(history, outcome)
    history.open_button.click()
    flows = window.panels["Flows"]
    qtbot.waitUntil(lambda: flows.pages.currentWidget() is flows.saved_view, timeout=TIMEOUT)
    return flows


def test_historys_diagnose_on_a_flow_entry_diagnoses_the_saved_flow(window, qtbot, saved):
    history = open_history(window, qtbot)
    select(history, "✖ failed")
    assert history.diagnose_button.isEnabled()
    history.diagnose_button.click()
    diagnose = diagnosed(window, qtbot)
    assert diagnose.outcome.report.input == "flow_record" and diagnose.outcome.report.diagnoses[0].cause == "invalid_client"
    assert diagnose.subject_label.text().startswith(
        f"Diagnosed the saved client credentials flow (history entry {saved['failed'].id}), read as a flow record.")
    assert not history.banner.text()


def test_the_saved_flow_views_diagnose_button(window, qtbot, saved):
    flows = saved_view(window, qtbot, "✖ failed")
    view = flows.saved_view
    assert view.diagnose_button.isVisible() and view.report_button.isVisible()
    view.diagnose_button.click()
    diagnose = diagnosed(window, qtbot)
    assert diagnose.outcome.report.diagnoses[0].cause == "invalid_client"
    assert f"(history entry {saved['failed'].id})" in diagnose.subject_label.text()
    assert diagnose.report_button.isEnabled() and not diagnose.sanitize_button.isEnabled()
    diagnose.report_button.click()  # the saved flow reported from the Diagnose panel too
    dialog = diagnose.result_actions.report_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=TIMEOUT)
    assert "invalid_client" in dialog.data.decode()


def test_the_saved_flow_views_export_report_holds_no_token_of_it(window, qtbot, saved):
    flows = saved_view(window, qtbot, "✔ completed")
    flows.saved_view.report_button.click()
    dialog = flows.report_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=TIMEOUT)
    text = dialog.data.decode()
    assert f"history entry {saved['ok'].id}" in text and "client_credentials" in text
    assert ACCESS_TOKEN not in text


def test_the_window_fits_900x600_with_a_saved_flow_shown(small_window, qtbot, context):
    context.storage.history.add_flow(FlowRecord.of(client_credentials_flow(), profile="svc"))
    history = small_window.show_panel("History")
    history.load()
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=TIMEOUT)
    history.view.selectRow(0)
    history.open_button.click()
    flows = small_window.panels["Flows"]
    qtbot.waitUntil(lambda: flows.pages.currentWidget() is flows.saved_view, timeout=TIMEOUT)
    hint = fresh_minimum_size(small_window)
    assert hint.width() <= 900 and hint.height() <= 600, f"the saved flow needs {hint.width()}×{hint.height()}"
