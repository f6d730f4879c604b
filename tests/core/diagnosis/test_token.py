"""The token path: verifier findings mapped to causes, the key deciding the issuer boundary, and
the root cause first (clock skew before expiry, the wrong kind of token before what it causes)."""

import re

import pytest

from inspector.core.diagnosis.engine import diagnose_text
from inspector.core.errors import UnusableInputError
from inspector.core.jose.keys import from_secret, load_pem
from tests.support import keys as test_keys
from tests.support.diagnosis import (
    CLIENT, ISSUER, NOW, FakeIssuer, causes, context, entra_v1_access_token, id_token, jwk, keys,
    okta_access_token,
)
from tests.support.jose import compact, segment, sign


def diagnose(token, **values):
    values.setdefault("keys", keys())
    return diagnose_text(token, context(**values))


def test_a_valid_id_token_has_nothing_to_explain():
    report = diagnose(id_token(), issuer=ISSUER, client_id=CLIENT, nonce="n-0S6_WzA2Mj")
    assert report.diagnoses == () and not report.explained


def test_an_expired_token_is_token_expired_naming_when():
    report = diagnose(id_token(iat=NOW - 7200, exp=NOW - 3600), issuer=ISSUER, client_id=CLIENT)
    assert causes(report) == [("token_expired", "certain")]
    assert "60 minutes before it was checked" in report.diagnoses[0].summary
    assert {(e.name, e.value) for e in report.diagnoses[0].evidence} >= {("exp", NOW - 3600)}


def test_a_token_expired_seconds_ago_is_only_likely_expired():
    assert causes(diagnose(id_token(exp=NOW - 5), issuer=ISSUER)) == [("token_expired", "likely")]


def test_expired_here_but_valid_on_the_issuers_clock_is_clock_skew_not_expiry():
    """The issuer's Date header says it is 10 minutes earlier there: the token is still valid."""
    provider = FakeIssuer(server_time=NOW - 600)
    report = diagnose(id_token(iat=NOW - 900, exp=NOW - 120), keys=(), issuer=ISSUER, client_id=CLIENT,
                      source=provider.source())
    assert causes(report) == [("clock_skew", "certain")]
    summary = report.diagnoses[0].summary
    assert re.search(r"is (9 min 59 s|10 min) ahead of login\.example\.com", summary) and "looked expired" in summary
    assert any(e.kind.value == "clock" and "Date header of GET" in e.where for e in report.diagnoses[0].evidence)


def test_expired_on_both_clocks_stays_token_expired():
    provider = FakeIssuer(server_time=NOW - 600)
    report = diagnose(id_token(iat=NOW - 9000, exp=NOW - 7200), keys=(), issuer=ISSUER, source=provider.source())
    assert causes(report) == [("token_expired", "certain")]


def test_an_iat_in_the_future_proves_the_clocks_differ_and_says_by_how_much_at_least():
    report = diagnose(id_token(iat=NOW + 300, exp=NOW + 3900), issuer=ISSUER, client_id=CLIENT)
    assert causes(report) == [("clock_skew", "certain")]
    assert "at least 5 min behind login.example.com" in report.diagnoses[0].summary


def test_nbf_set_ahead_by_the_issuer_is_not_yet_valid():
    report = diagnose(id_token(nbf=NOW + 120), issuer=ISSUER, client_id=CLIENT)
    assert causes(report) == [("token_not_yet_valid", "certain")]


def test_an_access_token_where_an_id_token_is_expected_ranks_before_what_it_causes():
    token = sign({"iss": ISSUER, "sub": "alice", "aud": "api://orders", "iat": NOW, "exp": NOW + 600,
                  "scope": "orders.read", "client_id": CLIENT}, test_keys.rsa_private(), "RS256", kid="k1",
                 typ="at+jwt")
    report = diagnose(token, issuer=ISSUER, client_id=CLIENT, nonce="n-0S6_WzA2Mj")
    assert causes(report) == [("wrong_token_type", "certain"), ("wrong_audience", "certain"),
                              ("nonce_mismatch", "certain")]
    assert "typ is 'at+jwt'" in report.diagnoses[0].summary
    assert "'api://orders'" in report.diagnoses[1].summary


