"""Token exchange (RFC 8693) against a MockTransport provider."""

from urllib.parse import parse_qs

import httpx

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER, FakeProvider

URN = "urn:ietf:params:oauth:token-type:"
SUBJECT = "subject-token-" + "s" * 30
EXCHANGED = {"access_token": "exchanged-" + "e" * 30, "token_type": "N_A", "expires_in": 60,
             "issued_token_type": URN + "jwt"}


def run(answer=None, **settings):
    provider = FakeProvider()
    provider.on("/token", answer or httpx.Response(200, json=EXCHANGED))
    base = dict(issuer=ISSUER, client_id="svc", client_secret="s3-secret-value", token=SUBJECT)
    base.update(settings)
    tokens = []

    class Observer(FlowRunner.__init__.__globals__["FlowObserver"]):  # the runner's observer type
        def token_obtained(self, flow, step, token_response):
            tokens.append(token_response)

    flow = FlowRunner("token_exchange", FlowSettings(**base), FlowEnvironment(transport=provider.transport()),
                      Observer()).run_all()
    return flow, provider, tokens


def sent(provider):
    return parse_qs(provider.calls[-1].content.decode())


def test_every_parameter_goes_out_with_short_type_names_as_urns_and_the_issued_type_is_shown():
    flow, provider, tokens = run(actor_token="actor-token-" + "a" * 30, actor_token_type="access_token",
                                 subject_token_type="id_token", audience="billing", scope="read",
                                 resource=["https://a.example", "https://b.example"], requested_token_type="jwt")
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert sent(provider) == {
        "grant_type": ["urn:ietf:params:oauth:grant-type:token-exchange"], "subject_token": [SUBJECT],
        "subject_token_type": [URN + "id_token"], "actor_token": ["actor-token-" + "a" * 30],
        "actor_token_type": [URN + "access_token"], "audience": ["billing"],
        "resource": ["https://a.example", "https://b.example"], "scope": ["read"],
        "requested_token_type": [URN + "jwt"]}
    step = flow.step("token")
    assert step.output["issued_token_type"] == URN + "jwt"
    assert "The provider issued a JWT (RFC 7519)" in next(f.message for f in step.findings
                                                          if f.code == "issued_token_type")
    assert "token_type_unexpected" not in [f.code for f in step.findings], "N_A is allowed (RFC 8693 §2.2.1)"
    assert tokens == [EXCHANGED], "the issued token goes to the history like any other"


def test_the_subject_token_defaults_to_an_access_token_and_tokens_are_masked_in_the_record():
    flow, provider, _tokens = run()
    assert sent(provider)["subject_token_type"] == [URN + "access_token"]
    record = str(flow.to_json())
    assert SUBJECT not in record and "s3-secret-value" not in record


def test_a_response_without_issued_token_type_is_an_error():
    answer = httpx.Response(200, json={"access_token": "x" * 30, "token_type": "Bearer"})
    flow, _provider, _tokens = run(answer)
    assert flow.status is FlowStatus.ERROR
    [finding] = [f for f in flow.step("token").findings if f.code == "issued_token_type_missing"]
    assert "RFC 8693 §2.2.1 requires" in finding.message


def test_another_type_than_requested_is_a_warning():
    flow, _provider, _tokens = run(requested_token_type="access_token")
    assert flow.status is FlowStatus.OK
    [finding] = [f for f in flow.step("token").findings if f.code == "issued_token_type_differs"]
    assert finding.message.startswith("An OAuth 2.0 access token was requested, but a JWT (RFC 7519) was issued")


def test_without_a_subject_token_nothing_is_sent():
    flow, provider, _tokens = run(token=None)
    assert provider.paths() == ["/.well-known/openid-configuration"]
    assert flow.step("token").status is StepStatus.ERROR
    [finding] = flow.step("token").findings
    assert finding.code == "token_exchange_incomplete" and "there is no subject_token" in finding.message


def test_the_providers_error_code_is_in_a_finding_worded():
    answer = httpx.Response(400, json={"error": "unauthorized_client", "error_description": "no exchange for you"})
    flow, _provider, _tokens = run(answer)
    assert flow.step("token").output["error"] == "unauthorized_client"
    [finding] = [f for f in flow.step("token").findings if f.code == "token_error"]
    assert "no exchange for you" in finding.message and "not allowed to use this grant type" in finding.message


def test_settings_refuse_unknown_type_words_and_an_actor_without_its_type():
    problems = FlowSettings(issuer=ISSUER, subject_token_type="accesstoken", actor_token="a" * 20).problems()
    assert problems == [
        "the subject token type 'accesstoken' is neither a token type URN nor one of access_token, refresh_token, "
        "id_token, saml1, saml2, jwt (RFC 8693 §3)",
        "an actor token needs its type: set the actor token type (RFC 8693 §2.1)"]
