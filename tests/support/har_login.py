"""A browser's recording of a login that fails at the token request (the application sent
another redirect_uri there), with the secrets a real recording holds in the places browsers put
them: the sign-in form's password, the code in a Location header, a :path pseudo header and a
URL, a session cookie, and a token response with tokens in an earlier login of the same file."""

from __future__ import annotations

from tests.support.diagnosis import id_token
from tests.support.har import HarBuilder

IDP = "https://login.example.com"
APP = "https://app.example.com/callback"
PASSWORD = "hunter2-Correct-Horse"
CODE = "SplxlOBeZQQYbYS6WxSbIA-4f7a9c2e"
FIRST_CODE = "Qm9vdHN0cmFwLWNvZGUtMDAx-first"
COOKIE = "sid=s%3AJ8XkQw2pLz9Vn4Rt7Yb1"
ACCESS = "at-9F3kQ7xLp2Zs8Vn4Rt1Wb6Yc0Md5Je"
ID_TOKEN = id_token(aud="web-app")
FAILING_ENTRY = 9  # the refused token request's position in log.entries


def failing_login(browser: str = "chrome") -> HarBuilder:
    har = HarBuilder(browser)
    har.script("https://app.example.com/app.js")
    har.asset("https://app.example.com/logo.png")
    har.json(f"{IDP}/.well-known/openid-configuration", {
        "issuer": IDP, "authorization_endpoint": f"{IDP}/authorize", "token_endpoint": f"{IDP}/token",
        "jwks_uri": f"{IDP}/jwks"})
    # a first login that worked, earlier in the same recording
    har.authorize(f"{IDP}/authorize", location=f"{APP}?code={FIRST_CODE}&state=first-state-1",
                  client_id="web-app", redirect_uri=APP, state="first-state-1", scope="openid")
    har.callback(APP, code=FIRST_CODE, state="first-state-1")
    har.token(f"{IDP}/token", {"grant_type": "authorization_code", "code": FIRST_CODE, "redirect_uri": APP,
                               "client_id": "web-app"},
              json={"access_token": ACCESS, "token_type": "Bearer", "expires_in": 300, "id_token": ID_TOKEN})
    # the one that fails
    har.authorize(f"{IDP}/authorize", client_id="web-app", redirect_uri=APP, state="second-state-2", scope="openid")
    har.redirect(f"{APP}?code={CODE}&state=second-state-2", method="POST",
                 form=[("username", "alice"), ("password", PASSWORD)])
    har.callback(APP, code=CODE, state="second-state-2")
    har.token(f"{IDP}/token", {"grant_type": "authorization_code", "code": CODE,
                               "redirect_uri": "https://app.example.com/other", "client_id": "web-app"},
              status=400, json={"error": "invalid_grant", "error_description": "redirect_uri mismatch"},
              request_headers=[("Cookie", COOKIE)])
    assert len(har.entries) == FAILING_ENTRY + 1
    return har


SECRETS = (PASSWORD, CODE, FIRST_CODE, COOKIE, ACCESS, ID_TOKEN)