def test_okta_access_token_expected_as_an_id_token_is_likely_the_wrong_type_from_its_claims():
    report = diagnose(okta_access_token(), expect="id_token", client_id="0oa1qj9fz3QZx7Jd4h7")
    assert causes(report)[0] == ("wrong_token_type", "likely")
    assert {e.name for e in report.diagnoses[0].evidence} >= {"scp", "cid"}


def test_an_id_token_sent_to_an_api_is_the_wrong_type():
    report = diagnose(id_token(), expect="access_token", issuer=ISSUER)
    assert causes(report) == [("wrong_token_type", "likely")]
    assert "Send the access_token" in report.diagnoses[0].fix


def test_an_opaque_token_is_never_an_id_token():
    report = diagnose("2YotnFZFEjr1zCsicMWpAA", expect="id_token")
    assert causes(report) == [("wrong_token_type", "certain")]


def test_keycloak_refresh_token_sent_as_access_token_is_told_by_its_payload_typ():
    token = sign({"iss": "https://kc.example.com/realms/prod", "typ": "Refresh", "azp": CLIENT, "exp": NOW + 1800,
                  "iat": NOW}, test_keys.rsa_private(), "RS256", kid="k1")
    assert causes(diagnose(token, expect="access_token"))[0] == ("wrong_token_type", "certain")


def test_wrong_audience_names_the_audience_the_token_is_for():
    report = diagnose(id_token(aud="mobile-app"), issuer=ISSUER, client_id=CLIENT)
    assert causes(report) == [("wrong_audience", "certain")]
    assert report.diagnoses[0].summary == "The token is for 'mobile-app', not for 'web-app'."


def test_an_access_token_for_another_api_is_wrong_audience():
    report = diagnose(entra_v1_access_token(), audiences=("api://billing",), expect="access_token")
    assert causes(report) == [("wrong_audience", "certain")]
    assert "'api://orders', not for 'api://billing'" in report.diagnoses[0].summary


@pytest.mark.parametrize("iss, phrase", [
    (f"{ISSUER}/", "a trailing slash"),
    ("http://login.example.com", "the scheme (http instead of https)"),
    ("https://LOGIN.example.com", "letter case"),
    ("https://kc.example.com/realms/dev", "the realm in the path ('dev' instead of 'prod')"),
])
def test_an_issuer_the_checked_key_verifies_is_issuer_mismatch_naming_the_difference(iss, phrase):
    expected = "https://kc.example.com/realms/prod" if "realms" in iss else ISSUER
    report = diagnose(id_token(iss=iss), issuer=expected, client_id=CLIENT)
    assert causes(report) == [("issuer_mismatch", "certain")]
    assert phrase in report.diagnoses[0].summary


def test_entra_v1_token_where_v2_is_expected_names_the_token_version():
    report = diagnose(entra_v1_access_token(), issuer=f"https://login.microsoftonline.com/{TENANT()}/v2.0",
                      expect="access_token")
    assert causes(report) == [("issuer_mismatch", "certain")]
    assert "Entra v1.0 token where v2.0 is expected" in report.diagnoses[0].summary
    assert "accessTokenAcceptedVersion" in report.diagnoses[0].fix


def TENANT():  # noqa: N802 - a constant of the support module, read late for the parametrized id
    from tests.support.diagnosis import TENANT as tenant

    return tenant


def test_another_issuer_whose_kid_the_checked_issuer_does_not_publish_is_wrong_environment():
    token = id_token(index=5, kid="dev-2024", iss="https://login.dev.example.com")
    report = diagnose(token, issuer=ISSUER, client_id=CLIENT)
    assert causes(report) == [("wrong_environment", "certain")]
    assert "'dev-2024'" in report.diagnoses[0].summary


def test_the_same_issuer_with_an_unknown_kid_is_a_rotated_key_found_on_refetch():
    """The JWKS the person saved holds k1; the issuer now publishes k2 first: certain rotation."""
    provider = FakeIssuer(jwks={"keys": [jwk(3, "k2"), jwk()]})
    source = provider.source()
    report = diagnose(id_token(index=3, kid="k2"), issuer=ISSUER, client_id=CLIENT, source=source,
                      keys_where="the keys in jwks.json")
    assert causes(report) == [("signing_key_rotated", "certain")]
    assert "a fresh copy of the issuer's JWKS has it" in report.diagnoses[0].summary
    assert provider.requests.count("/jwks") == 1


