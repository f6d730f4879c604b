"""Providers' own error answers, as they send them, explained through the wording table: a
specific wording names the cause, a vague one falls back to the standard meaning of the error."""

import json

import pytest

from inspector.core.diagnosis.engine import diagnose_text
from inspector.core.diagnosis.oauth_errors import answer_from_body, bearer_challenge, explain, page_text
from tests.support.diagnosis import causes, context

ENTRA_TRACE = ("\r\nTrace ID: 0c9b5d0e-1f3a-4d3e-9a3b-2c1d0e9f8a00\r\n"
               "Correlation ID: 7d2f1c3a-5b6e-4f70-8a9b-0c1d2e3f4a5b\r\nTimestamp: 2024-05-01 10:00:00Z")


def entra(code, error, text):
    return json.dumps({"error": error, "error_description": f"AADSTS{code}: {text}{ENTRA_TRACE}",
                       "error_codes": [code], "timestamp": "2024-05-01 10:00:00Z",
                       "trace_id": "0c9b5d0e-1f3a-4d3e-9a3b-2c1d0e9f8a00",
                       "correlation_id": "7d2f1c3a-5b6e-4f70-8a9b-0c1d2e3f4a5b",
                       "error_uri": f"https://login.microsoftonline.com/error?code={code}"})


def body(error, description=None, **more):
    data = {"error": error, **more}
    if description is not None:
        data["error_description"] = description
    return json.dumps(data)


