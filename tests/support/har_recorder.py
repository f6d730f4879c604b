"""HAR recordings of real traffic: an httpx client whose every response is appended to a HAR as
a browser would save it, and a login at the real provider that fails, recorded that way.

    recording = login_with_a_changed_redirect_uri(provider.issuer)   # HarBuilder, ready to write
"""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import httpx

from inspector.core.protocol.pkce import s256_challenge
from tests.support.har import HarBuilder
from tests.support.user_agent import UserAgent

__all__ = ["APP", "PASSWORD", "Recorder", "login_with_a_changed_redirect_uri"]

#: The single-page application signing in (a development server; answered without a socket).
APP = "http://127.0.0.1:5173"
#: What the person typed on the provider's sign-in page: in the recording, as in a real one.
PASSWORD = "correct horse battery staple"
_VERIFIER = "sPa-pkce-verifier-" + "k" * 40


class Recorder:
    """Every response the client receives, appended to a HAR as ``browser`` would record it, on
    this computer's clock (the servers' Date headers are their own); requests to ``app_origin``
    are answered with a page, as the application's server would."""

    def __init__(self, app_origin: str, browser: str = "firefox") -> None:
        self.har = HarBuilder(browser, start=datetime.now(timezone.utc))
        self.client = httpx.Client(timeout=10, follow_redirects=False, event_hooks={"response": [self.record]},
                                   mounts={app_origin: httpx.MockTransport(
                                       lambda request: httpx.Response(200, html="<p>Signed in</p>"))})

    def record(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        location = response.headers.get("location")
        headers = [(name, value) for name, value in response.headers.multi_items() if name.lower() != "location"]
        entry = self.har.entry(request.method, str(request.url), status=response.status_code,
                               mime=response.headers.get("content-type", ""), text=response.text or None,
                               location=location, date=None, response_headers=headers)
        if request.method == "POST":
            entry["request"]["postData"] = self.har.form_data(parse_qsl(request.content.decode(), keep_blank_values=True))


def login_with_a_changed_redirect_uri(issuer: str, browser: str = "chrome") -> HarBuilder:
    """A single-page application signs in at ``issuer`` with PKCE, then sends its token request
    with a trailing slash on the redirect URI: the provider refuses the code (invalid_grant). The
    recording has the page's own files around the login, as a real one does."""
    recorder = Recorder(APP, browser)
    har = recorder.har
    har.get(f"{APP}/", text="<!doctype html><html><head><title>Orders</title></head><body><div id=app></div>"
            "<script src=/assets/index.js></script></body></html>")
    har.script(f"{APP}/assets/index.js", size=48_000)
    har.asset(f"{APP}/assets/logo.png", size=9_000)
    har.get(f"{APP}/assets/index.css", mime="text/css", text="body{font-family:sans-serif}" * 40)
    redirect_uri = f"{APP}/callback"
    agent = UserAgent(password=PASSWORD)
    agent.client.close()
    agent.client = recorder.client
    with agent:
        metadata = agent.client.get(f"{issuer}/.well-known/openid-configuration").json()
        query = urlencode({"client_id": "public-client", "response_type": "code", "scope": "openid email profile",
                           "redirect_uri": redirect_uri, "state": "Zk3Vq9XbT2mLr8Wd", "nonce": "nN4pQ7sV2xY9",
                           "code_challenge": s256_challenge(_VERIFIER), "code_challenge_method": "S256"})
        landed = agent.authorize(f"{metadata['authorization_endpoint']}?{query}")
        har.script(f"{APP}/assets/callback.js", size=12_000)
        code = parse_qs(urlsplit(str(landed.url)).query)["code"][0]
        refused = agent.client.post(metadata["token_endpoint"], data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": f"{redirect_uri}/",
            "client_id": "public-client", "code_verifier": _VERIFIER})
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant", refused.text
    return har
