"""``token-inspector report INPUT [--format md|html] [-o FILE] [--mask-personal]``: a redacted
support report to attach to a ticket.

INPUT is a flow record file (``flow ... --json``), a HAR file, a history entry id (``history
list`` shows them), a token, or '-' for standard input. The report holds the diagnoses first,
then the timeline with timings, requests and responses, the findings, and tokens as header and
claims only, all sanitized as ``sanitize`` does. Markdown by default (HTML when -o ends in
.html); standard output unless -o, which is written atomically and never over INPUT.

Exit 0 when written, 2 for input a report cannot be made from (or a usage error).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from inspector.cli.decode import report_error
from inspector.cli.diagnose import FILE_ENDINGS, is_path
from inspector.cli.inputs import read_stdin_bytes
from inspector.cli.text import printable
from inspector.core.errors import InspectorError, UnusableInputError

#: A history entry's id, or the unique prefix of one (``history show`` takes the same).
_HISTORY_ID = re.compile(r"[0-9a-fA-F]{4,12}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="INPUT|-", help="a flow record file, a HAR file, a history entry id, a "
                        "token, or '-' for standard input")
    parser.add_argument("--format", choices=("md", "html"), help="Markdown (default) or one self-contained HTML page "
                        "(the default when -o ends in .html)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here (never over INPUT); "
                        "default: standard output")
    parser.add_argument("--mask-personal", action="store_true", help="also mask personal claims and fields (email, "
                        "name, given/family name, preferred_username, upn, phone, address, picture)")


def run(args: argparse.Namespace, *, storage: Any = None) -> int:
    """``storage`` lets tests hand in their own history store."""
    from inspector.cli.output_file import write_stdout
    from inspector.core.output import refuse_inputs, write_output
    from inspector.core.report.build import build_report
    from inspector.core.report.render import FORMATS, render_report

    fmt = args.format or ("html" if (args.output or "").lower().endswith((".html", ".htm")) else "md")
    try:
        source, path = _source(args.input, storage)
        if args.output:
            refuse_inputs(args.output, [path] if path else [])
        report = build_report(source, mask_personal=args.mask_personal)
        data = render_report(report, fmt)
        if args.output:
            write_output(args.output, [data])
        else:
            write_stdout([data])
    except InspectorError as exc:
        return report_error(exc, as_json=False)
    if args.output:
        print(printable(f"Wrote {args.output}: the report of {source.name} in {FORMATS[fmt][1]} "
                        f"({len(report.diagnoses)} diagnos{'es' if len(report.diagnoses) != 1 else 'is'}, "
                        f"{len(report.steps)} timeline rows)."), file=sys.stderr)
    return 0


def _source(argument: str, storage: Any) -> tuple[Any, str | None]:
    """The report's source, and the path it was read from (never to be written)."""
    from inspector.core.diagnosis.detect import read_artifact
    from inspector.core.report.source import ReportSource, source_from_bytes, source_from_text
    from inspector.core.sanitize.har import MAX_BYTES

    if argument == "-":
        data = read_stdin_bytes("a recording, flow record or token", limit=MAX_BYTES, error=UnusableInputError)
        return source_from_bytes(data, "standard input"), None
    if is_path(argument):
        return source_from_bytes(read_artifact(argument, limit=MAX_BYTES), Path(argument).name), argument
    if argument.lower().endswith(FILE_ENDINGS) and "://" not in argument:
        raise UnusableInputError(f"There is no file {argument!r}.", hint="Check the path.")
    if _HISTORY_ID.fullmatch(argument):
        from inspector.core.storage.context import Storage

        history = (storage or Storage.from_environment()).history
        entry = history.get(argument)
        return ReportSource("token", history.token(entry.id), f"history entry {entry.id}"), None
    return source_from_text(argument, "the token given"), None

