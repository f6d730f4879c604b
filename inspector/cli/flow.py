"""``token-inspector flow auth-code|device|client-credentials|refresh``: run a grant step by step
against a real provider, printing each request, response and finding as it happens.

The subcommands are the core's grants (:mod:`inspector.core.flows.grants`) listed as flows; one
that acts on a token (refresh) takes it as ``--<kind>`` (``--refresh-token``)."""

from __future__ import annotations

import argparse

from inspector.cli.flow_grant_options import add_grant_arguments, grant_settings
from inspector.cli.flow_settings import (
    add_connection_arguments, add_dpop_argument, add_output_arguments, explain_dash_values, read_token_argument,
    resolve_settings,
)
from inspector.core.flows.grants import GRANTS, Grant

#: subcommand -> its grant
FLOWS: dict[str, Grant] = {grant.command: grant for grant in GRANTS.values() if grant.cli == "flow"}


def _epilog(grant: Grant) -> str | None:
    """How to give a token that begins with '-' (one in 64 base64url tokens does)."""
    if grant.token is None:
        return None
    name = grant.token_option or grant.token
    option = "--" + name.replace("_", "-")
    return (f"{name.replace('_', ' ').capitalize()}s are often base64url and may begin with '-'. "
            f"Give such a value with '=',\nas in {option}=-abc…, or pipe it in with {option} - (also keeps it "
            "out of\nshell history).")


def _add_token_argument(flow_parser: argparse.ArgumentParser, token: str) -> None:
    """The token the grant acts on, as ``--<kind>`` (required), ``-`` reading it from standard input."""
    kind, option = token.replace("_", " "), "--" + token.replace("_", "-")
    flow_parser.add_argument(option, required=True, metavar="".join(word[0] for word in token.split("_")).upper(),
                             help=f"the {kind}, or - to read it from standard input (one that "
                             "begins with '-' needs the '=' form, see below)")
    explain_dash_values(flow_parser, option, f"a {kind} that begins with '-' needs "
                        f"the '=' form, {option}=-abc…, or give - and pipe it in")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="flow", metavar="FLOW", required=True)
    for name, grant in FLOWS.items():
        flow_parser = sub.add_parser(name, help=grant.summary, description=grant.summary,
                                     epilog=_epilog(grant), formatter_class=argparse.RawDescriptionHelpFormatter)
        add_connection_arguments(flow_parser, decryption=True)
        add_dpop_argument(flow_parser)
        if grant.name == "auth_code":
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
            par = group.add_mutually_exclusive_group()
            par.add_argument("--par", dest="use_par", action="store_const", const=True,
                             help="push the authorization request (RFC 9126) and send the browser only client_id "
                             "and request_uri (default: the profile's, else when the provider requires it)")
            par.add_argument("--no-par", dest="use_par", action="store_const", const=False,
                             help="send the authorization request in the browser's URL even where the provider "
                             "requires PAR (to see its refusal)")
        if grant.token is not None:
            _add_token_argument(flow_parser, grant.token_option or grant.token)
        add_grant_arguments(flow_parser, grant.name)
        if grant.issues_tokens:
            group = flow_parser.add_argument_group("call an API with the access token at the end")
            group.add_argument("--call", metavar="URL", help="the API to call with the access token once the flow "
                               "has one (its answer and what it means are the last step)")
            group.add_argument("--call-method", metavar="M", help="the method of that call (default: GET)")
        add_output_arguments(flow_parser)
        flow_parser.add_argument("--no-history", action="store_true",
                                 help="do not save the tokens obtained, nor the flow's record, to the encrypted history")


def run(args: argparse.Namespace, *, env=None, out=None, storage=None) -> int:  # noqa: ANN001 - lazily imported types
    """``env`` (a FlowEnvironment), ``out`` (a text stream) and ``storage`` (profiles and history)
    let tests inject dependencies."""
    from inspector.cli.flow_output import run_flow

    chosen = FLOWS[args.flow]
    grant = chosen.name
    option = chosen.token_option or chosen.token
    token = read_token_argument(getattr(args, option) if option else None, (option or "token").replace("_", " "))
    settings = resolve_settings(args, token=token, storage=storage, grant_fields=grant_settings(args, grant))
    if grant == "client_credentials" and not (settings.client_secret or settings.private_key_pem
                                              or settings.client_cert_pem):
        from inspector.core.errors import InspectorError

        raise InspectorError("The client credentials grant is for confidential clients: give --client-secret-env "
                             "VAR, --client-secret-file FILE, --client-secret, --key PEM, or --client-cert PEM "
                             "with --client-key PEM (mutual TLS).", code="usage")
    recorder = None
    if not args.no_history:
        from inspector.cli.history import flow_recorder

        recorder = flow_recorder(args.profile or "", settings.issuer, storage, announce=not args.json)
    return run_flow(grant, settings, as_json=args.json, show_tokens=args.show_tokens, env=env, out=out,
                    recorder=recorder, profile=args.profile)
