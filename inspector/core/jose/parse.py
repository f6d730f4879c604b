"""Decoding compact JOSE serialisations without verifying them.

This is the ``decode`` path, so it imports only the standard library and the core's errors and
findings: no crypto, no HTTP, no Qt. It shows as much as it can of a broken token; only text in
which nothing can be read raises :class:`MalformedTokenError`.

- JWS compact serialisation: RFC 7515 §7.1 (three base64url segments; RFC 7797 unencoded payloads
  when the header says ``"b64": false``).
- JWE compact serialisation: RFC 7516 §7.1 (five segments; only the header is readable).
- JWT claims: RFC 7519 §7.2 (a JSON object; duplicate member names are refused, RFC 7519 §4).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from inspector.core import findings as fnd
from inspector.core.errors import MalformedTokenError
from inspector.core.findings import Finding
from inspector.core.jose.b64 import b64url_decode

__all__ = ["DecodedToken", "JWE_PARTS", "JWS_PARTS", "clean_token_text", "decode", "parse_json_object"]

JWS_PARTS = ("header", "payload", "signature")
JWE_PARTS = ("header", "encrypted_key", "iv", "ciphertext", "tag")
TokenFormat = Literal["jws", "jwe", "opaque"]
Span = tuple[str, int, int]

_QUOTES = "\"'`"
_PREFIXES = ("authorization:", "bearer ", "bearer\t")


@dataclass(frozen=True)
class DecodedToken:
    """What a token contains, read but not verified.

    ``spans`` are ``(part, start, end)`` offsets into ``raw`` (the cleaned text) for colouring;
    ``payload`` is the decoded payload bytes even when they are not a JSON object.

    A token that came out of a JWE (:mod:`inspector.core.jose.jwe`) is ``decrypted`` and keeps
    the JWE's protected header as ``jwe_header``; its ``header`` is the nested JWS's own.
    """

    raw: str
    format: TokenFormat
    header: dict[str, Any] | None = None
    claims: dict[str, Any] | None = None
    segments: tuple[str, ...] = ()
    signing_input: bytes | None = None
    signature: bytes | None = None
    payload: bytes | None = None
    findings: list[Finding] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    decrypted: bool = False
    jwe_header: dict[str, Any] | None = None

    @property
    def alg(self) -> str | None:
        """The header's ``alg`` when it is a string."""
        value = (self.header or {}).get("alg")
        return value if isinstance(value, str) else None

    def to_json(self) -> dict[str, Any]:
        data = {
            "format": self.format,
            "header": self.header,
            "claims": self.claims,
            "findings": [f.to_json() for f in self.findings],
        }
        if self.format == "jwe" or self.decrypted:
            data["decrypted"] = self.decrypted
        if self.jwe_header is not None:
            data["jwe_header"] = self.jwe_header
        return data


def clean_token_text(text: str) -> str:
    """Strip what people paste around a token: whitespace, quotes, ``Authorization:``, ``Bearer``."""
    cleaned = text.strip()
    changed = True
    while changed and cleaned:
        changed = False
        if len(cleaned) >= 2 and cleaned[0] == cleaned[-1] and cleaned[0] in _QUOTES:
            cleaned, changed = cleaned[1:-1].strip(), True
        for prefix in _PREFIXES:
            if cleaned[: len(prefix)].lower() == prefix:
                cleaned, changed = cleaned[len(prefix) :].strip(), True
    return "" if cleaned.lower() in ("bearer", "authorization:") else cleaned


def decode(text: str) -> DecodedToken:
    """Read a token without verifying anything; raise MalformedTokenError if nothing is readable."""
    raw = clean_token_text(text)
    if not raw:
        raise MalformedTokenError("The input is empty: paste a token or pass it with '-' on standard input.")
    if "." not in raw:
        return _decode_opaque(raw)
    segments = tuple(raw.split("."))
    if len(segments) == 5:
        return _decode_jwe(raw, segments)
    if len(segments) in (2, 3):
        return _decode_jws(raw, segments)
    raise MalformedTokenError(
        f"The text has {len(segments)} dot-separated parts: a signed JWT (JWS) has 3 and an "
        "encrypted one (JWE) has 5. Check that the whole token was copied, and only the token."
    )


def _decode_opaque(raw: str) -> DecodedToken:
    # RFC 6749 Appendix A: token characters are printable ASCII (VSCHAR, %x20-7E, minus space here).
    if not all("!" <= char <= "~" for char in raw):
        raise MalformedTokenError(
            "This is not a token: it has no dots (so it is not a JWT) and contains spaces, control "
            "characters or non-ASCII characters, which opaque tokens never do."
        )
    note = fnd.info(
        "opaque",
        "Not a JWT: an opaque (reference) token. Only its issuer can say what it means; ask the "
        "issuer's introspection endpoint (RFC 7662).",
    )
    return DecodedToken(raw=raw, format="opaque", findings=[note], spans=[("opaque", 0, len(raw))])


