"""Our PAR protocol code (inspector.core.protocol.par) against the real oidc-provider: the choice
from its metadata, the authenticated push, the browser sent with only client_id and request_uri,
and the provider's refusals (a wrong secret, a used request_uri, a missing DPoP nonce)."""

from functools import partial
from urllib.parse import parse_qsl, urlsplit

import pytest

from inspector.core.protocol.client_auth import apply_client_auth
from inspector.core.protocol.http import make_client, send
from inspector.core.protocol.par import browser_url, choose, expiry_finding, push
from tests.support.direct_client import DPoPKey, authorization, browser_answer, metadata, redeem, sign_in

pytestmark = pytest.mark.e2e


def basic(provider, client_id, secret=None):
    return partial(apply_client_auth, "client_secret_basic", client_id=client_id,
                   secret=secret or provider.secrets[client_id], audience=provider.issuer)


def test_par_follows_each_providers_metadata(oidc_provider, oidc_provider_strict):
    relaxed = choose(metadata(oidc_provider), None)
    assert not relaxed.use and relaxed.endpoint == f"{oidc_provider.issuer}/request"
    assert choose(metadata(oidc_provider), True).use
    strict = choose(metadata(oidc_provider_strict), None)
    assert strict.use and strict.required and strict.findings == ()


def test_a_pushed_request_signs_in_with_only_client_id_and_request_uri_in_the_browser(oidc_provider):
    found = metadata(oidc_provider)
    request = authorization("par-required-client")
    with make_client(timeout=10) as client:
        answer = push(client, choose(found, True).endpoint, request.params,
                      authenticate=basic(oidc_provider, "par-required-client"))
    assert answer.ok, [f.to_json() for f in answer.findings]
    assert answer.findings == [] and answer.pushed.expires_in == 60
    url = browser_url(found["authorization_endpoint"], "par-required-client", answer.pushed.request_uri)
    assert parse_qsl(urlsplit(url).query) == [("client_id", "par-required-client"),
                                              ("request_uri", answer.pushed.request_uri)]
    back = sign_in(url)
    assert back["state"] == request.params["state"]
    tokens = redeem(oidc_provider, request, back["code"], auth=("par-required-client",
                                                                oidc_provider.secrets["par-required-client"]))
    assert tokens.status_code == 200, tokens.text


def test_a_private_key_jwt_client_pushes_with_its_assertion(oidc_provider):
    authenticate = partial(apply_client_auth, "private_key_jwt", client_id="jwt-client",
                           key_pem=oidc_provider.key_pem_path.read_bytes(), key_id="jwt-client-key-1",
                           audience=oidc_provider.issuer)
    with make_client(timeout=10) as client:
        answer = push(client, metadata(oidc_provider)["pushed_authorization_request_endpoint"],
                      authorization("jwt-client").params, authenticate=authenticate)
    assert answer.ok, [f.to_json() for f in answer.findings]


def test_a_wrong_secret_is_refused_in_plain_words(oidc_provider):
    with make_client(timeout=10) as client:
        answer = push(client, metadata(oidc_provider)["pushed_authorization_request_endpoint"],
                      authorization("par-required-client").params,
                      authenticate=basic(oidc_provider, "par-required-client", "wrong-secret"))
    assert not answer.ok and answer.oauth_error == "invalid_client"
    assert "did not accept the client's authentication" in answer.findings[0].message


def test_a_request_uri_serves_one_sign_in(oidc_provider):
    found = metadata(oidc_provider)
    with make_client(timeout=10) as client:
        answer = push(client, found["pushed_authorization_request_endpoint"], authorization("basic-client").params,
                      authenticate=basic(oidc_provider, "basic-client"))
    query = {"client_id": "basic-client", "request_uri": answer.pushed.request_uri}
    assert "code" in browser_answer(oidc_provider, query)
    again = browser_answer(oidc_provider, query)
    assert again["error"] == "invalid_request_uri"


def test_the_lifetime_the_provider_gives_is_the_one_respected(oidc_provider):
    now = [1000.0]
    with make_client(timeout=10) as client:
        answer = push(client, metadata(oidc_provider)["pushed_authorization_request_endpoint"],
                      authorization("basic-client").params, authenticate=basic(oidc_provider, "basic-client"),
                      clock=lambda: now[0])
    assert expiry_finding(answer.pushed, now[0] + 30) is None
    assert expiry_finding(answer.pushed, now[0] + answer.pushed.expires_in).code == "request_uri_expired"


def test_a_dpop_proof_without_the_nonce_is_answered_with_the_nonce_to_use(oidc_provider_strict):
    key = DPoPKey()
    endpoint = metadata(oidc_provider_strict)["pushed_authorization_request_endpoint"]
    with make_client(timeout=10) as client:
        def with_proof(proof):
            def send_form(url, build):
                body, headers = build()
                return send(client, "POST", url, data=body, headers={**headers, "DPoP": proof})
            return send_form

        first = push(client, endpoint, authorization("dpop-client").params,
                     send_form=with_proof(key.proof("POST", endpoint)))
        assert first.oauth_error == "use_dpop_nonce" and [f.code for f in first.findings] == ["par_error"]
        nonce = first.exchange.response_headers["dpop-nonce"]
        second = push(client, endpoint, authorization("dpop-client").params,
                      send_form=with_proof(key.proof("POST", endpoint, nonce=nonce)))
    assert second.ok, [f.to_json() for f in second.findings]