CASES = {
    # Microsoft Entra ID
    "entra-50011-redirect": (entra(50011, "invalid_request", "The redirect URI 'https://app.example.com/cb' specified "
                             "in the request does not match the redirect URIs configured for the application "
                             "'5f0a1c9e-2c3b-4e6a-9d1f-0a3c8b7e6d5f'."), None, "redirect_uri_mismatch", "certain"),
    "entra-7000215-secret": (entra(7000215, "invalid_client", "Invalid client secret provided. Ensure the secret being "
                             "sent in the request is the client secret value, not the client secret ID, for a secret "
                             "added to app '5f0a1c9e-2c3b-4e6a-9d1f-0a3c8b7e6d5f'."), None, "invalid_client",
                             "certain"),
    "entra-700016-unknown-app": (entra(700016, "unauthorized_client", "Application with identifier "
                                 "'5f0a1c9e-2c3b-4e6a-9d1f-0a3c8b7e6d5f' was not found in the directory 'Contoso'."),
                                 None, "invalid_client", "certain"),
    "entra-50058-silent": (entra(50058, "interaction_required", "A silent sign-in request was sent but no user is "
                           "signed in."), None, "login_required", "certain"),
    "entra-65001-consent": (entra(65001, "invalid_grant", "The user or administrator has not consented to use the "
                            "application with ID '5f0a1c9e' named 'Orders'."), None, "consent_required", "certain"),
    "entra-70008-code": (entra(70008, "invalid_grant", "The provided authorization code or refresh token has expired "
                         "due to inactivity. Send a new interactive authorization request for this user and "
                         "resource."), "authorization_code", "invalid_grant_code", "certain"),
    "entra-70008-refresh": (entra(70008, "invalid_grant", "The provided authorization code or refresh token has "
                            "expired due to inactivity."), "refresh_token", "refresh_token_invalid", "certain"),
    "entra-54005-redeemed": (entra(54005, "invalid_grant", "OAuth2 Authorization code was already redeemed, please "
                             "retry with a new valid code or use an existing refresh token."), None,
                             "invalid_grant_code", "certain"),
    "entra-50076-mfa": (entra(50076, "invalid_grant", "Due to a configuration change made by your administrator, or "
                        "because you moved to a new location, you must use multi-factor authentication to access "
                        "'00000003-0000-0000-c000-000000000000'."), None, "interaction_required", "certain"),
    "entra-50079-enroll": (entra(50079, "interaction_required", "Due to a configuration change made by your "
                           "administrator, or because you moved to a new location, you must enroll in multi-factor "
                           "authentication to access 'Orders'."), None, "interaction_required", "certain"),
    "entra-501481-pkce": (entra(501481, "invalid_grant", "The Code_Verifier does not match the code_challenge supplied "
                          "in the authorization request."), None, "pkce_mismatch", "certain"),
    "entra-7000222-expired-secret": (entra(7000222, "invalid_client", "The provided client secret keys for app "
                                     "'5f0a1c9e' are expired."), None, "invalid_client", "certain"),
    "entra-70011-scope": (entra(70011, "invalid_scope", "The provided value for the input parameter 'scope' is not "
                          "valid. The scope orders.raed is not valid."), None, "invalid_scope", "certain"),
    "entra-50105-not-assigned": (entra(50105, "access_denied", "Your administrator has configured the application "
                                 "Orders to block users unless they are specifically granted ('assigned') access."),
                                 None, "access_denied", "certain"),
    # Okta
    "okta-invalid-secret": (body("invalid_client", "The client secret supplied for a confidential client is "
                            "invalid."), None, "invalid_client", "certain"),
    "okta-redirect-page-text": ("400 Bad Request. Identity Provider: Unknown. Error Code: invalid_request. "
                                "Description: The 'redirect_uri' parameter must be a Login redirect URI in the client "
                                "app settings: https://dev-123.okta.com/admin/app/oidc_client/instance/0oa1"
                                "#tab-general",
                                None, "redirect_uri_mismatch", "certain"),
    "okta-code-expired": (body("invalid_grant", "The authorization code is invalid or has expired."),
                          "authorization_code", "invalid_grant_code", "likely"),
    "okta-pkce": (body("invalid_grant", "PKCE verification failed."), None, "pkce_mismatch", "certain"),
    "okta-e0000011": (json.dumps({"errorCode": "E0000011", "errorSummary": "Invalid token provided",
                                  "errorLink": "E0000011", "errorId": "oaeH8J2kf3sS9Xo5tX2Yq1A6w",
                                  "errorCauses": []}), None, "invalid_token", "likely"),
    "okta-not-assigned": ("https://app.example.com/callback?error=access_denied&error_description=User+is+not+"
                          "assigned+to+the+client+application.&state=af0ifjsldkj", None, "access_denied", "certain"),
    "okta-prompt-none": ("https://app.example.com/callback#error=login_required&error_description=The+client+specified"
                         "+not+to+prompt%2C+but+the+user+is+not+logged+in.&state=xyz", None, "login_required",
                         "certain"),
    # Auth0
    "auth0-callback-page": ("<html><head><title>Callback URL mismatch</title></head><body><h1>Oops!, something went "
                            "wrong</h1><p>Callback URL mismatch. http://localhost:3000/callback is not in the list of "
                            "allowed callback URLs</p></body></html>", None, "redirect_uri_mismatch", "certain"),
    "auth0-invalid-code": (body("invalid_grant", "Invalid authorization code"), None, "invalid_grant_code", "likely"),
    "auth0-verifier": (body("invalid_grant", "Failed to verify code verifier"), None, "pkce_mismatch", "certain"),
    "auth0-unauthorized": (body("access_denied", "Unauthorized"), None, "invalid_client", "likely"),
    "auth0-refresh": (body("invalid_grant", "Unknown or invalid refresh token."), None, "refresh_token_invalid",
                      "likely"),
    # Keycloak
    "keycloak-code": (body("invalid_grant", "Code not valid"), None, "invalid_grant_code", "likely"),
    "keycloak-redirect-page": ("<!DOCTYPE html><html><body><div id=\"kc-error-message\"><p class=\"instruction\">"
                               "Invalid parameter: redirect_uri</p></div></body></html>", None,
                               "redirect_uri_mismatch", "certain"),
    "keycloak-credentials": (body("unauthorized_client", "Invalid client or Invalid client credentials"), None,
                             "invalid_client", "certain"),
    "keycloak-old-credentials": (body("invalid_client", "Invalid client credentials"), None, "invalid_client",
                                 "certain"),
    "keycloak-pkce": (body("invalid_grant", "PKCE verification failed: Code mismatch"), None, "pkce_mismatch",
                      "certain"),
    "keycloak-stale": (body("invalid_grant", "Maximum allowed refresh token reuse exceeded"), None,
                       "refresh_token_invalid", "certain"),
    # Google
    "google-redirect": (body("redirect_uri_mismatch", "Bad Request"), None, "redirect_uri_mismatch", "certain"),
    "google-bad-request": (body("invalid_grant", "Bad Request"), "authorization_code", "invalid_grant_code", "likely"),
    "google-revoked": (body("invalid_grant", "Token has been expired or revoked."), None, "refresh_token_invalid",
                       "likely"),
    "google-unknown-client": (body("invalid_client", "The OAuth client was not found."), None, "invalid_client",
                              "certain"),
    # GitHub: HTTP 200 carrying the error, as JSON or as a form
    "github-code-json": ("HTTP/2 200\r\ncontent-type: application/json; charset=utf-8\r\n\r\n" + body(
        "bad_verification_code", "The code passed is incorrect or expired.",
        error_uri="https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-"
                  "errors/#bad-verification-code"), None, "invalid_grant_code", "likely"),
    "github-code-form": ("error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.&"
                         "error_uri=https%3A%2F%2Fdocs.github.com%2Fapps", None, "invalid_grant_code", "likely"),
    "github-credentials": (body("incorrect_client_credentials", "The client_id and/or client_secret passed are "
                           "incorrect."), None, "invalid_client", "certain"),
    "github-redirect": (body("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for "
                        "this application."), None, "redirect_uri_mismatch", "certain"),
    # oidc-provider (panva)
    "oidc-provider-grant": (body("invalid_grant", "grant request is invalid"), "authorization_code",
                            "invalid_grant_code", "likely"),
    "oidc-provider-grant-unknown": (body("invalid_grant", "grant request is invalid"), None, "invalid_grant_code",
                                    "possible"),
    "oidc-provider-pkce-log": ("invalid_grant (grant request is invalid) detail: PKCE verification failed", None,
                               "pkce_mismatch", "certain"),
    "oidc-provider-client": ("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json; charset=utf-8\r\n"
                             "WWW-Authenticate: Basic realm=\"http://127.0.0.1:3000\"\r\n\r\n" + body(
                                 "invalid_client", "client authentication failed"), None, "invalid_client", "certain"),
    "oidc-provider-redirect-page": ("<!DOCTYPE html><html><head><title>oops! something went wrong</title></head><body>"
                                    "<div class=\"container\"><h1>oops! something went wrong</h1><pre><strong>error"
                                    "</strong>: invalid_redirect_uri</pre><pre><strong>error_description</strong>: "
                                    "redirect_uri did not match any of the client&#39;s registered redirect_uris"
                                    "</pre></div></body></html>", None, "redirect_uri_mismatch", "certain"),
    "oidc-provider-par-required": ("error=invalid_request&error_description=Pushed+Authorization+Request+must+be+"
                                   "used&state=s-1", None, "par_required", "certain"),
    "oidc-provider-request-uri": (body("invalid_request_uri", "request_uri is invalid, expired, or was already used"),
                                  None, "request_uri_invalid", "certain"),
    # Keycloak PAR
    "keycloak-par-required": (body("invalid_request", "Pushed Authorization Request is only allowed."), None,
                              "par_required", "certain"),
    "keycloak-par-not-found": (body("invalid_request", "PAR not found. not issued or used multiple times."), None,
                               "request_uri_invalid", "certain"),
    # DPoP (RFC 9449)
    "okta-dpop-missing": (body("invalid_dpop_proof", "The DPoP proof JWT header is missing."), None,
                          "dpop_proof_missing", "certain"),
    "keycloak-dpop-missing": (body("invalid_request", "DPoP proof is missing"), None, "dpop_proof_missing", "certain"),
    "oidc-provider-dpop-log": ("invalid_grant (grant request is invalid) detail: DPoP proof JWT not provided", None,
                               "dpop_proof_missing", "certain"),
    "oidc-provider-dpop-nonce": (body("use_dpop_nonce", "nonce is required in the DPoP proof"), None,
                                 "dpop_nonce_required", "certain"),
    "oidc-provider-dpop-htu": (body("invalid_dpop_proof", "DPoP proof htu mismatch"), None, "dpop_proof_invalid",
                               "certain"),
    "oidc-provider-jkt-log": ("invalid_token (invalid token provided) detail: failed jkt verification", None,
                              "dpop_bound_as_bearer", "certain"),
    "dpop-nonce": (body("use_dpop_nonce", "Authorization server requires nonce in DPoP proof"), None,
                   "dpop_nonce_required", "certain"),
    "dpop-invalid": (body("invalid_dpop_proof", "bad proof"), None, "dpop_proof_invalid", "likely"),
    # standard
    "request-uri": (body("invalid_request_uri", "The request_uri is not valid"), None, "request_uri_invalid", "likely"),
    "device-expired": (body("expired_token", "device code has expired"), None, "device_code_expired", "certain"),
    "scope": (body("invalid_scope", "The requested scope is invalid, unknown, or malformed."), None, "invalid_scope",
              "certain"),
    "bearer-challenge": ("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", "
                         "error_description=\"The access token expired\"\n\n", None, "invalid_token", "likely"),
    "tls-python": ("httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get "
                   "local issuer certificate (_ssl.c:1006)", None, "tls_untrusted", "certain"),
    "tls-java": ("javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath."
                 "SunCertPathBuilderException: unable to find valid certification path to requested target", None,
                 "tls_untrusted", "certain"),
}


