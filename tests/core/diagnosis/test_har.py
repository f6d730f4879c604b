"""A browser's recording of a login, diagnosed from its exchanges (built directly here; the HAR
reader has its own tests): structural signs across exchanges beat the provider's words, tokens
are judged at the recording's moment on the browser's clock, and no URL is ever fetched."""

import subprocess
import sys

from inspector.core.diagnosis.engine import diagnose_har
from inspector.core.har.model import ExchangeKind
from inspector.core.protocol.pkce import s256_challenge
from tests.support.diagnosis import (
    CLIENT, ISSUER, NOW, causes, context, exchange, id_token, jwk, timeline,
)

AUTHORIZE, CALLBACK, TOKEN = ExchangeKind.AUTHORIZE, ExchangeKind.CALLBACK, ExchangeKind.TOKEN
APP = "https://app.example.com/callback"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CODE = "SplxlOBeZQQYbYS6WxSbIA-4f7a9"
GRANT_INVALID = {"error": "invalid_grant", "error_description": "grant request is invalid"}


def authorize(index=1, started=0.0, **params):
    values = {"response_type": "code", "client_id": CLIENT, "redirect_uri": APP, "scope": "openid profile",
              "state": "af0ifjsldkj", "nonce": "n-0S6_WzA2Mj", "code_challenge": s256_challenge(VERIFIER),
              "code_challenge_method": "S256", **params}
    return exchange(index, AUTHORIZE, f"{ISSUER}/authorize", params={k: v for k, v in values.items() if v is not None},
                    status=302, started=started)


def callback(index=2, started=2.0, **params):
    values = {"code": CODE, "state": "af0ifjsldkj", **params}
    return exchange(index, CALLBACK, APP, callback={k: v for k, v in values.items() if v is not None}, started=started)


def token(index=3, started=3.0, status=400, body=None, server_time=None, **params):
    values = {"grant_type": "authorization_code", "code": CODE, "redirect_uri": APP, "client_id": CLIENT,
              "code_verifier": VERIFIER, **params}
    return exchange(index, TOKEN, f"{ISSUER}/token", params={k: v for k, v in values.items() if v is not None},
                    status=status, body=GRANT_INVALID if body is None else body, started=started,
                    server_time=server_time)


def tokens(**claims):
    return {"access_token": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "token_type": "Bearer", "expires_in": 3600,
            "id_token": id_token(**claims)}


def jwks(index=4, started=3.2):
    return exchange(index, ExchangeKind.JWKS, f"{ISSUER}/jwks", body={"keys": [jwk()]}, started=started)


def diagnose(*exchanges, **values):
    return diagnose_har(timeline(*exchanges), context(**values))


def test_a_clean_login_has_nothing_to_explain():
    report = diagnose(authorize(), callback(), token(status=200, body=tokens(), server_time=3.0), jwks())
    assert report.diagnoses == () and report.input == "har"


def test_the_same_code_sent_twice_is_certain_however_vague_the_provider():
    report = diagnose(authorize(), callback(), token(status=200, body=tokens(), server_time=3.0), jwks(),
                      token(index=5, started=4.0))
    assert causes(report) == [("invalid_grant_code", "certain")]
    diagnosis = report.diagnoses[0]
    assert "already sent in HAR entry 3 and redeemed there" in diagnosis.summary
    assert ("error_description", "grant request is invalid") in {(e.name, e.value) for e in diagnosis.evidence}
    assert CODE not in str(report.to_json())  # codes are abbreviated in evidence


def test_pkce_verifier_against_the_challenge_is_certain():
    report = diagnose(authorize(), callback(), token(code_verifier="another-verifier-" + "x" * 30))
    assert causes(report) == [("pkce_mismatch", "certain")]
    summary = report.diagnoses[0].summary
    assert f"'{s256_challenge('another-verifier-' + 'x' * 30)}'" in summary and s256_challenge(VERIFIER) in summary
    assert "another-verifier" not in str(report.to_json())  # the verifier itself is never shown


