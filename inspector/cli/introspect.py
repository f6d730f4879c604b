"""``token-inspector introspect TOKEN``: ask the provider whether a token is active (RFC 7662)."""

from __future__ import annotations

import argparse

from inspector.cli.token_command import add_token_arguments, run_token_command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_token_arguments(parser)


def run(args: argparse.Namespace, *, env=None, out=None) -> int:  # noqa: ANN001 - injected in tests
    return run_token_command("introspect", args, env=env, out=out)
