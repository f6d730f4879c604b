"""The wording table is data the next person extends: every row must name a known cause, compile,
and be reachable (no row shadowed by a more general one before it)."""

import re

import pytest

from inspector.core.diagnosis.causes import CAUSES
from inspector.core.diagnosis.model import Confidence
from inspector.core.diagnosis.oauth_errors import ErrorAnswer, match
from inspector.core.diagnosis.wordings import INTERCEPTING_CA_NAMES, TLS_WORDINGS, WORDINGS


@pytest.mark.parametrize("row", WORDINGS, ids=lambda row: f"{row.provider}:{row.code or row.error or row.text}")
def test_each_row_is_well_formed_and_wins_for_its_own_wording(row):
    assert row.cause is None or row.cause in CAUSES
    Confidence(row.confidence)
    if row.text:
        re.compile(row.text)
    assert set(row.facts) <= {"detail", "fix_detail", "whose", "amount", "direction", "host", "consequence"}
    sample = re.sub(r"[\^$\\]|\(\?:?|\)\??|\|.*|\[.*?\]\*?|\.\?", "", row.text or "") if row.text else ""
    answer = ErrorAnswer(row.error, sample or None, "test", (row.code,) if row.code else (), None, sample)
    found = match(answer, grant=row.grant, endpoint=row.endpoint)
    if row.cause is not None:
        assert found is not None and found.cause == row.cause


def test_tls_and_proxy_patterns_compile():
    for pattern in TLS_WORDINGS:
        re.compile(pattern)
    for pattern, name in INTERCEPTING_CA_NAMES:
        assert re.compile(pattern) and name
