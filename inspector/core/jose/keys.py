"""Verification keys from the places people keep them: JWKS, JWK, PEM, certificate, shared secret.

Keys become PyJWT/cryptography key objects here, once, so verifying never re-parses them.
Private keys are accepted (people paste them) but only their public half is kept. Loading never
fetches anything: a JWKS URL is the protocol layer's business, which hands the keys in.

- JWK and JWK Set: RFC 7517 §4 and §5 (``use``, ``key_ops``, ``alg`` restrict what a key may do).
- Key types: RFC 7518 §6 (RSA, EC with P-256/P-384/P-521, ``oct``), RFC 8037 §2 (OKP Ed25519).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

from inspector.core.errors import KeySourceError, MalformedTokenError
from inspector.core.jose.b64 import b64url_decode

__all__ = ["VerificationKey", "from_secret", "load_jwk", "load_jwks", "load_key_text", "load_pem"]

#: cryptography's curve names -> JOSE's (RFC 7518 §6.2.1.1); decryption keys (:mod:`.jwe_keys`) share them.
CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
PEM_BLOCK = "-----BEGIN "


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """A key the user trusts, ready for PyJWT's algorithm classes.

    ``material`` is a cryptography public key (RSA, EC, Ed25519) or the secret bytes of an ``oct``
    key. ``crv`` is set for EC ("P-256"...) and OKP ("Ed25519") keys. ``source`` says where it came
    from, for messages ("JWKS key 2", "PEM certificate", "shared secret").
    """

    kty: str
    material: Any
    source: str
    kid: str | None = None
    alg: str | None = None
    use: str | None = None
    key_ops: tuple[str, ...] | None = None
    crv: str | None = None

    @property
    def label(self) -> str:
        """How reports name this key: its kid when it has one, otherwise its source."""
        return f"key {self.kid!r}" if self.kid is not None else self.source

    def to_json(self) -> dict[str, Any]:
        return {"kid": self.kid, "kty": self.kty}

    def __repr__(self) -> str:  # never print secret material
        return f"VerificationKey(kty={self.kty!r}, kid={self.kid!r}, alg={self.alg!r}, source={self.source!r})"


def load_jwks(data: str | bytes | Mapping[str, Any]) -> list[VerificationKey]:
    """All usable keys of a JWK Set (RFC 7517 §5). Keys of unknown type or curve are skipped
    (RFC 7517 §5: "implementations SHOULD ignore JWKs ... they do not understand")."""
    document = json_object(data, "JWK Set")
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise KeySourceError('Not a JWK Set: it has no "keys" array.', hint="Pass a single key with --key or paste it.")
    loaded = []
    for index, entry in enumerate(keys, start=1):
        if isinstance(entry, dict) and _understood(entry):
            loaded.append(_from_jwk(entry, f"JWKS key {index}"))
    return loaded


def load_jwk(data: str | bytes | Mapping[str, Any]) -> VerificationKey:
    """One JWK (RFC 7517 §4)."""
    document = json_object(data, "JWK")
    if not _understood(document):
        raise KeySourceError(
            f"Unsupported key: kty {document.get('kty')!r}, crv {document.get('crv')!r}. "
            "Supported: RSA, EC (P-256, P-384, P-521), OKP Ed25519 and oct."
        )
    return _from_jwk(document, "JWK")


def load_pem(data: bytes | str) -> list[VerificationKey]:
    """Every public key, certificate or private key (public half kept) in PEM text."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    blocks = pem_blocks(text)
    if not blocks:
        raise KeySourceError("No PEM block found (expected '-----BEGIN PUBLIC KEY-----' or a certificate).")
    return [_from_pem_block(label, block, len(blocks)) for label, block in blocks]


def from_secret(secret: str | bytes) -> VerificationKey:
    """A shared secret for HS256/384/512, used exactly as given (UTF-8 for text)."""
    material = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if not material:
        raise KeySourceError("The shared secret is empty.")
    return VerificationKey(kty="oct", material=material, source="shared secret")


def load_key_text(text: str) -> list[VerificationKey]:
    """Auto-detect pasted key text: a JWKS, a JWK, or PEM (keys and certificates)."""
    stripped = text.strip()
    if stripped.startswith("{"):
        document = json_object(stripped, "key")
        return load_jwks(document) if "keys" in document else [load_jwk(document)]
    if PEM_BLOCK in stripped:
        return load_pem(stripped)
    raise KeySourceError(
        "This is not a key: paste a JWK Set, a JWK or a PEM public key or certificate.",
        hint="For a shared (HMAC) secret use the secret field or --secret.",
    )


def json_object(data: str | bytes | Mapping[str, Any], what: str) -> dict[str, Any]:
    """``data`` read as a JSON object; ``what`` names it in the error ("JWK Set", "key")."""
    if isinstance(data, Mapping):
        return dict(data)
    try:
        document = json.loads(data)
    except RecursionError as exc:
        raise KeySourceError(f"The {what} JSON is nested too deeply to read.") from exc
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise KeySourceError(f"The {what} is not valid JSON: {exc}.") from exc
    if not isinstance(document, dict):
        raise KeySourceError(f"The {what} must be a JSON object.")
    return document


