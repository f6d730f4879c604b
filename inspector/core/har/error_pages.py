"""How providers word an OAuth error on their own HTML pages, as data.

When a provider cannot trust the redirect_uri (or the client), it must not redirect the error back
(RFC 6749 §4.1.2.1) and shows its own page instead; the HAR then holds no callback, only that page.
Each row says how to recognise one provider's page and where the page states the error. Add a
row when support meets a new wording; the reader needs no other change.

Patterns are regular expressions searched case-insensitively over the page's HTML as recorded
(tags, entities and script escapes still in it; ``.`` matches newlines). What a group captures is
cleaned afterwards: tags dropped, entities and ``\\uXXXX`` escapes decoded, spaces collapsed.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ERROR_PAGES", "ErrorPageRule"]


@dataclass(frozen=True, slots=True)
class ErrorPageRule:
    provider: str
    signs: tuple[str, ...]               # every one is found in a page of this provider's
    description: tuple[str, ...] = ()    # group "text": the page's wording of the error (first found wins)
    error: tuple[str, ...] = ()          # group "code": the OAuth error code the page states (first found wins)


ERROR_PAGES: tuple[ErrorPageRule, ...] = (
    # Keycloak's error.ftl: <h1>We are sorry...</h1> <div id="kc-error-message"><p class="instruction">Invalid
    # parameter: redirect_uri</p>. It states no error code.
    ErrorPageRule(
        "keycloak",
        signs=(r"We are sorry\.\.\.|id=\"kc-error-message\"",),
        description=(r"id=\"kc-error-message\".*?<p\b[^>]*>(?P<text>.*?)</p>", r"(?P<text>Invalid parameter: \w+)"),
    ),
    # Microsoft Entra ID: the sign-in page's $Config carries "strServiceExceptionMessage":"AADSTS50011: The
    # redirect URI ... does not match ..." (JSON-escaped); older pages print the AADSTS line as text.
    ErrorPageRule(
        "entra",
        signs=(r"AADSTS\d{4,}:\s",),  # a code with its message, not a code in a table of strings
        description=(r"\"strServiceExceptionMessage\"\s*:\s*\"(?P<text>AADSTS(?:[^\"\\]|\\.)*)\"",
                     r"(?P<text>AADSTS\d{4,}:[^<\"]*)"),
    ),
    # Okta: "400 Bad Request" and "The 'redirect_uri' parameter must be a Login redirect URI in the client app
    # settings" (the quotes come as &#39; or \x27).
    ErrorPageRule(
        "okta",
        signs=(r"400 Bad Request", r"The.{1,8}?redirect_uri.{1,8}?parameter must be a Login redirect URI"),
        description=(r"(?P<text>The.{1,8}?redirect_uri.{1,8}?parameter must be a Login redirect URI[^<\"\n]*)",),
    ),
    # Auth0's generic error page: "Callback URL mismatch." and "<url> is not in the list of allowed callback URLs".
    # Its URL (/error?error=...&error_description=...) carries the error code; the reader reads it from there.
    ErrorPageRule(
        "auth0",
        signs=(r"Callback URL mismatch",),
        description=(r"(?P<text>Callback URL mismatch[^<]*)", r"(?P<text>[^<>\s]+ is not in the list of allowed"
                                                               r" callback URLs[^<]*)"),
        error=(r"(?P<code>unauthorized_client|invalid_request)\s*:\s*Callback URL mismatch",),
    ),
    # node oidc-provider's default renderError: <h1>oops! something went wrong</h1> then one
    # <pre><strong>name</strong>: value</pre> per field of the error response.
    ErrorPageRule(
        "oidc-provider",
        signs=(r"oops! something went wrong",),
        description=(r"<strong>error_description</strong>\s*:\s*(?P<text>[^<]*)",),
        error=(r"<strong>error</strong>\s*:\s*(?P<code>[^<\s]+)",),
    ),
    # Google: "Access blocked: This app's request is invalid" ... "Error 400: redirect_uri_mismatch".
    ErrorPageRule(
        "google",
        signs=(r"Error\s+\d{3}\s*:(?:\s|<[^>]*>)*[a-z][a-z0-9_]+", r"google"),
        description=(r"(?P<text>Access blocked:[^<]*)", r"(?P<text>You can.{1,8}?t sign in[^<]*)"),
        error=(r"Error\s+\d{3}\s*:(?:\s|<[^>]*>)*(?P<code>[a-z][a-z0-9_]+)",),
    ),
)
