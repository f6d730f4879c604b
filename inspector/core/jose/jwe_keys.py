"""Decryption keys: the recipient's private JWK, JWK Set or PEM, or a shared (``oct``) JWK.

The counterpart of :mod:`inspector.core.jose.keys` for JWE: there only public halves are kept,
here only private keys are useful, so public keys and certificates are refused with the reason.
Keys become joserfc key objects once, here; nothing is fetched (JOSE takes keys, never URLs).
This module imports joserfc, so only a JWE's decryption (or a form checking a key) loads it.

- JWK and JWK Set: RFC 7517 §4-§5 (``use``, ``key_ops`` and ``alg`` restrict a key, §4.2-§4.4).
- Private key members: RFC 7518 §6.2.2 (EC ``d``), §6.3.2 (RSA ``d``...), §6.4 (``oct`` ``k``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OctKey, RSAKey

from inspector.core.errors import KeySourceError
from inspector.core.jose.b64 import b64url_decode
from inspector.core.jose.keys import CURVES, PEM_BLOCK, json_object, pem_blocks, restriction_members

__all__ = ["DecryptionKey", "load_decryption_keys"]

_WHAT = "Give the recipient's private key: a private JWK, a JWK Set with private keys, a PEM private key, " \
        "or a shared key as an oct JWK."


@dataclass(frozen=True, slots=True)
class DecryptionKey:
    """A private (or shared) key the user trusts to decrypt with, as a joserfc key object.

    ``size`` is the length of an ``oct`` key in bits (A128KW needs 128, ``dir`` the content
    key's size). ``source`` names it in messages ("JWKS key 2", "PEM key").
    """

    kty: str
    key: Any
    source: str
    kid: str | None = None
    alg: str | None = None
    use: str | None = None
    key_ops: tuple[str, ...] | None = None
    crv: str | None = None
    size: int | None = None

    @property
    def label(self) -> str:
        """How findings name this key: its kid when it has one, otherwise its source."""
        return f"key {self.kid!r}" if self.kid is not None else self.source

    def to_json(self) -> dict[str, Any]:
        return {"kid": self.kid, "kty": self.kty}

    def __repr__(self) -> str:  # never print key material
        return f"DecryptionKey(kty={self.kty!r}, kid={self.kid!r}, alg={self.alg!r}, source={self.source!r})"


def load_decryption_keys(data: str | bytes) -> list[DecryptionKey]:
    """Every usable private key in pasted or file text: a JWK Set, a JWK, or PEM.

    Raises KeySourceError when nothing in it can decrypt (a public key, a certificate, an
    encrypted PEM, damaged JSON), saying which and what to give instead.
    """
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    stripped = text.strip()
    if stripped.startswith("{"):
        document = json_object(stripped, "key")
        if "keys" in document:
            return _from_jwks(document)
        return [_from_jwk(document, "JWK", strict=True)]  # type: ignore[list-item]
    if PEM_BLOCK in stripped:
        return _from_pem(stripped)
    raise KeySourceError("This is not a decryption key.", hint=_WHAT)


def _from_jwks(document: Mapping[str, Any]) -> list[DecryptionKey]:
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise KeySourceError('Not a JWK Set: its "keys" is not an array.', hint=_WHAT)
    loaded = []
    for index, entry in enumerate(entries, start=1):
        if isinstance(entry, dict):
            key = _from_jwk(entry, f"JWKS key {index}", strict=False)
            if key is not None:
                loaded.append(key)
    if not loaded:
        raise KeySourceError("The JWK Set holds no private key: a provider's published JWKS has only public "
                             "keys, which can encrypt but never decrypt.", hint=_WHAT)
    return loaded


def _from_jwk(jwk: Mapping[str, Any], source: str, *, strict: bool) -> DecryptionKey | None:
    """One JWK as a key; a public or unsupported one is an error (``strict``) or skipped."""
    kty, crv = jwk.get("kty"), jwk.get("crv")
    problem = None
    if kty not in ("RSA", "EC", "oct") or (kty == "EC" and crv not in CURVES.values()):
        problem = f"unsupported key type (kty {kty!r}, crv {crv!r}): decryption takes RSA, EC (P-256, P-384, " \
                  "P-521) and oct keys"
    elif kty in ("RSA", "EC") and "d" not in jwk:
        problem = "it is a public key, which can encrypt but never decrypt"
    if problem is not None:
        if strict:
            raise KeySourceError(f"The {source} cannot decrypt: {problem}.", hint=_WHAT)
        return None
    kid, alg, use, key_ops = restriction_members(jwk, source)
    label = f"{source} ({kty}{', kid ' + repr(kid) if kid else ''})"
    try:
        key = {"RSA": RSAKey, "EC": ECKey, "oct": OctKey}[kty].import_key(dict(jwk))
        size = len(b64url_decode(jwk["k"])) * 8 if kty == "oct" else None
    except (JoseError, KeyError, TypeError, ValueError) as exc:
        reason = str(exc) or "a member is not valid base64url, or the numbers do not form a key"
        raise KeySourceError(f"The {label} cannot be loaded: {reason}.") from exc
    if size == 0:
        raise KeySourceError(f"The {label} is empty.")
    return DecryptionKey(kty=kty, key=key, source=source, kid=kid, alg=alg, use=use,
                         key_ops=key_ops,
                         crv=crv if kty == "EC" else None, size=size)


def _from_pem(text: str) -> list[DecryptionKey]:
    blocks = pem_blocks(text)
    private = [block for label, block in blocks if "PRIVATE KEY" in label]
    if not private:
        kinds = ", ".join(sorted({label.lower() for label, _ in blocks}))
        raise KeySourceError(f"The PEM holds no private key (only: {kinds}): a public key or certificate can "
                             "encrypt but never decrypt.", hint=_WHAT)
    source = "PEM key"
    return [_from_pem_block(block, source if len(private) == 1 else f"{source} {n}")
            for n, block in enumerate(private, start=1)]


def _from_pem_block(block: str, source: str) -> DecryptionKey:
    data = block.encode("ascii", "replace")
    try:
        private = load_pem_private_key(data, password=None)
    except TypeError as exc:  # encrypted with a passphrase
        raise KeySourceError(f"The {source} is encrypted with a passphrase.",
                             hint="Export it without one (openssl pkey -in key.pem -out plain.pem) and "
                                  "keep that file safe, or paste it.") from exc
    except ValueError as exc:
        raise KeySourceError(f"The {source} cannot be loaded: it is damaged or not a private key.") from exc
    if isinstance(private, rsa.RSAPrivateKey):
        return DecryptionKey(kty="RSA", key=RSAKey.import_key(data), source=source)
    if isinstance(private, ec.EllipticCurvePrivateKey) and private.curve.name in CURVES:
        return DecryptionKey(kty="EC", key=ECKey.import_key(data), source=source, crv=CURVES[private.curve.name])
    raise KeySourceError(f"The {source} is a {type(private).__name__.removeprefix('_')}: decryption takes RSA "
                         "and EC (P-256, P-384, P-521) private keys.")
