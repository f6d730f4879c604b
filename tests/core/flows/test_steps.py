"""Token responses as shared steps read them (RFC 6749 §5.1), and client authentication errors."""

import httpx
import pytest

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER, FakeProvider
from tests.support.id_tokens import provider_with, run_refresh


def test_token_response_without_access_token_is_invalid():
    flow = run_refresh(provider_with({"token_type": "Bearer"}))
    assert [f.code for f in flow.step("token").findings] == ["invalid_response"]


def test_unusual_token_type_is_a_warning():
    flow = run_refresh(provider_with({"access_token": "at", "token_type": "mac"}))
    assert flow.status is FlowStatus.OK
    assert [f.code for f in flow.step("token").findings][0] == "token_type_unexpected"


def client_credentials(provider, **settings):
    values = {"issuer": ISSUER, "client_id": "svc", "client_secret": "wrong", "scope": "api:read api:write"}
    return FlowRunner("client_credentials", FlowSettings(**{**values, **settings}),
                      FlowEnvironment(transport=provider.transport())).run_all()


def test_invalid_client_names_the_method_used_and_the_methods_the_provider_supports():
    provider = FakeProvider()
    provider.metadata["token_endpoint_auth_methods_supported"] = ["client_secret_post", "private_key_jwt"]
    provider.on("/token", httpx.Response(401, json={"error": "invalid_client",
                                                    "error_description": "client authentication failed"}))
    flow = client_credentials(provider)
    [finding] = flow.step("token").findings
    assert "The client authenticated with client_secret_post (chosen automatically); the provider supports " \
           "client_secret_post, private_key_jwt (token_endpoint_auth_methods_supported)." in finding.message
    assert finding.text().endswith("Check the client secret and the client id, and that the client authentication "
                                   "method is one the provider allows for this client.")


def test_invalid_client_without_a_list_of_methods_says_only_basic_can_be_assumed():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(401, json={"error": "invalid_client"}))
    finding = client_credentials(provider, auth_method="client_secret_basic").step("token").findings[0]
    assert "with client_secret_basic (as set)" in finding.message and "RFC 8414 §2" in finding.message


@pytest.mark.parametrize(("granted", "missing"), [("api:read", "api:write was"), ("other", "api:read, api:write were")])
def test_a_granted_scope_narrower_than_requested_is_a_warning_naming_what_is_missing(granted, missing):
    provider = FakeProvider()
    provider.on("/token", httpx.Response(200, json={"access_token": "at", "token_type": "Bearer", "scope": granted}))
    flow = client_credentials(provider, client_secret="s")
    [finding] = flow.step("token").findings
    assert flow.status is FlowStatus.OK
    assert (finding.code, finding.severity.value, finding.claim) == ("scope_narrowed", "warning", "scope")
    assert f"{missing} not granted (RFC 6749 §3.3, §5.1)" in finding.message
    assert finding.advice.settings == ("scope",)


@pytest.mark.parametrize("answer", [{}, {"scope": "api:write api:read"}, {"scope": "api:read api:write extra"}])
def test_no_scope_in_the_response_or_all_of_it_granted_is_silent(answer):
    provider = FakeProvider()
    provider.on("/token", httpx.Response(200, json={"access_token": "at", "token_type": "Bearer", **answer}))
    assert client_credentials(provider, client_secret="s").step("token").findings == []
