"""Providers' own HTML error pages, shaped like the real ones (markup trimmed, wording and escaping
kept), with what a reader should find in them. For the HAR reader's and the diagnosis tests.

Each sample is served on the provider's host at ``url``; ``error`` and ``description`` are what
the page states (None where it states nothing of that kind).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SAMPLES", "SamplePage"]


@dataclass(frozen=True)
class SamplePage:
    provider: str
    url: str
    status: int
    html: str
    error: str | None
    description: str | None


KEYCLOAK = """<!DOCTYPE html>
<html class="login-pf"><head><meta charset="utf-8"><title>Sign in to demo</title>
<link href="/resources/abcde/login/keycloak/css/login.css" rel="stylesheet"/></head>
<body class="">
<div class="login-pf-page">
  <div id="kc-header" class="login-pf-page-header"><div id="kc-header-wrapper" class="">demo</div></div>
  <div class="card-pf">
    <header class="login-pf-header"><h1 id="kc-page-title">
        We are sorry...
    </h1></header>
    <div id="kc-content"><div id="kc-content-wrapper">
      <div id="kc-error-message">
        <p class="instruction">Invalid parameter: redirect_uri</p>
      </div>
    </div></div>
  </div>
</div>
</body></html>"""

ENTRA = """<!DOCTYPE html><html dir="ltr" class="" lang="en"><head><title>Sign in to your account</title>
<script type="text/javascript" nonce="n0nce">//<![CDATA[
$Config={"fShowPersistentCookiesWarning":false,"iErrorCode":50011,"sErrorCode":"50011","strServiceExceptionMessage":\
"AADSTS50011: The redirect URI \\u0027https://app.example/cb\\u0027 specified in the request does not match the \
redirect URIs configured for the application \\u00270f1e2d3c-4b5a-6978-8899-aabbccddeeff\\u0027. Make sure the \
redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to \
https://aka.ms/redirectUriMismatchError to learn more about how to fix this.","correlationId":"8d7c6b5a"};
//]]></script></head><body><div id="idPageTitle">Sorry, but we\u2019re having trouble signing you in.</div>
</body></html>"""

ENTRA_TEXT = ("AADSTS50011: The redirect URI 'https://app.example/cb' specified in the request does not match the "
              "redirect URIs configured for the application '0f1e2d3c-4b5a-6978-8899-aabbccddeeff'. Make sure the "
              "redirect URI sent in the request matches one added to your application in the Azure portal. Navigate "
              "to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.")

OKTA = """<!DOCTYPE html><html lang="en"><head><title>example - Error</title>
<link href="https://ok12static.oktacdn.com/assets/css/sections/errors.css" rel="stylesheet"/></head>
<body><div class="content"><div class="error-content">
<h1>400 Bad Request</h1>
<p id="error-summary">The &#39;redirect_uri&#39; parameter must be a Login redirect URI in the client app settings: \
https://example-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3#tab-general</p>
</div></div></body></html>"""

AUTH0 = """<!DOCTYPE html><html><head><title>Error</title></head><body>
<div class="error-page"><h1>Oops!, something went wrong</h1>
<p class="message"><span>Callback URL mismatch.</span>
<span>https://app.example/cb is not in the list of allowed callback URLs</span></p>
<p>Please go to the Application Settings page and make sure you are sending a valid callback url from your \
application.</p></div></body></html>"""

#: oidc-provider's renderError, as lib/helpers/defaults.js writes it (htmlSafe escapes the values).
OIDC_PROVIDER = """<!DOCTYPE html>
    <html>
    <head>
      <meta http-equiv="X-UA-Compatible" content="IE=edge">
      <meta charset="utf-8">
      <title>oops! something went wrong</title>
    </head>
    <body>
      <div class="container">
        <h1>oops! something went wrong</h1>
        <pre><strong>error</strong>: invalid_redirect_uri</pre><pre><strong>error_description</strong>: \
redirect_uri did not match any of the client&#39;s registered redirect_uris</pre>
      </div>
    </body>
    </html>"""

GOOGLE = """<!doctype html><html lang="en"><head><title>Error 400 (OAuth2 Error)</title></head><body>
<div class="main"><h1>Access blocked: This app\u2019s request is invalid</h1>
<p>You can\u2019t sign in because this app sent an invalid request. You can try again later, or contact the \
developer about this issue. <a href="https://support.google.com/accounts/answer/12379384">Learn more</a></p>
<p>If you are a developer of this app, see <a href="#">error details</a>.</p>
<p class="error-code"><b>Error 400: redirect_uri_mismatch</b></p></div>
<footer>Google</footer></body></html>"""

SAMPLES: dict[str, SamplePage] = {
    "keycloak": SamplePage("keycloak", "https://sso.example/realms/demo/protocol/openid-connect/auth", 400, KEYCLOAK,
                           None, "Invalid parameter: redirect_uri"),
    "entra": SamplePage("entra", "https://login.microsoftonline.com/common/oauth2/v2.0/authorize", 200, ENTRA, None,
                        ENTRA_TEXT),
    "okta": SamplePage("okta", "https://example.okta.com/oauth2/v1/authorize", 400, OKTA, None,
                       "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: "
                       "https://example-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3#tab-general"),
    "auth0": SamplePage("auth0", "https://tenant.auth0.com/authorize", 400, AUTH0, None, "Callback URL mismatch."),
    "oidc-provider": SamplePage("oidc-provider", "https://op.example/auth", 400, OIDC_PROVIDER, "invalid_redirect_uri",
                                "redirect_uri did not match any of the client's registered redirect_uris"),
    "google": SamplePage("google", "https://accounts.google.com/o/oauth2/v2/auth", 400, GOOGLE,
                         "redirect_uri_mismatch", "Access blocked: This app\u2019s request is invalid"),
}
