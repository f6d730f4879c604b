"""``token-inspector userinfo ACCESS_TOKEN``: the claims the UserInfo endpoint returns (OIDC Core §5.3)."""

from __future__ import annotations

import argparse

from inspector.cli.flow_settings import add_dpop_argument
from inspector.cli.token_command import add_token_arguments, run_token_command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_token_arguments(parser, hint=False, decryption=True)
    add_dpop_argument(parser)


def run(args: argparse.Namespace, *, env=None, out=None) -> int:  # noqa: ANN001 - injected in tests
    return run_token_command("userinfo", args, require_client=False, env=env, out=out)
