"""A recording's exchanges as shown: no secret of the recording in any text, wherever the browser
put it (a form, a Location header, a :path pseudo header, a URL, a cookie, a JSON answer), tokens
offered whole only for the Decoder, and the diagnoses' entries marked."""

from __future__ import annotations

from dataclasses import astuple

from inspector.core.diagnosis.model import Confidence, Diagnosis, DiagnosisReport
from inspector.core.har.model import ExchangeKind
from inspector.core.diagnosis.masking import recording_redactor
from inspector.core.har.reader import read_har
from inspector.core.redact import MASK
from inspector.ui.har_display import (
    MAX_BODY_CHARS, Mark, marks_of, show, where_to,
)
from tests.support.diagnosis import exchange, timeline
from tests.support.har_login import ACCESS, CODE, COOKIE, ID_TOKEN, PASSWORD, SECRETS, failing_login


def test_no_secret_of_the_recording_is_in_any_shown_text_of_any_exchange():
    recording = read_har(failing_login().dumps())
    redactor = recording_redactor(recording)
    for item in recording.exchanges:
        shown = show(item, redactor)
        text = repr((shown.title, shown.request_line, shown.params, shown.request_headers, shown.response_line,
                     shown.response_headers, shown.carried, shown.body, where_to(item, redactor)))
        leaked = [secret for secret in SECRETS if secret in text]
        assert leaked == [], (item.index, leaked)


def test_the_sign_in_forms_password_is_masked_and_the_code_abbreviated():
    recording = read_har(failing_login().dumps())
    login = next(e for e in recording.exchanges if e.param("password"))
    shown = show(login, recording_redactor(recording))
    assert ("password", MASK) in shown.params and ("username", "alice") in shown.params
    assert ("code", f"{CODE[:6]}…({len(CODE)} chars)") in shown.carried
    location = dict(shown.response_headers)["location"]
    assert location.startswith("https://app.example.com/callback?code=Splxl") and CODE not in location


def test_a_code_in_the_url_and_path_header_is_abbreviated_and_a_cookie_masked():
    recording = read_har(failing_login().dumps())
    redactor = recording_redactor(recording)
    delivered = [e for e in recording.exchanges if e.kind is ExchangeKind.CALLBACK and e.method == "GET"][-1]
    shown = show(delivered, redactor)
    assert "code=Splxl" in shown.request_line and CODE not in shown.request_line
    assert CODE not in dict(shown.request_headers)[":path"]
    refused = recording.exchanges[-1]
    assert dict(show(refused, redactor).request_headers)["cookie"] == MASK
    assert COOKIE not in repr(show(refused, redactor))


def test_tokens_are_offered_whole_for_the_decoder_and_abbreviated_in_the_body():
    recording = read_har(failing_login().dumps())
    answer = next(e for e in recording.exchanges if e.kind is ExchangeKind.TOKEN and e.status == 200)
    shown = show(answer, recording_redactor(recording))
    assert dict((token, label) for label, token in shown.tokens) == {
        ID_TOKEN: "Open the ID token in the Decoder", ACCESS: "Open the access token in the Decoder"}
    assert ID_TOKEN not in shown.body and ACCESS not in shown.body and '"token_type": "Bearer"' in shown.body


def test_a_bearer_token_sent_to_userinfo_is_offered_and_its_header_masked():
    userinfo = exchange(4, ExchangeKind.USERINFO, "https://login.example.com/userinfo", status=401,
                        request_headers={"Authorization": f"Bearer {ACCESS}"})
    shown = show(userinfo, recording_redactor(timeline(userinfo)))
    assert shown.tokens == (("Open the bearer token sent in the Decoder", ACCESS),)
    assert dict(shown.request_headers)["Authorization"] == MASK


def test_an_exchange_without_a_response_says_so_and_a_long_page_is_cut():
    blocked = exchange(1, ExchangeKind.AUTHORIZE, "https://login.example.com/authorize", status=0)
    assert show(blocked, recording_redactor(timeline(blocked))).response_line.startswith("No response recorded")
    page = exchange(2, ExchangeKind.ERROR_PAGE, "https://login.example.com/authorize", status=400,
                    body="<p>" + "x" * (MAX_BODY_CHARS + 50))
    body = show(page, recording_redactor(timeline(page))).body
    assert len(body) < MAX_BODY_CHARS + 100 and body.endswith("(53 more characters not shown)")


def test_where_to_is_host_and_path_without_query_or_credentials():
    item = exchange(1, ExchangeKind.AUTHORIZE, f"https://user:{PASSWORD}@login.example.com/authorize?state=x")
    assert where_to(item, recording_redactor(timeline(item))) == "login.example.com/authorize"


def test_the_root_cause_marks_its_entry_as_failing_and_later_causes_by_number():
    report = DiagnosisReport("har", (
        Diagnosis("redirect_uri_mismatch", Confidence.CERTAIN, "S.", "F.", entries=(9,)),
        Diagnosis("clock_skew", Confidence.POSSIBLE, "S.", "F.", entries=(9, 4)),
    ))
    assert {entry: astuple(mark) for entry, mark in marks_of(report).items()} == {
        9: ("error", "◀ fails"), 4: ("warning", "◀ cause 2")}


def test_a_possible_note_alone_marks_nothing_as_failing():
    report = DiagnosisReport("har", (Diagnosis("clock_skew", Confidence.POSSIBLE, "S.", "F.", entries=(3,)),))
    assert marks_of(report) == {3: Mark("warning", "◀ cause 1")}

