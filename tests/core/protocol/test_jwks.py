import json

import httpx
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from inspector.core.protocol.http import make_client
from inspector.core.protocol.jwks import JwksCache

URI = "https://op.example/jwks"


def jwk(kid):
    data = json.loads(ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key()))
    return dict(data, kid=kid)


class Published:
    def __init__(self, *kids):
        self.keys = [jwk(kid) for kid in kids]
        self.fetches = 0

    def handler(self, request):
        self.fetches += 1
        return httpx.Response(200, json={"keys": self.keys})


def setup(*kids, cooldown=30.0):
    published = Published(*kids)
    now = [0.0]
    cache = JwksCache(cooldown=cooldown, clock=lambda: now[0])
    return published, cache, make_client(timeout=5, transport=httpx.MockTransport(published.handler)), now


def test_fetches_once_then_serves_from_cache():
    published, cache, client, _ = setup("a")
    first = cache.keys(client, URI, "a")
    second = cache.keys(client, URI, "a")
    assert [k.kid for k in first.keys] == ["a"] and len(first.exchanges) == 1
    assert second.exchanges == [] and published.fetches == 1


def test_unknown_kid_refetches_once_and_finds_the_rotated_key():
    published, cache, client, _ = setup("a")
    cache.keys(client, URI, "a")
    published.keys.insert(0, jwk("b"))
    result = cache.keys(client, URI, "b")
    assert result.refetched and [k.kid for k in result.keys] == ["b", "a"]
    assert published.fetches == 2


def test_refetches_on_unknown_kids_are_rate_limited():
    published, cache, client, now = setup("a", cooldown=30)
    cache.keys(client, URI, "a")
    assert cache.keys(client, URI, "made-up-1").refetched
    assert not cache.keys(client, URI, "made-up-2").refetched
    assert published.fetches == 2
    now[0] = 31
    assert cache.keys(client, URI, "made-up-3").refetched
    assert published.fetches == 3


def test_failures_are_findings():
    cache = JwksCache()
    bad = make_client(timeout=5, transport=httpx.MockTransport(lambda r: httpx.Response(200, json={"nope": 1})))
    assert [f.code for f in cache.keys(bad, URI).findings] == ["jwks_invalid"]
    down = make_client(timeout=5, transport=httpx.MockTransport(lambda r: httpx.Response(502, text="bad gateway")))
    assert [f.code for f in cache.keys(down, URI).findings] == ["server_error"]
