"""Options only some flows have: ``--resource`` (RFC 8707), the token exchange inputs (RFC 8693)
and the JWT bearer assertion (RFC 7523 §2.1), and how they reach :class:`FlowSettings`.

Kept free of heavy imports: it is imported while building the parser."""

from __future__ import annotations

import argparse
from typing import Any

from inspector.cli.flow_settings import explain_dash_values, read_token_argument
from inspector.cli.inputs import name_value, private_key
from inspector.core.errors import InspectorError
from inspector.core.protocol.token_types import TOKEN_TYPES

__all__ = ["RESOURCE_FLOWS", "add_grant_arguments", "grant_settings"]

#: The flows that send ``resource`` (authorization, token and refresh requests).
RESOURCE_FLOWS = ("auth_code", "client_credentials", "refresh", "token_exchange")
_TYPES = f"a token type URN, or one of {', '.join(TOKEN_TYPES)}"


def add_grant_arguments(parser: argparse.ArgumentParser, grant: str) -> None:
    if grant in RESOURCE_FLOWS:
        parser.add_argument("--resource", action="append", metavar="R",
                            help="resource indicator (an absolute URI) the token is for (RFC 8707); repeatable; "
                            "replaces the profile's")
    if grant == "token_exchange":
        group = parser.add_argument_group("token exchange (RFC 8693)")
        group.add_argument("--subject-token-type", metavar="URN", default="access_token",
                           help=f"what the subject token is: {_TYPES} (default access_token)")
        group.add_argument("--actor-token", metavar="TOKEN",
                           help="the token of the party acting for the subject (delegation), or - to read it from "
                           "standard input")
        group.add_argument("--actor-token-type", metavar="URN", help=f"what the actor token is: {_TYPES}")
        group.add_argument("--audience", metavar="A", help="the logical name of the service the token is for")
        group.add_argument("--requested-token-type", metavar="URN", help=f"the type of token wanted: {_TYPES}")
        explain_dash_values(parser, "--actor-token", "an actor token that begins with '-' needs the '=' form, "
                            "--actor-token=-abc…, or give - and pipe it in")
    if grant == "jwt_bearer":
        group = parser.add_argument_group("JWT bearer assertion (RFC 7523 §2.1)")
        source = group.add_mutually_exclusive_group()
        source.add_argument("--assertion-key", metavar="PEM",
                            help="private key to sign the assertion with (RSA: RS256, EC P-256/384: ES256/384, "
                            "Ed25519: EdDSA); default: --key, or the profile's private key")
        source.add_argument("--assertion", metavar="JWT",
                            help="an assertion made elsewhere, sent as is; - reads it from standard input")
        group.add_argument("--assertion-claim", action="append", default=[], metavar="NAME=VALUE",
                           help="set or add a claim of the assertion (VALUE may be JSON: 300, [\"a\",\"b\"]); "
                           "defaults: iss and sub the client id, aud the token endpoint, exp five minutes ahead "
                           "(at most an hour), iat, jti; repeatable")


def _claims(pairs: list[str]) -> dict[str, Any]:
    from inspector.core.protocol.jwt_bearer import claim_value

    claims = {}
    for pair in pairs:
        name, value = name_value(pair, "--assertion-claim")
        claims[name] = claim_value(name, value)
    return claims


def grant_settings(args: argparse.Namespace, grant: str) -> dict[str, Any]:
    """The FlowSettings fields these options set (absent ones leave the profile's or the defaults)."""
    fields: dict[str, Any] = {}
    if getattr(args, "resource", None):
        fields["resource"] = list(args.resource)
    if grant == "token_exchange":
        fields.update(subject_token_type=args.subject_token_type, actor_token_type=args.actor_token_type,
                      audience=args.audience, requested_token_type=args.requested_token_type,
                      actor_token=read_token_argument(args.actor_token, "actor token"))
    if grant == "jwt_bearer":
        if args.assertion and args.assertion_claim:
            raise InspectorError("--assertion-claim changes an assertion this tool signs; --assertion is sent as "
                                 "it is. Give one or the other.", code="usage")
        fields.update(assertion=read_token_argument(args.assertion, "assertion"),
                      assertion_key_pem=private_key(args.assertion_key) if args.assertion_key else None,
                      assertion_claims=_claims(args.assertion_claim))
    return fields
