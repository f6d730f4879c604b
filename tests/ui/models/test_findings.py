"""FindingsModel: a correct Qt model, errors first."""

from __future__ import annotations

from PySide6.QtCore import Qt

from inspector.core.findings import error, info, warning
from inspector.ui.models.findings import FindingsModel
from inspector.ui.models.roles import ClaimRole, SeverityRole


def test_passes_the_qt_model_tester_and_sorts_by_severity(qtmodeltester):
    model = FindingsModel()
    model.set_findings([info("i", "note"), warning("w", "careful"), error("e", "broken", claim="exp")])
    qtmodeltester.check(model)
    assert [model.index(r, 1).data() for r in range(3)] == ["e", "w", "i"]
    assert model.index(0, 0).data(SeverityRole) == "error"
    assert model.index(0, 0).data(ClaimRole) == "exp"
    assert model.index(0, 0).data() == "✖ error"


def test_advice_is_shown_with_the_settings_worded_for_the_app(qtmodeltester):
    from inspector.core.advice import Advice

    model = FindingsModel()
    model.setting_names = {"scope": "the Scopes field"}.get
    model.set_findings([warning("scope_narrowed", "Not all granted.", advice=Advice("Edit {scope}.", ("scope",)))])
    qtmodeltester.check(model)
    assert model.index(0, 2).data() == "Not all granted. Edit the Scopes field."
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "scope_narrowed: Not all granted. Edit the Scopes field."
