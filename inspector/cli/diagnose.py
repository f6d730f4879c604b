"""``token-inspector diagnose [INPUT|-] ...``: why a login failed, in plain words.

INPUT is a token, a callback URL, a provider's error answer (its JSON, or the whole answer with
status line and headers), a saved flow record (``flow ... --json``), a browser's HAR file, or
'-' for standard input. Only the ``--issuer`` and ``--jwks`` URLs are ever fetched.

Exit 0 when a cause is certain or likely, 1 when nothing is wrong (notes may remain), 2 for
input that cannot be used (``{"error": {"code": "unusable_input", ...}}`` with ``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from inspector.cli.decode import report_error
from inspector.cli.inputs import (ca_bundle, epoch_seconds, read_stdin_bytes, read_text, secret_from_env,
                                   timeout_seconds)
from inspector.cli.text import emit, printable
from inspector.core.errors import InspectorError, UnusableInputError
from inspector.core.diagnosis.wordings import AUTH_CODE, DEVICE
from inspector.core.diagnosis.wordings import REFRESH as REFRESH_GRANT
from inspector.core.jose.token_kind import ACCESS, ID, REFRESH

EXIT_EXPLAINED, EXIT_NOTHING_WRONG = 0, 1
#: ``--grant`` choices: the grant_type each names, as the diagnosis's wordings table spells them.
GRANTS = {AUTH_CODE: AUTH_CODE, REFRESH_GRANT: REFRESH_GRANT, "client_credentials": "client_credentials",
          "device_code": DEVICE}
#: Names that look like files: given but missing, they are a mistyped path, not a token (``report`` too).
FILE_ENDINGS = (".har", ".json", ".jsonl", ".ndjson", ".txt", ".log")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", nargs="?", default="-", metavar="INPUT|-",
                        help="a token, callback URL, error answer, flow record file or HAR file; '-' or nothing "
                        "reads standard input")
    context = parser.add_argument_group("what the failing party expected (only what you give is used)")
    context.add_argument("--issuer", metavar="URL", help="the issuer it trusts: fetches its discovery document and "
                         "current JWKS (and reads its clock) when the diagnosis needs them")
    context.add_argument("--client-id", metavar="ID", help="the client it is")
    context.add_argument("--nonce", metavar="N", help="the nonce it sent (implies an ID token is expected)")
    context.add_argument("--aud", action="append", default=[], metavar="A", help="an audience it accepts (an API)")
    context.add_argument("--expect", choices=(ID, ACCESS, REFRESH),
                         help="the kind of token it expected")
    context.add_argument("--grant", choices=tuple(GRANTS), help="the grant it ran (sharpens a bare error answer)")
    context.add_argument("--at", type=epoch_seconds, metavar="EPOCH",
                         help="when it failed (default: now; a record's own times win)")
    keys = parser.add_argument_group("keys it trusts (the token's own jwk/jku/x5u/x5c headers are never used)")
    keys.add_argument("--jwks", action="append", default=[], metavar="FILE|URL", help="a JWK Set file or URL")
    keys.add_argument("--key", action="append", default=[], metavar="PEM", help="a PEM public key or certificate file")
    secret = keys.add_mutually_exclusive_group()
    secret.add_argument("--secret", metavar="S", help="the shared secret for HS256/384/512")
    secret.add_argument("--secret-env", metavar="VAR", help="read the shared secret from this environment variable")
    secret.add_argument("--secret-file", metavar="FILE", help="read the shared secret from this file")
    parser.add_argument("--json", action="store_true", help='print {"diagnoses": [...]} as JSON')
    network = parser.add_argument_group("fetching (only with --issuer or a --jwks URL)")
    network.add_argument("--timeout", type=timeout_seconds, default=10.0, metavar="SECONDS",
                         help="HTTP timeout (default 10)")
    network.add_argument("--ca-bundle", metavar="FILE", help="PEM file of extra CA certificates to trust")


def run(args: argparse.Namespace, *, har_reader: Any = None, transport: Any = None) -> int:
    """``har_reader`` and ``transport`` let tests stand in for the HAR reader and the network."""
    from inspector.core.diagnosis.engine import diagnose_bytes

    source = None
    try:
        data = _read_input(args.input)
        ctx, source = _context(args, transport)
        report = diagnose_bytes(data, ctx, har_reader=har_reader)
    except InspectorError as exc:
        return report_error(exc, as_json=args.json)
    finally:
        if source is not None:
            source.close()
    if args.json:
        emit(json.dumps({"diagnoses": [d.to_json() for d in report.diagnoses]}, indent=2, ensure_ascii=False))
    else:
        emit("\n".join(render(report)))
    return EXIT_EXPLAINED if report.explained else EXIT_NOTHING_WRONG


def _read_input(argument: str) -> bytes:
    from inspector.core.diagnosis.detect import MAX_ARTIFACT_BYTES, read_artifact

    if argument == "-":
        if sys.stdin is not None and sys.stdin.isatty():
            print("Paste the token, URL or answer, then press Ctrl-D:", file=sys.stderr)
        return read_stdin_bytes("an artifact to diagnose", limit=MAX_ARTIFACT_BYTES, error=UnusableInputError)
    if is_path(argument):
        return read_artifact(argument)
    if argument.lower().endswith(FILE_ENDINGS) and "://" not in argument:
        raise UnusableInputError(f"There is no file {argument!r}.", hint="Check the path, or paste the text itself.")
    return argument.encode("utf-8", "surrogateescape")


def is_path(argument: str) -> bool:
    """Whether ``argument`` names something on disk (``~`` expanded), rather than being the text itself."""
    try:
        return "\0" not in argument and len(argument) < 4096 and os.path.lexists(os.path.expanduser(argument))
    except (OSError, ValueError):
        return False


def _context(args: argparse.Namespace, transport: Any) -> tuple[Any, Any]:
    from inspector.core.diagnosis.model import DiagnosisContext
    from inspector.core.diagnosis.remote import IssuerSource

    keys, names = _keys(args)
    urls = [source for source in args.jwks if source.startswith(("https://", "http://"))]
    if len(urls) > 1:
        raise InspectorError("Give one --jwks URL (the issuer's); save others to files.", code="usage")
    source = None
    if args.issuer or urls:
        bundle = ca_bundle(args.ca_bundle) if args.ca_bundle else None
        source = IssuerSource(issuer=args.issuer, jwks_url=urls[0] if urls else None, timeout=args.timeout,
                              ca_bundle=bundle, transport=transport)
    ctx = DiagnosisContext(issuer=args.issuer, client_id=args.client_id, nonce=args.nonce, audiences=tuple(args.aud),
                           keys=tuple(keys), keys_where=" and ".join(names) or "the keys given", source=source,
                           expect=args.expect, grant=GRANTS.get(args.grant) if args.grant else None, at=args.at)
    return ctx, source


def _keys(args: argparse.Namespace) -> tuple[list[Any], list[str]]:
    """The keys named on the command line, and how sentences name them."""
    from pathlib import Path

    from inspector.core.jose.keys import from_secret, load_key_text

    keys: list[Any] = []
    names: list[str] = []
    for path in [*args.jwks, *args.key]:
        if path.startswith(("https://", "http://")):
            continue
        keys += load_key_text(read_text(path, "the key file", code="key_source"))
        names.append(f"the keys in {Path(path).name}")
    secret = args.secret
    if args.secret_env:
        secret = secret_from_env(args.secret_env)
    elif args.secret_file:
        secret = read_text(args.secret_file, "the secret file", code="key_source").rstrip("\r\n")
    if secret is not None:  # bytes not UTF-8 on the command line come back as they were typed
        keys.append(from_secret(secret.encode("utf-8", "surrogateescape")))
        names.append("the shared secret given")
    return keys, names


def render(report: Any) -> list[str]:
    """One card per diagnosis, root cause first; every line escaped (provider text is hostile)."""
    if not report.diagnoses:
        return [f"Nothing wrong found in this {report.input.replace('_', ' ')}."]
    lines: list[str] = []
    for number, diagnosis in enumerate(report.diagnoses, start=1):
        lines += [f"{number}. {diagnosis.cause} ({diagnosis.confidence.value})", f"   {printable(diagnosis.summary)}"]
        if diagnosis.evidence:
            lines.append("   Evidence:")
            for item in diagnosis.evidence:
                value = json.dumps(item.value, ensure_ascii=False)
                lines.append(f"     {item.kind.value} {printable(item.name)} = {printable(value)}  "
                             f"({printable(item.where)})")
        lines += [f"   Fix: {printable(diagnosis.fix)}", ""]
    if not report.explained:
        lines.append("Nothing here explains a failure for certain; the notes above are worth checking.")
    return lines
