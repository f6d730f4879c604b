"""The verification pipeline: every finding about a JWS, never only the first.

Decoding is not verifying: this module needs an algorithm allow-list and keys the user trusts,
and the token's header never chooses the key (``jwk``, ``jku``, ``x5u`` and ``x5c`` are reported
and ignored). Signatures are checked by PyJWT's algorithm classes; the pipeline decides what to
check and reports it (RFC 7515 §5.2, RFC 7519 §7.2, RFC 8725 §3, OpenID Connect Core §3.1.3.7).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

from inspector.core import findings as fnd
from inspector.core.findings import Finding, has_errors
from inspector.core.jose.algorithms import (
    KEY_FAMILY,
    SUPPORTED_ALGORITHMS,
    InvalidKeyError,
    family_text,
    is_psychic_ecdsa,
    verify_signature,
)
from inspector.core.jose.claim_checks import check_claims
from inspector.core.jose.keys import VerificationKey
from inspector.core.jose.parse import DecodedToken, decode

__all__ = ["CHECK_WORDS", "Expectations", "SUPPORTED_ALGORITHMS", "VerificationReport", "verify"]

#: Header parameters that carry or point to a key chosen by whoever wrote the token.
HEADER_KEY_PARAMETERS = ("jwk", "jku", "x5u", "x5c")


@dataclass(frozen=True)
class Expectations:
    """What the caller expects. Only what is set is checked; exp/nbf/iat are always checked.

    ``algorithms`` is the allow-list (empty: every supported algorithm); ``audiences`` are
    alternatives; ``client_id`` applies the ID token rules; ``access_token``/``code`` are checked
    against ``at_hash``/``c_hash``.
    """

    issuer: str | None = None
    audiences: tuple[str, ...] = ()
    nonce: str | None = None
    client_id: str | None = None
    algorithms: tuple[str, ...] = ()
    leeway: float = 0.0
    access_token: str | None = None
    code: str | None = None


#: What a report can say it checked, in its words: the signature, the time claims, and each
#: expectation by its :class:`Expectations` field (checked only when the caller sets it).
CHECK_WORDS = {
    "signature": "signature",
    "times": "exp/nbf/iat",
    "issuer": "issuer",
    "audiences": "audience",
    "nonce": "nonce",
    "client_id": "client id (azp, required ID token claims)",
    "access_token": "at_hash",
    "code": "c_hash",
}
#: Claims that mark an ID token (OIDC Core §2): the client id check is worth suggesting for it.
_ID_TOKEN_MARKS = ("nonce", "azp", "at_hash", "c_hash", "auth_time")


@dataclass
class VerificationReport:
    """The outcome: ``valid`` is false exactly when some finding is an error. ``checked`` and
    ``not_checked`` name what was and was not verified (keys of :data:`CHECK_WORDS`), so no
    front end can claim "claims verified" when no expected value was given."""

    decoded: DecodedToken
    findings: list[Finding] = field(default_factory=list)
    key: VerificationKey | None = None
    checked: tuple[str, ...] = ()
    not_checked: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not has_errors(self.findings)

    def summary(self) -> str:
        """The verdict in one line, e.g. ``Signature valid (RS256, key 'rsa-1'). Checked: exp/nbf/iat.
        Not checked: issuer, audience.`` (or how many errors there were)."""
        if self.valid and self.key is not None:
            alg = (self.decoded.header or {}).get("alg")
            lead = f"Signature valid ({alg}, {self.key.label})."
        else:
            errors = sum(1 for f in self.findings if f.severity is fnd.Severity.ERROR)
            lead = f"Not valid: {errors} error{'s' if errors != 1 else ''}."
        others = [CHECK_WORDS[name] for name in self.checked if name != "signature"]
        text = f"{lead} Checked: {', '.join(others)}." if others else lead
        if self.not_checked:
            text += f" Not checked: {', '.join(CHECK_WORDS[name] for name in self.not_checked)}."
        return text

    def to_json(self) -> dict[str, Any]:
        data = {
            "valid": self.valid,
            "header": self.decoded.header,
            "claims": self.decoded.claims,
            "key": self.key.to_json() if self.key is not None else None,
            "checked": list(self.checked),
            "not_checked": list(self.not_checked),
            "findings": [f.to_json() for f in self.findings],
        }
        if self.decoded.decrypted:
            data.update(decrypted=True, jwe_header=self.decoded.jwe_header)
        return data


def _coverage(claims: dict[str, Any] | None, expect: Expectations, key: VerificationKey | None
              ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(checked, not checked): an expectation not set is "not checked" when it would apply to
    this token (a nonce only when the token has one, the client id rules only for an ID token)."""
    claims = claims or {}
    checked = ["signature"] if key is not None else []
    if any(name in claims for name in ("exp", "nbf", "iat")):
        checked.append("times")
    applies = {
        "issuer": True,
        "audiences": True,
        "nonce": "nonce" in claims,
        "client_id": any(name in claims for name in _ID_TOKEN_MARKS),
        "access_token": "at_hash" in claims,
        "code": "c_hash" in claims,
    }
    not_checked = []
    for name, relevant in applies.items():
        if getattr(expect, name) not in (None, ()):
            checked.append(name)
        elif relevant:
            not_checked.append(name)
    return tuple(checked), tuple(not_checked)


