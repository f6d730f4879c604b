"""`token-inspector history`: list, search, show, delete and clear saved tokens.

The history is encrypted with a key held in the OS keyring; without a usable keyring these
commands say why and exit non-zero (an absent history simply lists as empty).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from inspector.cli.text import print_json, printable

if TYPE_CHECKING:
    from inspector.core.storage.context import Storage
    from inspector.core.storage.flow_link import TokenRecorder
    from inspector.core.storage.history import HistoryEntry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list saved tokens, newest first")
    listing.add_argument("--search", metavar="TEXT",
                         help="words to match in iss, sub, aud, kind, profile, source or id; "
                              "FIELD:WORD limits a word to one field (e.g. 'iss:example kind:id')")  # fmt: skip
    listing.add_argument("--limit", type=int, default=50, metavar="N", help="show at most N entries (0 = all; default 50)")
    show = actions.add_parser("show", help="show one entry with its full token")
    show.add_argument("id", help="entry id (a unique prefix of 4+ characters is enough)")
    delete = actions.add_parser("delete", help="delete one entry")
    delete.add_argument("id")
    clear = actions.add_parser("clear", help="delete every entry and the history's key")
    clear.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    retention = actions.add_parser("retention", help="show or set how many entries are kept (default 1000)")
    retention.add_argument("max_entries", nargs="?", type=int, metavar="N")
    for sub in (listing, show, delete, clear, retention):
        sub.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace, storage: Storage | None = None) -> int:
    from inspector.core.storage.context import Storage

    storage = storage or Storage.from_environment()
    store = storage.history
    if args.action == "list":
        entries = store.search(args.search) if args.search else store.entries()
        shown = entries[: args.limit] if args.limit > 0 else entries
        if args.json:
            return print_json({"total": len(entries), "entries": [e.to_json() for e in shown]})
        if not entries:
            print("No matching entries." if args.search else "The history is empty.")
        for entry in shown:
            print(printable(_row(entry)))
        if len(shown) < len(entries):
            print(f"… {len(entries) - len(shown)} more (use --limit 0 to show all).", file=sys.stderr)
        return 0
    if args.action == "show":
        entry = store.get(args.id)
        token = store.token(entry.id)
        if args.json:
            return print_json({**entry.to_json(), "token": token})
        print(printable(_row(entry)))
        print(f"audience: {', '.join(entry.audience) or '-'}")
        print(f"expires:  {_when(entry.expires) if entry.expires is not None else '-'}")
        print(printable(token))
        return 0
    if args.action == "delete":
        entry = store.delete(args.id)
        return _report(args, {"deleted": entry.id}, f"Deleted entry {entry.id}.")
    if args.action == "clear":
        if not args.yes and not _confirm("Delete every saved token? [y/N] "):
            print("Nothing deleted.", file=sys.stderr)
            return 1
        store.clear()
        return _report(args, {"cleared": True}, "The history is empty; a new key will be created on the next save.")
    if args.max_entries is not None:
        store.set_max_entries(args.max_entries)
    limit = store.max_entries
    return _report(args, {"max_entries": limit}, f"The history keeps the newest {limit:,} entries.")


def _row(entry: HistoryEntry) -> str:
    audience = ",".join(entry.audience)
    return "  ".join(
        [entry.id, _when(entry.time), f"{entry.kind:<7}", entry.source_label, entry.issuer or "-",
         entry.subject or "-", audience or "-"]
    )  # fmt: skip


def _when(epoch: float) -> str:
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))
    except (OverflowError, OSError, ValueError):  # a hostile or absurd exp claim
        return f"{epoch:g} (out of range)"


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        from inspector.core.errors import InspectorError

        raise InspectorError("Refusing to clear the history without confirmation.", code="usage",
                             hint="Add --yes to clear it non-interactively.")  # fmt: skip
    return input(question).strip().lower() in ("y", "yes")


def _report(args: argparse.Namespace, data: dict[str, object], message: str) -> int:
    if args.json:
        return print_json(data)
    print(message)
    return 0


def save_pasted(token: str, exit_code: int, storage: Storage | None = None) -> int:
    """For ``decode --save`` / ``verify --save``: record ``token`` as pasted, say where (or why not).

    Returns ``exit_code``, or 2 when the history refused the token (e.g. no usable keyring).
    """
    from inspector.core.errors import InspectorError
    from inspector.core.storage.context import Storage

    try:
        entry = (storage or Storage.from_environment()).history.add(token, source="pasted")
    except InspectorError as exc:
        print(f"token-inspector: the token was not saved to the history: {exc}", file=sys.stderr)
        return 2
    print(f"Saved to the history as {entry.id}.", file=sys.stderr)
    return exit_code


def flow_recorder(profile: str = "", storage: Storage | None = None) -> TokenRecorder:
    """The ``token_obtained`` hook of ``flow`` (unless ``--no-history``): saves every token obtained,
    opening the keyring on its own thread once prepared (see :class:`TokenRecorder`).

    A refused save (no usable keyring) is a warning on stderr; the flow and its exit code go on.
    """
    from inspector.core.storage.context import Storage
    from inspector.core.storage.flow_link import TokenRecorder

    def warn(exc: Exception) -> None:
        print(f"token-inspector: the tokens were not saved to the history: {exc} "
              "(--no-history skips saving)", file=sys.stderr)  # fmt: skip

    return TokenRecorder(storage or Storage.from_environment(), profile=profile, on_error=warn)
