"""The by-value rule on a whole document: a value removed under its name is removed wherever else
it stands (text, keys, numbers, base64 bodies), and what still holds one after that goes whole."""

import base64
import json

import pytest

from inspector.core.errors import UnusableInputError
from inspector.core.sanitize.cleaner import ELSEWHERE, Cleaner, sanitize_document
from inspector.core.sanitize.markers import Markers, is_marker
from inspector.core.sanitize.scrubber import Scrubber

KEY = b"k" * 32
TOKEN = "opaque-token-" + "o" * 30


def test_a_value_removed_by_name_is_removed_where_no_name_says_what_it_is():
    document = {"access_token": TOKEN, "note": f"the token {TOKEN} again", TOKEN: "as a key", "n": 123456789012,
                "body": {"encoding": "base64", "text": base64.b64encode(b"\x89PNG" + TOKEN.encode()).decode()}}
    scrubber = Scrubber(Markers(KEY))
    scrubber.note("123456789012", Markers(KEY).mark("123456789012"))
    cleaned, scrubber = sanitize_document(document, scrubber=scrubber)
    text = json.dumps(cleaned)
    assert TOKEN not in text and "123456789012" not in text
    assert cleaned["note"] == f"the token {Markers(KEY).mark(TOKEN)} again"
    assert is_marker(cleaned["body"]["text"]) and "encoding" not in cleaned["body"]
    assert scrubber.counts[ELSEWHERE] >= 3 and scrubber.counts["access_token"] == 1


def test_the_whole_round_replaces_any_string_still_holding_a_value():
    scrubber = Scrubber(Markers(KEY))
    scrubber.note(TOKEN, Markers(KEY).mark(TOKEN))
    hidden = base64.b64encode(b"xx" + TOKEN.encode()).decode()  # inside base64, but not a body
    assert is_marker(Cleaner({TOKEN}, scrubber, whole=True).value({"t": hidden})["t"])
    assert Cleaner({TOKEN}, scrubber, whole=True).value({"t": "clean", "n": 1}) == {"t": "clean", "n": 1}


def test_a_document_without_secrets_is_unchanged():
    document = {"a": [1, "two", {"three": None}]}
    assert sanitize_document(document)[0] == document


def test_a_document_too_deep_to_walk_is_a_plain_error():
    deep: list = []
    for _ in range(1000):
        deep = [deep]
    with pytest.raises(UnusableInputError, match="too deeply"):
        sanitize_document(deep)