def verify(
    token: str | DecodedToken,
    keys: Sequence[VerificationKey] | None,
    expect: Expectations,
    *,
    now: float | None = None,
) -> VerificationReport:
    """Verify ``token`` with ``keys`` under ``expect`` at ``now`` (default: the current time).

    Raises MalformedTokenError only when nothing in the text can be read (see :func:`decode`).
    """
    decoded = token if isinstance(token, DecodedToken) else decode(token)
    report = VerificationReport(decoded, [f for f in decoded.findings if f.code != "unsigned"])
    if decoded.format == "opaque":
        report.findings.append(fnd.error("malformed", "An opaque token is not a JWT and cannot be verified "
                                         "here; ask the issuer's introspection endpoint (RFC 7662)."))
        return report
    if decoded.format == "jwe":
        return _encrypted_only(report, expect, time.time() if now is None else now)
    header = decoded.header or {}
    alg = _check_header(header, decoded, expect, report.findings)
    if alg is not None:
        report.key = _check_signature(alg, header, decoded, keys or (), report.findings)
    if decoded.claims is not None:
        report.findings += check_claims(decoded.claims, expect, time.time() if now is None else now, alg)
    report.checked, report.not_checked = _coverage(decoded.claims, expect, report.key)
    return report


def _encrypted_only(report: VerificationReport, expect: Expectations, now: float) -> VerificationReport:
    """A JWE still encrypted cannot be verified; one decrypted to a bare claims set (no nested JWS,
    RFC 7519 §11.2) has no signature to verify, but its claims are still checked."""
    from inspector.core.jose.jwe import needed_key

    decoded = report.decoded
    if not decoded.decrypted:
        report.findings.append(fnd.error("encrypted", "The token is encrypted (JWE): it must be decrypted before it "
                                         f"can be verified, with {needed_key(decoded.header)}.", part="ciphertext"))
        return report
    report.findings.append(fnd.error("not_signed", "The decrypted content is a claims set, not a signed JWT: "
                                     "encryption hides it but proves nothing about who wrote it (anyone with the "
                                     "recipient's public key could have). There is no signature to verify.",
                                     part="payload"))
    if decoded.claims is not None:
        report.findings += check_claims(decoded.claims, expect, now, None)
    report.checked, report.not_checked = _coverage(decoded.claims, expect, None)
    return report


def _check_header(
    header: dict[str, Any], decoded: DecodedToken, expect: Expectations, findings: list[Finding]
) -> str | None:
    """Header findings; the alg to verify with, or None when the signature must not be checked."""
    for name in HEADER_KEY_PARAMETERS:
        if name in header:
            findings.append(fnd.warning("header_key_ignored", f"The header carries {name!r}, a key chosen by "
                                        "whoever wrote the token: it was not fetched and not trusted; only your "
                                        "keys are used.", claim=name, part="header"))
    findings += _check_crit(header)
    if decoded.header is None:
        return None  # the unreadable header is already a malformed finding
    kid_bindable = _check_kid(header, findings)
    alg = header.get("alg")
    if not isinstance(alg, str):
        findings.append(fnd.error("malformed", "The header has no alg (a string naming the algorithm).",
                                  claim="alg", part="header"))
        return None
    if alg.lower() == "none":
        findings.append(fnd.error("alg_none", f"alg is {alg!r}: the token is unsigned, so anyone could have "
                                  "written it. It is never valid.", claim="alg", part="header"))
        return None
    allowed = expect.algorithms or SUPPORTED_ALGORITHMS
    if alg not in allowed or alg not in KEY_FAMILY:
        why = "is not supported" if alg not in KEY_FAMILY else "is not in the allowed list"
        findings.append(fnd.error("alg_not_allowed", f"alg {alg!r} {why} ({', '.join(allowed)}).",
                                  claim="alg", part="header"))
        return None
    return alg if kid_bindable else None