@pytest.mark.parametrize("text, grant, cause, confidence", CASES.values(), ids=CASES.keys())
def test_each_providers_wording_names_its_cause(text, grant, cause, confidence):
    report = diagnose_text(text, context(grant=grant))
    assert causes(report)[0] == (cause, confidence), report.to_json()


def test_a_structural_wording_carries_the_providers_words_and_codes_as_evidence():
    report = diagnose_text(CASES["entra-54005-redeemed"][0], context())
    evidence = {(e.kind.value, e.name) for e in report.diagnoses[0].evidence}
    assert {("parameter", "error"), ("parameter", "error_codes"), ("text", "error_description"),
            ("text", "wording"), ("parameter", "correlation_id")} <= evidence
    wording = next(e.value for e in report.diagnoses[0].evidence if e.name == "wording")
    assert wording == "Microsoft Entra ID: AADSTS54005"


def test_entra_7000215_says_to_send_the_secret_value_not_its_id():
    report = diagnose_text(CASES["entra-7000215-secret"][0], context())
    assert "Value, not its Secret ID" in report.diagnoses[0].fix


def test_invalid_client_against_the_providers_supported_methods_is_certain_and_names_them():
    answer = answer_from_body({"error": "invalid_client", "error_description": "client authentication failed"},
                              where="token request", status=401)
    found = explain(answer, endpoint="token", auth_method="client_secret_post",
                    supported_methods=["client_secret_basic", "private_key_jwt"])
    assert [(d.cause, d.confidence.value) for d in found] == [("invalid_client", "certain")]
    assert "client_secret_post, which the provider does not support" in found[0].summary


