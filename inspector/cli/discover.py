"""``token-inspector discover ISSUER``: fetch a provider's metadata and lint it."""

from __future__ import annotations

import argparse
import sys

from inspector.cli.inputs import timeout_seconds
from inspector.core.protocol.endpoints import ENDPOINTS

#: Shown in this order: the endpoints one may set by hand, then logout.
SHOWN = (*ENDPOINTS, "end_session_endpoint")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("issuer", metavar="ISSUER", help="the issuer URL exactly as the provider states it")
    parser.add_argument("--json", action="store_true", help="print metadata, findings and exchanges as JSON")
    parser.add_argument("--ca-bundle", metavar="FILE", help="PEM file of extra CA certificates to trust")
    parser.add_argument("--timeout", type=timeout_seconds, default=30.0, metavar="SECONDS", help="HTTP timeout (default 30)")
    parser.add_argument("--allow-http", action="store_true", help="accept a plain-http issuer off loopback")


def run(args: argparse.Namespace, *, transport=None) -> int:  # noqa: ANN001 - an httpx transport, for tests
    from inspector.cli.flow_output import exchange_line, finding_line, value_text
    from inspector.cli.inputs import ca_bundle
    from inspector.cli.text import printable, write_json, write_text
    from inspector.core.findings import has_errors
    from inspector.core.protocol.discovery import discover
    from inspector.core.protocol.http import make_client
    from inspector.core.redact import Redactor

    bundle = ca_bundle(args.ca_bundle) if args.ca_bundle else None
    with make_client(timeout=args.timeout, ca_bundle=bundle, transport=transport) as client:
        result = discover(args.issuer, client, allow_http=args.allow_http)
    failed = result.metadata is None or has_errors(result.findings)
    redactor = Redactor()
    findings = [redactor.finding(finding) for finding in result.findings]
    if args.json:
        write_json(sys.stdout, {
            "issuer": redactor.text(args.issuer),
            "status": "error" if failed else "ok",
            "metadata": result.metadata,
            "findings": [finding.to_json() for finding in findings],
            "exchanges": [exchange.to_json(redactor) for exchange in result.exchanges],
        }, indent=2)
        return 1 if failed else 0
    lines = [exchange_line(exchange) for exchange in result.exchanges]
    metadata = result.metadata
    if metadata is not None:
        lines += ["", f"issuer: {value_text(metadata.get('issuer'))}"]
        lines += [f"{name}: {value_text(metadata[name])}" for name in SHOWN if name in metadata]
        for name in ("response_types_supported", "grant_types_supported", "code_challenge_methods_supported",
                     "token_endpoint_auth_methods_supported", "id_token_signing_alg_values_supported"):
            if isinstance(metadata.get(name), list):
                lines.append(f"{name}: {printable(', '.join(map(str, metadata[name])))}")
    if findings:
        lines.append("")
    lines += [finding_line(finding) for finding in findings]
    lines += ["", "Problems found." if failed else "Metadata OK."]
    write_text(sys.stdout, "\n".join(lines))
    return 1 if failed else 0
