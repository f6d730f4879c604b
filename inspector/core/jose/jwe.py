"""Decrypting a compact JWE (RFC 7516 §5.2) with keys the user gives, every failure a finding.

Decoding a JWE needs no key (:func:`inspector.core.jose.parse.decode` reads its protected
header); this module decrypts it. The cryptography is joserfc's (loaded only here, and only when
a JWE is decrypted); this module decides what may be tried and says what happened:

- Algorithms (RFC 7518 §4-§5): :data:`KEY_ALGORITHMS` × :data:`CONTENT_ALGORITHMS`. ``RSA1_5``
  is refused unless the caller opts in (Bleichenbacher's padding oracle; RFC 8725 §3.2 and
  draft-ietf-jose-deprecate-none-rsa15); PBES2 and AES-GCM key wrap are not offered.
- Keys: the caller's only. A ``kid`` binds the key it names (RFC 7516 §4.1.6); without one each
  key of the right type is tried. The header's ``jwk``, ``jku``, ``x5u`` and ``x5c`` are reported
  and never used (RFC 8725 §3.10); ``epk`` is the sender's ephemeral half of ECDH-ES by design.
- ``zip: DEF`` (RFC 7516 §4.1.3): inflated with joserfc's bound, so a compressed bomb is a
  finding; RFC 8725 §3.6 advises against compressing before encrypting, which is a warning.
- Nested JWTs (RFC 7519 §5.2, §11.2): content with ``cty`` JWT, or that reads as a JWS, is decoded
  as one, for the usual verification.

Nothing is returned of content that failed: a failure yields findings and no plaintext.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from inspector.core import findings as fnd
from inspector.core.errors import MalformedTokenError
from inspector.core.findings import Finding, has_errors
from inspector.core.jose.parse import DecodedToken, decode

if TYPE_CHECKING:
    from inspector.core.jose.jwe_keys import DecryptionKey

__all__ = ["CONTENT_ALGORITHMS", "CONTENT_KEY_BITS", "KEY_ALGORITHMS", "MAX_CIPHERTEXT_BYTES", "Decryption",
           "decrypt", "needed_key"]

#: Key management algorithms offered (RFC 7518 §4.1), and the key type each needs.
KEY_ALGORITHMS: dict[str, str] = {
    "RSA-OAEP": "RSA", "RSA-OAEP-256": "RSA",
    "ECDH-ES": "EC", "ECDH-ES+A128KW": "EC", "ECDH-ES+A192KW": "EC", "ECDH-ES+A256KW": "EC",
    "A128KW": "oct", "A192KW": "oct", "A256KW": "oct", "dir": "oct",
}
#: Content encryption algorithms (RFC 7518 §5.1) and their key sizes in bits (``dir`` needs one this size).
CONTENT_KEY_BITS: dict[str, int] = {
    "A128GCM": 128, "A192GCM": 192, "A256GCM": 256,
    "A128CBC-HS256": 256, "A192CBC-HS384": 384, "A256CBC-HS512": 512,
}
CONTENT_ALGORITHMS = tuple(CONTENT_KEY_BITS)
#: The largest ciphertext decrypted (1 MiB): far above any ID token or userinfo answer.
MAX_CIPHERTEXT_BYTES = 1024 * 1024
RSA1_5 = "RSA1_5"
_HEADER_KEYS = ("jwk", "jku", "x5u", "x5c")
_KEY_WORDS = {"RSA": "an RSA private key", "EC": "an EC private key", "oct": "a shared (oct) key"}


@dataclass(frozen=True)
class Decryption:
    """The outcome: ``token`` is the decrypted content (None when decryption failed), marked
    ``decrypted`` and carrying the JWE header as ``jwe_header``; a nested JWS keeps its own header
    as ``header``. ``findings`` are the decryption's; :attr:`all_findings` adds the content's."""

    outer: DecodedToken
    findings: list[Finding] = field(default_factory=list)
    token: DecodedToken | None = None
    key: DecryptionKey | None = None

    @property
    def decrypted(self) -> bool:
        return self.token is not None

    @property
    def all_findings(self) -> list[Finding]:
        return [*self.findings, *(self.token.findings if self.token is not None else [])]

    def to_json(self) -> dict[str, Any]:
        """The decoded token's JSON ({format, header, claims, findings}) plus ``decrypted``,
        ``jwe_header`` and the key that decrypted it."""
        shown = self.token if self.token is not None else self.outer
        data = shown.to_json()
        data.update(decrypted=self.decrypted, jwe_header=self.outer.header,
                    key=self.key.to_json() if self.key is not None else None,
                    findings=[f.to_json() for f in self.all_findings])
        return data


def needed_key(header: Mapping[str, Any] | None) -> str:
    """Which key would decrypt a JWE with ``header``, in words: ``an RSA private key (alg
    RSA-OAEP, enc A256GCM, kid 'enc-1')``."""
    header = header or {}
    alg, enc = header.get("alg"), header.get("enc")
    kty = KEY_ALGORITHMS.get(alg) if isinstance(alg, str) else None
    if alg == RSA1_5:
        kty = "RSA"
    what = _KEY_WORDS.get(kty or "", "the recipient's private key")
    if kty == "EC" and isinstance(header.get("epk"), dict) and isinstance(header["epk"].get("crv"), str):
        what += f" on {header['epk']['crv']}"
    if kty == "oct" and isinstance(enc, str):
        bits = CONTENT_KEY_BITS.get(enc) if alg == "dir" else int(alg[1:4]) if alg[1:4].isdigit() else None
        what = f"a {bits}-bit shared (oct) key" if bits else what
    details = [f"{name} {header[name]!r}" if name == "kid" else f"{name} {header[name]}"
               for name in ("alg", "enc", "kid") if isinstance(header.get(name), str)]
    return f"{what} ({', '.join(details)})" if details else what


def decrypt(token: str | DecodedToken, keys: Sequence[DecryptionKey], *, allow_rsa1_5: bool = False) -> Decryption:
    """Decrypt a compact JWE with ``keys``; every failure is a finding, never an exception.

    ``allow_rsa1_5`` lets ``RSA1_5`` through (a warning instead of the refusal): only for a user
    who knowingly inspects a legacy token offline. Raises MalformedTokenError only when ``token``
    is not a JWE at all (or nothing in it can be read, see :func:`decode`).
    """
    outer = token if isinstance(token, DecodedToken) else decode(token)
    if outer.format != "jwe":
        raise MalformedTokenError("This token is not encrypted (it is not a five-part JWE): there is nothing "
                                  "to decrypt.")
    findings = [f for f in outer.findings if f.code != "encrypted"]
    header = outer.header or {}
    if has_errors(findings) or not _header_allows(header, findings, allow_rsa1_5):
        return Decryption(outer, findings)
    candidates = _candidates(header, keys, findings)
    if not candidates:
        return Decryption(outer, findings)
    from inspector.core.jose.jwe_content import open_content

    key, content = open_content(outer, candidates, findings)
    if content is None:
        return Decryption(outer, findings)
    findings.append(fnd.info("decrypted", f"Decrypted with {key.label} ({header['alg']}, {header['enc']}): the "
                             "content below was encrypted for this key and has not been altered.", part="ciphertext"))
    return Decryption(outer, findings, replace(content, decrypted=True, jwe_header=outer.header), key)


def _header_allows(header: Mapping[str, Any], findings: list[Finding], allow_rsa1_5: bool) -> bool:
    """Header findings; False when nothing may be tried (the algorithms are refused or missing)."""
    for name in _HEADER_KEYS:
        if name in header:
            findings.append(fnd.warning("header_key_ignored", f"The header carries {name!r}, a key chosen by whoever "
                                        "wrote the token: it was not fetched and not used; only your keys are.",
                                        claim=name, part="header"))
    alg, enc, zip_ = header.get("alg"), header.get("enc"), header.get("zip")
    allowed = True
    if not isinstance(alg, str) or not isinstance(enc, str):
        findings.append(fnd.error("jwe_malformed", "The JWE header needs alg and enc, each a string naming an "
                                  "algorithm (RFC 7516 §4.1.1-§4.1.2).", claim="alg", part="header"))
        return False
    if alg == RSA1_5 and not allow_rsa1_5:
        findings.append(fnd.error("jwe_alg_refused", "alg is RSA1_5 (RSA PKCS#1 v1.5 key encryption), which is "
                                  "refused: it is open to Bleichenbacher's padding-oracle attack, and decrypting it "
                                  "would make this a tool for that attack. Ask the provider to encrypt with "
                                  "RSA-OAEP-256 or ECDH-ES instead.", claim="alg", part="header"))
        allowed = False
    elif alg == RSA1_5:
        findings.append(fnd.warning("jwe_alg_weak", "alg is RSA1_5, decrypted only because it was explicitly "
                                    "allowed: it is open to Bleichenbacher's padding-oracle attack.",
                                    claim="alg", part="header"))
    elif alg not in KEY_ALGORITHMS:
        findings.append(fnd.error("jwe_alg_unsupported", f"alg {alg!r} is not supported for decryption "
                                  f"(supported: {', '.join(KEY_ALGORITHMS)}).", claim="alg", part="header"))
        allowed = False
    if enc not in CONTENT_KEY_BITS:
        findings.append(fnd.error("jwe_alg_unsupported", f"enc {enc!r} is not supported (supported: "
                                  f"{', '.join(CONTENT_ALGORITHMS)}).", claim="enc", part="header"))
        allowed = False
    if zip_ is not None and zip_ != "DEF":
        findings.append(fnd.error("jwe_alg_unsupported", f"zip {zip_!r} is not a compression this tool knows "
                                  "(only DEF, RFC 7516 §4.1.3).", claim="zip", part="header"))
        allowed = False
    elif zip_ == "DEF":
        findings.append(fnd.warning("jwe_compressed", "The content was compressed before encryption (zip DEF): "
                                    "its length can then reveal what it says (RFC 8725 §3.6).",
                                    claim="zip", part="header"))
    if "crit" in header:
        findings.append(fnd.error("crit_unsupported", "The header lists crit extensions, which this tool does "
                                  "not implement, so the token must be rejected (RFC 7516 §4.1.13).",
                                  claim="crit", part="header"))
        allowed = False
    return allowed


def _candidates(header: Mapping[str, Any], keys: Sequence[DecryptionKey], findings: list[Finding]
                ) -> list[DecryptionKey]:
    """The keys allowed to decrypt: bound by ``kid`` when it names one, of the type and size the
    algorithms need, and not restricted to other uses."""
    if not keys:
        findings.append(fnd.error("key_not_found", f"No decryption key was given: decrypting needs "
                                  f"{needed_key(header)}.", part="encrypted_key"))
        return []
    kid = header.get("kid")
    pool = list(keys)
    if isinstance(kid, str):
        named = [key for key in keys if key.kid == kid]
        pool = named or [key for key in keys if key.kid is None]
        if not pool:
            known = ", ".join(sorted({repr(key.kid) for key in keys}))
            findings.append(fnd.error("key_not_found", f"No decryption key has kid {kid!r} (known: {known}).",
                                      claim="kid", part="header"))
            return []
    alg = header["alg"]
    fitting = [key for key in pool if _fits(key, header)]
    # A dir key names the content algorithm it is for as its alg (RFC 7520 §5.6).
    named = (None, alg, header["enc"]) if alg == "dir" else (None, alg)
    usable = [key for key in fitting if key.use in (None, "enc") and key.alg in named
              and (key.key_ops is None or {"decrypt", "unwrapKey", "deriveKey", "deriveBits"} & set(key.key_ops))]
    if not usable:
        if fitting:
            limits = "; ".join(f"{k.label}: alg {k.alg!r}, use {k.use!r}, key_ops {list(k.key_ops or [])}"
                               for k in fitting)
            message = f"The key is restricted to other uses ({limits}), so it may not decrypt with {alg}."
        else:
            kinds = ", ".join(f"{k.label} is {_describe(k)}" for k in pool)
            message = f"Decrypting needs {needed_key(header)}, but {kinds}."
        findings.append(fnd.error("key_mismatch", message, claim="alg", part="header"))
    return usable


def _fits(key: DecryptionKey, header: Mapping[str, Any]) -> bool:
    alg, enc = header["alg"], header["enc"]
    kty = "RSA" if alg == RSA1_5 else KEY_ALGORITHMS[alg]
    if key.kty != kty:
        return False
    if kty == "EC":
        epk = header.get("epk")
        return not isinstance(epk, dict) or epk.get("crv") == key.crv  # no epk: the library says so
    if kty == "oct":
        return key.size == (CONTENT_KEY_BITS[enc] if alg == "dir" else int(alg[1:4]))
    return True


def _describe(key: DecryptionKey) -> str:
    if key.kty == "oct":
        return f"a {key.size}-bit shared key"
    return f"{_KEY_WORDS[key.kty]}{f' on {key.crv}' if key.crv else ''}"
