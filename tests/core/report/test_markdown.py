"""The Markdown report: provider text reads as itself (no links, images, emphasis, headings or
HTML of its own), bodies in fences no backtick run can close, control characters escaped."""

import re

import pytest

from inspector.core.report.build import build_report
from inspector.core.report.markdown import block, render_markdown, words
from inspector.core.report.source import source_from_bytes
from tests.core.report.hostile import hostile_report
from tests.core.sanitize.test_har import secret_forms
from tests.support.diagnosis import NOW
from tests.support.har_logins import recordings


def outside_fences(text: str) -> str:
    kept, fence = [], None
    for line in text.split("\n"):
        opening = re.match(r"^(`{3,})", line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and line == fence:
            fence = None
        elif fence is None:
            kept.append(line)
    return "\n".join(kept)


def test_words_cannot_format_link_or_inject():
    assert words("[x](https://e) ![i](j) <b>&amp; *a* _b_ `c` a|b ~~s~~") == \
        "\\[x\\](https://e) \\!\\[i\\](j) \\<b\\>\\&amp; \\*a\\* \\_b\\_ \\`c\\` a\\|b \\~\\~s\\~\\~"
    assert words("1. item") == "1\\. item" and words("- item") == "\\- item" and words("# h\nx") == "\\# h x"


def test_a_fence_no_backtick_run_inside_can_close():
    assert block("a ```` b") == ["`````", "a ```` b", "`````"] and block("plain", "json")[0] == "```json"


def test_hostile_text_outside_fences_is_escaped():
    text = render_markdown(hostile_report())
    prose = outside_fences(text)
    assert not re.search(r"(?<!\\)<(?:script|img)", prose) and not re.search(r"(?<!\\)\]\(https://evil", prose)
    assert not re.search(r"^#+ heading", prose, re.MULTILINE) and "\\# heading" in prose
    assert "\x1b" not in text and "\u202e" not in text and "\u0000" not in text


def test_sections_in_order():
    text = render_markdown(hostile_report())
    order = [text.index(h) for h in ("## Diagnosis", "## Timeline: OAuth exchanges", "## Findings",
                                     "## Tokens (header and claims only)")]
    assert order == sorted(order) and "### 1. ✖ certain · invalid\\_client" in text


@pytest.mark.parametrize("recording", recordings("chrome"), ids=lambda r: r.name)
def test_no_secret_of_a_recording_in_any_form(recording):
    text = render_markdown(build_report(source_from_bytes(recording.data, "login.har"), clock=lambda: NOW))
    assert not [form for secret in recording.secrets for form in secret_forms(secret) if form in text]
