"""FlowSession: a profile that cannot run says why before any request; the bridge hands the GUI snapshots."""

from __future__ import annotations

from inspector.core.storage.profile_model import Profile
from inspector.ui.flow_session import FlowSession


def test_a_profile_without_its_secret_fails_with_a_plain_message(qtbot, context):
    context.storage.profiles.add(Profile("needs-secret", issuer="https://login.acme.dev", client_id="web",
                                         auth_method="client_secret_basic"))
    session = FlowSession(context)
    with qtbot.waitSignal(session.failed, timeout=5000) as blocker:
        session.start("client_credentials", "needs-secret", None, "next")
    assert "needs a client secret: set the Client secret field of profile 'needs-secret' (Profiles panel)" in \
        blocker.args[0]
    assert "--client-secret" not in blocker.args[0]  # a flag of the command line, not of this app
    assert session.runner is None and not session.busy


def test_an_unknown_profile_is_reported(qtbot, context):
    session = FlowSession(context)
    with qtbot.waitSignal(session.failed, timeout=5000) as blocker:
        session.start("auth_code", "missing", None, "next")
    assert "no profile named 'missing'" in blocker.args[0]


def test_a_step_the_gui_is_handed_is_a_snapshot_not_the_live_step(qtbot, context):
    from inspector.core.findings import error
    from inspector.core.flows.model import Flow, Step, StepStatus
    from inspector.ui.flow_bridge import FlowBridge

    session = FlowSession(context)
    bridge = FlowBridge(session, issuer="")
    bridge.report = session._on_progress  # as the worker's progress channel delivers it, in the GUI thread
    flow = Flow("client_credentials", [Step("token", "Request a token")])
    live = flow.steps[0]
    live.inputs["scope"] = "api:read"
    live.status = StepStatus.RUNNING
    with qtbot.waitSignal(session.step_started) as started:
        bridge.step_started(flow, live)
    shown = started.args[0]
    live.status = StepStatus.ERROR  # the worker goes on with the step while the GUI paints
    live.inputs["scope"] = "changed"
    live.findings.append(error("token_error", "refused"))
    live.output["error"] = "invalid_client"
    assert shown is not live
    assert (shown.status, shown.inputs, shown.findings, shown.output) == (StepStatus.RUNNING, {"scope": "api:read"},
                                                                          [], {})
    with qtbot.waitSignal(session.flow_finished) as finished:
        bridge.emit(session.flow_finished, flow.snapshot())
    live.status = StepStatus.OK
    assert finished.args[0].steps[0].status is StepStatus.ERROR


def test_edits_of_the_next_step_reach_the_live_step_the_runner_sends(qtbot, context):
    from inspector.core.flows.model import Step
    from inspector.ui.views.step_detail import StepDetail

    live = Step("token", "Request a token", inputs={"scope": "api:read"}, prepared=True)
    detail = StepDetail()
    qtbot.addWidget(detail)
    detail.show_step(live.snapshot(), editable=True, inputs=live.inputs)
    model = detail.params_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "scope")
    assert model.setData(model.index(row, 1), "api:write")
    assert live.inputs == {"scope": "api:write"}
