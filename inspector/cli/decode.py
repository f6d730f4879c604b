"""``token-inspector decode [TOKEN|-] [--json] [--decrypt-key FILE]``: what a token contains,
without verifying it.

This is the fast path: it imports the standard library and ``inspector.core.jose.parse`` only
(no crypto, no HTTP, no Qt); only a JWE with ``--decrypt-key`` loads the crypto to decrypt it.
Exit 0, or 1 when a decryption failed. The text renderers here are shared with ``verify``.
A DPoP proof (``typ: dpop+jwt``) is the other exception: it carries its own key, so it is checked
as RFC 9449 §4.3 says (:mod:`inspector.core.jose.dpop_check`, which loads crypto for it alone).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, Iterable

from inspector.cli import decryption
from inspector.cli.inputs import epoch_seconds, read_stdin_bytes
from inspector.cli.text import emit, printable
from inspector.core.errors import InspectorError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
_FORMAT_TITLES = {
    "jws": "Signed JWT (JWS)",
    "jwe": "Encrypted JWT (JWE): only the header is readable",
    "opaque": "Opaque token: not a JWT",
}
_PROOF_TITLE = "DPoP proof (RFC 9449): a signed JWT that carries its own public key"
_PROOF_FOOTER = ("Checked as a DPoP proof, with the key in its own header (RFC 9449 §4.3); the request it went with "
                 "was not compared.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("token", nargs="?", default="-", metavar="TOKEN|-",
                        help="the token (quotes and a 'Bearer ' prefix are fine); '-' or nothing reads standard input")
    parser.add_argument("--json", action="store_true", help="print {format, header, claims, findings} as JSON")
    parser.add_argument("--now", type=epoch_seconds, metavar="EPOCH", help="the time to describe time claims against")
    parser.add_argument("--save", action="store_true", help="also save the token to the encrypted history (needs the OS keyring)")
    decryption.add_argument(parser)


def run(args: argparse.Namespace) -> int:
    from inspector.core.jose.parse import decode

    try:
        decoded = decode(read_token(args.token))
        decrypted = decryption.decrypt_with_file(decoded, args.decrypt_key) if args.decrypt_key else None
    except InspectorError as exc:
        return report_error(exc, as_json=args.json)
    shown, findings = decoded, list(decoded.findings)
    if decrypted is not None:
        shown, findings = decrypted.token or decoded, decrypted.all_findings
    elif args.decrypt_key:
        findings.append(decryption.not_encrypted_note())
    code = EXIT_INVALID if decrypted is not None and not decrypted.decrypted else EXIT_OK
    now = time.time() if args.now is None else args.now
    proof = check_if_proof(shown, now)
    if proof is not None:
        findings += proof.findings
    if args.json:
        data = decrypted.to_json() if decrypted is not None else {**decoded.to_json(),
                                                                  "findings": [f.to_json() for f in findings]}
        if proof is not None:
            data["dpop_proof"] = proof.to_json()
        emit(json.dumps(data, indent=2))
    else:
        lines = render_token(shown, now)
        if proof is not None:
            lines[0] = _PROOF_TITLE
        footer = _PROOF_FOOTER if proof is not None else _closing(decoded, decrypted)
        emit("\n".join([*lines, *render_findings(findings), "", footer]))
    if args.save:  # only now: without --save, decode touches no keyring or crypto
        from inspector.cli.history import save_pasted

        return save_pasted(decoded.raw, code)  # the token as given: a JWE stays encrypted in the history
    return code


def _closing(decoded: Any, decrypted: Any) -> str:
    if decrypted is not None and not decrypted.decrypted:
        return "Not decrypted: see Findings. Nothing of the content is shown."
    if decoded.format == "jwe" and decrypted is None:
        return f"Decoded only: the content is encrypted. {decryption.HINT}"
    return "Decoded only: nothing was verified. Use 'token-inspector verify' to check it."


def check_if_proof(decoded: Any, now: float) -> Any:
    """The DPoP proof checks of ``decoded`` when it is one (crypto is loaded then only), else None."""
    from inspector.core.jose.token_kind import is_dpop_proof

    if decoded.format != "jws" or not is_dpop_proof(decoded.header):
        return None
    from inspector.core.jose.dpop_check import check_proof

    return check_proof(decoded, now=now)


def read_token(argument: str) -> str:
    """The token argument, or standard input for '-' (bytes that are not UTF-8 are kept as escapes)."""
    if argument != "-":
        return argument
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        print("Paste the token, then press Ctrl-D:", file=sys.stderr)
    return read_stdin_bytes("a token").decode("utf-8", "surrogateescape")


def report_error(exc: InspectorError, *, as_json: bool) -> int:
    """Exit 2 with ``{"error": {"code", "message"}}`` (JSON) or the message on stderr."""
    if as_json:
        emit(json.dumps({"error": exc.to_json()}, indent=2))
    else:
        print(f"token-inspector: {printable(str(exc))}", file=sys.stderr)
    return EXIT_USAGE


def render_token(decoded: Any, now: float, tz: Any = None) -> list[str]:
    """Header, claims (with their meaning and time claims in words) and any undecodable payload."""
    from inspector.core.jose.claims import TIME_CLAIMS, describe_claim, describe_header, describe_time

    lines = [_title(decoded)]
    headers = [("JWE header (encryption)", decoded.jwe_header)] if decoded.decrypted else []
    if decoded.format == "jws" or not decoded.decrypted:
        headers.append(("Header (signature, inside the JWE)" if decoded.decrypted else "Header", decoded.header))
    for title, header in headers:
        if header is not None:
            lines += ["", title]
            width = _width(header)
            for name, value in header.items():
                lines += _entry(name, value, [describe_header(name) or ""], width)
    if decoded.claims is not None:
        lines += ["", "Claims"]
        width = _width(decoded.claims)
        for name, value in decoded.claims.items():
            notes = []
            if name in TIME_CLAIMS:
                text = describe_time(name, value, now, tz=tz)
                neutral = text.state == "neutral"  # not a number, or out of range: say so
                notes.append(text.relative if neutral else f"{text.utc} | {text.local} | {text.relative}")
            info = describe_claim(name)
            if info is None:
                notes.append("(custom claim)")
            else:
                vendor = f"[{info.vendor}] " if info.vendor and info.vendor != "namespaced" else ""
                notes.append(f"{vendor}{info.description}")
            lines += _entry(name, value, notes, width)
    elif (decoded.format == "jws" or decoded.decrypted) and decoded.payload is not None:
        lines += ["", "Payload (not a JSON object)", f"  {printable(_payload_text(decoded.payload))}"]
    elif decoded.format == "jwe":
        lines += ["", "Payload: encrypted"]
    return lines


def _title(decoded: Any) -> str:
    if not decoded.decrypted:
        return _FORMAT_TITLES[decoded.format]
    inside = "a signed JWT (JWS)" if decoded.format == "jws" else "content without a signature"
    return f"Encrypted JWT (JWE), decrypted: {inside} inside"


def render_findings(findings: Iterable[Any]) -> list[str]:
    findings = list(findings)
    if not findings:
        return []
    width = max(len(f.code) for f in findings)
    return ["", "Findings"] + [
        f"  {f.severity.value:<7}  {f.code:<{width}}  {printable(f.message)}" for f in findings
    ]


def _entry(name: str, value: Any, notes: list[str], width: int) -> list[str]:
    """``name  value`` then its notes on the lines below, aligned under the value."""
    shown = printable(json.dumps(value, ensure_ascii=False))
    return [f"  {printable(name):<{width}}  {shown}"] + [f"  {'':<{width}}  {note}" for note in notes if note]


def _width(mapping: dict[str, Any]) -> int:
    return min(max((len(name) for name in mapping), default=0), 24)


def _payload_text(payload: bytes) -> str:
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.hex(" ") if len(payload) <= 64 else f"{payload[:64].hex(' ')} … ({len(payload)} bytes)"
