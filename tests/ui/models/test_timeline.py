"""TimelineModel: a correct Qt model over a recording's exchanges, the failing one marked, no
secret in any cell."""

from __future__ import annotations

from PySide6.QtCore import Qt

from inspector.core.diagnosis.engine import diagnose_har
from inspector.core.diagnosis.model import DiagnosisContext
from inspector.core.har.reader import read_har
from inspector.core.diagnosis.masking import recording_redactor
from inspector.ui.har_display import marks_of
from inspector.ui.models.roles import ObjectRole, SeverityRole
from inspector.ui.models.timeline import TimelineModel
from tests.support.har_login import FAILING_ENTRY, SECRETS, failing_login


def loaded(model: TimelineModel):
    recording = read_har(failing_login().dumps())
    report = diagnose_har(recording, DiagnosisContext())
    model.set_timeline(recording, recording_redactor(recording), marks_of(report))
    return recording


def test_passes_the_qt_model_tester_with_the_failing_token_request_marked(qtmodeltester):
    model = TimelineModel()
    recording = loaded(model)
    qtmodeltester.check(model)
    assert model.rowCount() == len(recording.exchanges)
    row = model.first_marked_row()
    assert model.exchange(row).index == FAILING_ENTRY
    assert [model.index(row, column).data() for column in range(6)] == [
        "09:15:00", "POST", "token", "login.example.com/token", "400", "◀ fails  invalid_grant"]
    assert model.index(row, 0).data(SeverityRole) == "error"
    assert model.index(row, 3).data(ObjectRole) is recording.exchanges[row]
    assert model.index(0, 0).data(SeverityRole) is None
    assert model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole) == "2025-03-04T09:15:00.500+00:00"


def test_a_redirect_shows_where_it_went_without_its_query():
    model = TimelineModel()
    loaded(model)
    notes = [model.index(row, 5).data() for row in range(model.rowCount())]
    assert "→ https://app.example.com/callback" in notes


def test_no_secret_of_the_recording_in_any_cell(qtmodeltester):
    model = TimelineModel()
    loaded(model)
    cells = [str(model.index(r, c).data(role)) for r in range(model.rowCount()) for c in range(6)
             for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)]
    assert not [secret for secret in SECRETS if any(secret in cell for cell in cells)]


def test_cleared_it_is_empty_and_nothing_is_marked(qtmodeltester):
    model = TimelineModel()
    loaded(model)
    model.set_timeline(None, None)
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.first_marked_row() == -1
