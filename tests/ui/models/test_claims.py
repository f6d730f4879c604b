"""ClaimsModel: a correct Qt model; rows, roles and findings over a decoded token."""

from __future__ import annotations

from PySide6.QtCore import Qt

from inspector.core.findings import error, warning
from inspector.core.jose.parse import decode
from inspector.ui.models.claims import DISPLAY_LIMIT, ClaimsModel, value_text
from inspector.ui.models.roles import CategoryRole, PartRole, SeverityRole, TimeStateRole
from tests.support.jose import compact

NOW = 1_800_000_000.0


def model_for(claims: dict, header: dict | None = None) -> ClaimsModel:
    model = ClaimsModel(lambda: NOW)
    model.set_token(decode(compact(header or {"alg": "RS256", "kid": "k1"}, claims)))
    return model


def test_passes_the_qt_model_tester(qtmodeltester):
    model = model_for({"iss": "https://i", "exp": NOW - 5, "roles": ["a"], "x": {"y": 1}})
    qtmodeltester.check(model)
    model.set_findings([error("expired", "gone", claim="exp")])
    model.set_token(None)
    qtmodeltester.check(model)


def test_payload_rows_come_before_header_rows():
    model = model_for({"sub": "alice"})
    rows = [(model.index(r, 0).data(PartRole), model.index(r, 0).data()) for r in range(model.rowCount())]
    assert rows == [("payload", "sub"), ("header", "alg"), ("header", "kid")]
    assert model.index(1, 0).data(CategoryRole) == "header"


def test_header_findings_mark_the_header_row():
    model = model_for({"alg": "claim-named-alg"})
    model.set_findings([warning("jku_ignored", "ignored", claim="alg", part="header")])
    header_row = model.row_of("alg", "header")
    assert model.index(header_row, 0).data(PartRole) == "header"
    assert model.index(header_row, 0).data(SeverityRole) == "warning"
    assert model.index(model.row_of("alg"), 0).data(SeverityRole) is None


def test_the_worst_severity_wins_and_tooltips_list_findings():
    model = model_for({"aud": "x"})
    model.set_findings([warning("w", "first", claim="aud"), error("e", "second", claim="aud")])
    index = model.index(model.row_of("aud"), 0)
    assert index.data(SeverityRole) == "error"
    assert "Error: second" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_huge_values_are_cut_for_display_but_copied_whole():
    big = "x" * 10_000
    model = model_for({"blob": big})
    shown = model.index(0, 1).data()
    assert len(shown) < DISPLAY_LIMIT + 40 and shown.endswith("(10,000 characters)")
    assert value_text(big, None) == big


def test_a_non_numeric_time_claim_is_neutral():
    model = model_for({"exp": "tomorrow"})
    assert model.index(0, 1).data(TimeStateRole) == "neutral"
    assert model.index(0, 1).data() == "tomorrow"
