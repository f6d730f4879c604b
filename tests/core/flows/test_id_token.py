"""ID token validation inside a flow, with tokens signed by a local key published as the JWKS."""

from inspector.core.flows.model import FlowStatus, StepStatus
from tests.support.fake_provider import ISSUER
from tests.support.id_tokens import NOW, id_token, provider_with, run_refresh


def test_a_valid_id_token_is_verified_against_the_jwks():
    flow = run_refresh(provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token()}))
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    step = flow.step("id_token")
    assert step.output["valid"] is True and step.output["claims"]["sub"] == "ann"
    assert step.output["key"] == {"kid": "k1", "kty": "EC"}
    assert [e.url for e in step.exchanges] == [f"{ISSUER}/jwks"]


def test_a_wrong_audience_fails_the_id_token_step():
    flow = run_refresh(provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token(aud="other")}))
    assert flow.status is FlowStatus.ERROR
    assert flow.step("id_token").status is StepStatus.ERROR
    assert flow.step("id_token").output["valid"] is False


def test_an_expired_id_token_fails():
    flow = run_refresh(provider_with({"access_token": "at", "token_type": "Bearer",
                              "id_token": id_token(iat=NOW - 7200, exp=NOW - 3600)}))
    assert flow.step("id_token").status is StepStatus.ERROR
