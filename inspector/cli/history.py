"""`token-inspector history`: list, search, show, delete and clear saved tokens and flows.

A saved flow (``flow`` saves its record when it ends, unless ``--no-history``) is listed with the
tokens (``--kind flow`` lists only flows); ``show ID --json`` prints its record as the JSON lines
``flow --json`` printed, and ``show ID`` as its text.

The history is encrypted with a key held in the OS keyring; without a usable keyring these
commands say why and exit non-zero (an absent history simply lists as empty). A history file older
than the last one written (a copy put back) is refused until ``accept-older`` accepts it.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from inspector.cli.text import print_json, printable, write_json
from inspector.core.storage.summary import ENTRY_KINDS

if TYPE_CHECKING:
    from inspector.core.flows.record import FlowRecord
    from inspector.core.storage.context import Storage
    from inspector.core.storage.flow_link import HistoryRecorder
    from inspector.core.storage.history import HistoryEntry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list saved tokens and flows, newest first")
    listing.add_argument("--search", metavar="TEXT",
                         help="words to match in iss, sub, aud, kind, profile, source, status or id; "
                              "FIELD:WORD limits a word to one field (e.g. 'iss:example kind:id', "
                              "'grant:auth_code status:error')")  # fmt: skip
    listing.add_argument("--kind", choices=ENTRY_KINDS, help="only entries of this kind (flow: saved flows)")
    listing.add_argument("--limit", type=int, default=50, metavar="N", help="show at most N entries (0 = all; default 50)")
    show = actions.add_parser("show", help="show one entry with its full token, or a saved flow's record "
                              "(with --json: the JSON lines flow --json printed)")
    show.add_argument("id", help="entry id (a unique prefix of 4+ characters is enough)")
    delete = actions.add_parser("delete", help="delete one entry")
    delete.add_argument("id")
    clear = actions.add_parser("clear", help="delete every entry and the history's key")
    clear.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    retention = actions.add_parser("retention", help="show or set how many entries are kept (default 1000)")
    retention.add_argument("max_entries", nargs="?", type=int, metavar="N")
    accept = actions.add_parser("accept-older", help="use the history file although it is older than the last one "
                                "written (you put a backup back on purpose): tokens deleted since come back, newer "
                                "ones stay lost")
    for sub in (listing, show, delete, clear, retention, accept):
        sub.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace, storage: Storage | None = None) -> int:
    from inspector.core.storage.context import Storage

    storage = storage or Storage.from_environment()
    store = storage.history
    if args.action == "list":
        if args.search or args.kind:
            entries = store.search(args.search or "", kind=args.kind)
        else:
            entries = store.entries()
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
        if entry.is_flow:
            return _show_flow(entry, store.flow_record(entry.id), as_json=args.json)
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
    if args.action == "accept-older":
        count = store.accept_older_file()
        return _report(args, {"accepted": True, "entries": count},
                       f"The history file is the current one again ({count:,} entr{'y' if count == 1 else 'ies'}).")
    if args.max_entries is not None:
        store.set_max_entries(args.max_entries)
    limit = store.max_entries
    return _report(args, {"max_entries": limit}, f"The history keeps the newest {limit:,} entries.")


def _row(entry: HistoryEntry) -> str:
    last = entry.status if entry.is_flow else ",".join(entry.audience)
    return "  ".join(
        [entry.id, _when(entry.time), f"{entry.kind:<7}", entry.source_label, entry.issuer or "-",
         entry.subject or "-", last or "-"]
    )  # fmt: skip


def _show_flow(entry: HistoryEntry, record: FlowRecord, *, as_json: bool) -> int:
    """A saved flow: its JSON lines as ``flow --json`` printed them, or its steps as ``flow`` did."""
    if as_json:
        for line in record.lines:
            write_json(sys.stdout, line)
        return 0
    from inspector.cli.flow_output import CliObserver

    print(printable(f"Saved flow {entry.id}: {record.grant}, {entry.status}, {_when(entry.time)}"
                    + (f", profile {record.profile}" if record.profile else "")
                    + (f", issuer {record.issuer}" if record.issuer else "")))  # fmt: skip
    for note in record.notes:
        print(f"  note: {printable(note)}")
    flow = record.to_flow()
    observer = CliObserver(sys.stdout, as_json=False, show_tokens=False)
    for step in flow.steps:
        if step.status.value != "pending":
            observer.step_finished(flow, step)
    observer.flow_finished(flow)
    return 0


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


def flow_recorder(profile: str = "", issuer: str = "", storage: Storage | None = None, *,
                  announce: bool = True) -> HistoryRecorder:
    """The history hooks of ``flow`` (unless ``--no-history``): every token obtained and, when the
    flow ends, its record are saved, the keyring opened on a thread of its own once prepared (see
    :class:`HistoryRecorder`). With ``announce`` the record's id is said on stderr (standard output
    stays the flow's). A refused save (no usable keyring) is a warning there; the flow and its exit
    code go on.
    """
    from inspector.core.storage.context import Storage
    from inspector.core.storage.flow_link import HistoryRecorder

    def warn(exc: Exception) -> None:
        print(f"token-inspector: the flow and its tokens were not saved to the history: {exc} "
              "(--no-history skips saving)", file=sys.stderr)  # fmt: skip

    def saved(entry: HistoryEntry) -> None:
        if announce:
            print(f"The flow was saved to the history as {entry.id} (token-inspector history show {entry.id}).",
                  file=sys.stderr)  # fmt: skip

    return HistoryRecorder(storage or Storage.from_environment(), profile=profile, issuer=issuer, on_error=warn,
                           on_flow_saved=saved)
