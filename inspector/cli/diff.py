"""``token-inspector diff A B [--json] [--all]``: what differs between two tokens, claim by claim.

For "this token works, that one does not". Like ``decode`` it verifies nothing and imports no Qt,
HTTP or crypto for tokens given as text; an argument of 4 to 12 hexadecimal digits is a history
id instead (then the encrypted history is opened, which needs the keyring).

Exit codes, as diff(1): 0 the tokens are the same, 1 they differ, 2 trouble (an argument that is
not a token, a history id that names no token, an opaque token against a JWT). Token contents are
hostile: every value printed is escaped (:func:`inspector.cli.text.printable`); signatures and
opaque tokens are only ever shown abbreviated.
"""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING, Any

from inspector.cli.decode import read_token, report_error
from inspector.cli.text import emit, print_json, printable
from inspector.core.errors import InspectorError

if TYPE_CHECKING:
    from inspector.core.jose.diff import DiffEntry, TokenDiff
    from inspector.core.storage.context import Storage

EXIT_SAME, EXIT_DIFFERENT, EXIT_USAGE = 0, 1, 2
#: The shape of a history id (or a unique prefix of one): no token is this short.
HISTORY_ID = re.compile(r"[0-9a-f]{4,12}")
#: Longest value printed in text; ``--json`` carries every value whole.
SHOWN_CHARS = 200
_MARKS = {"added": "+", "removed": "-", "changed": "~", "same": "="}
_PARTS = {"token": "Token", "header": "Header", "payload": "Payload", "signature": "Signature"}
_FORMATS = {"jws": "Signed JWT (JWS)", "jwe": "Encrypted JWT (JWE)", "opaque": "Opaque token"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Compare two tokens claim by claim (nothing is verified). Exit 0 when they are the "
                          "same, 1 when they differ, 2 when one cannot be read.")
    for name in ("a", "b"):
        parser.add_argument(name, metavar=name.upper(),
                            help="a token, '-' for standard input (one of the two at most), or a history id")
    parser.add_argument("--json", action="store_true",
                        help="print {identical, a, b, counts, entries} as JSON (every entry, the same ones too)")
    parser.add_argument("--all", action="store_true", help="also list the header parameters and claims that are the same")


def run(args: argparse.Namespace, storage: Storage | None = None) -> int:
    from inspector.core.jose.diff import diff_tokens
    from inspector.core.jose.parse import decode

    try:
        if args.a == args.b == "-":
            raise InspectorError("Only one of A and B can be read from standard input.", code="usage")
        first, second = (decode(_token_text(value, storage)) for value in (args.a, args.b))
        diff = diff_tokens(first, second)
    except InspectorError as exc:
        return report_error(exc, as_json=args.json)
    if args.json:
        print_json(diff.to_json())
    else:
        emit("\n".join(render(diff, show_same=args.all)))
    return EXIT_SAME if diff.identical else EXIT_DIFFERENT


def _token_text(argument: str, storage: Storage | None) -> str:
    """The token an argument names: itself, standard input, or a history entry's token."""
    if HISTORY_ID.fullmatch(argument.strip()) is None:
        return read_token(argument)
    from inspector.core.storage.context import Storage

    return (storage or Storage.from_environment()).history.token(argument)


def render(diff: TokenDiff, *, show_same: bool = False) -> list[str]:
    """The two tokens in one line each, then the entries by part, then a one-line verdict."""
    lines = [f"A  {_outline(diff.a)}", f"B  {_outline(diff.b)}"]
    shown = [entry for entry in diff.entries if show_same or entry.kind != "same"]
    for part in dict.fromkeys(entry.part for entry in shown):
        entries = [entry for entry in shown if entry.part == part]
        width = min(max(len(printable(entry.name)) for entry in entries), 24)
        lines += ["", _PARTS.get(part, part), *(_line(entry, width) for entry in entries)]
    return [*lines, "", _verdict(diff, show_same), "Decoded only: nothing was verified."]


def _outline(summary: dict[str, Any]) -> str:
    words = [_FORMATS.get(summary["format"], summary["format"])]
    words += [f"{name} {printable(summary[name])}" for name in ("alg", "enc", "kid", "typ") if name in summary]
    return " · ".join([*words, f"{summary['length']} characters"])


def _line(entry: DiffEntry, width: int) -> str:
    name = f"{printable(entry.name):<{width}}"
    old, new = _shown(entry.old_text), _shown(entry.new_text)
    if entry.kind == "added":
        text = f"{new}  (only in B)"
    elif entry.kind == "removed":
        text = f"{old}  (only in A)"
    elif entry.kind == "same":
        text = old
    else:
        text = f"{old} → {new}"
    note = f"  ({printable(entry.note)})" if entry.note else ""
    return f"  {_MARKS[entry.kind]} {name}  {text}{note}"


def _shown(text: str) -> str:
    text = printable(text)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}…({len(text)} chars)"


def _verdict(diff: TokenDiff, show_same: bool) -> str:
    counts = diff.counts()
    if diff.identical:
        return "The tokens are the same."
    changes = ", ".join(f"{counts[kind]} {kind}" for kind in ("changed", "added", "removed") if counts[kind])
    same = f" ({counts['same']} the same{'' if show_same else '; --all lists them'})" if counts["same"] else ""
    return f"The tokens differ: {changes}{same}."
