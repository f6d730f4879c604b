"""The client's authentication as the token and PAR steps share it: the method chosen, the
credentials added at send time, and one wording for a refusal."""

import base64

from inspector.core.findings import error, warning
from inspector.core.flows.client_auth import auth_method, auth_method_note, authenticator, explain_refusal
from inspector.core.flows.context import FlowContext, FlowEnvironment, FlowObserver
from inspector.core.flows.model import Flow
from inspector.core.flows.settings import FlowSettings
from inspector.core.protocol.discovery import Discovery

ISSUER = "https://op.example"


def context(metadata=None, configured=False, **settings):
    ctx = FlowContext(Flow("auth_code", []), FlowSettings(issuer=ISSUER, client_id="app", **settings), FlowEnvironment(),
                      FlowObserver())
    ctx.discovery = Discovery(ISSUER, {"issuer": ISSUER, **(metadata or {})}, configured=configured)
    return ctx


def test_the_method_follows_the_settings_and_what_the_provider_lists():
    assert auth_method(context()) == "none"
    assert auth_method(context(client_secret="s")) == "client_secret_basic"
    assert auth_method(context({"token_endpoint_auth_methods_supported": ["client_secret_post"]},
                               client_secret="s")) == "client_secret_post"
    assert auth_method(context(client_secret="s", auth_method="client_secret_jwt")) == "client_secret_jwt"


def test_the_credentials_are_added_to_the_form_and_headers_when_sent():
    form, headers = {"scope": "api"}, {}
    assert authenticator(context(client_secret="s3cret"), "client_secret_basic", f"{ISSUER}/par")(form, headers) == []
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"app:s3cret").decode()
    assert form == {"scope": "api"}


def test_a_refused_authentication_names_the_method_sent_and_those_supported():
    ctx = context({"token_endpoint_auth_methods_supported": ["private_key_jwt"]}, client_secret="s")
    [finding] = explain_refusal(ctx, "client_secret_basic", [error("par_error", "Refused.")], "invalid_client")
    assert finding.message == ("Refused. The client authenticated with client_secret_basic (chosen automatically); "
                               "the provider supports private_key_jwt (token_endpoint_auth_methods_supported).")


def test_only_the_errors_own_finding_gets_the_note_when_a_code_is_given():
    note = warning("client_secret_short", "Short.")
    findings = explain_refusal(context(), "none", [note, error("par_error", "Refused.")], "invalid_client",
                               code="par_error")
    assert findings[0] == note and "The client authenticated with none" in findings[1].message


def test_other_errors_are_left_as_they_are():
    findings = [error("par_error", "Refused.")]
    assert explain_refusal(context(), "none", findings, "invalid_request") == findings
    assert explain_refusal(context(), "none", findings, None) == findings


def test_with_the_endpoints_set_by_hand_the_supported_methods_are_not_known():
    note = auth_method_note(context(configured=True, auth_method="client_secret_post"), "client_secret_post")
    assert note == ("The client authenticated with client_secret_post (as set); with the endpoints set by hand, the "
                    "methods the provider supports are not known.")
