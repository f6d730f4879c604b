"""The client's DPoP key (RFC 9449 §4.1): a key pair whose public half travels in every proof.

A flow makes a fresh key (ES256 by default, as RFC 9449's examples and every provider accept);
a profile may keep one in the keyring as a private JWK (:meth:`DpopKey.to_private_jwk`), so the
tokens it obtained stay usable across runs. Keys are made and used by ``cryptography`` and
PyJWT's algorithm classes only; the thumbprint is RFC 7638's (:mod:`.thumbprint`).
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

from inspector.core.errors import KeySourceError
from inspector.core.jose.algorithms import KEY_FAMILY, default_alg
from inspector.core.jose.thumbprint import jwk_thumbprint, public_members

__all__ = ["DEFAULT_ALG", "DPOP_ALGORITHMS", "DpopKey"]

DEFAULT_ALG = "ES256"
#: Asymmetric algorithms a proof may use (RFC 9449 §4.2: "MUST NOT be none or an identifier for a
#: symmetric algorithm (MAC)"); the ones this client can make keys for.
DPOP_ALGORITHMS: tuple[str, ...] = tuple(alg for alg, (kty, _crv) in KEY_FAMILY.items() if kty != "oct")
#: RSA keys made here: RFC 7518 §3.3 asks for 2048 bits or more.
RSA_BITS = 2048

_CURVES = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}
_LOADERS = {"EC": ECAlgorithm, "RSA": RSAAlgorithm, "OKP": OKPAlgorithm}


class DpopKey:
    """A private key and the algorithm its proofs use. ``public_jwk`` and ``thumbprint`` are
    computed once; the private key is never shown (``repr`` names only the algorithm and thumbprint)."""

    def __init__(self, private_key: Any, alg: str) -> None:
        if alg not in DPOP_ALGORITHMS:
            raise KeySourceError(f"A DPoP key cannot use {alg!r}; choose one of {', '.join(DPOP_ALGORITHMS)}.")
        kty, crv = KEY_FAMILY[alg]
        full = _LOADERS[kty].to_jwk(private_key, as_dict=True)
        if full.get("kty") != kty or (crv is not None and full.get("crv") != crv) or "d" not in full:
            curve = f" on {crv}" if crv else ""
            raise KeySourceError(f"{alg} needs a private {kty} key{curve}; this key does not fit.")
        self.alg = alg
        self._private = private_key
        self.public_jwk: dict[str, str] = public_members(full)
        self.thumbprint = jwk_thumbprint(self.public_jwk)

    @classmethod
    def generate(cls, alg: str = DEFAULT_ALG) -> DpopKey:
        """A fresh key for ``alg`` (ES256 by default; RSA keys have :data:`RSA_BITS` bits)."""
        if alg not in DPOP_ALGORITHMS:
            raise KeySourceError(f"A DPoP key cannot use {alg!r}; choose one of {', '.join(DPOP_ALGORITHMS)}.")
        kty, crv = KEY_FAMILY[alg]
        if kty == "EC":
            private_key: Any = ec.generate_private_key(_CURVES[crv or "P-256"]())
        elif kty == "RSA":
            private_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
        else:
            private_key = ed25519.Ed25519PrivateKey.generate()
        return cls(private_key, alg)

    @classmethod
    def from_private_jwk(cls, data: str | Mapping[str, Any]) -> DpopKey:
        """The key :meth:`to_private_jwk` wrote (or any private EC, RSA or Ed25519 JWK); its ``alg``
        member, when present, chooses the algorithm, else the key type's usual one."""
        jwk = _jwk_object(data)
        kty, crv = jwk.get("kty"), jwk.get("crv")
        alg = jwk.get("alg") or default_alg(kty, crv if kty != "RSA" else None)
        if not isinstance(alg, str) or alg not in DPOP_ALGORITHMS:
            raise KeySourceError(f"The stored DPoP key (kty {kty!r}, crv {crv!r}, alg {jwk.get('alg')!r}) is not "
                                 "one this client signs with: EC P-256/P-384/P-521, RSA or Ed25519.")
        if "d" not in jwk:
            raise KeySourceError("The stored DPoP key has no private part (\"d\"): a public key cannot sign proofs.")
        try:
            private_key = _LOADERS[KEY_FAMILY[alg][0]].from_jwk(dict(jwk))
        except (InvalidKeyError, KeyError, TypeError, ValueError) as exc:
            raise KeySourceError(f"The stored DPoP key cannot be loaded: {exc}.") from exc
        return cls(private_key, alg)

    def to_private_jwk(self) -> str:
        """The private key as a JWK (with ``alg``) in JSON: for the keyring only, never a file or log."""
        return json.dumps({**_LOADERS[KEY_FAMILY[self.alg][0]].to_jwk(self._private, as_dict=True), "alg": self.alg})

    def sign(self, header: Mapping[str, Any], claims: Mapping[str, Any]) -> str:
        """A compact JWS of ``claims`` with ``header`` (``alg`` is this key's), signed by PyJWT."""
        import jwt

        return jwt.encode(dict(claims), self._private, algorithm=self.alg, headers=dict(header))

    def __repr__(self) -> str:  # never print the private key
        return f"DpopKey(alg={self.alg!r}, thumbprint={self.thumbprint!r})"


def _jwk_object(data: str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(data, Mapping):
        return dict(data)
    try:
        value = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise KeySourceError("The stored DPoP key is not valid JSON; remove it and let a new one be made.") from exc
    if not isinstance(value, dict):
        raise KeySourceError("The stored DPoP key must be a JSON object (a JWK).")
    return value
