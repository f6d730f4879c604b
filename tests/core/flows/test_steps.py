"""Token responses as shared steps read them (RFC 6749 §5.1)."""

from inspector.core.flows.model import FlowStatus
from tests.support.id_tokens import provider_with, run_refresh


def test_token_response_without_access_token_is_invalid():
    flow = run_refresh(provider_with({"token_type": "Bearer"}))
    assert [f.code for f in flow.step("token").findings] == ["invalid_response"]


def test_unusual_token_type_is_a_warning():
    flow = run_refresh(provider_with({"access_token": "at", "token_type": "mac"}))
    assert flow.status is FlowStatus.OK
    assert [f.code for f in flow.step("token").findings][0] == "token_type_unexpected"