def _decode_jws(raw: str, segments: tuple[str, ...]) -> DecodedToken:
    findings: list[Finding] = []
    header, _ = _decode_json_segment(segments[0], "header", findings)
    if header is not None and header.get("b64") is False:
        payload = segments[1].encode("utf-8", "backslashreplace")  # RFC 7797 §3: the payload as is
        claims = parse_json_object(payload, "payload", findings)
    else:
        claims, payload = _decode_json_segment(segments[1], "payload", findings)
    if header is None and claims is None:
        raise MalformedTokenError(_nothing_readable(findings))
    signature = None
    if len(segments) == 2:
        findings.append(
            fnd.error("malformed", "The token has no signature segment (only two parts).", part="signature")
        )
    else:
        signature = _decode_bytes_segment(segments[2], "signature", findings)
    _note_unsigned(header, signature, findings)
    return DecodedToken(
        raw=raw,
        format="jws",
        header=header,
        claims=claims,
        segments=segments,
        signing_input=f"{segments[0]}.{segments[1]}".encode("utf-8", "backslashreplace"),
        signature=signature,
        payload=payload,
        findings=findings,
        spans=_spans(segments, JWS_PARTS),
    )


def _decode_jwe(raw: str, segments: tuple[str, ...]) -> DecodedToken:
    findings: list[Finding] = []
    header, _ = _decode_json_segment(segments[0], "header", findings)
    if header is None:
        raise MalformedTokenError(_nothing_readable(findings))
    for segment, part in zip(segments[1:], JWE_PARTS[1:]):
        _decode_bytes_segment(segment, part, findings)
    from inspector.core.jose.jwe import needed_key  # stdlib-only, like this module; the crypto loads later

    findings.append(
        fnd.info(
            "encrypted",
            f"Encrypted token (JWE): its claims can only be read with the recipient's key, "
            f"{needed_key(header)}.",
            part="ciphertext",
        )
    )
    return DecodedToken(
        raw=raw, format="jwe", header=header, segments=segments, findings=findings, spans=_spans(segments, JWE_PARTS)
    )


def _decode_bytes_segment(segment: str, part: str, findings: list[Finding]) -> bytes | None:
    try:
        return b64url_decode(segment)
    except MalformedTokenError as exc:
        findings.append(fnd.error("malformed", f"The {part} is not valid base64url. {exc.message}", part=part))
        return None


def _decode_json_segment(
    segment: str, part: str, findings: list[Finding]
) -> tuple[dict[str, Any] | None, bytes | None]:
    data = _decode_bytes_segment(segment, part, findings)
    if data is None:
        return None, None
    return parse_json_object(data, part, findings), data


def parse_json_object(data: bytes, part: str, findings: list[Finding]) -> dict[str, Any] | None:
    """``data`` as a JSON object (UTF-8, no duplicate names, no NaN); None with a finding otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        findings.append(
            fnd.error(
                "malformed",
                f"The {part} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "JOSE requires UTF-8 JSON.",
                part=part,
            )
        )
        return None
    duplicates: list[str] = []
    try:
        value = json.loads(text, object_pairs_hook=_pairs_hook(duplicates), parse_constant=_reject_constant)
    except RecursionError:
        findings.append(fnd.error("malformed", f"The {part} JSON is nested too deeply to read.", part=part))
        return None
    except ValueError as exc:
        findings.append(fnd.error("malformed", f"The {part} is not valid JSON: {exc}.", part=part))
        return None
    if not isinstance(value, dict):
        findings.append(
            fnd.error("malformed", f"The {part} is JSON but not an object (it is {_json_kind(value)}).", part=part)
        )
        return None
    for name in dict.fromkeys(duplicates):
        findings.append(
            fnd.error(
                "malformed",
                f"The {part} names {name!r} more than once. RFC 7519 §4 lets parsers reject this or keep the "
                "last value (shown), so two libraries may read this token differently.",
                claim=name,
                part=part,
            )
        )
    return value


def _pairs_hook(duplicates: list[str]):  # noqa: ANN202 - a json.loads hook
    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            duplicates.extend(key for key, _ in pairs if key in seen or seen.add(key))
        return result

    return build


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _json_kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")


def _note_unsigned(header: dict[str, Any] | None, signature: bytes | None, findings: list[Finding]) -> None:
    alg = (header or {}).get("alg")
    if isinstance(alg, str) and alg.lower() == "none":
        findings.append(
            fnd.warning(
                "unsigned",
                f"alg is {alg!r}: this token is not signed, so anyone could have written it. Never accept it.",
                claim="alg",
                part="header",
            )
        )
    elif signature == b"":
        findings.append(
            fnd.warning(
                "unsigned",
                "The signature segment is empty: the signature was stripped. This token cannot be trusted.",
                part="signature",
            )
        )


def _nothing_readable(findings: list[Finding]) -> str:
    reasons = " ".join(f.message for f in findings)
    return f"Nothing in this token could be read. {reasons}".strip()


def _spans(segments: tuple[str, ...], parts: tuple[str, ...]) -> list[Span]:
    spans, start = [], 0
    for part, segment in zip(parts, segments):
        spans.append((part, start, start + len(segment)))
        start += len(segment) + 1
    return spans
