"""The providers' error-page table: every row is usable, and every provider has a sample page."""

from __future__ import annotations

import re

import pytest

from inspector.core.har.error_pages import ERROR_PAGES
from tests.support.error_pages import SAMPLES


@pytest.mark.parametrize("rule", ERROR_PAGES, ids=lambda rule: rule.provider)
def test_each_row_has_signs_and_its_patterns_capture_what_they_promise(rule):
    assert rule.signs
    for pattern in rule.signs:
        re.compile(pattern)
    assert all("(?P<text>" in pattern for pattern in rule.description)
    assert all("(?P<code>" in pattern for pattern in rule.error)


def test_providers_are_named_once_and_each_has_a_sample_page():
    providers = [rule.provider for rule in ERROR_PAGES]
    assert len(providers) == len(set(providers)) and set(providers) == set(SAMPLES)