def test_login_required_after_prompt_none_says_so():
    answer = answer_from_body({"error": "login_required"}, where="callback")
    found = explain(answer, endpoint="authorize", prompt="none")
    assert "(the request had prompt=none)" in found[0].summary
    assert ("prompt", "none") in {(e.name, e.value) for e in found[0].evidence}


def test_an_unknown_error_is_other_failure_with_the_providers_words():
    report = diagnose_text(body("weird_error", "Something odd happened"), context())
    assert causes(report) == [("other_failure", "likely")]
    assert "'weird_error'" in report.diagnoses[0].summary


def test_the_grant_is_read_from_the_description_when_it_names_one():
    report = diagnose_text(body("invalid_grant", "The refresh token is no longer valid"), context())
    assert causes(report) == [("refresh_token_invalid", "likely")]


def test_page_text_drops_scripts_and_tags():
    assert page_text("<html><script>var x='<b>';</script><p>Code&nbsp;not <b>valid</b></p></html>") == \
        "Code not valid"


def test_bearer_challenge_reads_quoted_and_bare_values():
    assert bearer_challenge('Bearer realm="api", error="insufficient_scope", scope="orders.write", x=1') == {
        "realm": "api", "error": "insufficient_scope", "scope": "orders.write", "x": "1"}
    assert bearer_challenge("Basic realm=x") == {}


def test_hostile_provider_text_is_data_in_the_report():
    hostile = "\x1b]0;pwned\x07\x1b[2J" + "A" * 5000
    report = diagnose_text(body("invalid_request", hostile), context())
    text = report.diagnoses[0].evidence[-1].value
    assert len(text) < 400  # cut, and escaped only where it is printed (cli.text.printable)
