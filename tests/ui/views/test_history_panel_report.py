"""Export report… on the History panel: the selected token's report, read from the history in a
worker, the token itself never in it."""

from __future__ import annotations

import pytest

from inspector.ui.views.history_panel import HistoryPanel
from tests.support.diagnosis import id_token

TIMEOUT = 10_000


@pytest.fixture
def panel(qtbot, context):
    context.storage.history.add(id_token(), source="auth_code", profile="acme-dev")
    widget = HistoryPanel(context)
    qtbot.addWidget(widget)
    widget.show()
    widget.load()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1 and widget.report_button.isEnabled(), timeout=TIMEOUT)
    return widget


def test_the_selected_tokens_report(qtbot, panel, context):
    panel.report_button.click()
    dialog = panel.report_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=TIMEOUT)
    entry = context.storage.history.entries()[0]
    text = dialog.html_view.toPlainText()
    assert f"history entry {entry.id}: a signed JWT (RS256)" in text and "248289761001" in text
    assert id_token().split(".")[2] not in dialog.data.decode()
    panel.report_button.click()  # a second report replaces the first dialog
    assert panel.report_dialog is not dialog and not dialog.isVisible()
    qtbot.waitUntil(panel.report_dialog.save_button.isEnabled, timeout=TIMEOUT)


def test_without_a_selection_there_is_no_report(qtbot, panel):
    panel.search.setText("nothing matches this")
    assert not panel.report_button.isEnabled()
    with qtbot.waitSignal(panel.status_message) as message:
        panel.export_report()
    assert message.args == ["Select a saved token or flow first."] and panel.report_dialog is None
