"""Running joserfc on a JWE with each candidate key, and reading what it decrypted.

Split from :mod:`inspector.core.jose.jwe`, which chose the algorithms and keys: this is the one
module that calls the library, and the one place its exceptions become findings. Which step
failed tells wrong key from altered token: a key unwrap (RSA-OAEP, AES key wrap) that fails
means the key is not the recipient's; a content tag that fails after a good unwrap means the
ciphertext, IV, tag or protected header was altered. With ``dir`` and ``ECDH-ES`` there is no
unwrap, so a failed tag means either, and the finding says so (RFC 7516 §5.2 steps 10-14).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Sequence

from cryptography.hazmat.primitives.keywrap import InvalidUnwrap
from joserfc import errors as jose_errors
from joserfc import jwe as jose_jwe

from inspector.core import findings as fnd
from inspector.core.errors import MalformedTokenError
from inspector.core.findings import Finding
from inspector.core.jose.jwe import MAX_CIPHERTEXT_BYTES
from inspector.core.jose.parse import DecodedToken, decode, parse_json_object

if TYPE_CHECKING:
    from inspector.core.jose.jwe_keys import DecryptionKey

__all__ = ["open_content", "zip_limit"]

_DIRECT = ("dir", "ECDH-ES")
_KEY_UNFIT = (jose_errors.KeyParameterError, jose_errors.InvalidKeyLengthError, jose_errors.InvalidKeyCurveError,
              jose_errors.InvalidExchangeKeyError)


def zip_limit() -> int:
    """The most bytes joserfc inflates ``zip: DEF`` content to; past it, decryption is refused."""
    return int(jose_jwe.JWERegistry.algorithms["zip"]["DEF"].MAX_SIZE)


def open_content(outer: DecodedToken, keys: Sequence[DecryptionKey], findings: list[Finding]
                 ) -> tuple[DecryptionKey, DecodedToken | None]:
    """Try ``keys`` in order; the first that decrypts wins. Returns that key and the content
    (None, with findings added, when none did)."""
    header = outer.header or {}
    ciphertext = outer.segments[3]
    if len(ciphertext) * 3 // 4 > MAX_CIPHERTEXT_BYTES:
        findings.append(fnd.error("jwe_too_large", f"The ciphertext is {len(ciphertext) * 3 // 4:,} bytes, more than "
                                  f"the {MAX_CIPHERTEXT_BYTES:,} decrypted here.", part="ciphertext"))
        return keys[0], None
    registry = _registry(header["alg"], header["enc"])
    failures: list[tuple[DecryptionKey, str, str]] = []
    for key in keys:
        try:
            plaintext = _decrypt(outer.raw, key, registry, legacy=header["alg"] == "RSA1_5")
        except Exception as exc:  # noqa: BLE001 - the library's errors, wrapped at this boundary
            failures.append((key, *_classify(exc)))
            continue
        if plaintext is None or (header.get("zip") == "DEF" and len(plaintext) >= zip_limit()):
            failures.append((key, "too_large", ""))
            continue
        return key, _read(plaintext, outer, findings)
    findings.append(_failure(header, failures))
    return failures[-1][0], None


def _decrypt(token: str, key: DecryptionKey, registry: Any, *, legacy: bool) -> bytes | None:
    if not legacy:
        return jose_jwe.decrypt_compact(token, key.key, registry=registry).plaintext
    with warnings.catch_warnings():  # RSA1_5's SecurityWarning: the jwe_alg_weak finding says it already
        warnings.simplefilter("ignore", jose_errors.SecurityWarning)
        return jose_jwe.decrypt_compact(token, key.key, registry=registry).plaintext


def _registry(alg: str, enc: str) -> Any:
    """A registry allowing exactly this token's algorithms (already checked against the lists);
    unknown header names are allowed (an ID token's JWE header may carry typ, cty, iss...)."""
    registry = jose_jwe.JWERegistry(algorithms=[alg, enc, "DEF"], strict_check_header=False)
    registry.max_ciphertext_length = MAX_CIPHERTEXT_BYTES
    registry.max_protected_header_length = 64 * 1024
    registry.max_encrypted_key_length = 4096  # RSA up to 32768 bits
    return registry


def _classify(exc: BaseException) -> tuple[str, str]:
    """(kind, detail): ``unwrap`` (the key is not the recipient's), ``tag`` (altered, or the wrong
    key with direct algorithms), ``too_large``, ``unfit`` (the key cannot be used) or ``malformed``."""
    detail = str(getattr(exc, "description", None) or exc)
    if isinstance(exc, jose_errors.ExceededSizeError):
        return "too_large", detail
    if isinstance(exc, _KEY_UNFIT):
        return "unfit", detail
    if isinstance(exc, jose_errors.DecodeError):
        cause = exc.__cause__
        if isinstance(cause, (InvalidUnwrap, ValueError)):
            return "unwrap", detail
        if isinstance(cause, _KEY_UNFIT):
            return "unfit", str(getattr(cause, "description", None) or cause)
        return "tag", detail
    return "malformed", detail


def _failure(header: dict[str, Any], failures: list[tuple[DecryptionKey, str, str]]) -> Finding:
    """One finding for the whole attempt, worded after the most telling failure."""
    alg = header["alg"]
    names = ", ".join(key.label for key, _, _ in failures)
    kinds = {kind for _, kind, _ in failures}
    if "too_large" in kinds:
        return fnd.error("jwe_too_large", f"The content inflates past {zip_limit():,} bytes (zip DEF), the most "
                         "decompressed here: refused as a possible decompression bomb. Nothing of it is shown.",
                         claim="zip", part="ciphertext")
    if "tag" in kinds and alg in _DIRECT:
        return fnd.error("jwe_tag_mismatch", f"The content's authentication tag does not match with {names}: either "
                         f"this is not the key it was encrypted for, or the token was altered ({alg} has no key "
                         "wrap, so the two cannot be told apart). Nothing of it is shown.", part="tag")
    if "tag" in kinds:
        return fnd.error("jwe_tag_mismatch", "The content key was unwrapped, but the authentication tag does not "
                         "match: the ciphertext, IV, tag or protected header was altered (or cut short). Nothing "
                         "of it is shown.", part="tag")
    if "unwrap" in kinds:
        return fnd.error("jwe_wrong_key", f"The content key cannot be unwrapped with {names}: the token was "
                         "encrypted for another key (or its encrypted key was altered). Check which key the provider encrypts "
                         "to (the client's jwks or jwks_uri).", part="encrypted_key")
    if "unfit" in kinds:
        details = "; ".join(detail for _, kind, detail in failures if kind == "unfit")
        return fnd.error("key_mismatch", f"The key cannot be used with {alg} ({details}).", claim="alg", part="header")
    details = "; ".join(dict.fromkeys(detail for _, _, detail in failures if detail)) or "its parts do not fit"
    return fnd.error("jwe_malformed", f"The token cannot be decrypted: it is malformed ({details}). Check that the "
                     "whole token was copied.", part="ciphertext")


def _read(plaintext: bytes, outer: DecodedToken, findings: list[Finding]) -> DecodedToken:
    """The decrypted bytes as a token: a nested JWS (``cty`` JWT, RFC 7519 §5.2, or content that
    reads as one), else a JSON claims set, else raw content shown as is."""
    cty = (outer.header or {}).get("cty")
    declared = isinstance(cty, str) and cty.upper() in ("JWT", "APPLICATION/JWT")
    text = plaintext.decode("utf-8", "surrogateescape")
    if declared or _looks_like_jws(text):
        try:
            inner = decode(text)
        except MalformedTokenError as exc:
            inner = None
            reason = exc.message
        if inner is not None and inner.format == "jws":
            return inner
        if declared:
            findings.append(fnd.error("jwe_content_malformed", "cty says the content is a JWT, but it is not a "
                                      f"signed JWT (JWS){': ' + reason if inner is None else ''}.",
                                      claim="cty", part="ciphertext"))
    problems: list[Finding] = []
    claims = parse_json_object(plaintext, "payload", problems)
    # A JWE may carry any content (RFC 7516 §1): content that is no claims set is shown as it is.
    content_findings = [fnd.warning("jwe_content_not_claims", f"The decrypted content is not a JWT claims set, so it "
                                    f"is shown as it is. {problem.message}", part="payload") for problem in problems]
    return DecodedToken(raw=outer.raw, format="jwe", header=outer.header, claims=claims, segments=outer.segments,
                        payload=plaintext, findings=content_findings, spans=outer.spans)


def _looks_like_jws(text: str) -> bool:
    return text.count(".") == 2 and text.startswith("eyJ") and not any(c.isspace() for c in text)