def test_a_verifier_missing_while_a_challenge_was_sent():
    report = diagnose(authorize(), callback(), token(code_verifier=None))
    assert causes(report) == [("pkce_mismatch", "certain")]
    assert "was not sent" in report.diagnoses[0].summary


def test_redirect_uri_differing_between_authorization_and_token_request():
    report = diagnose(authorize(), callback(), token(redirect_uri="https://app.example.com/other"))
    assert causes(report) == [("redirect_uri_mismatch", "certain")]
    assert "differs from the one in the token request ('https://app.example.com/other')" in \
        report.diagnoses[0].summary


def test_a_code_redeemed_by_another_client():
    report = diagnose(authorize(), callback(), token(client_id="mobile-app"))
    assert causes(report) == [("invalid_grant_code", "certain")]


def test_a_code_redeemed_twenty_minutes_late_is_likely_expired():
    report = diagnose(authorize(), callback(), token(started=1200.0))
    assert causes(report) == [("invalid_grant_code", "likely")]
    assert "19 min 58 s after it was issued" in report.diagnoses[0].summary


def test_a_callback_whose_state_no_request_sent():
    report = diagnose(authorize(), callback(state="forged-state-value"))
    assert causes(report) == [("state_mismatch", "certain")]


def test_login_required_after_prompt_none_is_certain_with_the_prompt_as_evidence():
    report = diagnose(authorize(prompt="none"), callback(code=None, error="login_required"))
    assert causes(report) == [("login_required", "certain")]
    assert "prompt=none" in report.diagnoses[0].summary


def test_access_denied_on_the_callback():
    report = diagnose(authorize(), callback(code=None, error="access_denied",
                                            error_description="End-User aborted interaction"))
    assert causes(report) == [("access_denied", "certain")]


def test_the_id_tokens_nonce_against_the_authorization_requests():
    report = diagnose(authorize(), callback(), token(status=200, body=tokens(nonce="stale-nonce"), server_time=3.0),
                      jwks())
    assert causes(report) == [("nonce_mismatch", "certain")]


def test_a_browser_clock_ten_minutes_ahead_is_clock_skew_from_the_token_responses_date():
    """The token lives 5 minutes on the issuer's clock; the browser, 10 minutes ahead, saw it expired."""
    body = tokens(iat=NOW - 600, exp=NOW - 300)  # issued when the server's Date said NOW - 600
    report = diagnose(authorize(), callback(), token(status=200, body=body, server_time=-597.0), jwks())
    assert causes(report) == [("clock_skew", "certain")]
    assert "The browser's clock is 10 min ahead of login.example.com" in report.diagnoses[0].summary


def test_a_large_skew_without_a_failure_is_a_possible_note():
    report = diagnose(authorize(), callback(), token(status=200, body=tokens(), server_time=-400.0), jwks())
    assert causes(report) == [("clock_skew", "possible")] and not report.explained


def test_an_unknown_kid_in_the_recorded_jwks():
    report = diagnose(authorize(), callback(), token(status=200, body=tokens(index=2, kid="k7"), server_time=3.0),
                      jwks())
    assert causes(report) == [("signing_key_rotated", "likely")]
    assert "the JWKS in the recording (HAR entry 4)" in report.diagnoses[0].summary


def test_a_providers_error_page_with_the_redirect_uri_it_refused():
    page = ("<html><body><p class='instruction'>Invalid parameter: redirect_uri</p></body></html>")
    report = diagnose(exchange(1, AUTHORIZE, f"{ISSUER}/authorize", status=400, body=page,
                               params={"client_id": CLIENT, "redirect_uri": "http://localhost:3000/cb"}))
    assert causes(report) == [("redirect_uri_mismatch", "certain")]
    assert report.diagnoses[0].summary.startswith("The redirect URI 'http://localhost:3000/cb' is not among")


def test_a_refresh_token_used_again_after_rotation():
    old, new = "8xLOxBtZp8-" + "a" * 30, "8xLOxBtZp8-" + "b" * 30
    first = exchange(1, TOKEN, f"{ISSUER}/token", params={"grant_type": "refresh_token", "refresh_token": old},
                     body={"access_token": "at", "token_type": "Bearer", "refresh_token": new})
    second = exchange(2, TOKEN, f"{ISSUER}/token", params={"grant_type": "refresh_token", "refresh_token": old},
                      status=400, body=GRANT_INVALID, started=60.0)
    report = diagnose(first, second)
    assert causes(report) == [("refresh_token_invalid", "certain")]
    assert old not in str(report.to_json()) and new not in str(report.to_json())


