"""token_type and cnf.jkt: did the provider bind the token to the flow's key, or ignore DPoP?"""

import pytest

from inspector.core.protocol.dpop_binding import authorization_scheme, check_binding, token_type_findings
from tests.support.dpop import VECTORS
from tests.support.jose import compact, segment

JKT = VECTORS["rfc9449_token_request"]["jkt"]


def codes(findings):
    return [(f.code, f.severity.value) for f in findings]


def access_token(claims):
    return compact({"alg": "ES256", "typ": "at+jwt"}, claims)


@pytest.mark.parametrize("token_type, scheme", [("DPoP", "DPoP"), ("dpop", "DPoP"), ("Bearer", "Bearer"),
                                                ("bearer", "Bearer"), (None, "Bearer"), (7, "Bearer")])
def test_authorization_scheme(token_type, scheme):
    assert authorization_scheme(token_type) == scheme


def test_dpop_asked_and_granted():
    assert codes(token_type_findings({"token_type": "DPoP"}, dpop_sent=True, part="token")) == [
        ("dpop_token_type", "info")]


def test_dpop_asked_but_bearer_issued_means_the_provider_ignored_it():
    found = token_type_findings({"token_type": "Bearer"}, dpop_sent=True, part="token")
    assert codes(found) == [("dpop_ignored", "warning")]
    assert "ignored the proof" in found[0].message and found[0].part == "token"


def test_dpop_token_without_a_proof_is_unusable():
    assert codes(token_type_findings({"token_type": "DPoP"}, dpop_sent=False)) == [("dpop_unexpected", "warning")]


def test_a_bearer_flow_has_nothing_to_say():
    assert token_type_findings({"token_type": "Bearer"}, dpop_sent=False) == []


def test_a_jwt_access_token_bound_to_the_key():
    found = check_binding(access_token({"sub": "a", "cnf": {"jkt": JKT}}), JKT, part="token")
    assert codes(found) == [("dpop_bound", "info")] and found[0].claim == "cnf"


def test_a_jwt_access_token_bound_to_another_key_is_a_mismatch():
    found = check_binding(access_token({"cnf": {"jkt": "another-thumbprint"}}), JKT)
    assert codes(found) == [("dpop_binding_mismatch", "error")]
    assert "another-thumbprint" in found[0].message and JKT in found[0].message


def test_a_jwt_access_token_without_cnf_is_not_bound():
    assert codes(check_binding(access_token({"sub": "a"}), JKT)) == [("dpop_not_bound", "warning")]


def test_a_certificate_bound_token_says_which_confirmation_it_has():
    found = check_binding(access_token({"cnf": {"x5t#S256": "abc"}}), JKT)
    assert codes(found) == [("dpop_not_bound", "warning")] and "x5t#S256" in found[0].message


def test_a_jkt_that_is_not_a_string_is_a_mismatch():
    assert codes(check_binding(access_token({"cnf": {"jkt": 5}}), JKT)) == [("dpop_binding_mismatch", "error")]


@pytest.mark.parametrize("token", ["2YotnFZFEjr1zCsicMWpAA", ".".join([segment({"alg": "RSA-OAEP", "enc": "A256GCM"}),
                                                                     "YQ", "Yg", "Yw", "ZA"]), "a b"])
def test_an_opaque_or_encrypted_token_needs_introspection(token):
    found = check_binding(token, JKT)
    assert codes(found) == [("dpop_binding_unknown", "info")] and "introspection" in found[0].message


def test_introspection_answers():
    assert codes(check_binding({"active": True, "cnf": {"jkt": JKT}}, JKT)) == [("dpop_bound", "info")]
    assert codes(check_binding({"active": True, "cnf": {"jkt": "x"}}, JKT)) == [("dpop_binding_mismatch", "error")]
    assert codes(check_binding({"active": True, "token_type": "Bearer"}, JKT)) == [("dpop_not_bound", "warning")]
    assert codes(check_binding({"active": False}, JKT)) == [("dpop_binding_unknown", "info")]
