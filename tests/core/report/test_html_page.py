"""The HTML report: one self-contained page (no scripts, no external resources, a print style
sheet), every value escaped, so hostile provider text cannot inject markup."""

from html.parser import HTMLParser

import pytest

from inspector.core.report.build import build_report
from inspector.core.report.html_page import render_html
from inspector.core.report.source import source_from_bytes
from tests.core.report.hostile import CONTROL, IMAGE, SCRIPT, hostile_report
from tests.core.sanitize.test_har import secret_forms
from tests.support.diagnosis import NOW
from tests.support.har_logins import recordings

ALLOWED = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "b", "span", "div", "ul", "li",
           "code", "table", "tr", "th", "td", "pre"}
ATTRIBUTES = {"lang", "charset", "http-equiv", "content", "name", "class"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def test_hostile_text_is_text_not_markup():
    page = render_html(hostile_report())
    tags = parsed(page)
    assert {tag for tag, _ in tags.tags} <= ALLOWED
    assert all(set(attrs) <= ATTRIBUTES for _, attrs in tags.tags)
    text = "".join(tags.text)
    assert SCRIPT in text and IMAGE in text  # shown, as text
    assert "\x1b" not in page and "\u202e" not in page and "\\u202e" in text


def test_self_contained_with_a_print_style_sheet():
    page = render_html(hostile_report())
    assert "@media print" in page and "<script" not in page.lower() and "<link" not in page.lower()
    policy = next(attrs for tag, attrs in parsed(page).tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert policy["content"] == "default-src 'none'; style-src 'unsafe-inline'"


def test_what_a_page_holds_in_order():
    page = render_html(hostile_report())
    order = [page.index(heading) for heading in ("<h2>Diagnosis</h2>", "<h2>Timeline: OAuth exchanges</h2>",
                                                 "<h2>Findings</h2>", "<h2>Tokens (header and claims only)</h2>")]
    assert order == sorted(order) and 'class="card certain"' in page


@pytest.mark.parametrize("recording", recordings("firefox"), ids=lambda r: r.name)
def test_no_secret_of_a_recording_in_any_form(recording):
    page = render_html(build_report(source_from_bytes(recording.data, "login.har"), clock=lambda: NOW))
    assert not [form for secret in recording.secrets for form in secret_forms(secret) if form in page]


def test_control_characters_are_shown_escaped():
    assert "\\u001b[2J" in "".join(parsed(render_html(hostile_report())).text) and CONTROL not in render_html(
        hostile_report())
