"""The client certificate of mutual TLS (RFC 8705): checked here before anything is sent, and
loaded into an ``ssl.SSLContext`` without its private key ever reaching the disk in plaintext.

Checks made locally, each an error with its own code, so a person learns what is wrong before a
server answers with a bare handshake alert: the certificate or the key cannot be read
(``client_cert_unreadable``), the key is not the certificate's (``client_cert_key_mismatch``),
the certificate has expired (``client_cert_expired``) or is not valid yet
(``client_cert_not_yet_valid``).

``ssl.SSLContext.load_cert_chain`` reads only files. The key is therefore re-encrypted (PKCS#8,
the best encryption ``cryptography`` offers) under a random one-time password, written to a
private temporary file (mode 0600, created exclusively), loaded with that password and deleted
at once: what touches the disk is ciphertext whose password lives only in this process's memory.
A Linux ``memfd`` would keep even the ciphertext off the disk, but exists only on Linux; this way
works the same on macOS and Windows.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import os
import secrets
import ssl
import tempfile
from dataclasses import dataclass, field
from typing import Callable

from inspector.core.advice import Advice
from inspector.core.errors import InspectorError

__all__ = ["ClientCertificate", "ClientCertificateError", "check_client_certificate", "load_into", "mtls_auth_advice",
           "mtls_auth_note"]

CERT_HINT = "Pass the client certificate as a PEM file (--client-cert) and its unencrypted PEM private key (--client-key)."


class ClientCertificateError(InspectorError):
    """The client certificate cannot be used; ``code`` says why (see the module docstring)."""

    code = "client_cert_unreadable"


@dataclass(frozen=True)
class ClientCertificate:
    """A checked certificate and key: what the TLS client presents, and what a bound token names."""

    cert_pem: bytes
    key_pem: bytes = field(repr=False)
    subject: str
    not_after: datetime.datetime
    #: base64url SHA-256 of the DER certificate: the ``x5t#S256`` a bound token carries (RFC 8705 §3.1).
    thumbprint: str


def thumbprint(der: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode("ascii")


def check_client_certificate(cert_pem: bytes, key_pem: bytes, *, now: Callable[[], float]) -> ClientCertificate:
    """The certificate and key, checked: readable, the key matching, and valid at ``now()``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
    except ValueError as exc:
        raise ClientCertificateError("The client certificate is not a PEM X.509 certificate.", hint=CERT_HINT) from exc
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ClientCertificateError("The client certificate's key is not an unencrypted PEM private key.",
                                     hint=CERT_HINT) from exc
    public = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*public) != cert.public_key().public_bytes(*public):
        raise ClientCertificateError(
            f"The private key does not match the client certificate ({cert.subject.rfc4514_string()}): TLS would "
            "fail before any request is sent.", code="client_cert_key_mismatch",
            hint="Pass the key that was issued with this certificate.")
    moment = datetime.datetime.fromtimestamp(now(), datetime.timezone.utc)
    subject = cert.subject.rfc4514_string()
    if moment > cert.not_valid_after_utc:
        raise ClientCertificateError(
            f"The client certificate ({subject}) expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC; servers "
            "refuse it (TLS alert certificate_expired).", code="client_cert_expired",
            hint="Renew the certificate (and register the new one with the provider if it is pinned there).")
    if moment < cert.not_valid_before_utc:
        raise ClientCertificateError(
            f"The client certificate ({subject}) is not valid before {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC; "
            "servers refuse it until then.", code="client_cert_not_yet_valid",
            hint="Check this machine's clock, or wait until the certificate becomes valid.")
    return ClientCertificate(cert_pem, key_pem, subject, cert.not_valid_after_utc,
                             thumbprint(cert.public_bytes(serialization.Encoding.DER)))


def load_into(context: ssl.SSLContext, certificate: ClientCertificate) -> None:
    """Make ``context`` present ``certificate``; the key only ever on disk encrypted (module docstring)."""
    from cryptography.hazmat.primitives import serialization

    password = secrets.token_urlsafe(32).encode("ascii")  # 256 bits; text, as OpenSSL password callbacks expect
    key = serialization.load_pem_private_key(certificate.key_pem, password=None)
    encrypted = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.BestAvailableEncryption(password))
    handle, path = tempfile.mkstemp(prefix="token-inspector-", suffix=".pem")  # 0600, O_EXCL
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(certificate.cert_pem.rstrip(b"\n") + b"\n" + encrypted)
        context.load_cert_chain(path, password=password)
    except ssl.SSLError as exc:
        raise ClientCertificateError(f"The TLS library refused the client certificate: {exc.reason or exc}.",
                                     hint=CERT_HINT) from exc
    finally:
        os.unlink(path)


def mtls_auth_note(method: str, certificate: ClientCertificate | None, sent: str) -> str:
    """``sent`` (which client authentication was used), with what the provider's refusal of an
    mTLS method most often means (RFC 8705 §2): no certificate, or not the one registered."""
    if method not in ("tls_client_auth", "self_signed_tls_client_auth"):
        return sent
    if certificate is None:
        return f"{sent} without a client certificate, so the provider saw none"
    registered = ("the subject it has registered for the client (tls_client_auth_subject_dn or a SAN)"
                  if method == "tls_client_auth" else "one in the client's registered JWKS (its x5c)")
    return (f"{sent} with the certificate {certificate.subject} (x5t#S256 {certificate.thumbprint}); the provider "
            f"must ask for it in the TLS handshake (or its TLS proxy pass it on), and it must match {registered}")


def mtls_auth_advice(method: str) -> Advice | None:
    """What to check when the provider refuses an mTLS method (a secret has nothing to do with it)."""
    if method not in ("tls_client_auth", "self_signed_tls_client_auth"):
        return None
    return Advice("Check {client_cert_pem} (the one registered for this client), {client_key_pem} and {client_id}, "
                  "and that the provider allows {auth_method} for this client.",
                  ("client_cert_pem", "client_key_pem", "client_id", "auth_method"))
