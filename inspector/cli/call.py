"""``token-inspector call URL``: call an API with an access token and say what its answer means
(see :mod:`inspector.core.protocol.api_call`).

The token comes from ``--token TOKEN``, ``--token -`` (standard input: out of shell history and
``ps``) or ``--from-history ID``; without one the request goes without a token, which shows what
the API asks for. Exit 0 for a 2xx answer, 1 for any other answer or a failed request (the
findings say why), 2 for a usage error. Text output escapes everything the API chose; ``--json``
prints one document ``{status, reason, headers, body, body_type, challenges, findings, request,
exchanges}`` (and ``dpop_proofs``, decoded, with ``--dpop``).

``--dpop`` presents the token as DPoP-bound (RFC 9449 §7.1) with a proof made with the key it is
bound to: ``--dpop-key FILE`` (a private JWK), else the key a ``--from-history`` entry keeps
beside its token, else the key ``--profile``'s keeps in the keyring. A server's nonce round is
done once. The Authorization header and any header whose name says it holds a secret are
masked in both, and the token is abbreviated wherever the API echoes it (unless ``--show-tokens``).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, TYPE_CHECKING

from inspector.cli.flow_settings import explain_dash_values, read_token_argument
from inspector.cli.inputs import MAX_SECRET_BYTES, ca_bundle, read_file, read_stdin_bytes, timeout_seconds, usage
from inspector.cli.text import printable, write_json, write_text
from inspector.core.protocol.api_input import HEADER_VALUE, TOKEN, content_type_for

if TYPE_CHECKING:
    import httpx

    from inspector.core.protocol.api_call import ApiAnswer, ApiRequest, Authorizer
    from inspector.core.storage.context import Storage

EXIT_OK, EXIT_FAILED = 0, 1
#: History kinds (core.storage.summary) -> the token kinds the core names.
_HISTORY_KINDS = {"access": "access_token", "id": "id_token", "refresh": "refresh_token"}
_DEFAULT_TIMEOUT = 30.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL", help="the API's URL (https; plain http only on loopback unless "
                        "--allow-http)")
    request = parser.add_argument_group("request")
    request.add_argument("--method", "-X", metavar="M", help="the HTTP method (default: GET, or POST with --data)")
    request.add_argument("--header", "-H", action="append", default=[], metavar="NAME:VALUE",
                         help="a request header; repeatable. Authorization, Cookie and any header named like a "
                         "secret (X-Api-Key, X-Auth-Token, …) are masked in the output")
    request.add_argument("--data", "-d", metavar="BODY|@FILE|@-",
                         help="the request body: the text itself, @FILE to read a file, @- for standard input. "
                         "Its Content-Type, unless given with --header, is application/json when it is JSON, "
                         "application/x-www-form-urlencoded otherwise (as curl)")
    token = parser.add_argument_group("the token (none: the request goes without one)").add_mutually_exclusive_group()
    token.add_argument("--token", metavar="TOKEN|-",
                       help="the access token, or - to read it from standard input (keeps it out of shell history "
                       "and ps). One that begins with '-' is given as --token=-abc…")
    token.add_argument("--from-history", metavar="ID", help="the token saved in the history under ID (a unique "
                       "prefix of 4+ characters is enough)")
    dpop = parser.add_argument_group("DPoP (RFC 9449)")
    dpop.add_argument("--dpop", action="store_true", help="send the token as DPoP-bound, with a proof of the key "
                      "it is bound to: --dpop-key FILE, else the --from-history entry's key, else --profile's kept "
                      "key")
    dpop.add_argument("--dpop-key", metavar="FILE", help="the private key (a JWK file) the token is bound to; "
                      "implies --dpop")
    connection = parser.add_argument_group("connection")
    connection.add_argument("--profile", metavar="NAME", help="take the CA bundle (and, with --dpop, the kept DPoP "
                            "key) from this saved profile")
    connection.add_argument("--ca-bundle", metavar="FILE", help="PEM file of extra CA certificates to trust")
    connection.add_argument("--timeout", type=timeout_seconds, default=_DEFAULT_TIMEOUT, metavar="SECONDS",
                            help=f"bound for the whole request, body included (default {_DEFAULT_TIMEOUT:g})")
    connection.add_argument("--allow-http", action="store_true",
                            help="send the token over plain http to a host that is not loopback (test networks only)")
    output = parser.add_argument_group("output")
    output.add_argument("--json", action="store_true", help="print one JSON document: status, headers, body, "
                        "findings and the request")
    output.add_argument("--show-tokens", action="store_true",
                        help="show the token in full where the API echoes it (default: abbreviated)")
    explain_dash_values(parser, "--token", "a token that begins with '-' is given as --token=-abc…, or give - and "
                        "pipe it in")


def run(args: argparse.Namespace, *, storage: Storage | None = None, transport: httpx.BaseTransport | None = None,
        out: IO[str] | None = None) -> int:
    """``storage`` and ``transport`` let tests hand in their own history and HTTP transport."""
    from inspector.core.protocol.api_call import call_api
    from inspector.core.protocol.http import make_client

    if args.token == "-" and args.data == "@-":
        raise usage("--token - and --data @- both want standard input: pass one of them another way.")
    request = _request(args)
    token, kind, kept_key = _token(args, storage)
    authorizer = _authorizer(args, token, kept_key, storage)
    bundle = args.ca_bundle or _profile_ca_bundle(args.profile, storage)
    with make_client(timeout=args.timeout, ca_bundle=ca_bundle(bundle) if bundle else None,
                     transport=transport) as client:
        answer = call_api(client, request, token, authorizer=authorizer, allow_http=args.allow_http, kind=kind)
    stream = out or sys.stdout
    if args.json:
        write_json(stream, answer.to_json(show_tokens=args.show_tokens), indent=2)
    else:
        _print_text(stream, answer, show_tokens=args.show_tokens)
    return EXIT_OK if answer.ok else EXIT_FAILED


def _request(args: argparse.Namespace) -> ApiRequest:
    from inspector.core.protocol.api_call import ApiRequest

    headers = tuple(_header(text) for text in args.header)
    body = _body(args.data) if args.data is not None else None
    if body is not None and not any(name.lower() == "content-type" for name, _ in headers):
        headers += (("Content-Type", content_type_for(body)),)
    method = args.method or ("POST" if body is not None else "GET")
    if not TOKEN.fullmatch(method):
        raise usage(f"--method {method!r} is not an HTTP method (a word such as GET, POST, PUT, DELETE).")
    return ApiRequest(method.upper(), args.url, headers, body)


def _header(text: str) -> tuple[str, str]:
    name, colon, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not colon or not TOKEN.fullmatch(name):
        raise usage(f"--header {printable(text)!r} is not NAME:VALUE (e.g. --header 'Accept: application/json').")
    if not HEADER_VALUE.fullmatch(value):
        raise usage(f"The value of the header {name} holds a line break or another control character, which no "
                    "header may carry.")
    return name, value


def _body(data: str) -> bytes:
    if data == "@-":
        return read_stdin_bytes("the request body")
    if data.startswith("@"):
        return read_file(data[1:], "the request body file")
    return data.encode("utf-8", "surrogateescape")


def _token(args: argparse.Namespace, storage: Storage | None) -> tuple[str | None, str | None, str | None]:
    """The token to send, its kind when known (a history entry knows it) and the DPoP key a
    history entry keeps beside it."""
    if args.from_history is None:
        return read_token_argument(args.token, "token"), None, None
    from inspector.core.storage.context import Storage

    history = (storage or Storage.from_environment()).history
    entry = history.get(args.from_history)
    return history.token(entry.id), _HISTORY_KINDS.get(entry.kind), history.dpop_key(entry.id)


def _authorizer(args: argparse.Namespace, token: str | None, kept_key: str | None,
                storage: Storage | None) -> Authorizer:
    """Bearer, or with ``--dpop`` (or ``--dpop-key``) a DPoP authorizer with the first key source given."""
    from inspector.core.protocol.api_call import BEARER

    if not (args.dpop or args.dpop_key):
        return BEARER
    if token is None:
        raise usage("--dpop sends a token with a proof of its key, but no token was given: add --token or "
                    "--from-history ID.")
    from inspector.core.errors import KeySourceError
    from inspector.core.protocol.api_dpop import DpopAuthorizer
    from inspector.core.protocol.dpop_session import DpopSession

    key = _dpop_key(args, kept_key, storage)
    try:
        return DpopAuthorizer(DpopSession.start(key))
    except KeySourceError as exc:
        raise usage(f"The DPoP key cannot be used: {exc}") from exc


def _dpop_key(args: argparse.Namespace, kept_key: str | None, storage: Storage | None) -> str:
    """The private JWK: ``--dpop-key FILE``, the history entry's, or the profile's kept key."""
    if args.dpop_key:
        return read_file(args.dpop_key, "the DPoP key file", limit=MAX_SECRET_BYTES).decode("utf-8", "replace")
    if kept_key:
        return kept_key
    if args.profile:
        from inspector.core.storage.context import Storage
        from inspector.core.storage.flow_link import settings_from_profile

        profiles = (storage or Storage.from_environment()).profiles
        key = settings_from_profile(profiles, args.profile, with_client_secret=False, with_private_key=False).dpop_key
        if key:
            return key
        raise usage(f"The profile {args.profile!r} keeps no DPoP key, so --dpop has no key to prove possession "
                    "with.", hint="Keep one by running a flow with DPoP on under that profile with its key kept "
                    "(the profile's DPoP setting), or give the key with --dpop-key FILE.")
    where = f"the history entry {args.from_history} keeps no DPoP key" if args.from_history else "no key was given"
    raise usage(f"--dpop needs the private key the token is bound to, and {where}.",
                hint="Give it with --dpop-key FILE (a private JWK), --from-history ID of a token obtained with "
                "DPoP, or --profile NAME of a profile that keeps one.")


def _profile_ca_bundle(profile: str | None, storage: Storage | None) -> str | None:
    if not profile:
        return None
    from inspector.core.storage.context import Storage

    return (storage or Storage.from_environment()).profiles.get(profile).ca_bundle or None


def _print_text(out: IO[str], answer: ApiAnswer, *, show_tokens: bool) -> None:
    from inspector.cli.flow_output import exchange_line, finding_line
    from inspector.core.advice import neutral_name

    redactor = answer.redactor(show_tokens)
    for exchange in answer.exchanges:
        write_text(out, exchange_line(exchange.redacted(redactor)))
    if answer.status is not None:
        write_text(out, printable(f"HTTP {answer.status} {answer.reason}".strip()))
        for name, value in answer.headers:  # each field as received: a repeated one on its own line
            write_text(out, f"{printable(name)}: {printable(str(redactor.value(value, name)))}")
        write_text(out, "")
        for line in _body_lines(answer, redactor):
            write_text(out, printable(line))
    for number, proof in enumerate(answer.decoded_proofs(), 1):
        write_text(out, "")
        write_text(out, f"DPoP proof {number} of {len(answer.proofs)} (sent in the DPoP header):")
        for line in json.dumps(proof, indent=2, ensure_ascii=False).splitlines():
            write_text(out, "  " + printable(line))
    if answer.findings:
        write_text(out, "")
    for finding in answer.findings:
        write_text(out, finding_line(redactor.finding(finding), neutral_name))


def _body_lines(answer: ApiAnswer, redactor) -> list[str]:  # noqa: ANN001 - a Redactor
    body = answer.body
    if body is None or body.kind == "empty":
        return ["(empty body)"]
    value = body.to_json(redactor)
    if body.kind == "json":
        return json.dumps(value, indent=2, ensure_ascii=False).splitlines()
    return str(value).splitlines() or [""]
