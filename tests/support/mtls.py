"""Certificates for mutual TLS tests, made with ``cryptography`` when a test needs them: a private
CA, a server certificate for 127.0.0.1 it issues, client certificates (CA-issued, self-signed,
expired, not yet valid), and a small HTTPS server that asks for (or requires) a client certificate."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.json_server import JsonServer

HOUR = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())

    @property
    def subject(self) -> str:
        return self.cert.subject.rfc4514_string()

    def write(self, directory: Path, stem: str) -> tuple[Path, Path]:
        cert, key = directory / f"{stem}.crt", directory / f"{stem}.key"
        cert.write_bytes(self.cert_pem)
        key.write_bytes(self.key_pem)
        return cert, key


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Token Inspector tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def issue(common_name: str, *, issuer: Issued | None = None, ca: bool = False, server: bool = False,
          valid_from: datetime.datetime | None = None, lifetime: datetime.timedelta = HOUR) -> Issued:
    """A certificate for ``common_name``, signed by ``issuer`` (self-signed without one)."""
    key = ec.generate_private_key(ec.SECP256R1())
    start = valid_from or datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    builder = (x509.CertificateBuilder().subject_name(_name(common_name))
               .issuer_name(issuer.cert.subject if issuer else _name(common_name)).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(start + lifetime)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if server:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                        critical=False)
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    return Issued(cert, key)


@dataclass(frozen=True)
class TestPki:
    """A CA, the server certificate it issued, and clients: ``client`` (CA-issued), ``self_signed``."""

    ca: Issued
    server: Issued
    client: Issued
    self_signed: Issued
    ca_path: Path
    server_cert_path: Path
    server_key_path: Path


def make_pki(directory: Path) -> TestPki:
    ca = issue("Token Inspector test CA", ca=True, lifetime=24 * HOUR)
    server = issue("127.0.0.1", issuer=ca, server=True)
    ca_path = directory / "ca.pem"
    ca_path.write_bytes(ca.cert_pem)
    server_cert, server_key = server.write(directory, "server")
    return TestPki(ca, server, issue("mtls-client", issuer=ca), issue("self-signed-client"), ca_path,
                   server_cert, server_key)


class MtlsServer(JsonServer):
    """An HTTPS server on 127.0.0.1 answering discovery metadata; ``require`` makes the TLS
    handshake demand a client certificate from the test CA (CERT_REQUIRED)."""

    def __init__(self, pki: TestPki, *, require: bool = True) -> None:
        self.peer_certificates: list[bytes | None] = []
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(pki.server_cert_path, pki.server_key_path)
        context.load_verify_locations(cafile=pki.ca_path)
        context.verify_mode = ssl.CERT_REQUIRED if require else ssl.CERT_OPTIONAL
        super().__init__(self._answer, context=context)
        self.issuer = self.base

    def _answer(self, handler: BaseHTTPRequestHandler) -> dict[str, str]:
        self.peer_certificates.append(handler.connection.getpeercert(binary_form=True))
        return {"issuer": self.issuer, "token_endpoint": f"{self.issuer}/token"}
