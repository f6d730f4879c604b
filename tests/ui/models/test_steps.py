"""StepsModel: a correct Qt model; marks, numbers and timing per step state."""

from __future__ import annotations

from inspector.core.flows.model import Step, StepStatus
from inspector.ui.models.steps import StatusRole, StepsModel


def test_passes_the_qt_model_tester_and_shows_state(qtmodeltester):
    done = Step("discovery", "Discover the provider", status=StepStatus.OK, duration=0.042)
    failed = Step("token", "Exchange the code", status=StepStatus.ERROR, duration=0.1)
    model = StepsModel()
    model.set_steps([done, failed, Step("userinfo", "Ask for the user's claims")])
    qtmodeltester.check(model)
    assert model.index(0).data() == "✔ 1 Discover the provider   42 ms"
    assert model.index(1).data().startswith("✖ 2 Exchange the code")
    assert model.index(2).data() == "· 3 Ask for the user's claims"
    assert model.index(2).data(StatusRole) == "pending"
    failed.status = StepStatus.OK
    model.refresh(failed)
    assert model.index(1).data().startswith("✔ 2")
