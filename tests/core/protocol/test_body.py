"""Response bodies are read within bounds: a size cap counted after decompression, and the
overall deadline checked as the body arrives. Each attack goes through ``send``, as every
endpoint's answer does."""

import gzip
import tracemalloc
import zlib

import httpx
import pytest

from inspector.core.protocol.body import MAX_RESPONSE_BYTES
from inspector.core.protocol.http import make_client, send

URL = "https://op.example/jwks"
MIB = 1024 * 1024


def _client(handler, *, timeout=5):
    return make_client(timeout=timeout, transport=httpx.MockTransport(handler))


def _streamed(chunks, **headers):
    """A handler answering with ``chunks`` as a stream: nothing is read until the client reads."""
    return lambda request: httpx.Response(200, headers={"Content-Type": "application/json", **headers},
                                          content=iter(chunks))


def _gzip(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.fixture(scope="module")
def bomb():
    """64 MiB of zeros in 64 KiB of gzip (a ratio of 1000: the audit's 1 MB bomb inflated to 1 GB)."""
    return _gzip(bytes(64 * MIB))


def _peak_while(action):
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_gzip_bomb_is_refused_as_response_too_large(bomb):
    """httpx inflated each network chunk whole and the body was read to the end: 1 MB of gzip
    grew to 1.5 GB and ended in MemoryError. Now decoding stops past the cap, holding little more."""
    client = _client(_streamed([bomb[i:i + 65536] for i in range(0, len(bomb), 65536)], **{"Content-Encoding": "gzip"}))
    result, peak = _peak_while(lambda: send(client, "GET", URL))
    assert result.finding is not None and result.finding.code == "response_too_large"
    assert "larger than 4 MiB" in result.finding.message and "decompressed" in result.finding.message
    assert result.response is None and result.exchange.status == 200 and result.exchange.error == "response_too_large"
    assert peak < 3 * MAX_RESPONSE_BYTES


def test_stacked_gzip_bomb_is_refused_without_inflating_a_layer_whole(bomb):
    """``Content-Encoding: gzip, gzip``: a few hundred bytes became the whole 64 MiB in one go."""
    twice = _gzip(bomb)
    client = _client(_streamed([twice], **{"Content-Encoding": "gzip, gzip"}))
    result, peak = _peak_while(lambda: send(client, "GET", URL))
    assert len(twice) < 1024 and result.finding.code == "response_too_large"
    assert peak < 3 * MAX_RESPONSE_BYTES


def test_endless_body_is_cut_at_the_size_cap():
    handed_out = []

    def endless():
        while True:
            handed_out.append(65536)
            if sum(handed_out) > 64 * MIB:  # the unbounded reader would go on until memory runs out
                raise AssertionError("the body was read far past any cap")
            yield b" " * 65536

    result = send(_client(_streamed(endless())), "GET", URL)
    assert result.finding.code == "response_too_large"
    assert sum(handed_out) <= MAX_RESPONSE_BYTES + 65536


def test_a_body_still_arriving_at_the_deadline_is_a_timeout():
    """A trickle seen through a fake clock: every chunk comes 1 s after the last, forever."""
    now = [0.0]

    def trickle():
        while True:
            now[0] += 1.0
            yield b" "

    result = send(_client(_streamed(trickle()), timeout=5), "GET", URL, clock=lambda: now[0])
    assert result.finding.code == "timeout" and result.exchange.error == "timeout"
    assert "within the 5 s timeout" in result.finding.message and "the whole request" in result.finding.message
    assert 5 < now[0] <= 7 and result.exchange.status == 200


def test_deeply_nested_json_from_an_endpoint_is_an_invalid_response_finding():
    """json.loads raised RecursionError out of send (an 'unexpected internal error')."""
    nested = b"[" * 100_000 + b"]" * 100_000
    result = send(_client(lambda request: httpx.Response(200, content=nested,
                                                         headers={"Content-Type": "application/json"})), "GET", URL)
    assert result.finding.code == "invalid_response" and "nested too deeply" in result.finding.message
    assert result.response is None and result.exchange.status == 200


def test_json_parsable_but_too_deep_to_render_is_an_invalid_response_finding():
    """700 levels parsed, then the redaction that renders the exchange hit Python's recursion limit."""
    nested = b"[" * 700 + b"]" * 700
    result = send(_client(lambda request: httpx.Response(200, content=nested,
                                                         headers={"Content-Type": "application/json"})), "GET", URL)
    assert result.finding.code == "invalid_response" and "nested too deeply" in result.finding.message
    assert result.exchange.to_json()["response"]["status"] == 200


@pytest.mark.parametrize("coding, encode", [
    ("gzip", _gzip),
    ("x-gzip", _gzip),
    ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send it
    ("identity", lambda data: data),
    ("gzip, gzip", lambda data: _gzip(_gzip(data))),
], ids=["gzip", "x-gzip", "deflate", "raw-deflate", "identity", "stacked"])
def test_bodies_in_the_codings_asked_for_are_decoded(coding, encode):
    document = b'{"keys": [], "padding": "' + b"x" * 300_000 + b'"}'
    result = send(_client(_streamed([encode(document)], **{"Content-Encoding": coding})), "GET", URL)
    assert result.ok and result.exchange.body["keys"] == [] and result.response.json()["keys"] == []
    assert result.exchange.response_headers["content-encoding"] == coding  # recorded as received


def test_only_codings_decoded_within_bounds_are_asked_for():
    seen = []
    send(_client(lambda request: seen.append(request.headers["accept-encoding"]) or httpx.Response(200)), "GET", URL)
    assert seen == ["gzip, deflate"]


@pytest.mark.parametrize("coding, body", [("br", b"\x0b\x02\x80{}\x03"), ("gzip", b"not gzip at all")])
def test_a_coding_not_asked_for_or_damaged_data_is_invalid_response(coding, body):
    result = send(_client(_streamed([body], **{"Content-Encoding": coding})), "GET", URL)
    assert result.finding.code == "invalid_response" and "cannot be read" in result.finding.message


def test_a_body_within_the_cap_after_a_gzip_header_is_read_whole():
    document = gzip.compress(b'{"keys": []}')
    result = send(_client(_streamed([document[:5], document[5:]], **{"Content-Encoding": "gzip"})), "GET", URL)
    assert result.ok and result.exchange.body == {"keys": []}
