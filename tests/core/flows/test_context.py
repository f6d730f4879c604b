from dataclasses import dataclass

import httpx

from inspector.core.flows.context import FlowContext, FlowEnvironment, FlowObserver
from inspector.core.flows.loopback import LoopbackListener
from inspector.core.flows.model import Flow
from inspector.core.flows.settings import FlowSettings


def context(**env):
    return FlowContext(Flow("x", []), FlowSettings(issuer="https://op"), FlowEnvironment(**env), FlowObserver())


def test_default_sleep_waits_on_the_cancel_token():
    ctx = context()
    ctx.env.cancel.cancel()
    assert ctx.sleep(60) is True


def test_injected_sleep_is_used_and_reports_cancellation():
    slept = []
    ctx = context(sleep=slept.append)
    assert ctx.sleep(5) is False and slept == [5]


def test_client_is_created_once_with_the_injected_transport_and_closed():
    ctx = context(transport=httpx.MockTransport(lambda request: httpx.Response(204)))
    assert ctx.client is ctx.client
    assert ctx.client.get("https://op/x").status_code == 204
    ctx.close()
    assert ctx._client is None


def test_closing_calls_what_the_steps_handed_it_once():
    ctx = context()
    listener = LoopbackListener(expected_state="s")
    closed = []
    ctx.on_close(listener.close)
    ctx.on_close(lambda: closed.append("other"))
    ctx.close()
    ctx.close()
    assert listener.closed and closed == ["other"]


@dataclass
class Passed:
    value: str = ""


def test_a_grant_state_is_one_per_flow_made_on_first_use():
    ctx = context()
    ctx.state(Passed).value = "code"
    assert ctx.state(Passed).value == "code"
    assert context().state(Passed).value == ""


def test_one_jwks_cache_is_shared_through_the_environment():
    env = FlowEnvironment()
    first = FlowContext(Flow("x", []), FlowSettings(issuer="https://op"), env, FlowObserver()).jwks
    second = FlowContext(Flow("y", []), FlowSettings(issuer="https://op"), env, FlowObserver()).jwks
    assert first is second
