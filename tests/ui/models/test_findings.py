"""FindingsModel: a correct Qt model, errors first."""

from __future__ import annotations

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
