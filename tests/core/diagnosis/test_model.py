"""The record every front end renders: safe evidence, clean JSON, the catalogue's sentences, and
the ranking that puts the root cause first."""

import json
import string

import pytest

from inspector.core.diagnosis.causes import CAUSES, make, quote
from inspector.core.diagnosis.model import (
    Confidence, Diagnosis, DiagnosisReport, Evidence, EvidenceKind, safe_value,
)
from inspector.core.diagnosis.rank import rank


def test_evidence_masks_secrets_and_abbreviates_single_use_values():
    assert safe_value("client_secret", "s3cr3t") == "••••••"
    assert safe_value("Code_Verifier", "v" * 43) == "••••••"
    assert safe_value("client_assertion", "eyJ.x.y") == "••••••"
    assert safe_value("code", "SplxlOBeZQQYbYS6WxSbIA") == "SplxlO…(22 chars)"
    assert safe_value("refresh_token", "short") == "••••••"
    assert safe_value("error_description", "x" * 1000).endswith("…") and len(safe_value("d", "x" * 1000)) == 301
    assert safe_value("aud", ["a", "b"]) == ["a", "b"]
    assert safe_value("params", {"client_secret": "s", "scope": "openid"}) == {"client_secret": "••••••",
                                                                             "scope": "openid"}


def test_the_report_json_is_plain_data_root_cause_first():
    evidence = Evidence.of(EvidenceKind.CLAIM, "aud", "api", "token payload")
    report = DiagnosisReport("token", (Diagnosis("wrong_audience", Confidence.CERTAIN, "S.", "F.", (evidence,)),))
    data = json.loads(json.dumps(report.to_json()))
    assert data == {"input": "token", "diagnoses": [{"cause": "wrong_audience", "confidence": "certain",
                    "summary": "S.", "evidence": [{"kind": "claim", "name": "aud", "value": "api",
                                                   "where": "token payload"}], "fix": "F."}]}
    assert report.explained
    assert not DiagnosisReport("token", (Diagnosis("clock_skew", Confidence.POSSIBLE, "S.", "F."),)).explained


@pytest.mark.parametrize("code", sorted(CAUSES))
def test_every_cause_renders_its_sentences_with_or_without_its_facts(code):
    fields = {name for template in (CAUSES[code].summary, CAUSES[code].fix)
              for _text, name, _spec, _conv in string.Formatter().parse(template) if name}
    bare = make(code, Confidence.LIKELY)
    full = make(code, Confidence.LIKELY, **{name: f"<{name}>" for name in fields})
    assert "{" not in bare.summary + bare.fix and (full.summary[0].isupper() or full.summary[0] == "<")
    assert all(f"<{name}>" in full.summary + full.fix for name in fields)
    assert full.summary.endswith((".", ":", ")")) or "{detail}" in CAUSES[code].summary


def test_quote_cuts_long_values():
    assert quote("abc") == "'abc'" and quote("x" * 500).endswith("…'") and len(quote("x" * 500)) == 123


def test_the_same_cause_twice_is_merged_with_the_surer_confidence_and_both_evidences():
    one = Diagnosis("token_expired", Confidence.LIKELY, "S.", "F.", (Evidence.of(EvidenceKind.CLAIM, "exp", 1, "a"),))
    two = Diagnosis("token_expired", Confidence.CERTAIN, "S.", "F.", (Evidence.of(EvidenceKind.CLAIM, "exp", 1, "b"),
                                                                     Evidence.of(EvidenceKind.CLAIM, "exp", 1, "a")))
    (merged,) = rank([one, two])
    assert merged.confidence is Confidence.CERTAIN and [e.where for e in merged.evidence] == ["a", "b"]


def test_rank_puts_notes_last_then_orders_by_tier_then_confidence():
    found = [Diagnosis("clock_skew", Confidence.POSSIBLE, "a", ""), Diagnosis("wrong_audience", Confidence.CERTAIN,
             "b", ""), Diagnosis("wrong_token_type", Confidence.LIKELY, "c", ""),
             Diagnosis("token_expired", Confidence.LIKELY, "d", ""), Diagnosis("nonce_mismatch", Confidence.CERTAIN,
                                                                               "e", "")]
    assert [d.cause for d in rank(found)] == ["wrong_token_type", "wrong_audience", "nonce_mismatch", "token_expired",
                                              "clock_skew"]
