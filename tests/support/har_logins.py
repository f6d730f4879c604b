"""Recorded logins for the sanitizer's and the report's tests: HARs as Chrome and Firefox save
them, each with every secret it holds and the first cause a diagnosis gives.

    for recording in recordings("firefox"):
        recording.data        # the HAR's bytes
        recording.secrets     # every value that must not survive sanitizing, in any form
        recording.cause       # ("pkce_mismatch", "certain"), or None for a login without a fault

The shapes the spec names are all here: query, fragment and form_post responses; form and JSON
request bodies; token answers as text, base64 (``encoding: "base64"``), gzip data in base64, and
text sent with ``Content-Encoding: gzip`` (already decoded, as browsers save it); cookies in
headers and in ``cookies`` arrays; Basic and Bearer credentials; a PNG carrying an access token;
a script and a page quoting secrets under no name; SAML POST and Redirect bindings.
"""

from __future__ import annotations

import base64
import gzip
import json
import random
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import urlencode

from inspector.core.protocol.pkce import s256_challenge
from tests.support.diagnosis import CLIENT, ISSUER, NOW, id_token, jwk
from tests.support.har import HarBuilder, form_post_page
from tests.support.jose import sign
from tests.support import keys as test_keys

__all__ = ["APP", "CALLBACK", "Login", "Recording", "recordings"]

APP = "https://app.example.com"
CALLBACK = f"{APP}/callback"
NONCE = "n-0S6_WzA2Mj"
GRANT_INVALID = {"error": "invalid_grant", "error_description": "grant request is invalid"}
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Recording:
    name: str
    browser: str
    data: bytes
    secrets: tuple[str, ...]
    cause: tuple[str, str] | None


