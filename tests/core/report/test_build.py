"""A report's content, built only from sanitized data: the diagnoses first (the same first cause
as the original), the timeline with timings, requests and responses, the findings, and tokens as
header and claims only; nothing in it is a secret of the input."""

import dataclasses
import json

import httpx
import pytest

from inspector.core.errors import UnusableInputError
from inspector.core.report.build import build_report
from inspector.core.report.source import ReportSource, source_from_bytes, source_from_text
from inspector.core.sanitize.markers import is_marker
from tests.core.diagnosis.test_flow_record import NONCE, dated, provider, run
from tests.support.flows import json_lines
from tests.support.diagnosis import NOW, id_token
from tests.support.fake_provider import ISSUER
from tests.support.har_logins import recordings

CLOCK = lambda: NOW  # noqa: E731


def text_of(report) -> str:
    return json.dumps(dataclasses.asdict(report), default=str, ensure_ascii=False)


def har_report(recording, **options):
    return build_report(source_from_bytes(recording.data, "login.har"), clock=CLOCK, **options)


@pytest.mark.parametrize("recording", [r for browser in ("chrome", "firefox") for r in recordings(browser)],
                         ids=lambda r: f"{r.browser}-{r.name}")
def test_a_recordings_report_holds_no_secret_and_the_same_first_cause(recording):
    report = har_report(recording)
    text = text_of(report)
    assert not [secret for secret in recording.secrets if secret in text]
    first = (report.diagnoses[0].cause, report.diagnoses[0].confidence.value) if report.diagnoses else None
    assert first == recording.cause


def test_a_recordings_timeline_one_row_per_entry_with_its_timing_and_exchange():
    recording = next(r for r in recordings("chrome") if r.name == "code_sent_twice")
    report = har_report(recording)
    assert report.subject.startswith("login.har: a HAR recording (WebInspector 537.36)")
    assert report.timeline_title == "OAuth exchanges"
    titles = [step.title for step in report.steps]
    assert titles[:5] == ["discovery · HAR entry 0", "authorize · HAR entry 1", "callback · HAR entry 2",
                          "callback · HAR entry 3", "token · HAR entry 4"] and titles[-1] == "token · HAR entry 6"
    token = report.steps[-1]
    assert token.started.endswith(" UTC") and token.duration_ms == 42.5 and token.status == "400"
    request = token.exchanges[0].request
    assert request.line == "POST https://login.example.com/token" and "code=redacted-" in request.body
    assert report.removed["code"] >= 2


def test_tokens_are_shown_as_header_and_claims_only():
    recording = next(r for r in recordings("chrome") if r.name == "clean")
    views = har_report(recording).tokens
    id_view = next(view for view in views if view.where.startswith("id_token"))
    assert id_view.claims["sub"] == "248289761001" and id_view.header["alg"] == "RS256"
    assert "Signature removed" in id_view.note


def test_personal_data_when_asked():
    recording = recordings("chrome")[0]
    assert "jane@example.com" in text_of(har_report(recording))
    masked = har_report(recording, mask_personal=True)
    assert "jane@example.com" not in text_of(masked)
    assert all(is_marker(view.claims.get("name")) for view in masked.tokens if view.claims and "name" in view.claims)


def token_flow():
    fake = provider()
    fake.on("/token", dated(fake, {"access_token": "opaque-access-token-" + "a" * 30, "token_type": "Bearer",
                                   "refresh_token": "refresh-token-" + "r" * 30,
                                   "id_token": id_token(iss=ISSUER, aud="app", nonce=NONCE)}))
    return run(fake)


def test_a_flow_records_report():
    flow = token_flow()
    record = [json.loads(line) for line in json_lines(flow).splitlines()]
    report = build_report(ReportSource("flow_record", record, "record.jsonl"), clock=CLOCK)
    assert report.subject == f"record.jsonl: a flow record (auth_code) of 1 flow, {len(flow.steps)} steps"
    assert [step.title for step in report.steps] == [step.name for step in flow.steps]
    token = next(step for step in report.steps if step.title == "token")
    assert token.exchanges[0].request.line.startswith("POST ") and token.exchanges[0].response.line == "200"
    assert token.started.endswith(" UTC") and token.duration_ms is not None
    assert any(view.where.startswith("id_token") for view in report.tokens)
    text = text_of(report)
    assert "opaque-access-token-" not in text and id_token(iss=ISSUER, aud="app", nonce=NONCE).split(".")[2] not in text


def test_a_flow_records_findings_once_each_with_where_they_came_from():
    fake = provider(httpx.Response(400, json={"error": "invalid_grant", "error_description": "grant request is invalid"}))
    flow = run(fake)
    record = [json.loads(line) for line in json_lines(flow).splitlines()]
    report = build_report(ReportSource("flow_record", record, "record.jsonl"), clock=CLOCK)
    assert report.diagnoses and report.findings
    pairs = [(finding.code, finding.message) for finding in report.findings]
    assert len(pairs) == len(set(pairs)) and any(finding.where == "token" for finding in report.findings)


def test_a_tokens_report():
    token = id_token(exp=NOW - 600, iat=NOW - 4000)
    report = build_report(source_from_text(token, "the token given"), clock=CLOCK)
    assert report.subject == "the token given: a signed JWT (RS256)" and report.steps == ()
    assert report.diagnoses[0].cause == "token_expired"
    assert report.tokens[0].claims["sub"] == "248289761001" and token.split(".")[2] not in text_of(report)


def test_an_opaque_token_says_what_it_is_without_showing_it():
    report = build_report(source_from_text("opaque-token-" + "x" * 30, "history entry 3f9a"), clock=CLOCK)
    assert report.subject == "history entry 3f9a: an opaque token (not a JWT)"
    assert "opaque-token-" not in text_of(report) and report.removed == {"token": 1}


def test_what_is_not_a_token():
    with pytest.raises(UnusableInputError, match="not a token"):
        build_report(ReportSource("token", "a b", "the input"), clock=CLOCK)
