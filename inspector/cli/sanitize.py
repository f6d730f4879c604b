"""``token-inspector sanitize IN.har [-o OUT.har]``: a browser's recording without its secrets,
to share with a provider's support or attach to a ticket.

Cookies, credentials, codes, tokens, verifiers, client secrets, passwords and JWT signatures
become ``redacted-…`` markers (equal values, equal markers; see ``core/sanitize``); the output is
still a HAR 1.2 file every HAR viewer opens, and ``diagnose`` finds the same cause in it. What was
removed is counted on standard error (or printed as JSON with ``--json``). IN is never written:
``-o`` naming it, a link to it or another hard link of it is refused; OUT is written atomically.

Exit 0 when written, 2 for input that is not a usable HAR (or a usage error).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from inspector.cli.decode import report_error
from inspector.cli.inputs import usage
from inspector.cli.text import emit, printable
from inspector.core.errors import InspectorError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="IN.har", help="the recording (Chrome, Edge, Firefox or Safari 'Save as HAR')")
    parser.add_argument("-o", "--output", metavar="OUT.har",
                        help="write the sanitized recording here (never over IN); default: standard output")
    parser.add_argument("--mask-personal", action="store_true",
                        help="also mask personal claims and fields: email, name, given/family name, "
                        "preferred_username, upn, phone, address, picture, login_hint, username")
    parser.add_argument("--json", action="store_true", help='print {"output", "entries", "bytes", "removed"} as '
                        "JSON (needs -o: the recording itself would go to standard output)")


def run(args: argparse.Namespace, *, max_bytes: int | None = None) -> int:
    """``max_bytes`` lets tests lower the size limit (``core.sanitize.har.MAX_BYTES``)."""
    from inspector.cli.output_file import write_stdout
    from inspector.core.output import refuse_inputs, write_output
    from inspector.core.sanitize.har import MAX_BYTES, removed_summary, sanitize_har

    try:
        if args.json and not args.output:
            raise usage("--json prints the summary on standard output, where the recording would go.",
                        hint="Give -o OUT.har.")
        if args.output:
            refuse_inputs(args.output, [args.input])
        result = sanitize_har(Path(args.input).expanduser(), mask_personal=args.mask_personal,
                              max_bytes=MAX_BYTES if max_bytes is None else max_bytes)
        if args.output:
            write_output(args.output, result.chunks)
        else:
            write_stdout(result.chunks)
    except InspectorError as exc:
        return report_error(exc, as_json=args.json)
    if args.json:
        emit(json.dumps({"output": args.output, "entries": result.entries, "bytes": result.size,
                         "removed": dict(sorted(result.counts.items()))}, indent=2))
    else:
        print(printable(removed_summary(result.counts)), file=sys.stderr)
        if args.output:
            print(printable(f"Wrote {args.output}: {result.entries} entries, {_size(result.size)}."), file=sys.stderr)
    return 0


def _size(size: Any) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB" if size >= 1e3 else f"{size} bytes"
