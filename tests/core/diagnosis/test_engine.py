"""The engine's front door: each kind of artifact reaches its path, the causes not covered
elsewhere come from realistic answers, and no input raises anything but UnusableInputError."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.core.diagnosis.engine import diagnose_bytes, diagnose_text
from inspector.core.errors import UnusableInputError
from tests.support.diagnosis import CLIENT, ISSUER, NOW, causes, context, id_token, keys, okta_access_token


@pytest.mark.parametrize("text, grant, expected", [
    ('{"error": "unauthorized_client", "error_description": "The client is not authorized to use the provided grant '
     'type. Configured grant types: [authorization_code]."}', "client_credentials", ("unauthorized_client", "certain")),
    ('{"error": "unauthorized_client", "error_description": "Client not enabled to retrieve service account"}',
     "client_credentials", ("unauthorized_client", "certain")),
    ('{"error": "unauthorized_client", "error_description": "Grant type \'client_credentials\' not allowed for the '
     'client."}', None, ("unauthorized_client", "certain")),
    ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n\r\n{\"error\": \"temporarily_unavailable"
     "\", \"error_description\": \"The service is temporarily unavailable\"}", None, ("provider_error", "likely")),
    ("HTTP/1.1 403 Forbidden\r\nWWW-Authenticate: Bearer realm=\"orders\", error=\"insufficient_scope\", "
     "scope=\"orders.write\", error_description=\"The request requires higher privileges\"\r\n\r\n", None,
     ("insufficient_scope", "certain")),
    ("https://app.example.com/cb?error=interaction_required&error_description=AADSTS50076%3A+Due+to+a+configuration"
     "+change&state=s", None, ("interaction_required", "certain")),
])
def test_the_remaining_causes_from_realistic_answers(text, grant, expected):
    assert causes(diagnose_text(text, context(grant=grant)))[0] == expected


def test_an_id_token_missing_required_claims_is_token_invalid_naming_them():
    report = diagnose_text(id_token(sub=None), context(keys=keys(), issuer=ISSUER, client_id=CLIENT,
                                                       expect="id_token"))
    assert causes(report) == [("token_invalid", "certain")]
    assert "sub is missing" in report.diagnoses[0].summary


def test_a_token_response_is_read_for_its_id_token():
    body = json.dumps({"access_token": okta_access_token(), "token_type": "Bearer", "expires_in": 3600,
                       "id_token": id_token(aud="other-app")})
    report = diagnose_text(body, context(keys=keys(), issuer=ISSUER, client_id=CLIENT))
    assert causes(report) == [("wrong_audience", "certain")]
    assert report.diagnoses[0].evidence[0].where == "ID token in the token response payload"


def test_a_token_response_without_an_id_token_when_one_is_expected():
    body = json.dumps({"access_token": "x" * 40, "token_type": "Bearer", "scope": "profile email"})
    assert causes(diagnose_text(body, context(expect="id_token"))) == [("missing_openid_scope", "certain")]


def test_an_authorization_request_url_without_openid_but_with_a_nonce():
    url = f"{ISSUER}/authorize?response_type=code&client_id={CLIENT}&scope=profile&nonce=abc&state=s"
    assert causes(diagnose_text(url, context())) == [("missing_openid_scope", "certain")]


def test_a_callback_with_a_code_has_nothing_wrong():
    report = diagnose_text("https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz&iss=" + ISSUER,
                           context(issuer=ISSUER))
    assert report.diagnoses == () and report.input == "callback"


def test_a_callback_carrying_an_expired_id_token_in_its_fragment():
    token = id_token(iat=NOW - 7200, exp=NOW - 3600)
    report = diagnose_text(f"https://app.example.com/cb#id_token={token}&state=s", context(keys=keys(), issuer=ISSUER))
    assert causes(report) == [("token_expired", "certain")]


def test_a_callbacks_iss_differing_by_a_trailing_slash():
    report = diagnose_text(f"https://app.example.com/cb?code=abc&state=s&iss={ISSUER}/", context(issuer=ISSUER))
    assert causes(report) == [("issuer_mismatch", "certain")]


def test_free_text_without_any_known_error_is_unusable():
    with pytest.raises(UnusableInputError):
        diagnose_text("the login page just spins forever", context())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode),
                 st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                              lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                                  st.sampled_from(["error", "step", "steps", "log", "entries", "id_token", "code",
                                                   "request", "response", "findings", "status", "url", "claims"]),
                                  inner, max_size=5), max_leaves=20).map(lambda v: json.dumps(v).encode())))
def test_any_input_is_a_report_or_unusable_never_an_exception(data):
    try:
        report = diagnose_bytes(data, context())
    except UnusableInputError:
        return
    json.dumps(report.to_json())
