"""``token-inspector verify TOKEN|- ...``: verify a JWT's signature and claims, report every finding.

Exit 0 valid, 1 invalid (a missing key source is the ``key_not_found`` finding), 2 for a usage
error, unreadable input, or a key source that cannot be read or reached (a missing file, an
unreachable JWKS URL or issuer): the command cannot give a verdict then, so it says why instead.
An encrypted token (JWE) is first decrypted with ``--decrypt-key``; a failed decryption is exit 1
with its findings, and the JWS inside is then verified as any other.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from inspector.cli import decryption
from inspector.cli.decode import EXIT_INVALID, EXIT_OK, read_token, render_findings, render_token, report_error
from inspector.cli.inputs import (
    ca_bundle,
    epoch_seconds,
    leeway_seconds,
    read_text,
    secret_from_env,
    secret_from_file,
    timeout_seconds,
)
from inspector.cli.setting_names import flag_namer
from inspector.cli.text import emit
from inspector.core.errors import InspectorError, KeySourceError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("token", metavar="TOKEN|-", help="the token, or '-' to read it from standard input")
    keys = parser.add_argument_group("trusted keys (the token's own jwk/jku/x5u/x5c headers are never used)")
    keys.add_argument("--jwks", action="append", default=[], metavar="FILE|URL", help="a JWK Set file or URL")
    keys.add_argument("--key", action="append", default=[], metavar="PEM_FILE",
                      help="a PEM public key or certificate (or a JWK file)")
    secret = keys.add_mutually_exclusive_group()
    secret.add_argument("--secret", metavar="S", help="the shared secret for HS256/384/512, as UTF-8 text. Visible "
                        "to other users of this machine (ps) and kept in your shell history: prefer --secret-env "
                        "or --secret-file")
    secret.add_argument("--secret-env", metavar="VAR", help="read the shared secret from environment variable VAR")
    secret.add_argument("--secret-file", metavar="FILE",
                        help="read the shared secret from FILE (its first line; '/dev/stdin' or '<(command)' work too)")
    keys.add_argument("--issuer", metavar="URL", help="fetch the issuer's discovery document and its jwks_uri "
                      "(when no other key is given), and expect iss to be this URL")
    checks = parser.add_argument_group("expectations (only what you give is checked; exp/nbf/iat always are)")
    checks.add_argument("--aud", action="append", default=[], metavar="A",
                        help="an accepted audience; repeat for alternatives")
    checks.add_argument("--iss", metavar="I", help="the expected issuer (default: --issuer)")
    checks.add_argument("--nonce", metavar="N", help="the nonce sent in the authentication request")
    checks.add_argument("--alg", action="append", default=[], metavar="A",
                        help="an allowed algorithm; repeat for more (default: every supported one)")
    checks.add_argument("--leeway", type=leeway_seconds, default=0.0, metavar="SECONDS", help="clock skew allowed (default 0)")
    checks.add_argument("--now", type=epoch_seconds, metavar="EPOCH", help="verify as if it were this time")
    access = checks.add_mutually_exclusive_group()
    access.add_argument("--access-token", metavar="AT", help="check the ID token's at_hash against this token "
                        "(visible to other users of this machine (ps): prefer --access-token-file)")
    access.add_argument("--access-token-file", metavar="FILE", help="the same, with the access token read from FILE")
    checks.add_argument("--code", metavar="C", help="check the ID token's c_hash against this code")
    checks.add_argument("--client-id", metavar="ID", help="apply the ID token rules of OpenID Connect Core "
                        "§3.1.3.7 for this client (aud, azp, required claims)")
    parser.add_argument("--json", action="store_true", help="print {valid, header, claims, key, findings} as JSON")
    parser.add_argument("--save", action="store_true", help="also save the token to the encrypted history (needs the OS keyring)")
    decryption.add_argument(keys)
    network = parser.add_argument_group("fetching keys (only with a --jwks URL or --issuer)")
    network.add_argument("--timeout", type=timeout_seconds, default=10.0, metavar="SECONDS", help="HTTP timeout (default 10)")
    network.add_argument("--ca-bundle", metavar="FILE", help="PEM file of extra CA certificates to trust")


def run(args: argparse.Namespace) -> int:
    from inspector.core.jose.parse import decode
    from inspector.core.jose.verify import Expectations, verify

    try:
        decoded = decode(read_token(args.token))
        if args.ca_bundle:
            args.ca_bundle = ca_bundle(args.ca_bundle)
        keys = _load_keys(args)
        if args.access_token_file is not None:
            args.access_token = secret_from_file(args.access_token_file, "the access token file")
        decrypted = decryption.decrypt_with_file(decoded, args.decrypt_key) if args.decrypt_key else None
    except InspectorError as exc:
        return report_error(exc, as_json=args.json)
    if decrypted is not None and not decrypted.decrypted:
        return _not_decrypted(decrypted, args)
    expect = Expectations(
        issuer=args.iss if args.iss is not None else args.issuer,
        audiences=tuple(args.aud),
        nonce=args.nonce,
        client_id=args.client_id,
        algorithms=tuple(args.alg),
        leeway=args.leeway,
        access_token=args.access_token,
        code=args.code,
    )
    now = time.time() if args.now is None else args.now
    token = decrypted.token if decrypted is not None else decoded
    report = verify(token, keys, expect, now=now)
    if decrypted is not None:
        report.findings[:0] = decrypted.findings
    elif args.decrypt_key:
        report.findings.append(decryption.not_encrypted_note())
    if args.json:
        emit(json.dumps(report.to_json(), indent=2))
    else:
        verdict = _verdict(report)
        if decoded.format == "jwe" and decrypted is None:
            verdict += f" {decryption.HINT}"
        emit("\n".join([*render_token(token, now), *render_findings(report.findings), "", verdict]))
    if args.save:
        from inspector.cli.history import save_pasted

        return save_pasted(decoded.raw, EXIT_OK if report.valid else EXIT_INVALID)  # a JWE stays encrypted
    return EXIT_OK if report.valid else EXIT_INVALID


def _not_decrypted(decrypted: Any, args: argparse.Namespace) -> int:
    """Exit 1: the JWE header and why it could not be decrypted; nothing of the content."""
    if args.json:
        emit(json.dumps({"valid": False, **decrypted.to_json()}, indent=2))
    else:
        now = time.time() if args.now is None else args.now
        emit("\n".join([*render_token(decrypted.outer, now), *render_findings(decrypted.all_findings), "",
                        "NOT VALID: the token could not be decrypted, so nothing was verified. (See Findings.)"]))
    if args.save:
        from inspector.cli.history import save_pasted

        return save_pasted(decrypted.outer.raw, EXIT_INVALID)
    return EXIT_INVALID


#: The option that turns on each expectation a report can list as not checked.
EXPECTATION_FLAGS = {"issuer": "--iss", "audiences": "--aud", "nonce": "--nonce", "client_id": "--client-id",
                     "access_token": "--access-token", "code": "--code"}


def _verdict(report: Any) -> str:
    """What was checked and what was not, never more than that (``report.summary``), and the
    options that would check the rest."""
    head = "VALID" if report.valid else "NOT VALID"
    text = f"{head}: {report.summary()}"
    if report.not_checked:
        flags = ", ".join(EXPECTATION_FLAGS[name] for name in report.not_checked)
        text += f" Give {flags} to check {'it' if len(report.not_checked) == 1 else 'them'}."
    return text if report.valid else f"{text} (See Findings.)"


def _load_keys(args: argparse.Namespace) -> list[Any]:
    """Every key the user named; a source that cannot be read raises KeySourceError."""
    from inspector.core.jose.keys import from_secret, load_key_text

    keys: list[Any] = []
    for source in [*args.jwks, *args.key]:
        if source.startswith(("https://", "http://")):
            keys += fetch_remote_keys(source, None, timeout=args.timeout, ca_bundle=args.ca_bundle)
        else:
            keys += _with_source(load_key_text(read_text(source, "the key file", code="key_source")), source)
    secret = _shared_secret(args)
    if secret is not None:
        keys.append(from_secret(secret))
    if args.issuer is not None and not keys:
        keys += fetch_remote_keys(None, args.issuer, timeout=args.timeout, ca_bundle=args.ca_bundle)
    return keys


def _shared_secret(args: argparse.Namespace) -> str | None:
    """The HMAC secret from whichever of --secret, --secret-env and --secret-file was given."""
    if args.secret_env is not None:
        return secret_from_env(args.secret_env, code="key_source")
    if args.secret_file is not None:
        return secret_from_file(args.secret_file, "the secret file", code="key_source")
    return args.secret


def fetch_remote_keys(jwks_uri: str | None, issuer: str | None, *, timeout: float, ca_bundle: str | None,
                      transport: Any = None) -> list[Any]:
    """Keys from a JWKS URL, or from the ``jwks_uri`` of ``issuer``'s discovery document.

    The one place this command touches the network: it goes through the protocol layer
    (recorded, redacted HTTP; discovery with its issuer check) and turns failures into
    KeySourceError. ``transport`` lets tests answer without a server.
    """
    from inspector.core.findings import Severity
    from inspector.core.protocol.discovery import discover
    from inspector.core.protocol.endpoints import is_loopback_url
    from inspector.core.protocol.http import make_client
    from inspector.core.protocol.jwks import JwksCache

    if jwks_uri and jwks_uri.startswith("http://") and not is_loopback_url(jwks_uri):
        # keys fetched in clear could be anyone's: the rule a discovered jwks_uri already follows
        raise KeySourceError(f"The JWKS URL {jwks_uri} uses plain http off loopback: anyone on the way could "
                             "replace the keys and make a forged token look valid.",
                             hint="Use its https URL, or save the JWK Set and pass the file with --jwks FILE.")
    with make_client(timeout=timeout, ca_bundle=ca_bundle, transport=transport) as client:
        if jwks_uri is None:
            found = discover(issuer or "", client)
            jwks_uri = found.endpoint("jwks_uri") if found.ok else None
            if jwks_uri is None:
                problems = " ".join(f.text(flag_namer()) for f in found.findings if f.severity is Severity.ERROR)
                raise KeySourceError(f"Cannot get the keys of issuer {issuer}: "
                                     f"{problems or 'its discovery document has no jwks_uri.'}",
                                     hint="Pass the keys with --jwks FILE|URL or --key PEM_FILE instead.")
        fetched = JwksCache().keys(client, jwks_uri)
    if fetched.findings:
        raise KeySourceError(f"Cannot get the JWKS at {jwks_uri}: {' '.join(f.text(flag_namer()) for f in fetched.findings)}")
    return fetched.keys


def _with_source(keys: list[Any], path: str) -> list[Any]:
    """Name the file in messages about keys that have no kid."""
    from dataclasses import replace

    return [replace(key, source=f"{key.source} from {Path(path).name}") for key in keys]
