"""DPoP-Nonce and use_dpop_nonce: read from answers, kept per origin."""

import httpx
import pytest

from inspector.core.protocol.dpop_nonce import NonceStore, asks_for_nonce, server_nonce


@pytest.mark.parametrize("headers, nonce", [
    ({"DPoP-Nonce": "eyJ7S_zG.eyJH0-Z.HX4w-7v"}, "eyJ7S_zG.eyJH0-Z.HX4w-7v"),
    ({"dpop-nonce": " n1 "}, "n1"),
    (httpx.Headers({"DPOP-NONCE": "n2"}), "n2"),
    ({"DPoP-Nonce": "has space"}, None),
    ({"DPoP-Nonce": 'quote"d'}, None),
    ({"DPoP-Nonce": ""}, None),
    ({}, None),
])
def test_server_nonce(headers, nonce):
    assert server_nonce(headers) == nonce


@pytest.mark.parametrize("status, body, headers, asks", [
    (400, {"error": "use_dpop_nonce", "error_description": "Authorization server requires nonce"}, {}, True),
    (401, "", {"WWW-Authenticate": 'DPoP error="use_dpop_nonce", error_description="Resource server requires '
                                   'nonce in DPoP proof"'}, True),
    (401, "", {"www-authenticate": 'Bearer realm="api", DPoP algs="ES256", error=use_dpop_nonce'}, True),
    (401, "", {"WWW-Authenticate": 'DPoP error="invalid_dpop_proof"'}, False),
    (401, "", {"WWW-Authenticate": 'DPoP error_description="use_dpop_nonce"'}, False),
    (400, {"error": "invalid_grant"}, {}, False),
    (200, {"error": "use_dpop_nonce"}, {}, False),
    (None, None, {}, False),
])
def test_asks_for_nonce(status, body, headers, asks):
    assert asks_for_nonce(status, body, headers) is asks


def test_nonces_are_kept_per_origin():
    store = NonceStore()
    assert store.get("https://op.example/token") is None
    assert store.remember("https://OP.example:443/token?x", {"DPoP-Nonce": "op-1"}) == "op-1"
    assert store.remember("https://api.example/orders", {"DPoP-Nonce": "api-1"}) == "api-1"
    assert store.get("https://op.example/par") == "op-1" and store.get("https://api.example/x") == "api-1"
    assert store.get("https://op.example:8443/token") is None
    store.remember("https://op.example/token", {"DPoP-Nonce": "op-2"})
    assert store.get("https://op.example/token") == "op-2"
    assert repr(store) == "NonceStore(origins=['https://api.example', 'https://op.example'])"


def test_an_answer_without_a_nonce_keeps_the_last_one():
    store = NonceStore()
    store.remember("https://op.example/token", {"DPoP-Nonce": "op-1"})
    assert store.remember("https://op.example/token", {}) is None
    assert store.get("https://op.example/token") == "op-1"


def test_a_url_that_is_no_origin_has_no_nonce():
    store = NonceStore()
    assert store.remember("/relative", {"DPoP-Nonce": "n"}) is None and store.get("/relative") is None
    assert repr(store) == "NonceStore(origins=[])"
