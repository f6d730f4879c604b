"""``token-inspector flow auth-code|client-credentials|device|refresh``: run a grant step by step
against a real provider, printing each request, response and finding as it happens."""

from __future__ import annotations

import argparse

from inspector.cli.flow_settings import (
    add_connection_arguments, add_output_arguments, explain_dash_values, read_token_argument, resolve_settings,
)

#: subcommand -> (runner grant name, help)
FLOWS = {
    "auth-code": ("auth_code", "authorization code with PKCE, state and nonce via a loopback redirect"),
    "client-credentials": ("client_credentials", "a token for the client itself (needs a client secret or key)"),
    "device": ("device", "device authorization: show a code, poll until it is approved (RFC 8628)"),
    "refresh": ("refresh", "use a refresh token and report whether it rotated"),
}

EPILOGS = {
    "refresh": "Refresh tokens are often base64url and may begin with '-'. Give such a value with '=',\n"
               "as in --refresh-token=-abc…, or pipe it in with --refresh-token - (also keeps it out of\n"
               "shell history).",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="flow", metavar="FLOW", required=True)
    for name, (_grant, help_text) in FLOWS.items():
        flow_parser = sub.add_parser(name, help=help_text, description=help_text,
                                     epilog=EPILOGS.get(name), formatter_class=argparse.RawDescriptionHelpFormatter)
        add_connection_arguments(flow_parser)
        if name == "auth-code":
            group = flow_parser.add_argument_group("authorization code")
            group.add_argument("--no-pkce", action="store_true", help="do not send PKCE (not recommended)")
            group.add_argument("--redirect-port", type=int, metavar="N",
                               help="loopback port for the redirect (default: the profile's, else any free port)")
            group.add_argument("--redirect-host", choices=("127.0.0.1", "localhost"),
                               help="host name in the redirect URI (the listener binds 127.0.0.1 either way; "
                               "default: the profile's, else 127.0.0.1)")
            group.add_argument("--redirect-path", metavar="PATH", help="default: the profile's, else /callback")
            group.add_argument("--no-browser", action="store_true",
                               help="print the authorization URL instead of opening the system browser")
        if name == "refresh":
            flow_parser.add_argument("--refresh-token", required=True, metavar="RT",
                                     help="the refresh token, or - to read it from standard input (one that "
                                     "begins with '-' needs the '=' form, see below)")
            explain_dash_values(flow_parser, "--refresh-token", "a refresh token that begins with '-' needs "
                                "the '=' form, --refresh-token=-abc…, or give - and pipe it in")
        add_output_arguments(flow_parser)
        flow_parser.add_argument("--no-history", action="store_true",
                                 help="do not save the tokens obtained, nor the flow's record, to the encrypted history")


def run(args: argparse.Namespace, *, env=None, out=None, storage=None) -> int:  # noqa: ANN001 - lazily imported types
    """``env`` (a FlowEnvironment), ``out`` (a text stream) and ``storage`` (profiles and history)
    let tests inject dependencies."""
    from inspector.cli.flow_output import run_flow

    grant = FLOWS[args.flow][0]
    token = read_token_argument(getattr(args, "refresh_token", None), "refresh token")
    settings = resolve_settings(args, token=token, storage=storage)
    if grant == "client_credentials" and not (settings.client_secret or settings.private_key_pem):
        from inspector.core.errors import InspectorError

        raise InspectorError("The client credentials grant is for confidential clients: give --client-secret-env "
                             "VAR, --client-secret-file FILE, --client-secret or --key PEM.", code="usage")
    recorder = None
    if not args.no_history:
        from inspector.cli.history import flow_recorder

        recorder = flow_recorder(args.profile or "", settings.issuer, storage, announce=not args.json)
    return run_flow(grant, settings, as_json=args.json, show_tokens=args.show_tokens, env=env, out=out,
                    recorder=recorder, profile=args.profile)
