"""Bodies in every encoding a HAR holds: text as the browser decoded it, base64 decoded and encoded
again in its charset, gzip data inflated and compressed again, and what cannot be read replaced."""

import base64
import gzip
import json

import pytest

from inspector.core.sanitize.bodies import MAX_INFLATED, Bodies
from inspector.core.sanitize.markers import Markers, is_marker
from inspector.core.sanitize.needles import bytes_finder
from inspector.core.sanitize.scrubber import Scrubber

KEY = b"k" * 32
TOKEN = "at-" + "t" * 40


@pytest.fixture
def bodies():
    return Bodies(Scrubber(Markers(KEY)))


def mark(value):
    return Markers(KEY).mark(value)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_json_text_keeps_its_bytes_unless_something_is_removed(bodies):
    pretty = '{\n  "items": [1, 2],\n  "name": "x"\n}'
    assert bodies.text(pretty, "application/json") is pretty
    assert json.loads(bodies.text(f'{{"access_token": "{TOKEN}"}}', "application/json")) == {"access_token": mark(TOKEN)}


def test_text_that_declares_gzip_is_already_decoded(bodies):
    content = {"mimeType": "application/json", "text": f'{{"access_token":"{TOKEN}"}}'}
    bodies.content(content, [{"name": "Content-Encoding", "value": "gzip"}])
    assert content["text"] == json.dumps({"access_token": mark(TOKEN)})


def test_base64_text_is_decoded_sanitized_and_encoded_again_in_its_charset(bodies):
    page = f"<p>caf\u00e9</p><input name='code' value='{TOKEN}'>"
    content = {"mimeType": "text/html; charset=iso-8859-1", "encoding": "base64", "text": b64(page.encode("latin-1"))}
    bodies.content(content, [])
    assert content["encoding"] == "base64"
    assert base64.b64decode(content["text"]).decode("latin-1") == page.replace(f"'{TOKEN}'", f'"{mark(TOKEN)}"')


def test_gzip_data_is_inflated_sanitized_and_compressed_again(bodies):
    content = {"mimeType": "application/json", "encoding": "base64",
               "text": b64(gzip.compress(json.dumps({"refresh_token": TOKEN}).encode()))}
    bodies.content(content, [{"name": "content-encoding", "value": "gzip"}])
    assert json.loads(gzip.decompress(base64.b64decode(content["text"]))) == {"refresh_token": mark(TOKEN)}


def test_compressed_binary_is_checked_once_every_secret_is_known(bodies):
    holding = {"mimeType": "application/octet-stream", "encoding": "base64",
               "text": b64(gzip.compress(b"\x00\x01" + TOKEN.encode()))}
    clean = {"mimeType": "application/octet-stream", "encoding": "base64", "text": b64(gzip.compress(b"\x00\x02"))}
    original = clean["text"]
    bodies.content(holding, [])
    bodies.content(clean, [])
    bodies.check_inflated(bytes_finder([TOKEN]))
    assert is_marker(holding["text"]) and "encoding" not in holding and "secret" in holding["comment"]
    assert clean["text"] == original and bodies.inflated == []


@pytest.mark.parametrize("content, reason", [
    ({"mimeType": "image/png", "encoding": "base64", "text": "H4sI!!not base64"}, "does not decode"),
    ({"mimeType": "application/json", "encoding": "base64", "text": b64(b"\x1f\x8b\x08garbage")}, "does not inflate"),
    ({"mimeType": "text/plain", "encoding": "base64", "text": b64(gzip.compress(b"\x00" * (MAX_INFLATED + 1)))},
     "does not inflate"),
])
def test_a_body_that_cannot_be_read_is_replaced(bodies, content, reason):
    bodies.content(content, [])
    assert is_marker(content["text"]) and reason in content["comment"] and bodies.scrubber.counts["body"] == 1


def test_binary_in_an_opaque_compression_cannot_be_checked(bodies):
    content = {"mimeType": "application/octet-stream", "encoding": "base64", "text": b64(bytes(range(256)))}
    bodies.content(content, [{"name": "Content-Encoding", "value": "br"}])
    assert is_marker(content["text"]) and "(br)" in content["comment"]


def test_an_image_is_kept_byte_for_byte(bodies):
    text = b64(b"\x89PNG" + bytes(range(256)))
    content = {"mimeType": "image/png", "encoding": "base64", "text": text}
    bodies.content(content, [])
    assert content == {"mimeType": "image/png", "encoding": "base64", "text": text}


@pytest.mark.parametrize("raw, recorded", [(False, "https%3A%2F%2Fapp%2Fcb"), (True, "https://app/cb")])
def test_post_params_as_chrome_and_firefox_record_them(bodies, raw, recorded):
    """Chrome keeps params URL-encoded, Firefox decoded; the marker is the same for the same value."""
    secret, sent = "s/e+c r=t" + "x" * 10, "s%2Fe%2Bc+r%3Dt" + "x" * 10
    post = {"mimeType": "application/x-www-form-urlencoded",
            "params": [{"name": "client_secret", "value": secret if raw else sent},
                       {"name": "redirect_uri", "value": recorded}],
            "text": f"client_secret={sent}&redirect_uri=https%3A%2F%2Fapp%2Fcb"}
    bodies.post_data(post, raw)
    assert post["params"] == [{"name": "client_secret", "value": mark(secret)}, {"name": "redirect_uri", "value": recorded}]
    assert post["text"] == f"client_secret={mark(secret)}&redirect_uri=https%3A%2F%2Fapp%2Fcb"


def test_a_json_request_body(bodies):
    post = {"mimeType": "application/json", "text": json.dumps({"grant_type": "refresh_token", "refresh_token": TOKEN})}
    bodies.post_data(post, False)
    assert json.loads(post["text"]) == {"grant_type": "refresh_token", "refresh_token": mark(TOKEN)}


def test_many_compressed_binary_bodies_cannot_add_up_past_the_kept_budget(bodies, monkeypatch):
    monkeypatch.setattr("inspector.core.sanitize.bodies.MAX_INFLATED_KEPT", 1000)
    first, second = ({"mimeType": "application/octet-stream", "encoding": "base64",
                      "text": b64(gzip.compress(b"\x00" * 600))} for _ in range(2))
    bodies.content(first, [])
    bodies.content(second, [])
    assert len(bodies.inflated) == 1 and bodies.inflated_size == 600
    assert is_marker(second["text"]) and "inflate to more than can be checked" in second["comment"]
