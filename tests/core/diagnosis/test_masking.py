"""Every report the engine returns is masked by what the artifact sent: a provider echoing the
client secret (raw or as Basic credentials) or a token never puts it in a diagnosis, and a
sanitized recording's markers stay as they are."""

from __future__ import annotations

import httpx

from inspector.core.diagnosis.engine import diagnose_bytes, diagnose_flows, diagnose_har
from inspector.core.diagnosis.masking import masked_report, recording_redactor
from inspector.core.diagnosis.model import Confidence, Diagnosis, DiagnosisReport, Evidence, EvidenceKind
from inspector.core.har.model import ExchangeKind
from inspector.core.har.reader import read_har
from inspector.core.redact import MASK
from inspector.core.sanitize.har import sanitize_har
from tests.core.diagnosis.test_flow_record import provider, run
from tests.core.sanitize.test_har import secret_forms
from tests.support.diagnosis import context, exchange, timeline
from tests.support.echo import BASIC, SECRET, echoing_har


def leaks(report: DiagnosisReport) -> list[str]:
    text = repr(report.to_json())
    return [form for form in secret_forms(SECRET) | {BASIC} if form in text]


def test_regression_a_secret_the_token_endpoint_echoes_is_masked_in_the_har_report():
    report = diagnose_bytes(echoing_har(), context())
    assert report.diagnoses[0].cause == "invalid_client"
    assert leaks(report) == []
    descriptions = [e.value for d in report.diagnoses for e in d.evidence if e.name == "error_description"]
    assert f"client_secret {MASK} is wrong" in descriptions and f"Basic {MASK} rejected for {MASK}" in descriptions


def test_the_report_is_masked_like_the_exchanges_an_echoed_secret_included():
    secret, code = "very-secret-client-value-42", "SplxlOBeZQQYbYS6WxSbIA-4f7a9c2e"
    refused = exchange(3, ExchangeKind.TOKEN, "https://login.example.com/token", status=401,
                       params={"client_secret": secret, "code": code})
    report = DiagnosisReport("har", (Diagnosis(
        "invalid_client", Confidence.CERTAIN, f"Refused {secret}.", "Fix.",
        (Evidence.of(EvidenceKind.TEXT, "error_description", f"secret {secret} and code {code} refused",
                     "token request (HAR entry 3)"),), (3,)),))
    masked = masked_report(report, recording_redactor(timeline(refused)))
    assert secret not in str(masked) and code not in str(masked)
    assert masked.diagnoses[0].summary == f"Refused {MASK}."
    assert masked.diagnoses[0].evidence[0].value == f"secret {MASK} and code {code[:6]}…({len(code)} chars) refused"
    assert masked.diagnoses[0].entries == (3,) and masked.input == "har"


def test_a_sanitized_recordings_markers_are_no_secrets_and_stay_equal():
    sanitized = read_har(sanitize_har(echoing_har()).data)
    assert recording_redactor(sanitized).sent == ()
    report = diagnose_har(sanitized, context())
    markers = {e.value for d in report.diagnoses for e in d.evidence if e.name == "error_description"}
    assert leaks(report) == [] and all("redacted-" in value and MASK not in value for value in markers)


def test_regression_a_refresh_token_a_flow_sent_and_the_provider_echoed_is_abbreviated_in_its_report():
    sent = "original-" + "o" * 30
    fake = provider(httpx.Response(400, json={"error": "invalid_grant",
                                              "error_description": f"refresh token {sent} was revoked"}))
    report = diagnose_flows([run(fake, grant="refresh", token=sent, scope=None)], context())
    assert report.diagnoses and sent not in repr(report.to_json())
    assert f"{sent[:6]}…({len(sent)} chars)" in repr(report.to_json())
