"""Test keys, generated once per run (no private key is committed to the repository)."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

#: 32 bytes: long enough for HS256 (RFC 7518 §3.2), so PyJWT's signing raises no warning.
HS256_SECRET = b"0123456789abcdef0123456789abcdef"
HS512_SECRET = HS256_SECRET * 2


@functools.cache
def rsa_private(index: int = 0) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def ec_private(curve: str = "P-256") -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key({"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}[curve])


@functools.cache
def ed25519_private() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def public_pem(private_key: Any) -> bytes:
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def private_pem(private_key: Any) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def certificate_pem(private_key: Any) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "token-inspector test")])
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=3650))
        .sign(private_key, None if isinstance(private_key, ed25519.Ed25519PrivateKey) else hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM)


def public_jwk(private_key: Any, **members: Any) -> dict[str, Any]:
    """The public JWK of a key (via PyJWT), plus ``members`` such as kid, alg, use."""
    from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

    if isinstance(private_key, rsa.RSAPrivateKey):
        jwk = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        jwk.pop("key_ops", None)
    elif isinstance(private_key, ec.EllipticCurvePrivateKey):
        jwk = ECAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    else:
        jwk = OKPAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {**jwk, **members}
