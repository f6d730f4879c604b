"""DPoP on an API call against the real test resource server (RFC 9449 §7.1, §9): the token as
``DPoP``, a proof per attempt with ``ath``, the nonce round done once, nonces kept per origin,
and each proof kept on the answer and shown decoded."""

import json
import time

import httpx
import jwt

from inspector.core.jose.dpop import access_token_hash
from inspector.core.protocol.api_call import ApiRequest, call_api
from inspector.core.protocol.api_dpop import DpopAuthorizer
from inspector.core.protocol.dpop_session import DpopSession
from inspector.core.protocol.http import make_client
from tests.support.keys import rsa_private
from tests.support.resource_server import ResourceServer

AUD = "https://api.test"


def jwks():
    public = jwt.algorithms.RSAAlgorithm.to_jwk(rsa_private().public_key(), as_dict=True)
    return {"keys": [{**public, "kid": "rs1", "alg": "RS256"}]}


def bound_token(session, **claims):
    body = {"sub": "ann", "aud": AUD, "exp": int(time.time()) + 300, "scope": "read",
            "cnf": {"jkt": session.key.thumbprint}, **claims}
    return jwt.encode(body, rsa_private(), algorithm="RS256", headers={"kid": "rs1", "typ": "at+jwt"})


def send(api, session, token, path="/things", method="GET"):
    with make_client(timeout=10) as client:
        return call_api(client, ApiRequest(method, f"{api.url}{path}"), token, authorizer=DpopAuthorizer(session))


def test_a_bound_token_goes_as_dpop_with_a_proof_the_server_accepts():
    session = DpopSession.start()
    token = bound_token(session)
    with ResourceServer(jwks=jwks(), audience=AUD, schemes=("DPoP",)) as api:
        answer = send(api, session, token, method="POST")
    assert answer.ok and answer.findings == []
    [received] = api.received
    assert received.headers["authorization"] == f"DPoP {token}"
    [proof] = answer.decoded_proofs()
    assert proof["header"]["typ"] == "dpop+jwt" and proof["header"]["jwk"] == session.key.public_jwk
    assert proof["claims"]["htm"] == "POST" and proof["claims"]["htu"] == f"{api.url}/things"
    assert proof["claims"]["ath"] == access_token_hash(token) and "nonce" not in proof["claims"]


def test_the_nonce_round_is_done_once_and_the_nonce_is_kept_for_the_next_call():
    session = DpopSession.start()
    token = bound_token(session)
    with ResourceServer(jwks=jwks(), audience=AUD, schemes=("DPoP",), dpop_nonce="n-42") as api:
        answer = send(api, session, token)
        again = send(api, session, token)
    assert answer.ok and [exchange.status for exchange in answer.exchanges] == [401, 200]
    assert [finding.code for finding in answer.findings] == ["sent_again"]
    first, second = answer.decoded_proofs()
    assert "nonce" not in first["claims"] and second["claims"]["nonce"] == "n-42"
    assert first["claims"]["jti"] != second["claims"]["jti"]
    assert again.ok and len(again.exchanges) == 1 and again.decoded_proofs()[0]["claims"]["nonce"] == "n-42"
    document = answer.to_json()
    assert [proof["claims"]["nonce"] for proof in document["dpop_proofs"][1:]] == ["n-42"]
    assert token not in json.dumps(document)


def test_a_server_that_keeps_asking_for_a_nonce_gets_one_retry_and_a_finding():
    session = DpopSession.start()

    def always_nonce(request):
        return httpx.Response(401, headers={"www-authenticate": 'DPoP error="use_dpop_nonce"',
                                            "dpop-nonce": f"n-{request.headers['dpop'][-6:]}"})

    with make_client(timeout=5, transport=httpx.MockTransport(always_nonce)) as client:
        answer = call_api(client, ApiRequest("GET", "https://api.example/x"), "at-123",
                          authorizer=DpopAuthorizer(session))
    assert not answer.ok and len(answer.exchanges) == 2 and len(answer.proofs) == 2
    assert "use_dpop_nonce" in [finding.code for finding in answer.findings]


def test_a_proof_for_another_key_is_refused_and_the_finding_says_why():
    session, other = DpopSession.start(), DpopSession.start()
    with ResourceServer(jwks=jwks(), audience=AUD, schemes=("DPoP",)) as api:
        answer = send(api, other, bound_token(session))
    assert not answer.ok and answer.status == 401
    assert "invalid_dpop_proof" in [finding.code for finding in answer.findings]


def test_a_bearer_call_has_no_proofs():
    with make_client(timeout=5, transport=httpx.MockTransport(lambda r: httpx.Response(200))) as client:
        answer = call_api(client, ApiRequest("GET", "https://api.example/x"), "at-123")
    assert answer.proofs == [] and "dpop_proofs" not in answer.to_json()
