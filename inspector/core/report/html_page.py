"""A report as one self-contained HTML page: no scripts, no external resources (a Content
Security Policy says so too), inline CSS with a print style sheet, so it reads the same on screen,
attached to a ticket, or printed. Every value goes through ``html.escape`` (after control and
format characters are made visible): hostile provider text cannot inject markup.
"""

from __future__ import annotations

import html

from inspector.core.report.markdown import message_lines, removed_text
from inspector.core.report.model import Exchange, Report
from inspector.core.report.text import CONFIDENCE_MARK, SEVERITY_MARK, pretty, visible

__all__ = ["render_html"]

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; margin: 2em auto;
       max-width: 64em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.25em; margin-top: 1.6em;
     border-bottom: 1px solid #ddd; } h3 { font-size: 1.05em; margin-bottom: .3em; }
.meta { color: #555; margin: .1em 0; }
.card { border: 1px solid #ddd; border-left: 6px solid #9e9e9e; border-radius: 4px; padding: .5em 1em;
        margin: .8em 0; }
.card.certain { border-left-color: #c62828; } .card.likely { border-left-color: #ef6c00; }
.confidence { font-weight: 600; } .evidence { margin: .3em 0; padding-left: 1.3em; } .fix { margin: .4em 0; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top;
        padding: .25em .5em; border-bottom: 1px solid #e5e5e5; } th { background: #f5f5f5; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; border: 1px solid #e5e5e5;
      border-radius: 4px; padding: .5em .7em; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; }
.label { color: #555; font-size: .9em; margin: .6em 0 .2em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; color: #000; }
  h2, h3 { break-after: avoid; } .card, pre, tr, .token { break-inside: avoid; }
  pre { background: none; border-color: #999; }
}
"""


def esc(value: object, *, lines: bool = False) -> str:
    return html.escape(visible(str(value), lines=lines), quote=True)


def render_html(report: Report) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Token Inspector support report</title>", f"<style>{STYLE}</style></head><body>",
             "<h1>Token Inspector support report</h1>", f'<p class="meta"><b>About:</b> {esc(report.subject)}</p>',
             f'<p class="meta"><b>Made:</b> {esc(report.generated)}</p>',
             f'<p class="meta"><b>Sanitized:</b> {esc(removed_text(report.removed))}</p>']
    parts += _diagnoses(report)
    parts += _timeline(report)
    if report.findings:
        parts += ["<h2>Findings</h2>", "<ul>"]
        parts += [f"<li>{SEVERITY_MARK.get(f.severity, '·')} <b>{esc(f.code)}</b> ({esc(f.where)}): "
                  f"{esc(f.message)}</li>" for f in report.findings]
        parts.append("</ul>")
    if report.tokens:
        parts.append("<h2>Tokens (header and claims only)</h2>")
        for token in report.tokens:
            parts += [f'<div class="token"><h3>{esc(token.where)}</h3><p>{esc(token.note)}</p>',
                      '<p class="label">Header</p>', f"<pre>{esc(pretty(token.header), lines=True)}</pre>"]
            if token.claims is not None:
                parts += ['<p class="label">Claims</p>', f"<pre>{esc(pretty(token.claims), lines=True)}</pre>"]
            parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _diagnoses(report: Report) -> list[str]:
    parts = ["<h2>Diagnosis</h2>"]
    if not report.diagnoses:
        return [*parts, "<p>Nothing wrong was found.</p>"]
    for diagnosis in report.diagnoses:
        confidence = diagnosis.confidence.value
        parts += [f'<div class="card {confidence}"><p><span class="confidence">{CONFIDENCE_MARK[confidence]} '
                  f"{esc(confidence)}</span> · <code>{esc(diagnosis.cause)}</code></p>",
                  f"<p>{esc(diagnosis.summary)}</p>"]
        if diagnosis.evidence:
            parts.append('<ul class="evidence">')
            parts += [f"<li>{esc(item.kind.value)} <b>{esc(item.name)}</b> = <code>{esc(pretty(item.value))}</code> "
                      f"({esc(item.where)})</li>" for item in diagnosis.evidence]
            parts.append("</ul>")
        parts.append(f'<p class="fix"><b>Fix:</b> {esc(diagnosis.fix)}</p></div>')
    return parts


def _timeline(report: Report) -> list[str]:
    if not report.steps:
        return []
    parts = [f"<h2>Timeline: {esc(report.timeline_title)}</h2>",
             "<table><tr><th>#</th><th>Time</th><th>Step</th><th>Status</th><th>Duration</th></tr>"]
    for number, step in enumerate(report.steps, start=1):
        duration = f"{step.duration_ms:.0f} ms" if step.duration_ms is not None else ""
        parts.append(f"<tr><td>{number}</td><td>{esc(step.started or '')}</td><td>{esc(step.title)}</td>"
                     f"<td>{esc(step.status)}</td><td>{duration}</td></tr>")
    parts.append("</table>")
    for number, step in enumerate(report.steps, start=1):
        parts.append(f"<h3>{number}. {esc(step.title)}</h3>")
        for exchange in step.exchanges:
            parts += _exchange(exchange)
    return parts


def _exchange(exchange: Exchange) -> list[str]:
    elapsed = f" ({exchange.elapsed_ms:.0f} ms)" if exchange.elapsed_ms is not None else ""
    parts = [f'<p class="label">Request{elapsed}</p>',
             f"<pre>{esc(chr(10).join(message_lines(exchange.request, request=True)), lines=True)}</pre>"]
    if exchange.response is not None:
        parts += ['<p class="label">Response</p>',
                  f"<pre>{esc(chr(10).join(message_lines(exchange.response, request=False)), lines=True)}</pre>"]
    return parts
