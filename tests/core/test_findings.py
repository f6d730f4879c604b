"""Findings are data with a stable JSON shape (the CLI contract of issue 2)."""

import dataclasses

import pytest

from inspector.core.findings import Finding, Severity, error, has_errors, info, warning


def test_constructors_set_the_severity_and_where_the_finding_points():
    assert error("expired", "m", claim="exp", part="payload") == Finding("expired", Severity.ERROR, "m", "exp", "payload")
    assert warning("weak_hmac_key", "m").severity is Severity.WARNING
    assert info("http_loopback", "m").severity is Severity.INFO


def test_json_has_code_severity_message_and_claim_only_when_there_is_one():
    assert error("expired", "It expired.", claim="exp").to_json() == {
        "code": "expired", "severity": "error", "message": "It expired.", "claim": "exp"}
    assert warning("w", "m", part="header").to_json() == {"code": "w", "severity": "warning", "message": "m"}


def test_has_errors_ignores_warnings_and_info():
    assert not has_errors([warning("w", "m"), info("i", "m")])
    assert has_errors(iter([info("i", "m"), error("e", "m")]))
    assert not has_errors([])


def test_findings_are_immutable_so_a_report_cannot_be_edited_after_the_fact():
    with pytest.raises(dataclasses.FrozenInstanceError):
        error("e", "m").severity = Severity.INFO


def test_severity_order_words_and_marks_live_on_the_severity():
    assert sorted(Severity, key=lambda s: -s.rank) == [Severity.ERROR, Severity.WARNING, Severity.INFO]
    assert [s.label for s in Severity] == ["error", "warning", "note"]
    assert [s.mark for s in Severity] == ["✖", "⚠", "ℹ"]
