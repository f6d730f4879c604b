"""cnf.x5t#S256 against the presented certificate (RFC 8705 §3): bound, mismatch, not bound, and
why a resource server refused a bound token."""

import pytest

from inspector.core.protocol.cert_binding import bound_thumbprint, check_certificate_binding, refusal_findings
from tests.support.storage import fake_jwt

MINE = "A" * 43
OTHER = "B" * 43


def codes(findings):
    return [f.code for f in findings]


@pytest.mark.parametrize("cnf, expected", [
    ({"x5t#S256": MINE}, "cert_bound"),
    ({"x5t#S256": OTHER}, "cert_binding_mismatch"),
    (None, "cert_not_bound"),
    ({"jkt": "dpop-key"}, "cert_not_bound"),
])  # fmt: skip
def test_a_jwt_access_token_is_compared_by_its_cnf(cnf, expected):
    claims = {"sub": "svc"} | ({"cnf": cnf} if cnf else {})
    assert codes(check_certificate_binding(fake_jwt(claims), MINE, part="token")) == [expected]


def test_a_mismatch_is_an_error_naming_both_thumbprints():
    [finding] = check_certificate_binding(fake_jwt({"cnf": {"x5t#S256": OTHER}}), MINE)
    assert finding.severity.value == "error" and MINE in finding.message and OTHER in finding.message


def test_an_opaque_token_says_introspection_would_tell():
    [finding] = check_certificate_binding("opaque-access-token-value", MINE)
    assert finding.code == "cert_binding_unknown" and "introspection" in finding.message


def test_an_introspection_answer_is_compared_and_an_inactive_one_says_nothing():
    assert codes(check_certificate_binding({"active": True, "cnf": {"x5t#S256": MINE}}, MINE)) == ["cert_bound"]
    assert codes(check_certificate_binding({"active": True}, MINE)) == ["cert_not_bound"]
    assert check_certificate_binding({"active": False}, MINE) == []
    assert bound_thumbprint({"active": True, "cnf": {"x5t#S256": OTHER}}) == OTHER


def test_a_bound_token_sent_without_a_certificate_is_explained_with_what_to_set():
    [finding] = refusal_findings(fake_jwt({"cnf": {"x5t#S256": MINE}}), 'Bearer error="invalid_token"',
                                 certificate_sent=False)
    assert finding.code == "cert_bound_token_without_certificate"
    assert finding.advice.settings == ("client_cert_pem", "client_key_pem")


def test_an_opaque_token_refused_for_its_binding_is_recognised_by_the_servers_words():
    challenge = 'Bearer error="invalid_token", error_description="failed x5t#S256 verification"'
    assert codes(refusal_findings("opaque", challenge, certificate_sent=True)) == ["cert_bound_token_refused"]
    assert refusal_findings("opaque", 'Bearer error="invalid_token"', certificate_sent=False) == []


def test_an_opaque_token_refused_by_a_provider_that_binds_tokens_names_the_binding_as_likely():
    [finding] = refusal_findings("opaque", 'Bearer error="invalid_token"', certificate_sent=False, provider_binds=True)
    assert finding.code == "cert_bound_token_maybe" and finding.severity.value == "warning"
    assert refusal_findings("opaque", 'Bearer error="invalid_token"', certificate_sent=True, provider_binds=True) == []
