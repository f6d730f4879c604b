"""Clock skew from HTTP ``Date`` headers: parsing, the reading's maths, phrases, the decoder note."""

from __future__ import annotations

import threading
from email.utils import formatdate

import httpx
import pytest

from inspector.core.findings import error, info
from inspector.core.protocol.clock import (
    ClockBook,
    ClockReading,
    clock_skew_finding,
    format_offset,
    host_of,
    parse_http_date,
    reading_from_exchanges,
    skew_level,
)
from inspector.core.protocol.http import Exchange, make_client, send

EPOCH_1994 = 784111777.0  # Sun, 06 Nov 1994 08:49:37 GMT: RFC 9110 §5.6.7's example
NOW = 1_800_000_000.0


@pytest.mark.parametrize("text", [
    "Sun, 06 Nov 1994 08:49:37 GMT",     # IMF-fixdate (the one servers must send)
    "Sunday, 06-Nov-94 08:49:37 GMT",    # obsolete RFC 850 format
    "Sun Nov  6 08:49:37 1994",          # ANSI C asctime(): no zone, but HTTP dates are UTC
    "  Sun, 06 Nov 1994 08:49:37 GMT ",  # stray whitespace around a header value
    "Sun, 06 Nov 1994 08:49:37 -0000",   # zone "unknown": still UTC for HTTP
    "Sun, 06 Nov 1994 10:49:37 +0200",   # not valid HTTP, but unambiguous
])
def test_http_date_formats_parse_to_the_same_instant(text):
    assert parse_http_date(text) == EPOCH_1994


@pytest.mark.parametrize("text", [None, "", "   ", "garbage", "Sun, 06 Nov 1994 25:49:37 GMT",
                                  "Sun, 31 Feb 1994 08:49:37 GMT", "1994-11-06T08:49:37Z", "Sun, 06 Nov"])
def test_anything_else_is_none(text):
    assert parse_http_date(text) is None


def reading(skew: float, elapsed: float = 0.0, host: str = "login.acme.dev") -> ClockReading:
    """A reading whose estimated skew is exactly ``skew``."""
    return ClockReading(host, NOW + skew - (elapsed + 1) / 2, NOW, elapsed, f"GET https://{host}/jwks")


def test_skew_is_the_middle_of_what_the_elapsed_time_and_the_date_resolution_allow():
    slow = ClockReading("op", server_time=NOW + 100, received_at=NOW, elapsed=3.0, source="GET https://op/")
    # the server stamped it between NOW-3 and NOW (local), to the whole second: skew in [100, 104]
    assert slow.skew == pytest.approx(102.0)
    assert slow.uncertainty == pytest.approx(2.0)
    assert slow.offset == pytest.approx(-102.0)


@pytest.mark.parametrize(("skew", "phrase"), [
    (125.0, "your clock is 2 min 5 s behind login.acme.dev (± 0.6 s)"),
    (-3.0, "your clock is 3 s ahead of login.acme.dev (± 0.6 s)"),
    (0.2, "your clock matches login.acme.dev (within 0.6 s)"),
    (7300.0, "your clock is 2 h 1 min behind login.acme.dev (± 0.6 s)"),
])
def test_the_phrase_says_which_way_and_how_far(skew, phrase):
    assert reading(skew, elapsed=0.2).phrase() == phrase


@pytest.mark.parametrize(("seconds", "text"), [(2.4, "+2 s"), (-125, "−2 min 5 s"), (0.3, "0 s"), (-60, "−1 min"),
                                               (90_000, "+1 d 1 h")])
def test_offsets_are_signed_and_compact(seconds, text):
    assert format_offset(seconds) == text


@pytest.mark.parametrize(("skew", "level"), [(0, "ok"), (5, "ok"), (-5.5, "warning"), (60, "warning"),
                                             (-61, "error"), (3600, "error")])
def test_levels_are_green_to_five_seconds_amber_to_a_minute_red_beyond(skew, level):
    assert skew_level(reading(skew)) == level


def test_a_reading_comes_from_the_last_response_through_the_real_http_layer():
    served = formatdate(NOW + 125, usegmt=True)
    client = make_client(timeout=5, transport=httpx.MockTransport(
        lambda request: httpx.Response(200, json={"keys": []}, headers={"Date": served})))
    first = send(client, "GET", "https://login.acme.dev/.well-known/openid-configuration").exchange
    last = send(client, "GET", "https://keys.acme.dev/jwks").exchange
    found = reading_from_exchanges([first, last], received_at=NOW)
    assert found is not None
    assert found.host == "keys.acme.dev"
    assert found.source == "GET https://keys.acme.dev/jwks"
    assert found.server_time == NOW + 125
    assert 125 <= found.skew <= 125 + found.uncertainty * 2


def test_no_reading_without_a_response_or_a_usable_date():
    failed = Exchange("GET", "https://op/x", {}, {}, status=None, error="timeout")
    undated = Exchange("GET", "https://op/x", {}, {}, status=200, response_headers={"date": "soon"})
    assert reading_from_exchanges([], NOW) is None
    assert reading_from_exchanges([failed], NOW) is None
    assert reading_from_exchanges([undated], NOW) is None


def test_the_book_files_readings_by_host_and_by_the_issuer_they_answered_for():
    book = ClockBook()
    old, new = reading(10, host="keys.acme.dev"), ClockReading("keys.acme.dev", NOW + 200, NOW + 100, 0, "GET x")
    book.record(new, issuer="https://login.acme.dev/tenant")
    book.record(old, issuer="https://login.acme.dev")  # older: does not replace the newer one
    assert book.latest("https://login.acme.dev") is new
    assert book.latest("keys.acme.dev") is new
    assert book.latest("https://other.example") is None
    assert book.newest() is new


def test_the_book_takes_readings_from_many_threads():
    book = ClockBook()
    threads = [threading.Thread(target=lambda n=n: book.record(reading(n, host=f"h{n % 5}"))) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {book.latest(f"h{n}").host for n in range(5)} == {f"h{n}" for n in range(5)}


def test_host_of_keeps_the_port_and_drops_credentials():
    assert host_of("https://User@Login.Acme.dev:8443/x") == "login.acme.dev:8443"
    assert host_of("") == ""


def test_a_significant_skew_explains_a_time_finding():
    expired = error("expired", "The token expired 2 minutes ago.", claim="exp")
    finding = clock_skew_finding(reading(-180), [expired], {"exp": NOW - 120}, NOW)
    assert finding is not None and finding.severity.value == "info" and finding.code == "clock_skew"
    assert finding.message.startswith("Your clock is 3 min ahead of login.acme.dev: exp/nbf judgements may be off")


def test_a_claim_between_the_two_clocks_is_enough_without_a_verdict():
    # local clock 3 min behind: exp 1 min ahead locally has already passed on the server
    assert clock_skew_finding(reading(180), [], {"exp": NOW + 60}, NOW) is not None
    assert clock_skew_finding(reading(180), [], {"exp": NOW + 3600}, NOW) is None


@pytest.mark.parametrize("skew", [0.0, 30.0, -60.0])
def test_no_note_for_a_small_skew(skew):
    assert clock_skew_finding(reading(skew), [error("expired", "x")], {"exp": NOW}, NOW) is None


def test_no_note_without_a_reading_or_without_anything_timed():
    assert clock_skew_finding(None, [error("expired", "x")], {"exp": NOW}, NOW) is None
    assert clock_skew_finding(reading(600), [info("opaque", "x")], {"sub": "x", "exp": True}, NOW) is None
