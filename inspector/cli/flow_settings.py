"""Connection arguments shared by ``flow``, ``introspect``, ``revoke`` and ``userinfo``, and the
one function that turns them into :class:`FlowSettings` (a saved profile plugs in there).

Kept free of heavy imports: it is imported while building the parser.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from inspector.cli.inputs import (
    ca_bundle, decryption_key, name_value, pem_file, private_key, read_stdin, secret_from_env, secret_from_file, timeout_seconds,
)
from inspector.cli.setting_names import flag_namer
from inspector.core.errors import InspectorError
from inspector.core.protocol.client_auth import AUTH_METHODS, AUTO
from inspector.core.protocol.endpoints import ENDPOINTS, option_name

__all__ = ["add_connection_arguments", "add_dpop_argument", "add_output_arguments", "explain_dash_values",
           "read_token_argument", "resolve_settings"]


def add_connection_arguments(parser: argparse.ArgumentParser, *, secret_required: bool = False,
                             decryption: bool = False) -> None:
    """``decryption``: the command reads tokens or answers the provider may encrypt to the client
    (ID tokens, userinfo), so it takes ``--decrypt-key``."""
    group = parser.add_argument_group("provider and client")
    group.add_argument("--profile", metavar="NAME",
                       help="start from a saved profile (issuer, client, scopes, redirect, parameters, secrets "
                       "from the keyring); options given here override it")
    group.add_argument("--issuer", metavar="URL",
                       help="the issuer exactly as the provider states it (its metadata is discovered from it); "
                       "required unless --profile gives it")
    group.add_argument("--client-id", metavar="ID", help="the client (application) id")
    secret = group.add_mutually_exclusive_group(required=secret_required)
    secret.add_argument("--client-secret", metavar="S",
                        help="the client secret. Visible to other users of this machine (ps) and kept in your shell "
                        "history: prefer --client-secret-env or --client-secret-file")
    secret.add_argument("--client-secret-env", metavar="VAR", help="read the client secret from environment variable VAR")
    secret.add_argument("--client-secret-file", metavar="FILE",
                        help="read the client secret from FILE (its first line; '<(command)' works too)")
    group.add_argument("--auth-method", choices=(AUTO, *AUTH_METHODS),
                       help="client authentication (default: the profile's, else auto: private_key_jwt with --key, "
                       "client_secret_basic with a secret — or client_secret_post if the provider supports only "
                       "that —, tls_client_auth with only --client-cert, otherwise none)")
    group.add_argument("--key", metavar="PEM", help="private key file for private_key_jwt client authentication "
                       "(client_secret_jwt signs with the client secret instead)")
    group.add_argument("--key-id", metavar="KID", help="kid to put in the client assertion's header")
    if decryption:
        group.add_argument("--decrypt-key", metavar="FILE",
                           help="decrypt encrypted ID tokens and userinfo answers (JWE) with this private JWK, JWK "
                           "Set (chosen by kid) or PEM key (default: the profile's decryption key, from the keyring)")
    group.add_argument("--client-cert", metavar="PEM",
                       help="client certificate for mutual TLS (RFC 8705): presented to servers that ask, used by "
                       "tls_client_auth and self_signed_tls_client_auth, and the provider's mtls_endpoint_aliases "
                       "are then used; needs --client-key")
    group.add_argument("--client-key", metavar="PEM",
                       help="the client certificate's unencrypted private key (PEM; '<(command)' works too); it "
                       "is never written to disk in plaintext")
    group.add_argument("--scope", metavar="S", help="space-separated scopes")
    group.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                       help="extra request parameter (prompt, login_hint, acr_values, resource, …); repeatable")
    group.add_argument("--ca-bundle", metavar="FILE", help="PEM file of extra CA certificates to trust")
    group.add_argument("--timeout", type=timeout_seconds, default=120.0, metavar="SECONDS",
                       help="bound for every HTTP request and for waiting on the browser (default 120)")
    group.add_argument("--allow-http", action="store_true",
                       help="accept a plain-http issuer off loopback (test networks only)")
    manual = parser.add_argument_group(
        "endpoints set by hand (for a provider without a discovery document)",
        "Giving any of these replaces discovery: no metadata is fetched, so give every endpoint the flow "
        "needs. --issuer is then optional and only checked against the ID token's iss and the RFC 9207 "
        "iss parameter. Values given here override a profile's endpoints.")
    for name in ENDPOINTS:
        manual.add_argument(option_name(name), dest=name, metavar="URL",
                            help="the provider's JWK Set URL (for ID tokens)" if name == "jwks_uri" else None)


def add_dpop_argument(parser: argparse.ArgumentParser) -> None:
    """``--dpop`` / ``--no-dpop``: sender-constrained tokens (RFC 9449), over the profile's choice."""
    parser.add_argument("--dpop", action=argparse.BooleanOptionalAction, default=None,
                        help="prove possession of a key with a DPoP proof on token, refresh and userinfo requests "
                        "(RFC 9449): the profile's kept DPoP key, else a new key for this run (default: the "
                        "profile's setting, else off)")


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("output")
    group.add_argument("--json", action="store_true",
                       help="one JSON object per step, flushed as it happens; tokens in full")
    group.add_argument("--show-tokens", action="store_true", help="print tokens in full (default: abbreviated)")


