import threading

import httpx
import pytest

from inspector.core.flows.context import FlowEnvironment, FlowObserver
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER, FakeProvider
from tests.support.slow_server import SlowServer, blocked_reading


def test_cancel_from_another_thread_ends_the_wait_for_the_browser():
    provider = FakeProvider()
    env = FlowEnvironment(transport=provider.transport(), open_browser=lambda url: False)
    asked = threading.Event()

    class Watcher(FlowObserver):
        def question(self, flow, question):
            asked.set()

    runner = FlowRunner("auth_code", FlowSettings(issuer=ISSUER, client_id="app", timeout=60), env, Watcher())
    thread = threading.Thread(target=runner.run_all)
    thread.start()
    assert asked.wait(10)
    runner.cancel()
    thread.join(10)
    assert not thread.is_alive()
    assert runner.flow.status is FlowStatus.CANCELLED
    assert runner.flow.step("callback").status is StepStatus.CANCELLED
    assert "/token" not in provider.paths()


def test_cancel_aborts_a_token_request_blocked_on_a_server_that_never_answers():
    """Stop set the cancel token, but the token request went on until its timeout (120 s by default)."""
    with SlowServer("silent") as server:
        settings = FlowSettings(issuer="", client_id="c", client_secret="s", timeout=600,
                                endpoints={"token_endpoint": f"{server.url}/token"})
        runner = FlowRunner("client_credentials", settings, FlowEnvironment())
        thread = threading.Thread(target=runner.run_all, daemon=True)
        thread.start()
        assert server.answering.wait(10) and blocked_reading(thread)
        runner.cancel()
        thread.join(30)  # 20 times less than the request's own timeout
        assert not thread.is_alive(), "the token request outlived the cancel"
    token = runner.flow.step("token")
    assert runner.flow.status is FlowStatus.CANCELLED and token.status is StepStatus.CANCELLED
    assert [f.code for f in token.findings] == ["cancelled"] and token.exchanges[0].error == "cancelled"


def test_an_unexpected_exception_in_a_step_becomes_an_internal_error_finding():
    def broken(request):
        raise RuntimeError("boom")

    env = FlowEnvironment(transport=httpx.MockTransport(broken))
    flow = FlowRunner("client_credentials", FlowSettings(issuer=ISSUER, client_id="c", client_secret="s"), env).run_all()
    assert flow.status is FlowStatus.ERROR
    assert [f.code for f in flow.step("discovery").findings] == ["internal_error"]
    assert "boom" in flow.step("discovery").findings[0].message


def test_unknown_grant_is_a_usage_error():
    from inspector.core.errors import InspectorError

    with pytest.raises(InspectorError, match="Unknown flow"):
        FlowRunner("implicit", FlowSettings(issuer=ISSUER))


def test_prepare_shows_parameters_before_sending_and_edits_are_sent():
    provider = FakeProvider()
    env = FlowEnvironment(transport=provider.transport())
    runner = FlowRunner("client_credentials", FlowSettings(issuer=ISSUER, client_id="c", client_secret="s",
                                                           scope="read"), env)
    runner.run_next()
    step = runner.prepare_next()
    assert step.name == "token" and step.inputs == {"grant_type": "client_credentials", "scope": "read"}
    assert provider.paths() == ["/.well-known/openid-configuration"]
    step.inputs["scope"] = "write"
    runner.run_next()
    assert provider.form()["scope"] == "write"
    assert runner.run_next() is None  # the API call is skipped: no API URL
    assert runner.finished and runner.flow.status is FlowStatus.OK



def test_observer_sees_every_step_in_order_and_skipped_steps_too():
    provider = FakeProvider()
    events = []

    class Recorder(FlowObserver):
        def step_started(self, flow, step):
            events.append(("started", step.name))

        def step_finished(self, flow, step):
            events.append(("finished", step.name, step.status.value))

        def token_obtained(self, flow, step, token_response):
            events.append(("token", step.name))

        def flow_finished(self, flow):
            events.append(("done", flow.status.value))

    settings = FlowSettings(issuer=ISSUER, client_id="c", token="rt")
    FlowRunner("refresh", settings, FlowEnvironment(transport=provider.transport()), Recorder()).run_all()
    assert events == [("started", "discovery"), ("finished", "discovery", "ok"), ("started", "token"),
                      ("token", "token"), ("finished", "token", "ok"), ("finished", "id_token", "skipped"),
                      ("finished", "api_call", "skipped"), ("done", "ok")]


def test_unexpected_exception_text_in_a_step_is_redacted():
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz"

    def broken(request):
        raise RuntimeError(f"cannot parse {token} (Bearer {token})")

    settings = FlowSettings(issuer=ISSUER, client_id="c", client_secret="s")
    flow = FlowRunner("client_credentials", settings, FlowEnvironment(transport=httpx.MockTransport(broken))).run_all()
    finding = flow.step("discovery").findings[0]
    message = finding.message
    assert finding.code == "internal_error"
    assert token not in message and "RuntimeError: cannot parse eyJhbG…" in message
