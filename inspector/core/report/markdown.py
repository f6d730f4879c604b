"""A report as Markdown (CommonMark), for a ticket or a chat: provider text can neither format
nor inject markup. Words are backslash-escaped (every ASCII punctuation mark, ``<`` and ``&``
included); requests, responses and tokens go in fenced blocks longer than any backtick run
they hold; control and format characters are escaped first (:func:`text.visible`).
"""

from __future__ import annotations

import re
from typing import Iterable

from inspector.core.report.model import Exchange, Message, Report
from inspector.core.report.text import CONFIDENCE_MARK, SEVERITY_MARK, pretty, visible

__all__ = ["render_markdown"]

#: What formats or injects anywhere in a line (emphasis, code, links, images, HTML, entities,
#: tables, strike-through); what does only at a line's start is handled there.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>#|!~&$])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=:])")


def words(text: str) -> str:
    """Untrusted text as Markdown that reads as itself, on one line (even as the line's start)."""
    escaped = _PUNCTUATION.sub(r"\\\1", visible(" ".join(str(text).split())))
    return _LINE_START.sub(lambda found: f"{found[1]}\\{found[2]}" if found[1] else f"\\{found[3]}", escaped)


def block(text: str, language: str = "") -> list[str]:
    content = visible(str(text), lines=True)
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", *content.split("\n"), fence]


def render_markdown(report: Report) -> str:
    lines = ["# Token Inspector support report", "", f"**About:** {words(report.subject)}  ",
             f"**Made:** {words(report.generated)}  ", f"**Sanitized:** {words(removed_text(report.removed))}", ""]
    lines += _diagnoses(report)
    lines += _timeline(report)
    if report.findings:
        lines += ["## Findings", ""]
        lines += [f"- {SEVERITY_MARK.get(f.severity, '·')} **{words(f.code)}** ({words(f.where)}): {words(f.message)}"
                  for f in report.findings]
        lines.append("")
    if report.tokens:
        lines += ["## Tokens (header and claims only)", ""]
        for token in report.tokens:
            lines += [f"### {words(token.where)}", "", words(token.note), "", "Header:", "", *block(pretty(token.header),
                      "json"), ""]
            if token.claims is not None:
                lines += ["Claims:", "", *block(pretty(token.claims), "json"), ""]
    return "\n".join(lines).rstrip() + "\n"


def removed_text(removed: dict | object) -> str:
    counts = dict(removed)  # type: ignore[call-overload]
    total = sum(counts.values())
    if not total:
        return "nothing secret was found to remove."
    listed = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
    return (f"{total} value{'s' if total != 1 else ''} removed ({listed}); each is a redacted-… marker, equal values have equal markers, and "
            "JWTs keep their header and claims without their signature.")


def _diagnoses(report: Report) -> list[str]:
    lines = ["## Diagnosis", ""]
    if not report.diagnoses:
        return [*lines, "Nothing wrong was found.", ""]
    for number, diagnosis in enumerate(report.diagnoses, start=1):
        confidence = diagnosis.confidence.value
        lines += [f"### {number}. {CONFIDENCE_MARK[confidence]} {words(confidence)} · {words(diagnosis.cause)}", "",
                  words(diagnosis.summary), ""]
        if diagnosis.evidence:
            lines.append("Evidence:")
            lines += [f"- {words(item.kind.value)} {words(item.name)} = {words(pretty(item.value))} "
                      f"({words(item.where)})" for item in diagnosis.evidence]
            lines.append("")
        lines += [f"**Fix:** {words(diagnosis.fix)}", ""]
    return lines


def _timeline(report: Report) -> list[str]:
    if not report.steps:
        return []
    lines = [f"## Timeline: {words(report.timeline_title)}", "", "| # | Time | Step | Status | Duration |",
             "|---|---|---|---|---|"]
    for number, step in enumerate(report.steps, start=1):
        duration = f"{step.duration_ms:.0f} ms" if step.duration_ms is not None else ""
        lines.append(f"| {number} | {words(step.started or '')} | {words(step.title)} | {words(step.status)} | "
                     f"{duration} |")
    lines.append("")
    for number, step in enumerate(report.steps, start=1):
        lines += [f"### {number}. {words(step.title)}", ""]
        for exchange in step.exchanges:
            lines += _exchange(exchange)
    return lines


def _exchange(exchange: Exchange) -> list[str]:
    elapsed = f" ({exchange.elapsed_ms:.0f} ms)" if exchange.elapsed_ms is not None else ""
    lines = [f"Request{elapsed}:", "", *block(_message(exchange.request, request=True), "http"), ""]
    if exchange.response is not None:
        lines += ["Response:", "", *block(_message(exchange.response, request=False), "http"), ""]
    return lines


def _message(message: Message, *, request: bool) -> str:
    return "\n".join(message_lines(message, request=request))


def message_lines(message: Message, *, request: bool) -> Iterable[str]:
    """A request or response as HTTP text: first line, headers, an empty line and the body."""
    yield message.line if request else f"HTTP {message.line}"
    yield from (f"{name}: {value}" for name, value in message.headers)
    if message.body:
        yield ""
        yield message.body
