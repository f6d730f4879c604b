"""Finding removed values in any form: the forms, the base64 cores at every byte alignment, and
the window search, which must find every needle wherever it stands, whatever the stride."""

import base64
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.sanitize.needles import (
    MIN_NEEDLE, Finder, base64_cores, bytes_finder, forms, output_finder,
)

SECRET = "at/x+y=z-" + "q" * 30


def test_the_forms_of_a_value():
    assert forms(SECRET) == {SECRET, "at%2Fx%2By%3Dz-" + "q" * 30, "at/x%2By%3Dz-" + "q" * 30,
                             base64.b64encode(SECRET.encode()).decode().rstrip("=")}  # base64url: the same here
    assert forms("\xff\xfe\xfd-?>") >= {"w7/DvsO9LT8+", "w7_DvsO9LT8-"}
    assert forms("space d+") == {"space d+", "space%20d%2B", "space+d%2B", "c3BhY2UgZCs"}
    assert forms("short") == set()


@settings(max_examples=200)
@given(st.binary(min_size=MIN_NEEDLE, max_size=60), st.binary(max_size=20), st.binary(max_size=20), st.booleans())
def test_bytes_are_found_inside_the_base64_of_anything_holding_them(data, before, after, urlsafe):
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    encoded = encode(before + data + after)
    assert any(core in encoded for core in base64_cores(data))


@settings(max_examples=200)
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=MIN_NEEDLE, max_size=120),
                min_size=1, max_size=6), st.binary(max_size=300), st.integers(min_value=0), st.data())
def test_every_needle_is_found_wherever_it_stands(values, noise, seed, data):
    needles = {value.encode(): value for value in values}
    finder = Finder(needles)
    value = data.draw(st.sampled_from(values))
    at = seed % (len(noise) + 1)
    assert value in finder.find(noise[:at] + value.encode() + noise[at:])


def test_the_stride_follows_the_needles_lengths():
    assert Finder({b"x" * 100: "x"}).stride == 0  # one needle: a substring search is cheapest
    many = {bytes([65 + index]) * 80: str(index) for index in range(20)}
    assert Finder(many).stride == 64
    assert Finder({**many, b"short-one": "s"}).stride == 64  # the short one is searched on its own
    assert not Finder({}) and Finder({}).find(b"anything") == set()


def test_the_output_finder_looks_for_json_escaped_forms_and_base64_cores():
    finder = output_finder(["pa\"ss\u00e9word", "tiny"])
    assert finder.find(json.dumps({"p": "pa\"ss\u00e9word"}).encode()) == {"pa\"ss\u00e9word"}
    body = base64.b64encode(b"\x89PNG" + "pa\"ss\u00e9word".encode()).decode()
    assert finder.find(json.dumps({"text": body}).encode()) == {"pa\"ss\u00e9word"}
    assert finder.find(b"tiny tiny") == set()  # shorter than MIN_NEEDLE: removed by name only


def test_the_bytes_finder_looks_for_raw_and_encoded_forms():
    finder = bytes_finder([SECRET])
    assert finder.find(b"\x00\x01" + SECRET.encode()) == {SECRET}
    assert finder.find(b"x=at%2Fx%2By%3Dz-" + b"q" * 30) == {SECRET}
    assert finder.find(b"nothing here") == set()
