"""The token diff: every kind of change, NumericDates as dates with the difference in words,
nested claims, opaque tokens by length and prefix, and hostile values kept inert."""

import json

import pytest

from inspector.core.errors import InspectorError
from inspector.core.jose.diff import MAX_DEPTH, NOTE_ITEMS, diff_tokens, span_words
from inspector.core.jose.parse import decode
from tests.support.storage import fake_jwt

EXP = 1_796_637_600  # 2026-12-07 10:00:00 UTC


def diff(a_claims, b_claims, a_header=None, b_header=None, **signatures):
    a = fake_jwt(a_claims, a_header, signatures.get("a", b"signature-of-token-a"))
    b = fake_jwt(b_claims, b_header, signatures.get("b", signatures.get("a", b"signature-of-token-a")))
    return diff_tokens(decode(a), decode(b))


def entry(result, name, part="payload"):
    return next(e for e in result.entries if e.name == name and e.part == part)


def test_identical_tokens_are_all_same():
    result = diff({"iss": "https://idp", "exp": EXP}, {"iss": "https://idp", "exp": EXP})
    assert result.identical
    assert {e.kind for e in result.entries} == {"same"}
    assert [e.part for e in result.entries] == ["token", "header", "header", "header", "payload", "payload",
                                                 "signature"]


def test_every_kind_of_change_is_named():
    result = diff({"iss": "a", "sub": "alice", "nonce": "n"}, {"iss": "b", "sub": "alice", "email": "e@x"})
    kinds = {e.name: e.kind for e in result.entries if e.part == "payload"}
    assert kinds == {"iss": "changed", "sub": "same", "nonce": "removed", "email": "added"}
    assert not result.identical
    assert result.counts() == {"added": 1, "removed": 1, "changed": 1, "same": 6}  # format, 3 header, sub, signature
    removed, added = entry(result, "nonce"), entry(result, "email")
    assert (removed.old, removed.old_text, removed.new_text) == ("n", '"n"', "")
    assert (added.new, added.new_text, added.old_text) == ("e@x", '"e@x"', "")
    assert "old" not in added.to_json() and "new" not in removed.to_json()


def test_header_changes_and_descriptions_come_from_the_registry():
    result = diff({"sub": "a"}, {"sub": "a"}, {"alg": "RS256", "kid": "k1"}, {"alg": "RS256", "kid": "k2"})
    kid = entry(result, "kid", "header")
    assert (kid.kind, kid.old, kid.new) == ("changed", "k1", "k2")
    assert kid.description.startswith("Key ID")
    assert entry(result, "sub").description.startswith("Subject")


def test_numeric_dates_are_dates_and_the_difference_is_in_words():
    result = diff({"exp": EXP, "iat": EXP - 3600}, {"exp": EXP + 3600, "iat": EXP - 3600})
    exp = entry(result, "exp")
    assert (exp.old_date, exp.new_date) == ("2026-12-07 10:00:00 UTC", "2026-12-07 11:00:00 UTC")
    assert exp.note == "1 hour later" and exp.delta_seconds == 3600
    assert entry(result, "iat").old_text == "2026-12-07 09:00:00 UTC"
    assert exp.to_json()["delta_seconds"] == 3600


@pytest.mark.parametrize(("seconds", "words"), [
    (1, "1 second"), (45, "45 seconds"), (3600, "1 hour"), (5400, "1 hour 30 minutes"),
    (-90061, "1 day 1 hour 1 minute 1 second"), (2 * 86400 + 59, "2 days 59 seconds"), (0.5, "0.5 seconds"), (86400 * 400, "400 days"),
])
def test_spans_are_exact(seconds, words):
    assert span_words(seconds) == words


def test_an_earlier_time_says_earlier_and_a_number_that_is_not_a_date_has_none():
    result = diff({"nbf": EXP, "auth_time": "yesterday"}, {"nbf": EXP - 90, "auth_time": EXP})
    assert entry(result, "nbf").note == "1 minute 30 seconds earlier"
    auth_time = entry(result, "auth_time")
    assert auth_time.old_date is None and auth_time.old_text == '"yesterday"'
    assert auth_time.new_date == "2026-12-07 10:00:00 UTC" and auth_time.delta_seconds is None


def test_an_out_of_range_date_is_shown_as_its_number():
    result = diff({"exp": 1e300}, {"exp": EXP})
    assert entry(result, "exp").old_text == "1e+300"


def test_the_same_moment_written_differently_is_a_change():
    """``1`` and ``1.0``, ``true`` and ``1``: equal to Python, different to a strict library."""
    result = diff({"exp": EXP, "flag": True}, {"exp": float(EXP), "flag": 1})
    assert entry(result, "exp").note == "the same moment"
    assert entry(result, "flag").kind == "changed"


def test_nested_objects_are_compared_member_by_member():
    a = {"address": {"country": "FR", "city": "Paris"}, "realm_access": {"roles": ["a"]}}
    b = {"address": {"country": "DE", "city": "Paris", "zip": "1"}, "realm_access": {"roles": ["a"]}}
    result = diff(a, b)
    assert {e.name: e.kind for e in result.entries if e.part == "payload"} == {
        "address.country": "changed", "address.city": "same", "address.zip": "added", "realm_access": "same"}
    assert entry(result, "address.zip").path == ("address", "zip")
    assert entry(result, "address.zip").to_json()["path"] == ["address", "zip"]


