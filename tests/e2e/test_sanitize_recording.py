"""Sanitizing a real login against the real provider (oidc-provider), recorded request by request
into a HAR as a browser would save it (cookies, the sign-in form, Authorization headers): no
secret, cookie, code, verifier or token signature survives in the sanitized file or the report,
in any form, and diagnose says the same on both, for a good login and for a PKCE mismatch."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, parse_qsl, quote, quote_plus, urlencode, urlsplit

import httpx
import pytest

from inspector.core.diagnosis.engine import diagnose_bytes
from inspector.core.diagnosis.model import DiagnosisContext
from inspector.core.report.build import build_report
from inspector.core.report.render import render_report
from inspector.core.report.source import source_from_bytes
from inspector.core.sanitize.har import sanitize_har
from inspector.core.protocol.pkce import s256_challenge
from tests.support.har import HarBuilder
from tests.support.user_agent import UserAgent

pytestmark = pytest.mark.e2e

VERIFIER = "e2e-verifier-" + "v" * 40
_SENT = ("cookie", "authorization", "content-type")


class Recorder:
    """Every exchange of the agent, appended to a HAR: what the request sent (cookies, Authorization,
    the form) and what came back (Set-Cookie and every other header, the body)."""

    def __init__(self, browser: str, callback_origin: str) -> None:
        self.har = HarBuilder(browser, start=datetime.now(timezone.utc))  # the browser's clock is right
        self.cookies: list[str] = []
        self.client = httpx.Client(timeout=10, follow_redirects=False, event_hooks={"response": [self.record]},
                                   mounts={callback_origin: httpx.MockTransport(
                                       lambda request: httpx.Response(200, html="<p>Signed in</p>"))})

    def record(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        for header in response.headers.get_list("set-cookie"):
            self.cookies += [morsel.value for morsel in SimpleCookie(header).values() if len(morsel.value) >= 8]
        headers = [(name, value) for name, value in response.headers.multi_items() if name.lower() != "location"]
        entry = self.har.entry(request.method, str(request.url), status=response.status_code,
                               mime=response.headers.get("content-type", ""), text=response.text or None,
                               location=response.headers.get("location"), date=None, response_headers=headers,
                               request_headers=[(n, v) for n, v in request.headers.multi_items() if n.lower() in _SENT])
        if request.method == "POST":
            entry["request"]["postData"] = self.har.form_data(parse_qsl(request.content.decode(), keep_blank_values=True))


def login(provider, port: int, browser: str, verifier_sent: str = VERIFIER) -> tuple[bytes, list[str]]:
    """A recorded login; the HAR's bytes and every secret in it."""
    redirect_uri = f"http://127.0.0.1:{port}/callback"
    recorder = Recorder(browser, f"http://127.0.0.1:{port}")
    agent = UserAgent()
    agent.client.close()
    agent.client = recorder.client
    with agent:
        metadata = agent.client.get(f"{provider.issuer}/.well-known/openid-configuration").json()
        query = urlencode({"client_id": "public-client", "response_type": "code", "scope": "openid email",
                           "redirect_uri": redirect_uri, "state": "st-1", "nonce": "n-1",
                           "code_challenge": s256_challenge(VERIFIER), "code_challenge_method": "S256"})
        landed = agent.authorize(f"{metadata['authorization_endpoint']}?{query}")
        code = parse_qs(urlsplit(str(landed.url)).query)["code"][0]
        answer = agent.client.post(metadata["token_endpoint"], data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": "public-client", "code_verifier": verifier_sent}).json()
        secrets = [code, VERIFIER, verifier_sent, agent.password, *recorder.cookies]
        if "access_token" in answer:
            agent.client.get(metadata["jwks_uri"])
            agent.client.get(metadata["userinfo_endpoint"],
                             headers={"Authorization": f"Bearer {answer['access_token']}"})
            secrets += [answer["access_token"], answer["id_token"].rsplit(".", 1)[1]]
    return recorder.har.dumps(), list(dict.fromkeys(secrets))


def forms(secret: str) -> set[str]:
    data = secret.encode()
    encoded = {base64.b64encode(data).decode(), base64.urlsafe_b64encode(data).decode()}
    return {secret, quote(secret, safe=""), quote_plus(secret), *encoded, *(form.rstrip("=") for form in encoded)}


def first_cause(data: bytes):
    report = diagnose_bytes(data, DiagnosisContext())
    return (report.diagnoses[0].cause, report.diagnoses[0].confidence.value) if report.diagnoses else None


@pytest.mark.parametrize("browser", ["chrome", "firefox"])
def test_a_real_login_sanitized_holds_none_of_its_secrets(oidc_provider, unused_tcp_port, browser):
    data, secrets = login(oidc_provider, unused_tcp_port, browser)
    sanitized = sanitize_har(data).data.decode("ascii")
    report = render_report(build_report(source_from_bytes(data, "login.har")), "html").decode()
    assert len(secrets) >= 6  # the code, the verifier, the password, cookies, the access token, a signature
    for secret in secrets:
        assert not [form for form in forms(secret) if form in sanitized or form in report], secret
    assert first_cause(sanitized.encode()) == first_cause(data) is None


def test_a_real_pkce_mismatch_is_still_diagnosed_from_the_sanitized_recording(oidc_provider, unused_tcp_port):
    data, secrets = login(oidc_provider, unused_tcp_port, "firefox", verifier_sent="another-verifier-" + "w" * 40)
    sanitized = sanitize_har(data).data
    assert first_cause(data) == first_cause(sanitized) == ("pkce_mismatch", "certain")
    assert not [secret for secret in secrets if secret.encode() in sanitized]
