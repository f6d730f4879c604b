import json

from inspector.core.findings import error, info
from inspector.core.flows.model import Flow, FlowStatus, Step, StepStatus
from inspector.core.protocol.http import Exchange

TOKEN = {"access_token": "A" * 50, "refresh_token": "R" * 50, "id_token": "I" * 50, "token_type": "Bearer"}


def token_step():
    exchange = Exchange("POST", "https://op/token", {"authorization": "••••••"},
                        {"grant_type": "authorization_code", "code": "C" * 40}, 200, {}, TOKEN, 0.012)
    return Step("token", "Exchange", StepStatus.OK, exchanges=[exchange], output={"token": TOKEN},
                findings=[info("x", "y")], duration=0.02)


def test_step_json_abbreviates_tokens_by_default_and_shows_them_on_request():
    short = json.dumps(token_step().to_json())
    assert "A" * 50 not in short and "R" * 50 not in short and "C" * 40 not in short
    full = token_step().to_json(show_tokens=True)
    assert full["token"]["access_token"] == "A" * 50
    assert full["response"]["body"]["refresh_token"] == "R" * 50
    assert full["request"]["params"]["code"] == "C" * 40
    assert full["request"]["headers"]["authorization"] == "••••••"
    assert full["step"] == "token" and full["status"] == "ok" and full["duration_ms"] == 20.0


def test_several_exchanges_are_all_listed():
    step = token_step()
    step.exchanges.append(step.exchanges[0])
    assert len(step.to_json()["exchanges"]) == 2


def test_done_line_collects_every_finding():
    flow = Flow("auth_code", [token_step(), Step("callback", "cb", findings=[error("state_mismatch", "m")])])
    flow.status = FlowStatus.ERROR
    done = flow.done_json()
    assert done["step"] == "done" and done["status"] == "error"
    assert [f["code"] for f in done["findings"]] == ["x", "state_mismatch"]
    assert json.loads(json.dumps(flow.to_json()))["grant"] == "auth_code"


def test_done_line_carries_the_local_start_time_that_dates_each_step():
    flow = Flow("auth_code", [token_step()])
    flow.started_at = 1_800_000_000.5
    assert flow.done_json()["started_at"] == 1_800_000_000.5


def test_a_step_snapshot_does_not_change_with_the_live_step():
    flow = Flow("auth_code", [Step("token", "Exchange the code")])
    live = flow.steps[0]
    live.inputs["code"] = "c0de"
    live.exchanges.append(Exchange("POST", "https://as.example/token", {}, {"code": "c0de"}))
    live.output["token"] = {"access_token": "at"}
    shot = live.snapshot()
    live.inputs["code"] = "edited"
    live.exchanges[0].status = 200
    live.exchanges.append(Exchange("POST", "https://as.example/token", {}, {}))
    live.findings.append(error("token_error", "refused"))
    live.output["token"]["access_token"] = "changed"
    live.status = StepStatus.ERROR
    assert shot.inputs == {"code": "c0de"} and shot.status is StepStatus.PENDING
    assert len(shot.exchanges) == 1 and shot.exchanges[0].status is None
    assert shot.findings == [] and shot.output == {"token": {"access_token": "at"}}
    assert shot.sent is flow.sent  # what the flow sent still masks the copy


def test_a_flow_snapshot_copies_every_step():
    flow = Flow("client_credentials", [Step("discovery", "Discover"), Step("token", "Request a token")])
    shot = flow.snapshot()
    flow.steps[1].status = StepStatus.OK
    flow.findings.append(error("x", "y"))
    flow.status = FlowStatus.OK
    assert [step.status for step in shot.steps] == [StepStatus.PENDING, StepStatus.PENDING]
    assert shot.findings == [] and shot.status is FlowStatus.PENDING and shot.id == flow.id
