"""What is previewed is what is saved: the bytes of a format."""

from inspector.core.report.html_page import render_html
from inspector.core.report.markdown import render_markdown
from inspector.core.report.render import FORMATS, render_report
from tests.core.report.hostile import hostile_report


def test_each_format_is_its_renderings_utf8_bytes():
    report = hostile_report()
    assert render_report(report, "md") == render_markdown(report).encode("utf-8")
    assert render_report(report, "html") == render_html(report).encode("utf-8")
    assert set(FORMATS) == {"md", "html"}
