"""Shared shape of ``introspect``, ``revoke`` and ``userinfo``: one token, one request."""

from __future__ import annotations

import argparse

from inspector.cli.flow_settings import (
    add_connection_arguments, add_output_arguments, explain_dash_values, read_token_argument, resolve_settings,
)
from inspector.core.jose.token_kind import ACCESS, REFRESH


def add_token_arguments(parser: argparse.ArgumentParser, *, hint: bool = True, decryption: bool = False) -> None:
    parser.add_argument("token", metavar="TOKEN",
                        help="the token, or - to read it from standard input. A token that begins with '-' "
                        "goes after --, e.g. `... -- -abc…`")
    if hint:
        parser.add_argument("--token-type-hint", choices=(ACCESS, REFRESH),
                            help="tell the provider which kind of token it is")
    add_connection_arguments(parser, decryption=decryption)
    add_output_arguments(parser)
    explain_dash_values(parser, "TOKEN", "a token that begins with '-' goes after --, as in `... -- -abc…`, "
                        "or give - and pipe it in")


def run_token_command(grant: str, args: argparse.Namespace, *, require_client: bool = True,
                      env=None, out=None) -> int:  # noqa: ANN001 - FlowEnvironment / text stream, for tests
    from inspector.cli.flow_output import run_flow

    token = read_token_argument(args.token, "token")
    settings = resolve_settings(args, token=token, require_client=require_client)
    return run_flow(grant, settings, as_json=args.json, show_tokens=args.show_tokens, env=env, out=out,
                    profile=args.profile)