def test_an_unknown_kid_the_issuers_current_jwks_lacks_too_is_still_a_likely_rotation():
    provider = FakeIssuer()
    report = diagnose(id_token(index=3, kid="k9"), keys=(), issuer=ISSUER, source=provider.source())
    assert causes(report) == [("signing_key_rotated", "likely")]
    assert "not even the issuer's current JWKS has it" in report.diagnoses[0].summary
    assert provider.requests.count("/jwks") == 2  # fetched, then fetched again for the unknown kid


def test_a_different_issuer_that_the_checked_issuers_fresh_key_verifies_is_issuer_mismatch():
    provider = FakeIssuer(jwks={"keys": [jwk(3, "k2")]})
    token = id_token(index=3, kid="k2", iss=f"{ISSUER}/")
    report = diagnose(token, issuer=ISSUER, client_id=CLIENT, source=provider.source())
    assert causes(report) == [("issuer_mismatch", "certain")]


def test_a_bad_signature_is_signature_invalid():
    head, _payload, signature = id_token().split(".")
    forged = f"{head}.{segment({'iss': ISSUER, 'sub': 'admin', 'aud': CLIENT, 'exp': NOW + 60})}.{signature}"
    report = diagnose(forged, issuer=ISSUER)
    assert causes(report)[0] == ("signature_invalid", "certain")


def test_alg_none_is_unsigned():
    token = compact({"alg": "none"}, {"iss": ISSUER, "sub": "x", "exp": NOW + 60}, b"")
    assert causes(diagnose(token, issuer=ISSUER)) == [("unsigned_token", "certain")]


def test_a_stripped_signature_is_unsigned():
    head, payload, _sig = id_token().split(".")
    assert causes(diagnose(f"{head}.{payload}.", issuer=ISSUER)) == [("unsigned_token", "certain")]


def test_hs256_signed_with_the_public_key_pem_is_key_confusion():
    from jwt.algorithms import HMACAlgorithm

    from inspector.core.jose.b64 import b64url_encode

    pem = test_keys.public_pem(test_keys.rsa_private())
    signing_input = f"{segment({'alg': 'HS256', 'kid': 'k1'})}.{segment({'iss': ISSUER, 'exp': NOW + 60})}"
    mac = HMACAlgorithm(HMACAlgorithm.SHA256).sign(signing_input.encode(), pem)
    token = f"{signing_input}.{b64url_encode(mac)}"
    for given in (keys(), tuple(load_pem(pem))):
        report = diagnose(token, keys=given, issuer=ISSUER)
        assert causes(report) == [("key_confusion", "certain")]


def test_an_hs256_token_with_the_right_secret_has_nothing_wrong():
    secret = "s" * 32
    token = sign({"iss": ISSUER, "sub": "x", "exp": NOW + 60}, secret, "HS256")
    assert diagnose(token, keys=(from_secret(secret),), issuer=ISSUER).diagnoses == ()


def test_nonce_mismatch():
    report = diagnose(id_token(nonce="other"), issuer=ISSUER, client_id=CLIENT, nonce="n-0S6_WzA2Mj")
    assert causes(report) == [("nonce_mismatch", "certain")]


@pytest.mark.parametrize("cut", [10, 40, 150])
def test_a_truncated_token_is_a_finding_or_unusable_never_a_traceback(cut):
    token = id_token()
    try:
        report = diagnose(token[:-cut], issuer=ISSUER)
    except UnusableInputError:
        return
    assert report.diagnoses and report.diagnoses[0].cause in ("malformed_token", "signature_invalid")


def test_a_token_cut_inside_its_payload_is_malformed():
    token = id_token()
    head, payload, _sig = token.split(".")
    report = diagnose(f"{head}.{payload[:len(payload) // 2]}x.{_sig}", issuer=ISSUER)
    assert causes(report) == [("malformed_token", "certain")]


def test_text_that_is_no_token_is_unusable_input():
    with pytest.raises(UnusableInputError):
        diagnose("a.b.c.d")


def test_evidence_never_holds_the_token_or_a_secret():
    secret = "super-secret-value-0123456789abcdef"
    token = sign({"iss": ISSUER, "sub": "x", "exp": NOW - 9999, "aud": "other"}, secret, "HS256")
    report = diagnose(token, keys=(from_secret(secret),), issuer=ISSUER, client_id=CLIENT)
    text = str(report.to_json())
    assert token not in text and secret not in text
    assert token.split(".")[2] not in text