@dataclass
class Login:
    """A login being recorded; every secret it puts in the recording is remembered."""

    browser: str
    name: str = "login"
    server_offset: float = 0.0
    secrets: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.har = HarBuilder(self.browser, start=datetime.fromtimestamp(NOW, timezone.utc),
                              server_offset=self.server_offset)
        self.rng = random.Random(f"{self.name}-{self.browser}")
        self.session = self.random("sid-")

    # -- values ------------------------------------------------------------------------------
    def random(self, prefix: str = "") -> str:
        """A secret: base64url of 32 random bytes (as providers make codes and tokens)."""
        value = prefix + base64.urlsafe_b64encode(self.rng.randbytes(32)).decode().rstrip("=")
        self.secrets.append(value)
        return value

    def jwt(self, token: str) -> str:
        """A JWT put in the recording: its signature is the secret part."""
        self.secrets.append(token.rsplit(".", 1)[1])
        return token

    def tokens(self, **claims: Any) -> dict[str, Any]:
        return {"access_token": self.random("at-"), "token_type": "Bearer", "expires_in": 3600,
                "refresh_token": self.random("rt-"), "id_token": self.jwt(id_token(**claims))}

    # -- entries -----------------------------------------------------------------------------
    def discovery(self, **extra: Any) -> None:
        self.har.json(f"{ISSUER}/.well-known/openid-configuration", {
            "issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/authorize", "token_endpoint": f"{ISSUER}/token",
            "jwks_uri": f"{ISSUER}/jwks", "userinfo_endpoint": f"{ISSUER}/userinfo",
            "device_authorization_endpoint": f"{ISSUER}/device", **extra})

    def authorize(self, verifier: str | None = None, method: str = "S256", **params: Any) -> None:
        values = {"client_id": CLIENT, "redirect_uri": CALLBACK, "scope": "openid profile email", "state": "st-1",
                  "nonce": NONCE, **params}
        if verifier is not None:
            values.update(code_challenge=s256_challenge(verifier) if method == "S256" else verifier,
                          code_challenge_method=method)
        self.har.authorize(f"{ISSUER}/authorize", **{k: v for k, v in values.items() if v is not None})

    def sign_in(self, location: str | None = None, page: str | None = None) -> None:
        """The sign-in form's POST: a password, a session cookie set, and the answer (a redirect
        to ``location``, or a ``page`` such as a form_post page)."""
        self.secrets.append(PASSWORD)
        form = [("username", "jane@example.com"), ("password", PASSWORD)]
        if page is not None:
            entry = self.har.post(f"{ISSUER}/login", form=form, text=page, mime="text/html")
        else:
            entry = self.har.redirect(location or CALLBACK, method="POST", form=form, url=f"{ISSUER}/login")
        self._set_cookie(entry, "idp_session", self.session)

    def callback(self, **params: str) -> dict[str, Any]:
        entry = self.har.callback(CALLBACK, **params)
        self._cookie(entry, "app_state", self.random("as-"))
        return entry

    def token(self, params: dict[str, str], body: Any = None, *, status: int = 200, json_body: bool = False,
              saved: str = "text", basic: str | None = None, at: float | None = None) -> dict[str, Any]:
        """A token request (form or ``json_body``), its answer saved as ``text``, ``base64``,
        ``gzip`` (gzip data in base64) or ``declared`` (text, sent with Content-Encoding: gzip)."""
        headers = [("Authorization", f"Basic {base64.b64encode(f'{CLIENT}:{basic}'.encode()).decode()}")] \
            if basic else []
        if basic:
            self.secrets.append(basic)
        entry = self.har.token(f"{ISSUER}/token", params, status=status, json=body if body is not None else
                               self.tokens(), json_body=json_body, at=at, request_headers=headers)
        _save(entry, saved)
        return entry

    def jwks(self) -> None:
        self.har.json(f"{ISSUER}/jwks", {"keys": [jwk()]})

    def userinfo(self, access: str, *, status: int = 200, server_time: str | None = None) -> dict[str, Any]:
        entry = self.har.json(f"{ISSUER}/userinfo", {"sub": "248289761001", "email": "jane@example.com"},
                              status=status, request_headers=[("Authorization", f"Bearer {access}")])
        if status == 401:
            entry["response"]["headers"].append({"name": "WWW-Authenticate", "value":
                                                 'Bearer error="invalid_token", error_description="jwt expired"'})
        return entry

    def app_page(self, access: str) -> None:
        """The app's own page and script quoting the access token under no known name, an image
        carrying it, and an image carrying nothing."""
        self.har.get(f"{APP}/home", text=f"<html><body><script>window.__session = {{t: '{access}'}};</script>"
                                         f"<p>Welcome</p></body></html>")
        self.har.script(f"{APP}/static/app.js", 2000)
        self.har.entry("GET", f"{APP}/avatar.png", mime="image/png", body=b"\x89PNG\r\n\x1a\n" + access.encode() * 2)
        self.har.entry("GET", f"{APP}/logo.png", mime="image/png", body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
        session = self.har.json(f"{APP}/api/session", {"user": "jane", "session": {"token": access}})
        _save(session, "gzip")
        blob = self.har.entry("GET", f"{APP}/blob", mime="application/octet-stream",
                              body=gzip.compress(bytes(range(256)) + access.encode()))
        blob["response"]["headers"].append({"name": "Content-Encoding", "value": "gzip"})

    def recording(self, cause: tuple[str, str] | None) -> Recording:
        return Recording(self.name, self.browser, self.har.dumps(), tuple(dict.fromkeys(self.secrets)), cause)

    # -- cookies -----------------------------------------------------------------------------
    def _set_cookie(self, entry: dict[str, Any], name: str, value: str) -> None:
        entry["response"]["headers"].append({"name": "Set-Cookie", "value": f"{name}={value}; Path=/; HttpOnly"})
        entry["response"]["cookies"].append({"name": name, "value": value, "path": "/", "httpOnly": True})

    def _cookie(self, entry: dict[str, Any], name: str, value: str) -> None:
        entry["request"]["headers"].append({"name": "Cookie", "value": f"{name}={value}; idp_session={self.session}"})
        entry["request"]["cookies"] += [{"name": name, "value": value}, {"name": "idp_session", "value": self.session}]


def _save(entry: dict[str, Any], saved: str) -> None:
    content = entry["response"]["content"]
    text = content.get("text")
    if saved == "text" or not text:
        return
    if saved == "declared":
        entry["response"]["headers"].append({"name": "Content-Encoding", "value": "gzip"})
        return
    data = text.encode()
    if saved == "gzip":
        data = gzip.compress(data)
        entry["response"]["headers"].append({"name": "Content-Encoding", "value": "gzip"})
    content.update(text=base64.b64encode(data).decode(), encoding="base64")


# -- the recordings --------------------------------------------------------------------------------
def _code_flow(login: Login, *, verifier: str, code: str, state: str = "st-1") -> None:
    login.discovery()
    login.authorize(verifier)
    login.sign_in(f"{CALLBACK}?code={code}&state={state}&iss={ISSUER}")
    login.callback(code=code, state=state, iss=ISSUER)


def clean(login: Login) -> Recording:
    verifier, code = login.random(), login.random()
    _code_flow(login, verifier=verifier, code=code)
    answer = login.tokens()
    login.token({"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "client_id": CLIENT,
                 "code_verifier": verifier}, answer, saved="base64")
    login.jwks()
    login.userinfo(answer["access_token"])
    login.app_page(answer["access_token"])
    return login.recording(None)


def code_sent_twice(login: Login) -> Recording:
    verifier, code = login.random(), login.random()
    _code_flow(login, verifier=verifier, code=code)
    params = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    login.token(params, saved="declared")
    login.jwks()
    login.token(params, GRANT_INVALID, status=400)
    return login.recording(("invalid_grant_code", "certain"))


def pkce_mismatch(login: Login) -> Recording:
    verifier, other, code = login.random(), login.random(), login.random()
    _code_flow(login, verifier=verifier, code=code)
    login.token({"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                 "code_verifier": other}, GRANT_INVALID, status=400, json_body=True)
    return login.recording(("pkce_mismatch", "certain"))


def pkce_plain_mismatch(login: Login) -> Recording:
    verifier, other, code = login.random(), login.random(), login.random()
    login.authorize(verifier, method="plain")
    login.sign_in(f"{CALLBACK}?code={code}&state=st-1")
    login.callback(code=code, state="st-1")
    login.token({"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                 "code_verifier": other}, GRANT_INVALID, status=400)
    return login.recording(("pkce_mismatch", "certain"))


def redirect_uri_changed(login: Login) -> Recording:
    verifier, code = login.random(), login.random()
    _code_flow(login, verifier=verifier, code=code)
    login.token({"grant_type": "authorization_code", "code": code, "redirect_uri": f"{APP}/other",
                 "code_verifier": verifier, "client_id": CLIENT, "client_secret": login.random("cs-")},
                GRANT_INVALID, status=400, saved="gzip")
    return login.recording(("redirect_uri_mismatch", "certain"))


def forged_state_in_fragment(login: Login) -> Recording:
    """An implicit-style answer in the fragment (Firefox keeps it in the recorded URL)."""
    access = login.random("at-")
    login.discovery()
    login.authorize(None, response_type="id_token token", response_mode="fragment")
    fragment = urlencode({"access_token": access, "token_type": "Bearer", "state": "forged-state",
                          "id_token": login.jwt(id_token())})
    login.sign_in(f"{CALLBACK}#{fragment}")
    login.har.callback(CALLBACK, fragment=True, access_token=access, token_type="Bearer", state="forged-state")
    return login.recording(("state_mismatch", "certain"))


def access_denied_form_post(login: Login) -> Recording:
    login.discovery()
    login.authorize(login.random(), response_mode="form_post")
    login.sign_in(page=form_post_page(CALLBACK, error="access_denied", error_description="End-User aborted",
                                      state="st-1"))
    login.har.callback(CALLBACK, method="POST", error="access_denied", error_description="End-User aborted",
                       state="st-1")
    return login.recording(("access_denied", "certain"))


def nonce_mismatch_form_post(login: Login) -> Recording:
    verifier, code = login.random(), login.random()
    login.discovery()
    login.authorize(verifier, response_mode="form_post")
    login.sign_in(page=form_post_page(CALLBACK, code=code, state="st-1"))
    login.har.callback(CALLBACK, method="POST", code=code, state="st-1")
    login.token({"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                 "code_verifier": verifier}, login.tokens(nonce="stale-nonce"), saved="base64")
    login.jwks()
    return login.recording(("nonce_mismatch", "certain"))


def rotated_key(login: Login) -> Recording:
    verifier, code = login.random(), login.random()
    _code_flow(login, verifier=verifier, code=code)
    answer = login.tokens()
    answer["id_token"] = login.jwt(id_token(index=2, kid="k7"))
    login.token({"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                 "code_verifier": verifier}, answer, saved="base64")
    login.jwks()
    return login.recording(("signing_key_rotated", "likely"))


def browser_clock_ahead(login: Login) -> Recording:
    verifier, code = login.random(), login.random()
    _code_flow(login, verifier=verifier, code=code)
    login.token({"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                 "code_verifier": verifier}, login.tokens(iat=NOW - 600, exp=NOW - 300))
    login.jwks()
    return login.recording(("clock_skew", "certain"))


def refresh_reused(login: Login) -> Recording:
    old = login.random("rt-")
    rotated = login.tokens()
    login.token({"grant_type": "refresh_token", "refresh_token": old, "client_id": CLIENT}, rotated, json_body=True,
                saved="declared")
    login.token({"grant_type": "refresh_token", "refresh_token": old, "client_id": CLIENT}, GRANT_INVALID, status=400,
                json_body=True, at=60.0)
    return login.recording(("refresh_token_invalid", "certain"))


def device_code_expired(login: Login) -> Recording:
    device = login.random("dc-")
    login.discovery()
    login.har.post(f"{ISSUER}/device", form={"client_id": CLIENT, "scope": "openid"}, json={
        "device_code": device, "user_code": "WDJB-MJHT", "verification_uri": f"{ISSUER}/device", "expires_in": 600,
        "interval": 5})
    login.token({"grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": device,
                 "client_id": CLIENT}, GRANT_INVALID, status=400, at=900.0)
    return login.recording(("device_code_expired", "certain"))


def expired_bearer(login: Login) -> Recording:
    login.discovery()
    access = login.jwt(sign({"iss": ISSUER, "sub": "x", "exp": NOW - 120}, test_keys.rsa_private(), "RS256"))
    login.userinfo(access, status=401)
    return login.recording(("token_expired", "certain"))


def invalid_client_basic(login: Login) -> Recording:
    verifier, code = login.random(), login.random()
    _code_flow(login, verifier=verifier, code=code)
    login.token({"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                 "code_verifier": verifier}, {"error": "invalid_client", "error_description":
                                              "client authentication failed"}, status=401, basic="s3cr3t-" + "k" * 20)
    return login.recording(("invalid_client", "certain"))


def keycloak_error_page(login: Login) -> Recording:
    login.discovery()
    login.har.authorize(f"{ISSUER}/authorize", client_id=CLIENT, redirect_uri="http://localhost:3000/cb", state="st-1",
                        status=400, page='<html><body><h1>We are sorry...</h1><div id="kc-error-message">'
                                         '<p class="instruction">Invalid parameter: redirect_uri</p></div></body></html>')
    return login.recording(("redirect_uri_mismatch", "certain"))


def saml_bindings(login: Login) -> Recording:
    """An IdP's SAML answers: a signed response posted by a page, and a signed Redirect-binding request."""
    signature = base64.b64encode(login.rng.randbytes(256)).decode()
    login.secrets.append(signature)
    response = (f'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="r1"><ds:Signature '
                f'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/><ds:SignatureValue>\n{signature}\n'
                f'</ds:SignatureValue></ds:Signature><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">'
                f'<saml:Subject><saml:NameID>jane@example.com</saml:NameID></saml:Subject></saml:Assertion>'
                f'</samlp:Response>')
    posted = base64.b64encode(response.encode()).decode()
    login.har.post(f"{ISSUER}/saml/login", form=[("username", "jane"), ("password", PASSWORD)], text=form_post_page(
        f"{APP}/saml/acs", SAMLResponse=posted, RelayState="rs-1"), mime="text/html")
    login.secrets.append(PASSWORD)
    login.har.post(f"{APP}/saml/acs", form=[("SAMLResponse", posted), ("RelayState", "rs-1")])
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    request = base64.b64encode(packer.compress(b'<samlp:AuthnRequest ID="q1"/>') + packer.flush()).decode()
    detached = login.random()
    login.har.get(f"{ISSUER}/saml/sso?" + urlencode({"SAMLRequest": request, "RelayState": "rs-1",
                                                      "SigAlg": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                                                      "Signature": detached}))
    return login.recording(None)


SCENARIOS: tuple[Callable[[Login], Recording], ...] = (
    clean, code_sent_twice, pkce_mismatch, pkce_plain_mismatch, redirect_uri_changed, forged_state_in_fragment,
    access_denied_form_post, nonce_mismatch_form_post, rotated_key, browser_clock_ahead, refresh_reused,
    device_code_expired, expired_bearer, invalid_client_basic, keycloak_error_page, saml_bindings,
)
_OFFSETS = {"browser_clock_ahead": -597.0}


def recordings(browser: str) -> list[Recording]:
    return [scenario(Login(browser, scenario.__name__, server_offset=_OFFSETS.get(scenario.__name__, 0.0)))
            for scenario in SCENARIOS]


def load(data: bytes) -> dict[str, Any]:
    return json.loads(data)
