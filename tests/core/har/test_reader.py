"""Loading a recording: the three sources, every way a file can be unusable (each a plain
``unusable_input`` message), broken entries left out and counted, time order, progress, cancel."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.errors import FlowCancelledError, UnusableInputError
from inspector.core.flows.cancel import CancelToken
from inspector.core.har.model import ExchangeKind
from inspector.core.har.reader import load_har, read_har
from tests.support.har import HarBuilder

IDP, CB = "https://idp.example", "https://app.example/cb"


def login(browser: str = "chrome") -> HarBuilder:
    har = HarBuilder(browser)
    har.asset("https://app.example/logo.png")
    har.authorize(f"{IDP}/authorize", client_id="web", redirect_uri=CB, state="s1")
    har.redirect(f"{CB}?code=c1&state=s1", method="POST")
    har.callback(CB, code="c1", state="s1")
    har.token(f"{IDP}/token", {"grant_type": "authorization_code", "code": "c1", "redirect_uri": CB})
    return har


def kinds(timeline) -> list[str]:
    return [exchange.kind.value for exchange in timeline.exchanges]


def unusable(source, **options) -> UnusableInputError:
    with pytest.raises(UnusableInputError) as caught:
        read_har(source, **options)
    assert caught.value.code == "unusable_input"
    return caught.value


@pytest.mark.parametrize("as_source", [lambda har, path: har.write(path), lambda har, path: har.dumps(),
                                       lambda har, path: har.dumps().decode("utf-8")], ids=["path", "bytes", "str"])
def test_a_path_bytes_or_text_give_the_same_timeline(tmp_path, as_source):
    timeline = read_har(as_source(login(), tmp_path / "login.har"))
    assert kinds(timeline) == ["authorize", "callback", "callback", "token"]
    assert (timeline.entry_count, timeline.creator, timeline.skipped_entries) == (5, "WebInspector 537.36", 0)


def test_a_byte_order_mark_before_the_json_is_accepted_in_bytes_and_text():
    data = login().dumps()
    assert kinds(read_har(b"\xef\xbb\xbf" + data)) == kinds(read_har("\ufeff" + data.decode()))


def test_not_json_says_where_it_stopped():
    error = unusable(b"<html><body>Sign in</body></html>")
    assert "not JSON" in error.message and "line 1, column 1" in error.message and "Save" in error.hint


def test_an_empty_file_says_it_is_empty(tmp_path):
    (tmp_path / "empty.har").write_bytes(b"")
    assert "is empty" in unusable(tmp_path / "empty.har").message
    assert "is empty" in unusable(b"  \n ").message


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.999])
def test_a_truncated_file_says_it_was_cut_short(cut):
    data = login().dumps()
    assert "cut short" in unusable(data[: int(len(data) * cut)]).message


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
                                  b"GIF89a\x01\x00\x01\x00\x00\x00"], ids=["png", "zip", "gif"])
def test_binary_data_says_it_is_not_text(data):
    assert "not text (binary data)" in unusable(data).message


@pytest.mark.parametrize("document", [{"entries": []}, {"log": {}}, {"log": {"entries": {}}}, [1, 2], "log", 42,
                                      {"log": None}])
def test_json_without_log_entries_is_not_a_har(document):
    message = unusable(json.dumps(document)).message
    assert "JSON but not a HAR recording" in message and "log.entries" in message


def test_json_nested_too_deeply_is_unusable():
    assert "nested too deeply" in unusable("[" * 100_000 + "]" * 100_000).message


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path):
    path = login().write(tmp_path / "big.har")
    error = unusable(path, max_bytes=1000)
    assert "more than the 1,000 bytes" in error.message and "Record only the login" in error.hint
    assert "more than the 1,000 bytes" in unusable(login().dumps(), max_bytes=1000).message
    assert read_har(path, max_bytes=path.stat().st_size).entry_count == 5  # exactly at the cap is fine


def test_the_default_cap_is_150_mb_and_says_so(tmp_path):
    from inspector.core.har.reader import MAX_BYTES

    assert MAX_BYTES == 150_000_000
    big = tmp_path / "big.har"
    with big.open("wb") as handle:  # sparse: nothing is written but its size
        handle.truncate(MAX_BYTES + 1_500_000)
    assert "is too large to read: 151.5 MB, more than the 150 MB it can be." in unusable(big).message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.har"
    os.mkfifo(fifo)
    assert "not a regular file" in unusable(fifo).message


def test_a_device_a_folder_and_a_missing_file_are_refused(tmp_path):
    if Path("/dev/zero").exists():
        assert "not a regular file" in unusable(Path("/dev/zero")).message
    assert "is a directory, not a regular file" in unusable(tmp_path).message
    assert "Cannot read" in unusable(tmp_path / "missing.har").message
    assert "NUL byte" in unusable(Path("bad\x00name.har")).message


def test_broken_entries_are_left_out_and_counted_not_fatal():
    har = login()
    document = har.build()
    entries = document["log"]["entries"]
    del entries[0]["request"]["url"]                        # no URL
    entries.append({"response": {"status": 200}})           # no request
    entries.append("not an entry")
    entries.append({"request": {"method": 7, "url": "https://x.example/"}})
    entries.append({"request": {"url": f"{IDP}/authorize?response_type=code&client_id=web", "method": "GET"}})
    timeline = read_har(json.dumps(document))
    assert timeline.skipped_entries == 4 and timeline.entry_count == 9
    assert kinds(timeline) == ["authorize", "callback", "callback", "token", "authorize"]
    assert timeline.exchanges[-1].status == 0  # recorded without a response (blocked, aborted)


def test_exchanges_follow_started_time_across_zones_and_ties_keep_file_order():
    har = HarBuilder("firefox")  # local times with +01:00
    har.token(f"{IDP}/token", {"grant_type": "refresh_token", "refresh_token": "r"}, at=5.0)
    har.authorize(f"{IDP}/authorize", client_id="web", state="a", at=1.0)
    har.authorize(f"{IDP}/authorize", client_id="web", state="b", at=1.0)
    document = har.build()
    document["log"]["entries"][0]["startedDateTime"] = "2025-03-04T09:15:03.000Z"  # Chrome-style UTC, between
    timeline = read_har(json.dumps(document))
    assert [(exchange.kind.value, exchange.param("state")) for exchange in timeline.exchanges] == [
        ("authorize", "a"), ("authorize", "b"), ("token", None)]
    assert timeline.exchanges[2].started == datetime(2025, 3, 4, 9, 15, 3, tzinfo=timezone.utc)


def test_an_entry_without_a_usable_time_keeps_its_place_after_the_one_before_it():
    har = HarBuilder()
    har.authorize(f"{IDP}/authorize", client_id="web", state="first", at=1.0)
    har.authorize(f"{IDP}/authorize", client_id="web", state="untimed", at=9.0)["startedDateTime"] = "yesterday"
    har.authorize(f"{IDP}/authorize", client_id="web", state="last", at=2.0)
    timeline = read_har(har.dumps())
    assert [exchange.param("state") for exchange in timeline.exchanges] == ["first", "untimed", "last"]
    assert timeline.exchanges[1].started is None


def test_progress_rises_to_one_and_a_cancelled_read_raises_cancelled(tmp_path):
    path = login().write(tmp_path / "login.har")
    seen: list[float] = []
    read_har(path, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and 0 < seen[0] < 1

    token = CancelToken()
    token.cancel()
    with pytest.raises(FlowCancelledError) as caught:
        read_har(path, cancel=token)
    assert caught.value.code == "cancelled"


def test_a_cancel_during_the_read_stops_it_before_classifying(tmp_path):
    path = login().write(tmp_path / "login.har")
    token = CancelToken()

    def cancel_once_parsed(fraction: float) -> None:
        if fraction >= 0.5:
            token.cancel()

    with pytest.raises(FlowCancelledError):
        read_har(path, cancel=token, progress=cancel_once_parsed)


def test_load_har_gives_the_whole_document_for_a_rewrite():
    har = login("firefox")
    log = load_har(har.dumps())
    assert log.document == har.build() and log.entries is log.document["log"]["entries"]
    assert log.creator == "Firefox 126.0"


def test_a_timeline_of_a_recording_without_oauth_is_empty_not_an_error():
    har = HarBuilder()
    for number in range(3):
        har.asset(f"https://cdn.example/{number}.png")
        har.script(f"https://cdn.example/{number}.js")
    timeline = read_har(har.dumps())
    assert timeline.exchanges == () and timeline.entry_count == 6
    assert timeline.of_kind(ExchangeKind.TOKEN) == ()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_file_longer_than_its_stat_size_is_read_to_its_end_within_the_cap():
    status = Path("/proc/self/status")  # a regular file whose size is 0 until read, like one still being written
    assert "not JSON" in unusable(status).message
    assert "too large to read" in unusable(status, max_bytes=10).message


FIELDS = [("request",), ("request", "url"), ("request", "method"), ("request", "headers"), ("request", "postData"),
          ("request", "postData", "text"), ("request", "postData", "params"), ("request", "postData", "mimeType"),
          ("request", "postData", "encoding"), ("response",), ("response", "status"), ("response", "headers"),
          ("response", "content"), ("response", "content", "text"), ("response", "content", "encoding"),
          ("response", "content", "mimeType"), ("response", "redirectURL"), ("startedDateTime",), ("time",)]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.sampled_from(["https://[::1/x", "text/html", "base64", "302", "Tue, 04 Mar 2025 09:15:07 GMT",
                       "code=c&state=s", '{"keys": [{"kty": "RSA"}]}', "<form><input name=code value=1>"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["name", "value", "text", "mimeType", "status", "url", "method", "code", "state"]),
        children, max_size=3),
    max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_any_value_in_any_field_of_any_entry_never_breaks_the_reader(data):
    document = login("firefox").build()
    for _ in range(data.draw(st.integers(1, 4))):
        entry = data.draw(st.sampled_from(document["log"]["entries"]))
        *parents, name = data.draw(st.sampled_from(FIELDS))
        target = entry
        for parent in parents:
            target = target.setdefault(parent, {}) if isinstance(target, dict) else None
        if isinstance(target, dict):
            target[name] = data.draw(JSON_VALUES)
    timeline = read_har(json.dumps(document))
    assert timeline.entry_count == 5 and timeline.skipped_entries <= 5


def test_reading_a_har_loads_no_qt_httpx_or_crypto():
    from tests.test_layers import loaded_modules

    code = ("from inspector.core.har.reader import read_har\n"
            "from tests.support.har import HarBuilder\n"
            "har = HarBuilder()\n"
            "har.authorize('https://idp.example/authorize', client_id='web', state='s')\n"
            "assert len(read_har(har.dumps()).exchanges) == 1\n")
    modules = loaded_modules(code)
    assert not any(name.split(".")[0] in ("PySide6", "httpx", "cryptography", "jwt") for name in modules)