def explain_dash_values(parser: argparse.ArgumentParser, argument: str, how: str) -> None:
    """Tokens are base64url, so one in 64 begins with '-'. argparse then reads it as an option
    and reports only that ``argument`` has no value; say how to pass such a value instead."""
    report = parser.error

    def error(message: str) -> NoReturn:
        report(f"{message} ({how})" if argument in message else message)

    parser.error = error  # type: ignore[method-assign]


def read_token_argument(value: str | None, what: str) -> str | None:
    """``-`` reads the value from standard input (keeps it out of shell history and `ps`)."""
    if value != "-":
        return value
    text = read_stdin(f"the {what}").strip()
    if not text:
        raise InspectorError(f"No {what} on standard input.", code="usage")
    return text


def _parse_params(pairs: list[str]) -> dict[str, str]:
    return dict(name_value(pair, "--param") for pair in pairs)


def _client_secret(args: argparse.Namespace) -> str | None:
    if getattr(args, "client_secret_env", None) is not None:
        return secret_from_env(args.client_secret_env)
    if getattr(args, "client_secret_file", None) is not None:
        return secret_from_file(args.client_secret_file, "the client secret file")
    return getattr(args, "client_secret", None)


def _profile_settings(args: argparse.Namespace, storage, *, with_client_secret: bool,  # noqa: ANN001 - a Storage
                       with_private_key: bool, with_decryption_key: bool, with_client_key: bool):  # noqa: ANN202
    """The saved profile of ``--profile NAME`` as FlowSettings (None without it); secrets only
    when not given here."""
    if not getattr(args, "profile", None):
        return None
    from inspector.core.storage.context import Storage
    from inspector.core.storage.flow_link import settings_from_profile

    storage = storage or Storage.from_environment()
    return settings_from_profile(storage.profiles, args.profile, with_client_secret=with_client_secret,
                                 with_private_key=with_private_key, with_decryption_key=with_decryption_key,
                                 with_client_key=with_client_key)


def resolve_settings(args: argparse.Namespace, *, token: str | None = None, require_client: bool = True,
                     storage=None, grant_fields: dict | None = None):  # noqa: ANN001 -> FlowSettings (lazy)
    """Every connection setting of one invocation, resolved in one place (``--profile`` is read
    from ``storage``, by default the app's profiles and keyring); ``grant_fields`` are those of
    options only some flows have (:mod:`inspector.cli.flow_grant_options`)."""
    from inspector.core.flows.settings import FlowSettings

    client_secret, key = _client_secret(args), private_key(args.key) if args.key else None
    decrypt_key = decryption_key(path) if (path := getattr(args, "decrypt_key", None)) else None
    cert = pem_file(args.client_cert, "the client certificate file") if getattr(args, "client_cert", None) else None
    cert_key = pem_file(args.client_key, "the client key file") if getattr(args, "client_key", None) else None
    profile = _profile_settings(args, storage, with_client_secret=client_secret is None,
                                with_private_key=key is None, with_decryption_key=decrypt_key is None,
                                with_client_key=cert_key is None)

    def pick(value, name, default=None):  # noqa: ANN001, ANN202 - an option given here wins over the profile
        if value is not None:
            return value
        return getattr(profile, name) if profile is not None else default

    endpoints = {**pick(None, "endpoints", {}),
                 **{name: getattr(args, name) for name in ENDPOINTS if getattr(args, name, None)}}
    if pick(args.issuer, "issuer") is None and not endpoints:
        raise InspectorError("--issuer (or --profile NAME, or the endpoints by hand such as --token-endpoint URL) "
                             "is required.", code="usage")
    settings = FlowSettings(
        issuer=pick(args.issuer, "issuer") or "",
        endpoints=endpoints,
        client_id=pick(args.client_id, "client_id"),
        client_secret=pick(client_secret, "client_secret"),
        auth_method=pick(args.auth_method, "auth_method"),
        private_key_pem=pick(key, "private_key_pem"),
        decryption_key=pick(decrypt_key, "decryption_key"),
        key_id=args.key_id,
        scope=pick(args.scope, "scope"),
        use_pkce=not getattr(args, "no_pkce", False),
        redirect_host=pick(getattr(args, "redirect_host", None), "redirect_host", "127.0.0.1"),
        redirect_port=pick(getattr(args, "redirect_port", None), "redirect_port", 0),
        redirect_path=pick(getattr(args, "redirect_path", None), "redirect_path", "/callback"),
        ca_bundle=ca_bundle(bundle) if (bundle := pick(args.ca_bundle, "ca_bundle")) else None,
        extra_params={**pick(None, "extra_params", {}), **_parse_params(args.param)},
        timeout=args.timeout,
        open_browser=not getattr(args, "no_browser", False),
        allow_http=args.allow_http,
        token=token,
        token_type_hint=getattr(args, "token_type_hint", None),
        client_cert_pem=pick(cert, "client_cert_pem"),
        client_key_pem=pick(cert_key, "client_key_pem"),
        dpop=pick(getattr(args, "dpop", None), "dpop", False),
        dpop_key=profile.dpop_key if profile is not None else None,
        use_par=pick(getattr(args, "use_par", None), "use_par"),
        **{"resource": list(pick(None, "resource", [])), **(grant_fields or {})},
        api_url=getattr(args, "call", None),
        api_method=getattr(args, "call_method", None),
    )
    if require_client and not settings.client_id:
        raise InspectorError("--client-id is required.", code="usage")
    problems = settings.problems(flag_namer(getattr(args, "profile", None)))
    if problems:
        text = "; ".join(problems)
        raise InspectorError(text[0].upper() + text[1:] + ".", code="usage")
    return settings