def _check_kid(header: dict[str, Any], findings: list[Finding]) -> bool:
    """RFC 7515 §4.1.4: a kid is a string. Any other value binds no key, and trying every key
    instead would let ``{"kid": 1}`` escape the binding, so the signature is not checked at all."""
    if "kid" not in header or isinstance(header["kid"], str):
        return True
    shown = json.dumps(header["kid"])
    shown = shown if len(shown) <= 40 else f"{shown[:37]}..."
    findings.append(fnd.error("malformed", f"kid is {shown}, not a string (RFC 7515 §4.1.4): it names no key, "
                              "so no key was tried and the signature was not checked. Never valid.",
                              claim="kid", part="header"))
    return False


def _check_crit(header: dict[str, Any]) -> list[Finding]:
    """RFC 7515 §4.1.11: reject extensions we do not understand, which is every one of them.

    ``b64`` outside ``crit`` is refused too (RFC 7797 §6): verifiers that ignore it would read the
    payload differently, so one token would mean two things.
    """
    if "crit" not in header:
        if "b64" not in header:
            return []
        return [fnd.error("crit_unsupported", "The header sets b64 (RFC 7797 unencoded payload) without listing "
                          "it in crit, so verifiers would disagree on the payload; it is rejected.",
                          claim="b64", part="header")]
    crit = header["crit"]
    if not isinstance(crit, list) or not crit or not all(isinstance(name, str) for name in crit):
        return [fnd.error("crit_unsupported", "crit must be a non-empty array of header names.",
                          claim="crit", part="header")]
    extra = {"b64": " (RFC 7797 unencoded payload)"}
    return [
        fnd.error("crit_unsupported", f"crit requires the extension {name!r}{extra.get(name, '')}, which this "
                  "verifier does not implement, so the token must be rejected (RFC 7515 §4.1.11).",
                  claim="crit", part="header")
        for name in crit
    ]


def _check_signature(
    alg: str, header: dict[str, Any], decoded: DecodedToken, keys: Sequence[VerificationKey],
    findings: list[Finding],
) -> VerificationKey | None:
    """Find the key and check the signature; every failure adds an error finding."""
    signature = decoded.signature
    if signature is None or decoded.signing_input is None:
        return None  # the missing or unreadable signature is already a malformed finding
    if not signature:
        findings.append(fnd.error("bad_signature", "The signature is empty: it was stripped, so nothing "
                                  "proves who wrote this token.", part="signature"))
        return None
    if is_psychic_ecdsa(alg, signature):
        findings.append(fnd.error("bad_signature", "The ECDSA signature has r = 0 or s = 0, a forgery that "
                                  "fooled some verifiers (CVE-2022-21449). It is never valid.", part="signature"))
        return None
    tried: list[VerificationKey] = []
    for key in _candidates(alg, header, keys, findings):
        try:
            matched = verify_signature(alg, key.material, decoded.signing_input, signature)
        except (InvalidKeyError, TypeError, ValueError):
            findings.append(fnd.error("key_mismatch", f"The key ({key.label}) cannot be used with {alg}: it is not "
                                      f"{family_text(*KEY_FAMILY[alg])} (a PEM or JWK given as a secret is the "
                                      "key-confusion attack).", part="signature"))
            continue
        tried.append(key)
        _note_weak_secret(alg, key, findings)
        if matched:
            findings.append(fnd.info("signature_valid", f"The {alg} signature is valid, checked with {key.label}.",
                                     part="signature"))
            _note_weak_rsa_key(key, findings)
            return key
    if tried:
        names = ", ".join(key.label for key in tried)
        findings.append(fnd.error("bad_signature", f"The {alg} signature does not match {names}: the token was "
                                  "altered or signed with another key.", part="signature"))
    return None


