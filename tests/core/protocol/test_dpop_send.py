"""One request with a DPoP proof, retried once with the server's nonce (RFC 9449 §8, §9), never looped."""

from __future__ import annotations

import httpx

from inspector.core.jose.dpop import proof_factory
from inspector.core.jose.dpop_check import check_proof
from inspector.core.jose.dpop_key import DpopKey
from inspector.core.jose.parse import decode
from inspector.core.protocol.dpop_nonce import NonceStore
from inspector.core.protocol.dpop_send import send_with_dpop
from inspector.core.protocol.http import make_client
from tests.support.dpop import NOW, counter_random

KEY = DpopKey.generate()
TOKEN_URL = "https://op.example/token"
API_URL = "https://api.example/orders?page=2"


class Server:
    """A token endpoint and an API that check each proof as RFC 9449 §4.3 says and demand ``nonces``
    in turn: the first proof must carry ``nonces[0]``... (None: no nonce needed)."""

    def __init__(self, *nonces: str | None, give_nonce: bool = True, fail: bool = False) -> None:
        self.nonces = list(nonces) or [None]
        self.give_nonce = give_nonce
        self.fail = fail
        self.requests: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail:
            raise httpx.ConnectError("refused", request=request)
        wanted = self.nonces[min(len(self.requests), len(self.nonces)) - 1]
        token = request.headers.get("authorization", "").removeprefix("DPoP ") or None
        check = check_proof(decode(request.headers["dpop"]), now=NOW, htm=request.method, htu=str(request.url),
                            nonce=wanted, access_token=token)
        refused = [f.code for f in check.findings if f.severity.value == "error"]
        if refused and refused != ["dpop_nonce_missing"] and refused != ["dpop_nonce_mismatch"]:
            return httpx.Response(400, json={"error": "invalid_dpop_proof", "error_description": str(refused)})
        headers = {"DPoP-Nonce": wanted} if wanted and self.give_nonce else {}
        if refused:
            if token is None:
                return httpx.Response(400, json={"error": "use_dpop_nonce"}, headers=headers)
            return httpx.Response(401, headers={**headers, "WWW-Authenticate": 'DPoP error="use_dpop_nonce"'})
        return httpx.Response(200, json={"ok": True}, headers={"DPoP-Nonce": wanted or "after-ok"})


def send(server: Server, url: str = TOKEN_URL, nonces: NonceStore | None = None, **kwargs):
    client = make_client(timeout=5, transport=httpx.MockTransport(server.handle))
    proofs = proof_factory(KEY, clock=lambda: NOW, random=counter_random())
    method = "GET" if "access_token" in kwargs else "POST"
    return send_with_dpop(client, method, url, proofs=proofs, nonces=NonceStore() if nonces is None else nonces,
                          data=None if method == "GET" else {"grant_type": "client_credentials"}, **kwargs)


def test_a_server_without_nonces_gets_one_request_and_its_next_nonce_is_kept():
    server, nonces = Server(None), NonceStore()
    outcome = send(server, nonces=nonces)
    assert outcome.result.exchange.status == 200 and not outcome.retried and outcome.findings == []
    assert "nonce" not in decode(outcome.proofs[0]).claims
    assert nonces.get(TOKEN_URL) == "after-ok"


def test_use_dpop_nonce_at_the_token_endpoint_is_retried_once_with_the_nonce():
    server = Server("n-1")
    outcome = send(server)
    assert [e.status for e in outcome.exchanges] == [400, 200] and len(server.requests) == 2
    first, second = (decode(proof).claims for proof in outcome.proofs)
    assert "nonce" not in first and second["nonce"] == "n-1" and first["jti"] != second["jti"]
    assert [a.nonce for a in outcome.attempts] == [None, "n-1"]
    assert [f.code for f in outcome.findings] == ["dpop_nonce_retry"]
    assert [e.request_headers["dpop"] for e in outcome.exchanges] == outcome.proofs


def test_a_second_use_dpop_nonce_is_a_finding_not_a_loop():
    server = Server("n-1", "n-2", "n-3")
    outcome = send(server)
    assert len(server.requests) == 2 and [e.status for e in outcome.exchanges] == [400, 400]
    assert [(f.code, f.severity.value) for f in outcome.findings] == [("dpop_nonce_retry", "info"),
                                                                      ("dpop_nonce_refused", "error")]


def test_use_dpop_nonce_without_a_nonce_header_is_not_retried():
    server = Server("n-1", give_nonce=False)
    outcome = send(server)
    assert len(server.requests) == 1 and [f.code for f in outcome.findings] == ["dpop_nonce_missing"]


def test_the_nonce_already_sent_is_not_sent_again():
    """A server that asks for a nonce and names the one the proof carried would refuse the retry too."""
    requests = []

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(400, json={"error": "use_dpop_nonce"}, headers={"DPoP-Nonce": "old"})

    nonces = NonceStore()
    nonces.remember(TOKEN_URL, {"DPoP-Nonce": "old"})
    server = Server()
    server.handle = handle
    outcome = send(server, nonces=nonces)
    assert len(requests) == 1 and decode(outcome.proofs[0]).claims["nonce"] == "old"
    assert [f.code for f in outcome.findings] == ["dpop_nonce_refused"]


def test_a_known_nonce_is_used_at_once():
    server, nonces = Server("n-1"), NonceStore()
    send(server, nonces=nonces)
    server.requests.clear()
    outcome = send(server, nonces=nonces)
    assert outcome.result.exchange.status == 200 and len(server.requests) == 1


def test_a_resource_request_presents_the_token_with_ath_and_answers_the_challenge():
    server = Server("api-1")
    outcome = send(server, url=API_URL, access_token="Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU")
    assert [e.status for e in outcome.exchanges] == [401, 200]
    assert all(r.headers["authorization"].startswith("DPoP Kz~8") for r in server.requests)
    claims = decode(outcome.proofs[-1]).claims
    assert claims["htu"] == "https://api.example/orders" and claims["ath"] and claims["htm"] == "GET"


def test_rebuild_gives_the_retry_a_fresh_body():
    server = Server("n-1")
    calls = []

    def rebuild():
        calls.append(1)
        return {"grant_type": "client_credentials", "client_assertion": "second"}, {"X-Try": "2"}

    send(server, rebuild=rebuild)
    assert calls == [1] and b"client_assertion=second" in server.requests[1].content
    assert server.requests[1].headers["x-try"] == "2" and "client_assertion" not in server.requests[0].content.decode()


def test_a_transport_failure_is_not_retried():
    server = Server("n-1", fail=True)
    outcome = send(server)
    assert len(server.requests) == 1 and outcome.result.finding.code == "network_error" and not outcome.findings


def test_no_proof_no_request():
    server = Server(None)
    outcome = send(server, url="/token")
    assert server.requests == [] and outcome.result.finding.code == "invalid_request"
    assert outcome.proofs == [] and "Nothing was sent" in outcome.result.finding.message
