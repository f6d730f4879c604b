"""The HAR reader on real traffic: a login against the real provider (oidc-provider), recorded
request by request into a HAR as a browser would save it, reads back as the exchanges it was;
and the provider's own error page for an unregistered redirect_uri is recognised with its error."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from inspector.core.har.model import CallbackSource, ExchangeKind
from inspector.core.har.reader import read_har
from inspector.core.protocol.pkce import s256_challenge
from tests.support.har import HarBuilder
from tests.support.har_recorder import Recorder
from tests.support.user_agent import UserAgent

pytestmark = pytest.mark.e2e

VERIFIER = "v" * 50


def test_a_recorded_login_reads_back_as_its_exchanges(oidc_provider, unused_tcp_port):
    redirect_uri = f"http://127.0.0.1:{unused_tcp_port}/callback"
    recorder = Recorder(f"http://127.0.0.1:{unused_tcp_port}")
    agent = UserAgent()
    agent.client.close()
    agent.client = recorder.client
    with agent:
        metadata = agent.client.get(f"{oidc_provider.issuer}/.well-known/openid-configuration").json()
        query = urlencode({"client_id": "public-client", "response_type": "code", "scope": "openid email",
                           "redirect_uri": redirect_uri, "state": "st-1", "nonce": "n-1",
                           "code_challenge": s256_challenge(VERIFIER), "code_challenge_method": "S256"})
        landed = agent.authorize(f"{metadata['authorization_endpoint']}?{query}")
        code = parse_qs(urlsplit(str(landed.url)).query)["code"][0]
        tokens = agent.client.post(metadata["token_endpoint"], data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": "public-client", "code_verifier": VERIFIER}).json()
        agent.client.get(metadata["jwks_uri"])
        agent.client.get(metadata["userinfo_endpoint"], headers={"Authorization": f"Bearer {tokens['access_token']}"})

    timeline = read_har(recorder.har.dumps())
    kinds = [exchange.kind for exchange in timeline.exchanges]
    assert kinds == [ExchangeKind.DISCOVERY, ExchangeKind.AUTHORIZE, ExchangeKind.CALLBACK, ExchangeKind.CALLBACK,
                     ExchangeKind.TOKEN, ExchangeKind.JWKS, ExchangeKind.USERINFO], kinds
    sent, delivered = timeline.of_kind(ExchangeKind.CALLBACK)
    assert sent.callback_source is CallbackSource.REDIRECT_QUERY and delivered.callback_source.delivered
    assert sent.callback["code"] == delivered.callback["code"] == (code,)
    assert sent.callback["state"] == ("st-1",) and sent.callback["iss"] == (oidc_provider.issuer,)
    token = timeline.of_kind(ExchangeKind.TOKEN)[0]
    assert token.status == 200 and token.param("code") == code and token.response_json["token_type"] == "Bearer"
    assert all(exchange.server_date is not None for exchange in timeline.exchanges
               if exchange.url.startswith(oidc_provider.issuer))  # the provider's Date header


def test_the_providers_error_page_for_an_unregistered_redirect_uri_states_its_error(oidc_provider):
    har = HarBuilder()
    with httpx.Client(timeout=10) as client:
        metadata = client.get(f"{oidc_provider.issuer}/.well-known/openid-configuration").json()
        url = f"{metadata['authorization_endpoint']}?" + urlencode({
            "client_id": "public-client", "response_type": "code", "scope": "openid", "state": "st-1",
            "redirect_uri": "https://evil.example/callback"})
        answer = client.get(url)
    har.entry("GET", url, status=answer.status_code, mime=answer.headers["content-type"], text=answer.text)

    authorize, page = read_har(har.dumps()).exchanges
    assert authorize.kind is ExchangeKind.AUTHORIZE and page.kind is ExchangeKind.ERROR_PAGE
    assert page.page_provider == "oidc-provider" and page.status == 400
    assert page.callback["error"] == ("invalid_redirect_uri",)
    assert "redirect_uri" in page.callback["error_description"][0]