def _candidates(
    alg: str, header: dict[str, Any], keys: Sequence[VerificationKey], findings: list[Finding]
) -> list[VerificationKey]:
    """The keys allowed to check this signature (RFC 7515 §4.1.4, RFC 7517 §4.2-4.4).

    A ``kid`` that names a key binds it; a ``kid`` naming no key falls back only to keys without
    a kid (a single PEM key or secret). Without ``kid``, every key of a fitting type is tried.
    """
    if not keys:
        findings.append(fnd.error("key_not_found", "No key to verify with: give a JWKS, a PEM key or "
                                  "certificate, a shared secret or the issuer.", part="signature"))
        return []
    kid = header.get("kid")
    pool = list(keys)
    if isinstance(kid, str):
        named = [key for key in keys if key.kid == kid]
        pool = named or [key for key in keys if key.kid is None]
        if not pool:
            known = ", ".join(sorted({repr(key.kid) for key in keys}))
            findings.append(fnd.error("key_not_found", f"No key has kid {kid!r} (known: {known}). The issuer may "
                                      "have rotated its keys: fetch its JWKS again.", claim="kid", part="header"))
            return []
    kty, crv = KEY_FAMILY[alg]
    fitting = [key for key in pool if key.kty == kty and (crv is None or key.crv == crv)]
    usable = [key for key in fitting if _usable_for(key, alg)]
    if not usable:
        findings.append(_mismatch(alg, pool, fitting))
    return usable


def _usable_for(key: VerificationKey, alg: str) -> bool:
    return (key.use in (None, "sig") and (key.key_ops is None or "verify" in key.key_ops)
            and key.alg in (None, alg))


def _mismatch(alg: str, pool: list[VerificationKey], fitting: list[VerificationKey]) -> Finding:
    needed = family_text(*KEY_FAMILY[alg])
    if fitting:
        limits = "; ".join(f"{k.label}: alg {k.alg!r}, use {k.use!r}, key_ops {list(k.key_ops or [])}"
                           for k in fitting)
        message = f"The {alg} key is restricted to other uses ({limits}), so it may not verify this token."
    else:
        kinds = ", ".join(f"{k.label} is {family_text(k.kty, k.crv)}" for k in pool)
        attack = " Verifying an HMAC tag with a public key is the key-confusion attack." if alg.startswith("HS") else ""
        message = f"alg {alg} needs {needed}, but {kinds}.{attack} Never valid."
    return fnd.error("key_mismatch", message, claim="alg", part="header")


def _note_weak_secret(alg: str, key: VerificationKey, findings: list[Finding]) -> None:
    """RFC 7518 §3.2: an HMAC key must be at least as long as the hash output."""
    if key.kty != "oct":
        return
    needed = int(alg[2:]) // 8
    if len(key.material) < needed:
        findings.append(fnd.warning("weak_hmac_key", f"The key ({key.label}) is {len(key.material)} bytes; "
                                    f"{alg} needs at least {needed} (RFC 7518 §3.2). Short secrets can be brute-forced.",
                                    part="signature"))


#: NIST SP 800-131A Rev. 2 §2 and RFC 7518 §3.3: RSA keys of 2048 bits or more.
MIN_RSA_BITS = 2048


def _note_weak_rsa_key(key: VerificationKey, findings: list[Finding]) -> None:
    """A matching RSA key below :data:`MIN_RSA_BITS` proves little: such keys can be factored."""
    bits = getattr(key.material, "key_size", None) if key.kty == "RSA" else None
    if bits is not None and bits < MIN_RSA_BITS:
        findings.append(fnd.warning("weak_rsa_key", f"The RSA key ({key.label}) is only {bits} bits; keys must be "
                                    f"at least {MIN_RSA_BITS} bits (RFC 7518 §3.3, NIST SP 800-131A). A key this "
                                    "short can be broken, so whoever holds its factors could have signed this token.",
                                    part="signature"))
