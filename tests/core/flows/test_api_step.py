"""The "Call an API" step every token-producing grant ends with: skipped in words without an API
URL, its request editable before it goes, the token as Bearer or (a DPoP-bound token with the
flow's key) as DPoP with proofs shown, and the answer's challenges read into findings."""

import json

import httpx

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.grants import GRANTS
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.protocol.dpop_session import DpopSession
from tests.support.fake_provider import ACCESS_TOKEN, CLIENT_SECRET, FakeProvider, client_credentials_flow

API = "https://api.example/things"


def test_every_grant_that_issues_tokens_ends_with_the_call_and_the_others_do_not():
    ends = {name: grant.steps[-1].name for name, grant in GRANTS.items()}
    assert {name for name, last in ends.items() if last == "api_call"} == {
        "auth_code", "device", "client_credentials", "refresh", "token_exchange", "jwt_bearer"}


def test_without_an_api_url_the_step_is_skipped_saying_why():
    flow = client_credentials_flow()
    step = flow.step("api_call")
    assert flow.status is FlowStatus.OK and step.status is StepStatus.SKIPPED
    assert "no API URL was set" in step.findings[0].message


def test_the_access_token_goes_as_bearer_and_the_answer_is_the_steps_output():
    provider = FakeProvider()
    provider.on("/things", lambda request: httpx.Response(200, json={"seen": request.headers["authorization"]}))
    flow = client_credentials_flow(provider, api_url=API)
    step = flow.step("api_call")
    assert step.status is StepStatus.OK and flow.status is FlowStatus.OK
    assert provider.calls[-1].headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert step.output["api"]["status"] == 200 and step.output["api"]["body_type"] == "json"
    line = json.dumps(step.to_json())
    assert ACCESS_TOKEN not in line and CLIENT_SECRET not in line and '"status": 200' in line
    assert "dpop_proofs" not in step.output


def test_the_request_is_editable_before_it_is_sent():
    provider = FakeProvider()
    provider.on("/things", httpx.Response(201))
    runner = FlowRunner("client_credentials", FlowSettings(issuer=provider.issuer, client_id="svc",
                                                           client_secret=CLIENT_SECRET, api_url=API),
                        FlowEnvironment(transport=provider.transport()))
    runner.run_next()
    runner.run_next()
    step = runner.prepare_next()
    assert step.name == "api_call" and step.inputs == {"method": "GET", "url": API, "body": ""}
    step.inputs.update({"method": "post", "X-Trace": "7", "Accept": "text/plain", "body": '{"a": 1}'})
    runner.run_all()
    sent = provider.calls[-1]
    assert sent.method == "POST" and sent.headers["x-trace"] == "7" and sent.headers["accept"] == "text/plain"
    assert sent.headers["content-type"] == "application/json" and sent.content == b'{"a": 1}'
    assert runner.flow.status is FlowStatus.OK


def test_a_request_typed_wrong_is_an_error_in_words_and_nothing_is_sent():
    provider = FakeProvider()
    runner = FlowRunner("client_credentials", FlowSettings(issuer=provider.issuer, client_id="svc",
                                                           client_secret=CLIENT_SECRET, api_url=API),
                        FlowEnvironment(transport=provider.transport()))
    runner.run_next()
    runner.run_next()
    runner.prepare_next().inputs["not a header"] = "x"
    flow = runner.run_all()
    step = flow.step("api_call")
    assert step.status is StepStatus.ERROR and step.findings[0].code == "invalid_header"
    assert "is not a header name" in step.findings[0].message and provider.paths()[-1] == "/token"


def test_a_refusal_is_a_failed_step_whose_finding_says_why():
    provider = FakeProvider()
    provider.on("/things", httpx.Response(403, headers={
        "www-authenticate": 'Bearer error="insufficient_scope", scope="admin"'}))
    flow = client_credentials_flow(provider, api_url=API)
    step = flow.step("api_call")
    assert step.status is StepStatus.ERROR and flow.status is FlowStatus.ERROR
    [finding] = [f for f in step.findings if f.code == "insufficient_scope"]
    assert "admin" in finding.message


def test_a_dpop_bound_token_goes_with_a_proof_of_the_flows_key_and_the_nonce_round():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(200, json={"access_token": ACCESS_TOKEN, "token_type": "DPoP"}))

    def api(request):
        if "nonce" not in json.loads(_b64(request.headers["dpop"].split(".")[1])):
            return httpx.Response(401, headers={"www-authenticate": 'DPoP error="use_dpop_nonce"',
                                                "dpop-nonce": "n-1"})
        return httpx.Response(200, json={"ok": True})

    provider.on("/things", api)
    runner = FlowRunner("client_credentials", FlowSettings(issuer=provider.issuer, client_id="svc",
                                                           client_secret=CLIENT_SECRET, api_url=API),
                        FlowEnvironment(transport=provider.transport()))
    runner.context.dpop = session = DpopSession.start()
    flow = runner.run_all()
    step = flow.step("api_call")
    assert step.status is StepStatus.OK, [f.to_json() for f in step.findings]
    assert provider.calls[-1].headers["authorization"] == f"DPoP {ACCESS_TOKEN}"
    first, second = step.output["dpop_proofs"]
    assert first["header"]["jwk"] == session.key.public_jwk and second["claims"]["nonce"] == "n-1"
    assert len(step.exchanges) == 2 and "sent_again" in [f.code for f in step.findings]


def test_a_bearer_token_from_a_flow_with_dpop_on_goes_as_bearer():
    provider = FakeProvider()
    provider.on("/things", httpx.Response(200))
    runner = FlowRunner("client_credentials", FlowSettings(issuer=provider.issuer, client_id="svc",
                                                           client_secret=CLIENT_SECRET, api_url=API),
                        FlowEnvironment(transport=provider.transport()))
    runner.context.dpop = DpopSession.start()
    runner.run_all()
    assert provider.calls[-1].headers["authorization"].startswith("Bearer at-")
    assert "dpop" not in provider.calls[-1].headers


def _b64(part):
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
