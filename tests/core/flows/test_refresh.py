import httpx

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER, FakeProvider


def run(response, **settings):
    provider = FakeProvider()
    provider.on("/token", response)
    base = dict(issuer=ISSUER, client_id="app", client_secret="s", token="-rt-old")
    base.update(settings)
    return FlowRunner("refresh", FlowSettings(**base), FlowEnvironment(transport=provider.transport())).run_all(), provider


def test_sends_the_refresh_token_and_optional_scope():
    flow, provider = run(httpx.Response(200, json={"access_token": "at", "token_type": "Bearer"}), scope="read")
    assert provider.form() == {"grant_type": "refresh_token", "refresh_token": "-rt-old", "scope": "read"}
    assert flow.status is FlowStatus.OK


def test_rotation_is_reported_either_way():
    flow, _ = run(httpx.Response(200, json={"access_token": "at", "token_type": "Bearer", "refresh_token": "rt-new"}))
    assert flow.step("token").output["rotated"] is True
    assert "refresh_token_rotated" in [f.code for f in flow.step("token").findings]
    flow, _ = run(httpx.Response(200, json={"access_token": "at", "token_type": "Bearer", "refresh_token": "-rt-old"}))
    assert flow.step("token").output["rotated"] is False


def test_a_spent_refresh_token_is_a_token_error():
    flow, _ = run(httpx.Response(400, json={"error": "invalid_grant", "error_description": "grant request is invalid"}))
    assert flow.status is FlowStatus.ERROR
    assert flow.step("token").output["error"] == "invalid_grant"


def test_resources_are_sent_as_repeated_parameters_and_invalid_target_is_explained():
    from urllib.parse import parse_qs

    flow, provider = run(httpx.Response(400, json={"error": "invalid_target"}), resource=["urn:a", "https://b.example"])
    assert parse_qs(provider.calls[-1].content.decode())["resource"] == ["urn:a", "https://b.example"]
    [finding] = [f for f in flow.step("token").findings if f.code == "token_error"]
    assert "'invalid_target'" in finding.message and "does not know a requested resource" in finding.message
    assert flow.step("token").output["error"] == "invalid_target"
