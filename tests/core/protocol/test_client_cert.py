"""Client certificates: checked before anything is sent, presented in a real TLS handshake, and the
key never on disk in plaintext while it is loaded."""

import datetime
import ssl
import tempfile
import time
from pathlib import Path

import pytest

from inspector.core.protocol.client_cert import ClientCertificateError, check_client_certificate, load_into, thumbprint
from inspector.core.protocol.http import make_client, send
from tests.support.mtls import MtlsServer, issue, make_pki

NOW = time.time


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


def test_a_matching_valid_certificate_is_described_by_its_subject_and_thumbprint(pki):
    checked = check_client_certificate(pki.client.cert_pem, pki.client.key_pem, now=NOW)
    from cryptography.hazmat.primitives import serialization

    assert checked.subject == pki.client.subject
    assert checked.thumbprint == thumbprint(pki.client.cert.public_bytes(serialization.Encoding.DER))
    assert len(checked.thumbprint) == 43 and "=" not in checked.thumbprint
    assert "key_pem" not in repr(checked)


def test_a_key_of_another_certificate_is_refused_before_sending(pki):
    with pytest.raises(ClientCertificateError) as caught:
        check_client_certificate(pki.client.cert_pem, pki.self_signed.key_pem, now=NOW)
    assert caught.value.code == "client_cert_key_mismatch"
    assert "does not match" in caught.value.message and "mtls-client" in caught.value.message


def test_an_expired_certificate_is_refused_with_its_end_date(pki):
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    old = issue("old-client", issuer=pki.ca, valid_from=past)
    with pytest.raises(ClientCertificateError) as caught:
        check_client_certificate(old.cert_pem, old.key_pem, now=NOW)
    assert caught.value.code == "client_cert_expired" and "2020-01-01" in caught.value.message


def test_a_certificate_not_yet_valid_is_refused_and_the_clock_is_suspected(pki):
    with pytest.raises(ClientCertificateError) as caught:
        check_client_certificate(pki.client.cert_pem, pki.client.key_pem, now=lambda: NOW() - 86_400)
    assert caught.value.code == "client_cert_not_yet_valid" and "clock" in caught.value.hint


@pytest.mark.parametrize("cert, key, words", [
    (b"not a certificate", None, "not a PEM X.509 certificate"),
    (None, b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not an unencrypted PEM private key"),
])  # fmt: skip
def test_unreadable_certificate_or_key_is_a_plain_error(pki, cert, key, words):
    with pytest.raises(ClientCertificateError) as caught:
        check_client_certificate(cert or pki.client.cert_pem, key or pki.client.key_pem, now=NOW)
    assert caught.value.code == "client_cert_unreadable" and words in caught.value.message


def test_the_key_reaches_the_disk_only_encrypted_and_is_deleted_after_loading(pki, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen = {}

    class Spy(ssl.SSLContext):
        def load_cert_chain(self, certfile, keyfile=None, password=None):
            seen["content"] = Path(certfile).read_bytes()
            seen["mode"] = Path(certfile).stat().st_mode & 0o777
            seen["password"] = password
            super().load_cert_chain(certfile, keyfile, password)

    load_into(Spy(ssl.PROTOCOL_TLS_CLIENT), check_client_certificate(pki.client.cert_pem, pki.client.key_pem, now=NOW))
    assert list(tmp_path.iterdir()) == []
    assert b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in seen["content"] and seen["mode"] == 0o600
    key_body = b"".join(pki.client.key_pem.splitlines()[1:-1])
    assert all(line not in seen["content"] for line in pki.client.key_pem.splitlines()[1:-1])
    assert key_body not in seen["content"].replace(b"\n", b"")
    assert isinstance(seen["password"], bytes) and len(seen["password"]) >= 32


def test_a_server_that_requires_a_certificate_gets_it(pki):
    checked = check_client_certificate(pki.client.cert_pem, pki.client.key_pem, now=NOW)
    with MtlsServer(pki) as server:
        client = make_client(timeout=10, ca_bundle=str(pki.ca_path), client_cert=checked)
        result = send(client, "GET", f"{server.issuer}/.well-known/openid-configuration")
        client.close()
    assert result.ok and result.exchange.body["issuer"] == server.issuer
    assert server.peer_certificates[-1] is not None


def test_without_a_certificate_the_servers_alert_is_explained(pki):
    with MtlsServer(pki) as server:
        client = make_client(timeout=10, ca_bundle=str(pki.ca_path))
        result = send(client, "GET", f"{server.issuer}/.well-known/openid-configuration")
        client.close()
    assert result.finding.code == "client_cert_required"
    assert "none was sent" in result.finding.message
    assert result.finding.advice.settings == ("client_cert_pem", "client_key_pem")


def test_a_certificate_from_an_unknown_ca_is_refused_in_words(pki):
    stranger = check_client_certificate(pki.self_signed.cert_pem, pki.self_signed.key_pem, now=NOW)
    with MtlsServer(pki) as server:
        client = make_client(timeout=10, ca_bundle=str(pki.ca_path), client_cert=stranger)
        result = send(client, "GET", f"{server.issuer}/.well-known/openid-configuration")
        client.close()
    assert result.finding.code == "client_cert_refused"
    assert "refused the client certificate" in result.finding.message and result.finding.advice is None