def test_a_device_code_polled_past_its_lifetime():
    device = exchange(1, ExchangeKind.DEVICE, f"{ISSUER}/device", params={"client_id": CLIENT},
                      body={"device_code": "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS", "user_code": "WDJB-MJHT",
                            "verification_uri": f"{ISSUER}/device", "expires_in": 600, "interval": 5})
    poll = exchange(2, TOKEN, f"{ISSUER}/token", started=900.0, status=400, body=GRANT_INVALID, params={
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
        "device_code": "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS"})
    assert causes(diagnose(device, poll)) == [("device_code_expired", "certain")]


def test_an_expired_bearer_token_refused_by_the_userinfo_endpoint_by_its_own_clock():
    from tests.support.jose import sign
    from tests.support import keys as test_keys

    access = sign({"iss": ISSUER, "sub": "x", "exp": NOW - 120}, test_keys.rsa_private(), "RS256")
    userinfo = exchange(1, ExchangeKind.USERINFO, f"{ISSUER}/userinfo", status=401, server_time=0.0,
                        request_headers={"Authorization": f"Bearer {access}"},
                        response_headers={"WWW-Authenticate": 'Bearer error="invalid_token", '
                                                              'error_description="jwt expired"'})
    report = diagnose(userinfo)
    assert causes(report)[0] == ("token_expired", "certain")
    assert access not in str(report.to_json())


def test_github_answers_200_with_an_error():
    answer = token(status=200, body={"error": "bad_verification_code", "error_description": "The code passed is "
                                     "incorrect or expired.", "error_uri": "https://docs.github.com/apps/"},
                   code_verifier=None)
    report = diagnose(authorize(code_challenge=None, code_challenge_method=None), callback(), answer)
    assert causes(report) == [("invalid_grant_code", "likely")]
    assert ("status", 200) in {(e.name, e.value) for e in report.diagnoses[0].evidence}


def test_invalid_client_compared_with_the_recorded_discovery_document():
    discovery = exchange(0, ExchangeKind.DISCOVERY, f"{ISSUER}/.well-known/openid-configuration", body={
        "issuer": ISSUER, "token_endpoint": f"{ISSUER}/token",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt"]})
    refused = token(status=401, body={"error": "invalid_client", "error_description": "client authentication failed"},
                    client_secret="very-secret-value-123")
    report = diagnose(discovery, authorize(), callback(), refused)
    assert causes(report) == [("invalid_client", "certain")]
    assert "client_secret_post, which the provider does not support" in report.diagnoses[0].summary
    assert "very-secret-value-123" not in str(report.to_json())


def test_an_authorization_request_with_a_nonce_but_no_openid_scope():
    report = diagnose(authorize(scope="profile email"))
    assert causes(report) == [("missing_openid_scope", "certain")]


def test_the_callbacks_iss_from_another_issuer():
    discovery = exchange(0, ExchangeKind.DISCOVERY, f"{ISSUER}/.well-known/openid-configuration",
                         body={"issuer": ISSUER})
    report = diagnose(discovery, authorize(), callback(iss="https://attacker.example"))
    assert causes(report) == [("wrong_environment", "likely")]


def test_a_har_is_diagnosed_without_any_network_access():
    """Every URL in the recording is evidence only: with sockets refusing, the whole diagnosis runs."""
    script = """
import socket
def refuse(*args, **kwargs):
    raise AssertionError("network access attempted")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from tests.core.diagnosis.test_har import authorize, callback, diagnose, jwks, token, tokens
report = diagnose(authorize(), callback(), token(status=200, body=tokens(index=2, kid="k7"), server_time=3.0),
                  jwks(), token(index=5, started=4.0))
print(sorted(d.cause for d in report.diagnoses))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['invalid_grant_code', 'signing_key_rotated']"
