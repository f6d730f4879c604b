"""A report as the bytes written: what a preview shows is exactly what is saved."""

from __future__ import annotations

from inspector.core.report.html_page import render_html
from inspector.core.report.markdown import render_markdown
from inspector.core.report.model import Report

__all__ = ["FORMATS", "render_report"]

#: Format name -> (file suffix, what it is).
FORMATS = {"md": (".md", "Markdown"), "html": (".html", "HTML")}


def render_report(report: Report, fmt: str) -> bytes:
    """``fmt``: ``md`` or ``html`` (UTF-8)."""
    text = render_html(report) if fmt == "html" else render_markdown(report)
    return text.encode("utf-8")
