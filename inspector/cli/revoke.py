"""``token-inspector revoke TOKEN``: revoke an access or refresh token (RFC 7009)."""

from __future__ import annotations

import argparse

from inspector.cli.token_command import add_token_arguments, run_token_command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_token_arguments(parser)


def run(args: argparse.Namespace, *, env=None, out=None) -> int:  # noqa: ANN001 - injected in tests
    return run_token_command("revoke", args, env=env, out=out)
