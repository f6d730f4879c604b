"""Sanitizing whole recordings (logins that went right and wrong, as Chrome and Firefox save them):
no secret survives in any form, a diagnosis still gives the same first cause, and the file is
still the recording: every entry, in order, with its timings."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.diagnosis.engine import diagnose_bytes
from inspector.core.errors import FlowCancelledError, UnusableInputError
from inspector.core.flows.cancel import CancelToken
from inspector.core.har.reader import read_har
from inspector.core.protocol.pkce import s256_challenge
from inspector.core.sanitize.har import sanitize_har
from inspector.core.sanitize.markers import Markers, challenge_of, is_marker
from tests.support.diagnosis import context
from tests.support.fuzz import any_text
from tests.support.har import HarBuilder
from tests.support.har_logins import Login, pkce_mismatch, recordings

RECORDINGS = [recording for browser in ("chrome", "firefox", "safari") for recording in recordings(browser)]
IDS = [f"{recording.browser}-{recording.name}" for recording in RECORDINGS]
_SANITIZED: dict[str, bytes] = {}


def sanitized(recording) -> bytes:
    key = f"{recording.browser}-{recording.name}"
    if key not in _SANITIZED:
        _SANITIZED[key] = sanitize_har(recording.data).data
    return _SANITIZED[key]


def secret_forms(secret: str) -> set[str]:
    """The secret as it might be found: raw, URL-encoded, base64 and base64url (padded or not)."""
    data = secret.encode()
    encoded = {base64.b64encode(data).decode(), base64.urlsafe_b64encode(data).decode()}
    return {secret, quote(secret, safe=""), quote(secret), quote_plus(secret), *encoded,
            *(form.rstrip("=") for form in encoded)}


def first_cause(data: bytes):
    report = diagnose_bytes(data, context())
    return (report.diagnoses[0].cause, report.diagnoses[0].confidence.value) if report.diagnoses else None


@pytest.mark.parametrize("recording", RECORDINGS, ids=IDS)
def test_no_secret_survives_in_any_form(recording):
    text = sanitized(recording).decode("ascii")
    assert recording.secrets
    for secret in recording.secrets:
        for form in secret_forms(secret):
            assert form not in text, (secret, form)


@pytest.mark.parametrize("recording", RECORDINGS, ids=IDS)
def test_the_diagnosis_gives_the_same_first_cause(recording):
    assert first_cause(recording.data) == recording.cause
    assert first_cause(sanitized(recording)) == recording.cause


@pytest.mark.parametrize("recording", RECORDINGS, ids=IDS)
def test_every_entry_is_kept_in_order_with_its_timings(recording):
    before, after = json.loads(recording.data)["log"], json.loads(sanitized(recording))["log"]
    assert after["version"] == "1.2" and after["creator"] == before["creator"]
    assert [{**page, "title": None} for page in after["pages"]] == [{**page, "title": None} for page in before["pages"]]
    assert len(after["entries"]) == len(before["entries"])
    for old, new in zip(before["entries"], after["entries"]):
        for name in ("startedDateTime", "time", "timings", "pageref", "serverIPAddress"):
            assert new.get(name) == old.get(name)
        assert (new["request"]["method"], new["response"]["status"]) == (old["request"]["method"],
                                                                           old["response"]["status"])
        assert [h["name"] for h in new["request"]["headers"]] == [h["name"] for h in old["request"]["headers"]]
    assert "Sanitized by Token Inspector" in after["comment"]


@pytest.mark.parametrize("recording", RECORDINGS, ids=IDS)
def test_the_sanitized_recording_reads_as_the_same_login(recording):
    kinds = [exchange.kind for exchange in read_har(recording.data).exchanges]
    assert [exchange.kind for exchange in read_har(sanitized(recording)).exchanges] == kinds


def test_the_file_is_ascii_json_with_one_entry_per_line():
    recording = RECORDINGS[0]
    lines = sanitized(recording).decode("ascii").split("\n")
    assert lines[0].endswith('"entries": [') and lines[-2].startswith("]") and lines[-1] == ""
    entries = [json.loads(line.rstrip(",")) for line in lines[1:-2]]
    assert entries == json.loads(sanitized(recording))["log"]["entries"]


def test_the_same_code_sent_twice_gets_the_same_marker_everywhere():
    recording = next(r for r in RECORDINGS if r.name == "code_sent_twice")
    tokens = [e for e in read_har(sanitized(recording)).exchanges if e.kind.value == "token"]
    callbacks = [e for e in read_har(sanitized(recording)).exchanges if e.kind.value == "callback"]
    codes = {e.param("code") for e in tokens} | {e.callback["code"][0] for e in callbacks}
    assert len(codes) == 1 and is_marker(codes.pop())


def test_the_pkce_evidence_survives():
    recording = pkce_mismatch(Login("chrome", "pkce"))
    token = next(e for e in read_har(sanitize_har(recording.data).data).exchanges if e.kind.value == "token")
    verifier_sent = next(e for e in read_har(recording.data).exchanges if e.kind.value == "token").param("code_verifier")
    assert challenge_of(token.param("code_verifier")) == s256_challenge(verifier_sent)
    report = diagnose_bytes(sanitize_har(recording.data).data, context())
    assert s256_challenge(verifier_sent) in report.diagnoses[0].summary


def test_the_counts_say_what_was_removed():
    recording = next(r for r in RECORDINGS if r.name == "clean" and r.browser == "chrome")
    counts = sanitize_har(recording.data).counts
    assert {"code", "code_verifier", "cookie", "password", "access_token", "refresh_token", "id_token",
            "authorization", "body", "value seen elsewhere"} <= set(counts)
    assert counts["body"] == 2  # the image and the compressed blob holding the access token


def test_personal_data_goes_only_when_asked():
    recording = RECORDINGS[0]
    assert b"jane@example.com" in sanitize_har(recording.data).data
    masked = sanitize_har(recording.data, mask_personal=True)
    assert b"jane@example.com" not in masked.data and masked.counts["username"] >= 1


def test_fixed_markers_make_the_output_reproducible():
    recording = RECORDINGS[0]
    assert sanitize_har(recording.data, markers=Markers(b"k" * 32)).data == \
        sanitize_har(recording.data, markers=Markers(b"k" * 32)).data != sanitize_har(recording.data).data


def browsers_extras() -> bytes:
    har = HarBuilder("chrome")
    token = "at-" + "z" * 40
    entry = har.get(f"https://app.example/cb?code=c-{'y' * 30}&state=s1")
    entry["_initiator"] = {"type": "script", "url": f"https://app.example/go?access_token={token}"}
    entry["_webSocketMessages"] = [{"type": "send", "data": json.dumps({"refresh_token": "rt-" + "w" * 30})}]
    entry["response"]["content"]["text"] = json.dumps({token: "a key", "n": 1})
    entry["comment"] = f"token {token}"
    har.pages[0]["title"] = f"https://app.example/cb?code=c-{'y' * 30}"
    return har.dumps()


def test_what_browsers_add_and_places_no_rule_names_are_sanitized_too():
    text = sanitize_har(browsers_extras()).data.decode()
    for secret in ("c-" + "y" * 30, "at-" + "z" * 40, "rt-" + "w" * 30):
        assert secret not in text


@pytest.mark.parametrize("data, words", [
    (b"<html>not json</html>", "not JSON"),
    (b'{"log": {"pages": []}}', "not a HAR recording"),
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
])
def test_unusable_input_is_a_plain_error(data, words):
    with pytest.raises(UnusableInputError, match=words):
        sanitize_har(data)


def test_json_too_deep_to_walk_is_a_plain_error():
    """json.loads parses nesting close to the recursion limit; walking it again must not be a traceback."""
    deep = "[" * 600 + "]" * 600  # within json.loads's limit, beyond a walk's (two frames a level)
    data = ('{"log": {"version": "1.2", "entries": [{"startedDateTime": "2024-01-01T00:00:00Z", '
            '"request": {"method": "GET", "url": "https://a.example/", "headers": [], "x": ' + deep + '}}]}}')
    with pytest.raises(UnusableInputError, match="too deeply to be sanitized"):
        sanitize_har(data)


def test_a_recording_over_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.har"
    path.write_bytes(RECORDINGS[0].data)
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(UnusableInputError, match="too large"):
        sanitize_har(path, max_bytes=1000)
    sanitize_har(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == checksum  # the input is never written


def test_progress_and_cancel():
    seen: list[float] = []
    sanitize_har(RECORDINGS[0].data, progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen)
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(FlowCancelledError):
        sanitize_har(RECORDINGS[0].data, cancel=cancel)


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text | st.sampled_from(
        ["code=abc", "Bearer xyz123456", "eyJa.eyJb.c", "H4sIbad", "<input name=code value=x>"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["name", "value", "text", "encoding", "mimeType", "url", "headers", "cookies", "params",
                         "code", "kty", "d", "content", "postData", "queryString", "_initiator"]), children, max_size=4),
    max_leaves=15)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_values, st.fixed_dictionaries({"request": _values, "response": _values})), max_size=4))
def test_any_entries_are_sanitized_without_an_error(entries):
    """Odd entries (anything where a browser puts an object) never stop the file: each is kept."""
    data = json.dumps({"log": {"version": "1.2", "creator": {"name": "x"}, "entries": entries}})
    result = sanitize_har(data)
    assert len(json.loads(result.data)["log"]["entries"]) == len(entries)


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~+/", min_size=8,
               max_size=60), st.text(max_size=30), st.text(max_size=30),
       st.sampled_from(["html", "script", "json-key", "image", "header", "url-path", "comment"]))
def test_a_value_removed_by_name_is_gone_wherever_else_it_stands(secret, before, after, place):
    har = HarBuilder("chrome")
    har.token("https://idp.example/token", {"grant_type": "client_credentials"}, json={"access_token": secret})
    echoed = f"{before}{secret}{after}"
    if place == "html":
        har.get("https://app.example/", text=f"<p>{echoed}</p>")
    elif place == "script":
        har.script("https://app.example/app.js")["response"]["content"]["text"] = f"var x = {json.dumps(echoed)};"
    elif place == "json-key":
        har.json("https://app.example/api", {echoed: 1})
    elif place == "image":
        har.entry("GET", "https://app.example/i.png", mime="image/png", body=echoed.encode("utf-8", "surrogatepass"))
    elif place == "header":
        har.get("https://app.example/", response_headers=[("X-Echo", echoed)])
    elif place == "url-path":
        har.get(f"https://app.example/{quote(echoed, safe='')}/x")
    else:
        har.get("https://app.example/")["comment"] = echoed
    text = sanitize_har(har.dumps()).data.decode("ascii")
    data = secret.encode()
    for form in {json.dumps(secret)[1:-1], quote(secret, safe=""), quote_plus(secret),
                 base64.b64encode(data).decode().rstrip("="), base64.urlsafe_b64encode(data).decode().rstrip("=")}:
        assert form not in text
