"""Entry point: no arguments opens the GUI; otherwise dispatch to one subcommand module.

Only the chosen subcommand's module is imported, so `decode` never pays for (or depends on)
Qt, httpx or crypto. Each module provides ``add_arguments(parser)`` and ``run(args) -> int``
and keeps heavy imports inside ``run``.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
from typing import Sequence

from inspector import __version__
from inspector.cli.text import printable
from inspector.core.errors import InspectorError
from inspector.core.flows.grants import GRANTS

#: name -> (module, one-line help). Order is the order shown in --help.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "decode": ("inspector.cli.decode", "show what a token contains (no verification)"),
    "verify": ("inspector.cli.verify", "verify a JWT's signature and claims; report every finding"),
    "diff": ("inspector.cli.diff", "compare two tokens claim by claim: what was added, removed or changed"),
    "profile": ("inspector.cli.profile", "manage issuer profiles (secrets live in the OS keyring)"),
    "history": ("inspector.cli.history", "list, search, show and delete saved tokens and flows (encrypted)"),
    "flow": ("inspector.cli.flow", "run an OAuth/OIDC flow step by step: "
             + ", ".join(grant.command for grant in GRANTS.values() if grant.cli == "flow")),
    "discover": ("inspector.cli.discover", "fetch a provider's metadata and lint it"),
    "diagnose": ("inspector.cli.diagnose", "say why a login failed: from a token, callback URL, error answer, "
                 "flow record or HAR file"),
    "sanitize": ("inspector.cli.sanitize", "remove the secrets from a HAR recording before sharing it"),
    "report": ("inspector.cli.report", "a redacted support report (Markdown or HTML) of a flow record, HAR file, "
               "history entry or token"),
    # the grants that are a command of their own, taking one TOKEN (inspector/cli/token_command.py)
    "introspect": ("inspector.cli.introspect", GRANTS["introspect"].summary),
    "revoke": ("inspector.cli.revoke", GRANTS["revoke"].summary),
    "userinfo": ("inspector.cli.userinfo", GRANTS["userinfo"].summary),
    "call": ("inspector.cli.call", "call an API with an access token; say what its answer and any refusal mean"),
}

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _top_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="token-inspector",
        description="Inspect OAuth 2.0 and OpenID Connect tokens and flows. "
        "With no command, opens the desktop application.",
    )
    parser.add_argument("--version", action="version", version=f"token-inspector {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_module, help_text) in SUBCOMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


def build_parser(command: str) -> argparse.ArgumentParser:
    """The full parser of one subcommand (imports only that subcommand's module)."""
    module_name, help_text = SUBCOMMANDS[command]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(prog=f"token-inspector {command}", description=help_text)
    module.add_arguments(parser)
    parser.set_defaults(run=module.run)
    return parser


@functools.cache
def _skip_collection_at_exit() -> None:
    """A command's process ends right after it: the interpreter's final garbage collection would
    only walk every object of every imported module (20-40 ms) to free memory the OS reclaims
    anyway. Freezing them at exit skips that walk; commands close their resources explicitly."""
    import atexit
    import gc

    atexit.register(gc.freeze)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        from inspector.ui.display import display_problem

        if problem := display_problem():
            print(problem, file=sys.stderr)
            return EXIT_USAGE
        from inspector.ui.app import run_gui

        return run_gui()
    _skip_collection_at_exit()
    try:
        return _subcommand(args)
    except KeyboardInterrupt:  # also while the parser and the command's modules load
        print("Interrupted.", file=sys.stderr)
        return 130


def _subcommand(args: list[str]) -> int:
    if args[0] not in SUBCOMMANDS:
        try:
            _top_parser().parse_args(args)
        except SystemExit as exc:
            return int(exc.code or 0)
        return EXIT_USAGE
    try:
        parsed = build_parser(args[0]).parse_args(args[1:])
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(parsed.run(parsed))
    except BrokenPipeError:
        return EXIT_OK
    except InspectorError as exc:
        print(f"token-inspector: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # the last line of defence: no traceback reaches a user
        from inspector.core.errors import internal_error_text

        print(
            f"token-inspector: unexpected internal error ({printable(internal_error_text(exc))}). "
            "Please report it with the command you ran (tokens and secrets removed).",
            file=sys.stderr,
        )
        return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