def test_an_object_that_became_something_else_is_one_change():
    result = diff({"cnf": {"jkt": "x"}}, {"cnf": "x"})
    assert [(e.name, e.kind) for e in result.entries if e.part == "payload"] == [("cnf", "changed")]


def test_deep_nesting_stops_at_the_depth_limit():
    def nested(depth, leaf):
        value = leaf
        for _ in range(depth):
            value = {"n": value}
        return value

    result = diff({"deep": nested(50, 1)}, {"deep": nested(50, 2)})
    [changed] = [e for e in result.entries if e.part == "payload"]
    assert len(changed.path) == MAX_DEPTH and changed.kind == "changed"


def test_list_changes_say_which_items_came_and_went():
    result = diff({"aud": ["web", "api"], "amr": ["pwd", "otp"]}, {"aud": ["web", "billing"], "amr": ["otp", "pwd"]})
    assert entry(result, "aud").note == 'added "billing"; removed "api"'
    assert entry(result, "amr").note == "the same items in another order or number"


def test_a_long_list_note_stays_short():
    result = diff({"groups": []}, {"groups": [f"group-{n}-{'x' * 100}" for n in range(50)]})
    note = entry(result, "groups").note
    assert note.endswith(f"and {50 - NOTE_ITEMS} more") and len(note) < 500


def test_the_signature_is_never_carried_whole():
    signature_a, signature_b = b"A" * 256, b"B" * 256
    result = diff({"sub": "a"}, {"sub": "a"}, a=signature_a, b=signature_b)
    signature = entry(result, "signature", "signature")
    whole = fake_jwt({"sub": "a"}, None, signature_a).split(".")[2]
    assert signature.kind == "changed" and signature.abbreviated
    assert whole not in json.dumps(result.to_json()) and whole[:20] not in signature.old_text
    assert signature.old_text.endswith(f"…({len(whole)} chars)")
    assert "characters each" in signature.note


def test_two_opaque_tokens_are_compared_by_length_and_prefix_never_whole():
    a, b = "2YotnFZFEjr1zCsicMWpAA-opaque-one", "2YotnFZFEjr1zCsicMWpAA-opaque-twoo"
    result = diff_tokens(decode(a), decode(b))
    [token] = result.entries
    assert (token.part, token.kind) == ("token", "changed")
    assert token.note == "33 → 34 characters; the first 30 characters are the same"
    text = json.dumps(result.to_json())
    assert a not in text and b not in text and a[:12] not in text
    assert diff_tokens(decode(a), decode(a)).identical


def test_an_opaque_token_and_a_jwt_cannot_be_compared():
    with pytest.raises(InspectorError) as caught:
        diff_tokens(decode(fake_jwt({"sub": "a"})), decode("opaque-token-value-123456"))
    assert caught.value.code == "not_comparable" and "Token B is opaque" in caught.value.message


def test_a_jwe_against_a_jws_changes_the_format_and_never_shows_the_ciphertext():
    jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5LWtleS1rZXk.aXZpdml2aXY.Y2lwaGVydGV4dC1jaXBoZXJ0ZXh0LWNpcGhlcg.dGFndGFn"
    result = diff_tokens(decode(jwe), decode(jwe.replace("Y2lwaGVy", "Y2lwaGVz", 1)))
    ciphertext = entry(result, "ciphertext")
    assert ciphertext.kind == "changed" and "encrypted" in ciphertext.note
    assert "Y2lwaGVydGV4dC1jaXBoZXJ0ZXh0" not in json.dumps(result.to_json())
    mixed = diff_tokens(decode(jwe), decode(fake_jwt({"sub": "a"})))
    assert entry(mixed, "format", "token").kind == "changed"


def test_hostile_names_and_values_are_kept_as_data():
    """The core keeps them exactly; front ends escape them (see tests/cli/test_diff.py)."""
    hostile = "\x1b]0;owned\x07\u202e"
    result = diff({hostile: hostile, "sub": "a"}, {"sub": hostile})
    assert entry(result, hostile).old == hostile
    assert entry(result, "sub").new == hostile
    json.dumps(result.to_json())  # serialisable


def test_to_json_shape():
    data = diff({"exp": EXP}, {"exp": EXP + 60}).to_json()
    assert set(data) == {"identical", "a", "b", "counts", "entries"}
    assert data["a"] == {"format": "jws", "length": data["a"]["length"], "alg": "RS256", "kid": "k1", "typ": "JWT"}
    exp = next(e for e in data["entries"] if e["claim"] == "exp")
    assert exp == {"part": "payload", "claim": "exp", "path": ["exp"], "kind": "changed", "old": EXP,
                   "new": EXP + 60, "old_date": "2026-12-07 10:00:00 UTC", "new_date": "2026-12-07 10:01:00 UTC",
                   "delta_seconds": 60, "note": "1 minute later", "description": exp["description"]}
