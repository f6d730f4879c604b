"""Encrypting tokens for tests, with joserfc (tests only: the product never encrypts), and the
keys to decrypt them, as the user would give them (private JWK text)."""

from __future__ import annotations

import functools
import json
from typing import Any

from joserfc import jwe
from joserfc.jwk import ECKey, OctKey, RSAKey

#: Every key management algorithm the product decrypts, with the key each needs.
ALGORITHMS = ("RSA-OAEP", "RSA-OAEP-256", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW",
              "A128KW", "A192KW", "A256KW", "dir")
ENCRYPTIONS = ("A128GCM", "A192GCM", "A256GCM", "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512")
_CEK_BITS = {"A128GCM": 128, "A192GCM": 192, "A256GCM": 256, "A128CBC-HS256": 256, "A192CBC-HS384": 384,
             "A256CBC-HS512": 512}


@functools.cache
def rsa_jwk(index: int = 0, **members: Any) -> dict[str, Any]:
    return {**RSAKey.generate_key(2048).as_dict(private=True), **members}


@functools.cache
def ec_jwk(curve: str = "P-256", index: int = 0) -> dict[str, Any]:
    return ECKey.generate_key(curve).as_dict(private=True)


@functools.cache
def oct_jwk(bits: int, index: int = 0) -> dict[str, Any]:
    return OctKey.generate_key(bits).as_dict(private=True)


def jwk_for(alg: str, enc: str, index: int = 0) -> dict[str, Any]:
    """A private (or shared) JWK that ``alg``/``enc`` can encrypt to; ``index`` gives another one."""
    if alg.startswith("RSA"):
        return rsa_jwk(index)
    if alg.startswith("ECDH-ES"):
        return ec_jwk("P-256", index)
    return oct_jwk(_CEK_BITS[enc] if alg == "dir" else int(alg[1:4]), index)


def encrypt(plaintext: bytes | str | dict[str, Any], to: dict[str, Any], alg: str, enc: str, **header: Any) -> str:
    """A compact JWE of ``plaintext`` (a dict as JSON) for the key ``to`` (a JWK)."""
    jwk = to
    data = json.dumps(plaintext).encode() if isinstance(plaintext, dict) else plaintext
    key = {"RSA": RSAKey, "EC": ECKey, "oct": OctKey}[jwk["kty"]].import_key(jwk)
    if key.is_private and jwk["kty"] != "oct":
        key = type(key).import_key(key.as_dict(private=False))
    registry = jwe.JWERegistry(algorithms=[alg, enc, "DEF"], strict_check_header=False)
    registry.max_ciphertext_length = 64 * 1024 * 1024
    return jwe.encrypt_compact({"alg": alg, "enc": enc, **header}, data, key, registry=registry)


def jwk_text(*jwks: dict[str, Any]) -> str:
    """One JWK as JSON, or several as a JWK Set."""
    return json.dumps(jwks[0] if len(jwks) == 1 else {"keys": list(jwks)})
