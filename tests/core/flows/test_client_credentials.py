import httpx
import pytest

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER, FakeProvider


def run(provider, **settings):
    base = dict(issuer=ISSUER, client_id="svc", client_secret="s3", scope="api")
    base.update(settings)
    return FlowRunner("client_credentials", FlowSettings(**base), FlowEnvironment(transport=provider.transport())).run_all()


def test_basic_auth_by_default_with_scope_and_extra_parameters():
    provider = FakeProvider()
    flow = run(provider, extra_params={"resource": "https://api.example"})
    assert flow.status is FlowStatus.OK
    assert provider.form() == {"grant_type": "client_credentials", "scope": "api", "resource": "https://api.example"}
    assert provider.calls[-1].headers["authorization"] == "Basic c3ZjOnMz"
    assert flow.step("token").output["auth_method"] == "client_secret_basic"


def test_post_when_the_provider_lists_only_post():
    provider = FakeProvider()
    provider.metadata["token_endpoint_auth_methods_supported"] = ["client_secret_post", "private_key_jwt"]
    flow = run(provider)
    assert flow.step("token").output["auth_method"] == "client_secret_post"
    assert provider.form()["client_secret"] == "s3"
    assert "authorization" not in provider.calls[-1].headers


def test_no_token_endpoint_in_metadata_is_reported():
    provider = FakeProvider()
    del provider.metadata["token_endpoint"]
    flow = run(provider)
    assert [f.code for f in flow.step("token").findings] == ["endpoint_missing"]
    assert provider.paths() == ["/.well-known/openid-configuration"]


def test_client_secret_jwt_sends_an_assertion_addressed_to_the_issuer_and_never_the_secret():
    import jwt

    provider = FakeProvider()
    secret = "s" * 40
    flow = run(provider, auth_method="client_secret_jwt", client_secret=secret)
    assert flow.status is FlowStatus.OK
    form = provider.form()
    assert "client_secret" not in form and "authorization" not in provider.calls[-1].headers
    claims = jwt.decode(form["client_assertion"], secret.encode(), algorithms=["HS256"], audience=ISSUER)
    assert claims["iss"] == claims["sub"] == "svc"
    assert flow.step("token").output["auth_method"] == "client_secret_jwt"
    assert flow.step("token").to_json()["request"]["params"]["client_assertion"] == "••••••"


def test_client_secret_jwt_needs_a_secret():
    from inspector.core.flows.settings import FlowSettings

    assert FlowSettings(issuer=ISSUER, auth_method="client_secret_jwt").problems() == [
        "client_secret_jwt needs a client secret: set the client secret"]


@pytest.mark.parametrize("methods", [None, ["client_secret_post"]], ids=["basic", "post"])
@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_from_the_token_endpoint_is_never_followed_with_the_credentials(methods, status):
    provider = FakeProvider()
    if methods:
        provider.metadata["token_endpoint_auth_methods_supported"] = methods
    provider.on("/token", httpx.Response(status, headers={"location": "https://evil.example/steal"}))
    flow = run(provider)
    assert flow.status is FlowStatus.ERROR
    assert provider.paths() == ["/.well-known/openid-configuration", "/token"]
    assert "unexpected_redirect" in [f.code for f in flow.step("token").findings]


def test_a_resource_is_sent_and_a_bad_one_is_refused_before_anything_is_sent():
    provider = FakeProvider()
    flow = run(provider, resource=["https://api.example"])
    assert flow.status is FlowStatus.OK and provider.form()["resource"] == "https://api.example"
    assert FlowSettings(issuer=ISSUER, resource=["https://api.example/#frag", "not a uri"]).problems() == [
        "the resource 'https://api.example/#frag' has a fragment ('#…'), which RFC 8707 §2 forbids: remove it",
        "the resource 'not a uri' is not an absolute URI (RFC 8707 §2: for example https://api.example.com)"]
