"""The signature algorithms we verify (RFC 7518 §3, RFC 8037 §3.1) and the keys each one needs.

A key of the wrong family never verifies: checking an HMAC tag with an RSA public key as the
secret is the key-confusion attack. Signatures are checked only by PyJWT's algorithm classes.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable

from cryptography.exceptions import UnsupportedAlgorithm
from jwt.algorithms import get_default_algorithms
from jwt.exceptions import InvalidKeyError

__all__ = [
    "KEY_FAMILY",
    "SUPPORTED_ALGORITHMS",
    "InvalidKeyError",
    "default_alg",
    "family_text",
    "hash_for",
    "is_psychic_ecdsa",
    "verify_signature",
]

#: alg -> (kty, crv or None) of the key it needs.
KEY_FAMILY: dict[str, tuple[str, str | None]] = {
    **{f"HS{bits}": ("oct", None) for bits in (256, 384, 512)},
    **{f"RS{bits}": ("RSA", None) for bits in (256, 384, 512)},
    **{f"PS{bits}": ("RSA", None) for bits in (256, 384, 512)},
    "ES256": ("EC", "P-256"),
    "ES384": ("EC", "P-384"),
    "ES512": ("EC", "P-521"),
    "EdDSA": ("OKP", "Ed25519"),
}
SUPPORTED_ALGORITHMS: tuple[str, ...] = tuple(KEY_FAMILY)

_PYJWT = {name: algorithm for name, algorithm in get_default_algorithms().items() if name in KEY_FAMILY}
_FAMILY_TEXT = {"oct": "a shared secret (oct key)", "RSA": "an RSA key", "EC": "an EC key", "OKP": "an OKP key"}


def default_alg(kty: str, crv: str | None = None) -> str | None:
    """The algorithm a key of this type signs with when nothing names one: the first of
    :data:`KEY_FAMILY` it fits (RS256 for RSA, ES256/384/512 by curve, EdDSA, HS256)."""
    return next((alg for alg, family in KEY_FAMILY.items() if family == (kty, crv)), None)


def family_text(kty: str, crv: str | None = None) -> str:
    """``an EC key on P-256``: the kind of key, in words."""
    text = _FAMILY_TEXT.get(kty, f"a {kty} key")
    return f"{text} on {crv}" if crv else text


def hash_for(alg: str) -> Callable[[bytes], Any] | None:
    """The hash OpenID Connect uses for at_hash/c_hash with ``alg`` (Core §3.1.3.6, §3.3.2.11):
    the one in the algorithm's name, SHA-512 for EdDSA with Ed25519."""
    if alg == "EdDSA":
        return hashlib.sha512
    return {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}.get(alg[-3:]) if alg in KEY_FAMILY else None


def verify_signature(alg: str, key_material: Any, signing_input: bytes, signature: bytes) -> bool:
    """True when PyJWT's ``alg`` class accepts ``signature``; a key it refuses is not a match.

    Raises InvalidKeyError when the key cannot be used with ``alg`` at all (e.g. a PEM public key
    offered as an HMAC secret), so the caller can say "wrong key" rather than "bad signature".
    """
    algorithm = _PYJWT[alg]
    prepared = algorithm.prepare_key(key_material)
    try:
        return bool(algorithm.verify(signing_input, prepared, signature))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return False


def is_psychic_ecdsa(alg: str, signature: bytes) -> bool:
    """An ECDSA signature with r = 0 or s = 0 (CVE-2022-21449): never valid, refuse it up front."""
    if KEY_FAMILY.get(alg, ("",))[0] != "EC" or not signature or len(signature) % 2:
        return False
    half = len(signature) // 2
    return not any(signature[:half]) or not any(signature[half:])