def restriction_members(jwk: Mapping[str, Any], source: str
                        ) -> tuple[str | None, str | None, str | None, tuple[str, ...] | None]:
    """A JWK's ``kid``, ``alg``, ``use`` and ``key_ops`` (RFC 7517 §4.2-§4.5), checked for type."""
    kid, alg, use, key_ops = jwk.get("kid"), jwk.get("alg"), jwk.get("use"), jwk.get("key_ops")
    if not all(v is None or isinstance(v, str) for v in (kid, alg, use)) or not (
        key_ops is None or (isinstance(key_ops, list) and all(isinstance(op, str) for op in key_ops))
    ):
        raise KeySourceError(f"{source}: kid, alg and use must be strings and key_ops an array of strings.")
    return kid, alg, use, tuple(key_ops) if key_ops is not None else None


def _understood(jwk: Mapping[str, Any]) -> bool:
    kty, crv = jwk.get("kty"), jwk.get("crv")
    return kty in ("RSA", "oct") or (kty == "EC" and crv in CURVES.values()) or (kty == "OKP" and crv == "Ed25519")


def _from_jwk(jwk: Mapping[str, Any], source: str) -> VerificationKey:
    kty = jwk["kty"]
    kid, alg, use, key_ops = restriction_members(jwk, source)
    try:
        material = _jwk_material(kty, jwk)
    except (InvalidKeyError, KeyError, TypeError, ValueError, MalformedTokenError) as exc:
        raise KeySourceError(f"{source} ({kty}{', kid ' + repr(kid) if kid else ''}) cannot be loaded: {exc}") from exc
    return VerificationKey(
        kty=kty,
        material=material,
        source=source,
        kid=kid,
        alg=alg,
        use=use,
        key_ops=key_ops,
        crv=jwk.get("crv") if kty in ("EC", "OKP") else None,
    )


def _jwk_material(kty: str, jwk: Mapping[str, Any]) -> Any:
    if kty == "oct":
        secret = b64url_decode(jwk["k"]) if isinstance(jwk.get("k"), str) else b""
        if not secret:
            raise ValueError('an oct key needs a non-empty "k"')
        return secret
    loader = {"RSA": RSAAlgorithm, "EC": ECAlgorithm, "OKP": OKPAlgorithm}[kty]
    key = loader.from_jwk(dict(jwk))
    return key.public_key() if hasattr(key, "private_bytes") else key


def pem_blocks(text: str) -> list[tuple[str, str]]:
    """Each ``-----BEGIN label-----`` ... ``-----END label-----`` block of ``text`` with its label."""
    blocks, start = [], text.find(PEM_BLOCK)
    while start != -1:
        label_end = text.find("-----", start + len(PEM_BLOCK))
        label = text[start + len(PEM_BLOCK) : label_end] if label_end != -1 else ""
        end_marker = f"-----END {label}-----"
        end = text.find(end_marker, start)
        if label_end == -1 or end == -1:
            raise KeySourceError(f"PEM block '{label or '?'}' has no END line: was the key cut off?")
        blocks.append((label, text[start : end + len(end_marker)]))
        start = text.find(PEM_BLOCK, end)
    return blocks


def _from_pem_block(label: str, block: str, count: int) -> VerificationKey:
    data = block.encode("ascii", "replace")
    try:
        if label == "CERTIFICATE":
            public_key = x509.load_pem_x509_certificate(data).public_key()
        elif "PRIVATE KEY" in label:
            public_key = load_pem_private_key(data, password=None).public_key()
        else:
            public_key = load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        hint = " It is encrypted: export the public key instead." if "password" in str(exc).lower() else ""
        raise KeySourceError(f"The PEM {label.lower()} cannot be loaded.{hint}") from exc
    source = f"PEM {'certificate' if label == 'CERTIFICATE' else 'key'}" + (f" ({label.lower()})" if count > 1 else "")
    return _from_public_key(public_key, source)


def _from_public_key(public_key: Any, source: str) -> VerificationKey:
    if isinstance(public_key, rsa.RSAPublicKey):
        return VerificationKey(kty="RSA", material=public_key, source=source)
    if isinstance(public_key, ec.EllipticCurvePublicKey) and public_key.curve.name in CURVES:
        return VerificationKey(kty="EC", material=public_key, source=source, crv=CURVES[public_key.curve.name])
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return VerificationKey(kty="OKP", material=public_key, source=source, crv="Ed25519")
    raise KeySourceError(
        f"{source}: unsupported key type {type(public_key).__name__.removeprefix('_')}. "
        "Supported: RSA, EC (P-256, P-384, P-521) and Ed25519."
    )
