"""Reading the parts of an entry as browsers write them, and as odd tools and damaged files do."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest

from inspector.core.har.entries import (
    UnreadableBody, body_params, elapsed_ms, header, headers, json_object, merged, parse_started, response_text,
    server_date, split_params, url_params,
)


def test_headers_keep_pairs_in_order_and_leave_malformed_items_out():
    raw = [{"name": ":authority", "value": "idp.example"}, {"name": "Set-Cookie", "value": "a=1"},
           {"name": "set-cookie", "value": "b=2"}, {"name": "x"}, "junk", {"name": 3, "value": "v"}]
    pairs = headers(raw)
    assert pairs == ((":authority", "idp.example"), ("Set-Cookie", "a=1"), ("set-cookie", "b=2"))
    assert header(pairs, "SET-COOKIE") == "a=1" and header(pairs, "date") is None
    assert headers(None) == headers({"name": "x"}) == ()


def test_a_text_body_is_returned_as_is_and_no_body_is_none():
    assert response_text({"mimeType": "text/html", "text": "<p>é</p>"}) == "<p>é</p>"
    assert response_text({"size": 0, "mimeType": "x"}) is response_text({"text": ""}) is response_text(None) is None


def test_a_base64_body_is_decoded_in_the_charset_of_its_mime_type():
    latin = base64.b64encode("<p>é</p>".encode("latin-1")).decode()
    assert response_text({"text": latin, "encoding": "base64", "mimeType": "text/html; charset=ISO-8859-1"}) == "<p>é</p>"
    utf8 = base64.b64encode("é".encode()).decode()
    assert response_text({"text": utf8, "encoding": "base64", "mimeType": "text/plain; charset=nonsense"}) == "é"


@pytest.mark.parametrize("content", [
    {"text": "not base64!", "encoding": "base64"},                           # does not decode
    {"text": base64.b64encode(b"\xff\xfe\xfa").decode(), "encoding": "base64"},   # not UTF-8
    {"text": base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00").decode(), "encoding": "base64"},  # binary
    {"text": "GIF89a\x00\x01"},                                            # binary saved as text
])
def test_a_body_that_is_not_text_is_unreadable(content):
    with pytest.raises(UnreadableBody):
        response_text(content)


def test_a_chrome_form_has_encoded_params_and_its_text_wins():
    post = {"mimeType": "application/x-www-form-urlencoded", "text": "a=1+2&b=%2F&b=x",
            "params": [{"name": "a", "value": "WRONG"}]}
    assert body_params(post, raw_params=False) == {"a": ("1 2",), "b": ("/", "x")}


@pytest.mark.parametrize("raw_params, value", [(False, "https%3A%2F%2Fapp.example%2Fcb"),
                                               (True, "https://app.example/cb")], ids=["chrome", "firefox"])
def test_params_alone_are_decoded_as_their_browser_wrote_them(raw_params, value):
    post = {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "redirect_uri", "value": value}]}
    assert body_params(post, raw_params=raw_params) == {"redirect_uri": ("https://app.example/cb",)}


def test_json_base64_and_multipart_bodies():
    assert body_params({"mimeType": "application/json", "text": '{"a": "x", "n": 3, "l": ["p", 1], "o": null}'},
                       raw_params=False) == {"a": ("x",), "n": ("3",), "l": ("p", "1"), "o": ("null",)}
    encoded = base64.b64encode(b"grant_type=refresh_token").decode()
    assert body_params({"text": encoded, "encoding": "base64", "mimeType": "application/x-www-form-urlencoded"},
                       raw_params=False) == {"grant_type": ("refresh_token",)}
    multipart = {"mimeType": "multipart/form-data; boundary=x", "text": "--x\r\nContent-Disposition: ...",
                 "params": [{"name": "grant_type", "value": "password"}]}
    assert body_params(multipart, raw_params=True) == {"grant_type": ("password",)}
    assert body_params({"text": "[1, 2]"}, raw_params=False) is None and body_params(None, raw_params=False) is None


def test_query_and_fragment_and_merging_keep_every_value():
    query, fragment = url_params("https://app.example/cb?a=1&a=2&e=#code=c&state=s")
    assert query == {"a": ("1", "2"), "e": ("",)} and fragment == {"code": ("c",), "state": ("s",)}
    assert url_params("https://[::1/cb?code=c") == ({}, {})
    assert merged(query, {"a": ("3",)}, None) == {"a": ("1", "2", "3"), "e": ("",)}
    assert merged({}, split_params("x=1")) == {"x": ("1",)}


@pytest.mark.parametrize("text, expected", [
    ("2025-03-04T09:15:00.123Z", datetime(2025, 3, 4, 9, 15, 0, 123000, tzinfo=timezone.utc)),            # Chrome
    ("2025-03-04T10:15:00.123+01:00", datetime(2025, 3, 4, 9, 15, 0, 123000, tzinfo=timezone.utc)),       # Firefox
    ("2025-03-04T09:15:00.123456789Z", datetime(2025, 3, 4, 9, 15, 0, 123456, tzinfo=timezone.utc)),      # nanoseconds
    ("2025-03-04T09:15:00", None), ("yesterday", None), (1741079700, None), (None, None),
])
def test_started_date_time_needs_an_offset(text, expected):
    assert parse_started(text) == expected


def test_the_server_date_reads_http_dates_and_tolerates_garbage():
    assert server_date((("date", "Tue, 04 Mar 2025 09:15:07 GMT"),)) == datetime(2025, 3, 4, 9, 15, 7,
                                                                                   tzinfo=timezone.utc)
    for garbage in ("", "soon", "Tue, 99 Mar 2025 99:99:99 GMT", "Tue, 04 Mar 99999999 09:15:07 GMT"):
        assert server_date((("Date", garbage),)) is None
    assert server_date(()) is None


def test_elapsed_is_a_finite_number_of_milliseconds():
    assert elapsed_ms(42) == 42.0 and elapsed_ms(1.5) == 1.5
    assert elapsed_ms(True) is elapsed_ms(float("nan")) is elapsed_ms("12") is elapsed_ms(None) is None
    assert elapsed_ms(10**400) is None


def test_json_object_only_for_objects():
    assert json_object('{"a": 1}') == {"a": 1}
    assert json_object("[1]") is json_object("{broken") is json_object(None) is json_object("") is None
    assert json_object("{" * 100_000) is None


def test_started_offsets_compare_as_instants():
    assert parse_started("2025-03-04T10:15:00+01:00") - parse_started("2025-03-04T09:15:00Z") == timedelta(0)
