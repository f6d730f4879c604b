"""What providers say, and what it means: the table the error explainer reads. Data only.

Add a row to teach the engine a new wording; no logic changes. A row matches an error answer
when every field it sets matches: ``error`` (the OAuth ``error`` value, exactly), ``code`` (a
provider's own code: Entra's AADSTS number, Okta's errorCode), ``text`` (a regular expression,
case-insensitive, searched in the description, summary or error page), ``grant`` (the grant the
request used, when known) and ``endpoint`` ("authorize", "token" or "resource"). The most specific
match wins (code, then text, then error; then table order). A row whose ``cause`` is None says
the wording is vague (oidc-provider says "grant request is invalid" for every bad grant), so the
generic meaning of the error applies. ``facts`` fill the cause's sentence (see causes.py).

Sources: RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 8628 §3.5, RFC 9126 §2.3 and §4, OpenID
Connect Core §3.1.2.6, and each provider's published error reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

__all__ = ["INTERCEPTING_CA_NAMES", "TLS_WORDINGS", "WORDINGS", "Wording"]

AUTH_CODE, REFRESH, DEVICE = "authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"


@dataclass(frozen=True, slots=True)
class Wording:
    provider: str
    cause: str | None
    confidence: str = "certain"
    error: str | None = None
    code: str | None = None
    text: str | None = None
    grant: str | None = None
    endpoint: str | None = None
    facts: Mapping[str, str] = field(default_factory=dict)


def _d(detail: str, **more: str) -> dict[str, str]:
    return {"detail": detail, **more}


ENTRA, OKTA, AUTH0, KEYCLOAK = "Microsoft Entra ID", "Okta", "Auth0", "Keycloak"
GOOGLE, GITHUB, NODE_OIDC, OAUTH = "Google", "GitHub", "oidc-provider", "OAuth 2.0 / OpenID Connect"
_REUSED, _EXPIRED_CODE = ": it was already redeemed", ": it expired before it was redeemed"

WORDINGS: tuple[Wording, ...] = (
    # Microsoft Entra ID: AADSTS codes in error_description and error_codes
    Wording(ENTRA, "redirect_uri_mismatch", code="AADSTS50011",
            facts=_d("is not one of the reply URLs registered for the application")),
    Wording(ENTRA, "redirect_uri_mismatch", code="AADSTS500113", facts=_d("is used, but the application has no reply "
                                                                         "address registered at all")),
    Wording(ENTRA, "redirect_uri_mismatch", code="AADSTS90102", facts=_d("is not a valid absolute URI")),
    Wording(ENTRA, "invalid_client", code="AADSTS7000215", facts=_d(": the client secret is wrong", fix_detail=
            " (in Entra, send the secret's Value, not its Secret ID)")),
    Wording(ENTRA, "invalid_client", code="AADSTS7000222", facts=_d(": the client secret has expired",
                                                                   fix_detail=" (create a new secret for the app)")),
    Wording(ENTRA, "invalid_client", code="AADSTS700016", facts=_d(": no application with this client ID exists in "
                                                                  "the tenant",
                                                                  fix_detail=" and the tenant in the URL")),
    Wording(ENTRA, "invalid_client", code="AADSTS7000218", facts=_d(": the request has no client_secret or "
                                                                   "client_assertion")),
    Wording(ENTRA, "invalid_client", code="AADSTS700025", facts=_d(": the client is public, so it must not send a "
                                                                  "secret or assertion")),
    Wording(ENTRA, "invalid_client", code="AADSTS700027", facts=_d(": the client assertion's signature does not "
                                                                  "verify with the registered certificate")),
    Wording(ENTRA, "invalid_client", code="AADSTS50012", facts=_d(": the client credentials are invalid")),
    Wording(ENTRA, "invalid_grant_code", code="AADSTS54005", facts=_d(_REUSED)),
    Wording(ENTRA, "invalid_grant_code", code="AADSTS70008", grant=AUTH_CODE, facts=_d(_EXPIRED_CODE)),
    Wording(ENTRA, "refresh_token_invalid", code="AADSTS70008", grant=REFRESH,
            facts=_d(": it expired after a period of inactivity")),
    Wording(ENTRA, "invalid_grant_code", "likely", code="AADSTS70000", grant=AUTH_CODE,
            facts=_d(": the code is not valid (expired, used, or for another client)")),
    Wording(ENTRA, "refresh_token_invalid", "likely", code="AADSTS70000", grant=REFRESH,
            facts=_d(": it is not valid any more")),
    Wording(ENTRA, "refresh_token_invalid", code="AADSTS700082", facts=_d(": it expired after a period of inactivity")),
    Wording(ENTRA, "refresh_token_invalid", code="AADSTS50173", facts=_d(": it was revoked (a password change or "
                                                                        "an administrator)")),
    Wording(ENTRA, "refresh_token_invalid", code="AADSTS70043", facts=_d(": a Conditional Access sign-in frequency "
                                                                        "policy requires a new sign-in")),
    Wording(ENTRA, "pkce_mismatch", code="AADSTS501481", facts=_d("does not match the code_challenge of the "
                                                                 "authorization request")),
    Wording(ENTRA, "pkce_mismatch", code="AADSTS50148", facts=_d("does not match the code_challenge of the "
                                                                "authorization request")),
    Wording(ENTRA, "login_required", code="AADSTS50058", facts=_d(" (a silent sign-in found no signed-in user)")),
    Wording(ENTRA, "consent_required", code="AADSTS65001"),
    Wording(ENTRA, "interaction_required", code="AADSTS50076", facts=_d(": multi-factor authentication")),
    Wording(ENTRA, "interaction_required", code="AADSTS50079", facts=_d(": enrolling in multi-factor "
                                                                       "authentication")),
    Wording(ENTRA, "interaction_required", code="AADSTS50055", facts=_d(": changing an expired password")),
    Wording(ENTRA, "access_denied", code="AADSTS65004", facts=_d(": the person declined consent")),
    Wording(ENTRA, "access_denied", code="AADSTS50105", facts=_d(": the user is not assigned to the application")),
    Wording(ENTRA, "access_denied", "likely", code="AADSTS50126", facts=_d(": wrong user name or password")),
    Wording(ENTRA, "invalid_scope", code="AADSTS70011", facts=_d(": a scope value is not valid")),
    Wording(ENTRA, "invalid_scope", code="AADSTS65005", facts=_d(": it names permissions the application does not "
                                                                "have or that do not exist")),
    Wording(ENTRA, "invalid_scope", code="AADSTS500011", facts=_d(": the API (resource) it names does not exist in "
                                                                 "the tenant")),
    Wording(ENTRA, "unauthorized_client", code="AADSTS700054", facts=_d(": response_type id_token is not enabled "
                                                                       "for the application")),
    Wording(ENTRA, "unauthorized_client", code="AADSTS700051", facts=_d(": response_type token is not enabled for "
                                                                       "the application")),
    Wording(ENTRA, "device_code_expired", code="AADSTS70019"),
    Wording(ENTRA, "clock_skew", "likely", code="AADSTS700024",
            facts={"whose": "The client's clock", "amount": "off", "direction": "compared with", "host": "Entra ID",
                   "consequence": "its client assertion was outside its validity window"}),
    # Okta
    Wording(OKTA, "dpop_proof_missing", text=r"The DPoP proof JWT header is missing"),
    Wording(OKTA, "redirect_uri_mismatch", text=r"'redirect_uri' parameter must be a Login redirect URI",
            facts=_d("is not one of the client's Sign-in redirect URIs")),
    Wording(OKTA, "redirect_uri_mismatch", text=r"'redirect_uri' does not match the redirection URI used in the "
            r"authorization request", facts=_d("differs from the one in the authorization request")),
    Wording(OKTA, "invalid_client", text=r"client secret supplied for a confidential client is invalid",
            facts=_d(": the client secret is wrong")),
    Wording(OKTA, "invalid_client", text=r"Client authentication failed\. Either the client or the client "
            r"credentials are invalid", facts=_d(": the client ID or its credentials are wrong")),
    Wording(OKTA, "invalid_grant_code", "likely", text=r"authorization code is invalid or has expired",
            facts=_d(": it expired or was already used")),
    Wording(OKTA, "refresh_token_invalid", "likely", text=r"refresh token is invalid or expired",
            facts=_d(": it expired, was revoked or was already used")),
    Wording(OKTA, "unauthorized_client", text=r"client is not authorized to use the provided grant type",
            facts=_d(": the grant type is not enabled for it")),
    Wording(OKTA, "invalid_scope", text=r"scopes are not configured for the authorization server resource",
            facts=_d(": the authorization server does not know it")),
    Wording(OKTA, "access_denied", text=r"User is not assigned to the client application",
            facts=_d(": the user is not assigned to the application")),
    Wording(OKTA, "login_required", text=r"specified not to prompt, but the user is not logged in"),
    Wording(OKTA, "consent_required", text=r"specified not to prompt, but the client app requires user consent"),
    Wording(OKTA, "invalid_token", "likely", code="E0000011", facts=_d(": Okta says 'Invalid token provided'")),
    Wording(OKTA, "access_denied", "likely", code="E0000004", facts=_d(": authentication failed")),
    Wording(OKTA, "access_denied", "likely", code="E0000006", facts=_d(": the caller lacks permission")),
    Wording(OKTA, "login_required", "likely", code="E0000005", facts=_d(" (the session is not valid)")),
    # Auth0
    Wording(AUTH0, "redirect_uri_mismatch", text=r"Callback URL mismatch",
            facts=_d("is not in the application's Allowed Callback URLs")),
    Wording(AUTH0, "invalid_grant_code", "likely", error="invalid_grant", text=r"^Invalid authorization code$",
            facts=_d(": it expired or was already used")),
    Wording(AUTH0, "pkce_mismatch", text=r"Failed to verify code verifier",
            facts=_d("does not match the code_challenge of the authorization request")),
    Wording(AUTH0, "refresh_token_invalid", "likely", text=r"Unknown or invalid refresh token",
            facts=_d(": it is unknown, expired, revoked or was already used")),
    Wording(AUTH0, "invalid_client", "likely", error="access_denied", text=r"^Unauthorized$", endpoint="token",
            facts=_d(": the client ID or secret is wrong")),
    Wording(AUTH0, "unauthorized_client", text=r"Grant type '[^']*' not allowed for the client",
            facts=_d(": the grant type is not enabled for the application")),
    Wording(AUTH0, "invalid_scope", "likely", text=r"Service not enabled within domain",
            facts=_d(": the audience (API) it names is not registered in the tenant")),
    Wording(AUTH0, "interaction_required", text=r"Multifactor authentication required",
            facts=_d(": multi-factor authentication")),
    # Keycloak
    Wording(KEYCLOAK, "redirect_uri_mismatch", text=r"Invalid parameter: redirect_uri",
            facts=_d("is not among the client's Valid redirect URIs")),
    Wording(KEYCLOAK, "redirect_uri_mismatch", text=r"Incorrect redirect_uri",
            facts=_d("differs from the one in the authorization request")),
    Wording(KEYCLOAK, "invalid_grant_code", "likely", text=r"^Code not valid$",
            facts=_d(": it was already used or expired")),
    Wording(KEYCLOAK, "invalid_client", text=r"Invalid client( or Invalid client)? credentials",
            facts=_d(": the client secret is wrong")),
    Wording(KEYCLOAK, "invalid_client", text=r"Client secret not provided in request",
            facts=_d(": no client secret was sent")),
    Wording(KEYCLOAK, "pkce_mismatch", text=r"PKCE verification failed: Code mismatch",
            facts=_d("does not match the code_challenge of the authorization request")),
    Wording(KEYCLOAK, "pkce_mismatch", text=r"PKCE code verifier not specified",
            facts=_d("was not sent, although the authorization request had a code_challenge")),
    Wording(KEYCLOAK, "pkce_mismatch", text=r"PKCE verification failed: Invalid code verifier",
            facts=_d("is not a valid verifier (43-128 characters of A-Z a-z 0-9 - . _ ~)")),
    Wording(KEYCLOAK, "refresh_token_invalid", text=r"Maximum allowed refresh token reuse exceeded|^Stale token$",
            facts=_d(": it was already used, and the realm revokes refresh tokens after use")),
    Wording(KEYCLOAK, "refresh_token_invalid", "likely", text=r"^Token is not active$",
            facts=_d(": it expired")),
    Wording(KEYCLOAK, "refresh_token_invalid", "likely", text=r"^Session not active$",
            facts=_d(": the session it belongs to has ended")),
    Wording(KEYCLOAK, "dpop_proof_missing", text=r"DPoP proof is missing"),
    Wording(KEYCLOAK, "par_required", text=r"Pushed Authorization Request is only allowed",
            facts=_d(" (its 'Pushed authorization request required' setting is on)")),
    Wording(KEYCLOAK, "request_uri_invalid", text=r"PAR not found\. not issued or used multiple times",
            facts=_d(": it was never issued, or was already used")),
    Wording(KEYCLOAK, "unauthorized_client", text=r"Client not enabled to retrieve service account|Client not "
            r"allowed for direct access grants", facts=_d(": the grant is not enabled for the client")),
    Wording(KEYCLOAK, "invalid_scope", text=r"^Invalid scopes:",
            facts=_d(": the realm does not offer it to the client")),
    # Google
    Wording(GOOGLE, "invalid_grant_code", "likely", error="invalid_grant", text=r"^Malformed auth code\.?$",
            facts=_d(": it was damaged on the way (copied in part, or URL-decoded twice)")),
    Wording(GOOGLE, "refresh_token_invalid", "likely", text=r"Token has been expired or revoked",
            facts=_d(": it expired or was revoked")),
    Wording(GOOGLE, "pkce_mismatch", text=r"^Missing code verifier\.?$",
            facts=_d("was not sent, although the authorization request had a code_challenge")),
    Wording(GOOGLE, "invalid_client", text=r"The OAuth client was not found",
            facts=_d(": no client with this ID exists")),
    Wording(GOOGLE, "access_denied", error="admin_policy_enforced", facts=_d(": an administrator's policy blocks "
                                                                             "this application")),
    Wording(GOOGLE, "access_denied", error="org_internal", facts=_d(": the application is internal to another "
                                                                    "Google Workspace organisation")),
    # GitHub: errors arrive with HTTP 200
    Wording(GITHUB, "invalid_grant_code", "likely", error="bad_verification_code",
            facts=_d(": GitHub says it is incorrect or expired")),
    Wording(GITHUB, "invalid_client", error="incorrect_client_credentials", facts=_d(": the client ID or secret is "
                                                                                   "wrong")),
    Wording(GITHUB, "unauthorized_client", error="device_flow_disabled", facts=_d(": the device flow is not enabled "
                                                                                 "for the app")),
    # oidc-provider (panva): one vague wording per error class; the details only reach its logs
    Wording(NODE_OIDC, None, error="invalid_grant", text=r"^grant request is invalid$"),
    Wording(NODE_OIDC, "invalid_client", error="invalid_client", text=r"^client authentication failed$",
            facts=_d(": the client ID, secret or assertion is wrong, or the method is not the registered one")),
    Wording(NODE_OIDC, "redirect_uri_mismatch", error="invalid_redirect_uri",
            facts=_d("is not one of the client's registered redirect_uris")),
    Wording(NODE_OIDC, "pkce_mismatch", text=r"PKCE verification failed",
            facts=_d("does not match the code_challenge of the authorization request")),
    Wording(NODE_OIDC, "pkce_mismatch", text=r"policy requires PKCE to be used",
            facts=_d("is required by the provider, but the authorization request sent no code_challenge")),
    Wording(NODE_OIDC, "invalid_grant_code", text=r"authorization code already consumed", facts=_d(_REUSED)),
    Wording(NODE_OIDC, "invalid_grant_code", text=r"authorization code is expired", facts=_d(_EXPIRED_CODE)),
    Wording(NODE_OIDC, "redirect_uri_mismatch", text=r"authorization code redirect_uri mismatch",
            facts=_d("differs from the one in the authorization request")),
    Wording(NODE_OIDC, "par_required", text=r"Pushed Authorization Request must be used"),
    Wording(NODE_OIDC, "dpop_proof_missing", text=r"DPoP proof JWT not provided|missing DPoP proof JWT|`?DPoP`? header "
            r"not provided"),
    Wording(NODE_OIDC, "dpop_nonce_required", text=r"nonce is required in the DPoP proof|invalid nonce in DPoP proof|"
            r"use a DPoP nonce instead", facts=_d(": the proof carried none, or an old one")),
    Wording(NODE_OIDC, "dpop_proof_invalid", text=r"DPoP proof JWT Replay detected",
            facts=_d(": its jti was seen before (a proof is single-use)")),
    Wording(NODE_OIDC, "dpop_proof_invalid",
            text=r"DPoP proof htm mismatch|DPoP proof htu mismatch|DPoP proof ath mismatch",
            facts=_d(": its htm, htu or ath does not match the request")),
    Wording(NODE_OIDC, "dpop_proof_invalid", text=r"DPoP proof iat is not recent enough",
            facts=_d(": its iat is too old or in the future (check the computer's clock)")),
    Wording(NODE_OIDC, "dpop_bound_as_bearer", text=r"failed jkt verification|scheme must be `DPoP` when DPoP is used",
            facts=_d(" (cnf.jkt)")),
    Wording(NODE_OIDC, "request_uri_invalid", text=r"request_uri is invalid, expired, or was already used",
            facts=_d(": it is unknown, expired, or was already used")),
    # the standard meanings, when nothing more specific matched
    Wording(OAUTH, "invalid_client", error="invalid_client"),
    Wording(OAUTH, "unauthorized_client", error="unauthorized_client"),
    Wording(OAUTH, "unauthorized_client", "likely", error="unsupported_grant_type",
            facts=_d(": the provider does not accept this grant type from it")),
    Wording(OAUTH, "unauthorized_client", "likely", error="unsupported_response_type",
            facts=_d(": the provider does not accept this response type from it")),
    Wording(OAUTH, "invalid_grant_code", "likely", error="invalid_grant", grant=AUTH_CODE,
            facts=_d(": most often it expired or was already used; a redirect_uri or PKCE verifier that differs "
                     "from the authorization request's is refused the same way")),
    Wording(OAUTH, "refresh_token_invalid", "likely", error="invalid_grant", grant=REFRESH,
            facts=_d(": it expired, was revoked, or was used again after the provider rotated it")),
    Wording(OAUTH, "device_code_expired", error="invalid_grant", grant=DEVICE,
            facts=_d(" (the provider no longer knows the device code)")),
    Wording(OAUTH, "invalid_grant_code", "possible", error="invalid_grant",
            facts=_d(": the grant (code, refresh token or device code) was refused; which grant was used is not "
                     "known")),
    Wording(OAUTH, "device_code_expired", error="expired_token"),
    Wording(OAUTH, "access_denied", error="access_denied"),
    Wording(OAUTH, "invalid_scope", error="invalid_scope"),
    Wording(OAUTH, "login_required", error="login_required"),
    Wording(OAUTH, "consent_required", error="consent_required"),
    Wording(OAUTH, "interaction_required", error="interaction_required"),
    Wording(OAUTH, "interaction_required", error="account_selection_required",
            facts=_d(": choosing which account to use")),
    Wording(OAUTH, "redirect_uri_mismatch", error="redirect_uri_mismatch",
            facts=_d("is not registered for the client")),
    Wording(OAUTH, "redirect_uri_mismatch", error="invalid_redirect_uri", facts=_d("is not registered for the client")),
    Wording(OAUTH, "request_uri_invalid", "likely", error="invalid_request_uri",
            facts=_d(": most often it expired or was already used")),
    Wording(OAUTH, "dpop_nonce_required", error="use_dpop_nonce"),
    Wording(OAUTH, "dpop_proof_invalid", "likely", error="invalid_dpop_proof"),
    Wording(OAUTH, "invalid_token", "likely", error="invalid_token"),
    Wording(OAUTH, "insufficient_scope", error="insufficient_scope"),
    Wording(OAUTH, "provider_error", "likely", error="server_error"),
    Wording(OAUTH, "provider_error", "likely", error="temporarily_unavailable",
            facts=_d(": it is temporarily unavailable")),
)

#: How TLS libraries say "I do not trust this certificate" (Python, OpenSSL, Java, Go, Node, .NET,
#: Windows SChannel, Chrome).
TLS_WORDINGS: tuple[str, ...] = (
    r"CERTIFICATE_VERIFY_FAILED", r"unable to get local issuer certificate", r"self[- ]signed certificate",
    r"PKIX path building failed", r"unable to find valid certification path",
    r"x509: certificate signed by unknown authority", r"UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    r"SELF_SIGNED_CERT_IN_CHAIN", r"SEC_E_UNTRUSTED_ROOT", r"remote certificate is invalid according to the "
    r"validation procedure", r"ERR_CERT_AUTHORITY_INVALID", r"certificate verify failed",
)

#: Issuer names of TLS-inspecting proxies and debugging tools: a certificate issued by one of
#: these means the connection is intercepted, and that product's CA is the one to trust.
INTERCEPTING_CA_NAMES: tuple[tuple[str, str], ...] = (
    (r"zscaler", "Zscaler"), (r"netskope", "Netskope"), (r"palo ?alto|pan-", "Palo Alto Networks"),
    (r"forti", "Fortinet FortiGate"), (r"blue ?coat|symantec web", "Symantec (Blue Coat) ProxySG"),
    (r"cisco umbrella|opendns", "Cisco Umbrella"), (r"sophos", "Sophos"), (r"check ?point", "Check Point"),
    (r"mitmproxy", "mitmproxy"), (r"charles proxy", "Charles Proxy"), (r"fiddler", "Fiddler"),
    (r"portswigger|burp", "Burp Suite"), (r"kaspersky|eset|avast|avg|bitdefender", "an antivirus's web shield"),
)
