"""The issuer the person names: fetched lazily, once, its clock read from its Date header; a
connection the system does not trust is tls_untrusted naming the certificate's issuer."""

import pytest

from inspector.core.diagnosis.engine import diagnose_text
from inspector.core.diagnosis.remote import IssuerSource, certificate_issuer, tls_untrusted
from inspector.core.errors import KeySourceError
from tests.support.diagnosis import CLIENT, ISSUER, NOW, FakeIssuer, causes, context, id_token
from tests.support.tls_server import TlsProvider


def test_nothing_is_fetched_until_a_diagnosis_needs_it():
    provider = FakeIssuer()
    source = provider.source()
    assert provider.requests == []
    assert source.keys().kids == {"k1"} and source.keys().kids == {"k1"}
    assert provider.requests == ["/.well-known/openid-configuration", "/jwks"]
    assert source.refetch_keys().kids == {"k1"} and provider.requests[-1] == "/jwks"


def test_the_issuers_clock_comes_from_its_date_header():
    source = FakeIssuer(server_time=NOW + 125).source()
    reading = source.clock_reading()
    assert reading is not None and 124 < reading.skew < 126


def test_a_jwks_url_alone_is_enough():
    provider = FakeIssuer()
    source = IssuerSource(jwks_url=f"{ISSUER}/jwks", transport=provider.transport(), clock=lambda: NOW)
    assert source.keys().kids == {"k1"} and provider.requests == ["/jwks"]


@pytest.mark.parametrize("options", [{"jwks_url": "http://keys.example.com/jwks"}, {"issuer": "http://op.example.com"},
                                     {"issuer": "ftp://op.example.com"}])
def test_an_insecure_or_odd_source_is_refused_before_any_request(options):
    with pytest.raises(KeySourceError):
        IssuerSource(**options)


def test_a_self_signed_issuer_is_tls_untrusted_naming_who_issued_its_certificate(tmp_path):
    with TlsProvider(tmp_path) as server:
        source = IssuerSource(issuer=server.issuer, timeout=5)
        try:
            report = diagnose_text(id_token(), context(issuer=server.issuer, client_id=CLIENT, source=source))
        finally:
            source.close()
    assert causes(report)[0] == ("tls_untrusted", "certain")
    summary = report.diagnoses[0].summary
    assert "issued by 'token-inspector test'" in summary and "127.0.0.1" in summary
    assert "--ca-bundle" in report.diagnoses[0].fix


def test_the_certificate_issuer_is_read_without_trusting_it(tmp_path):
    with TlsProvider(tmp_path) as server:
        assert certificate_issuer(server.issuer) == "token-inspector test"
    assert certificate_issuer("http://127.0.0.1:1/") is None
    assert certificate_issuer("https://127.0.0.1:1/") is None  # nothing listens: no name, no error


def test_an_intercepting_proxys_ca_is_named_as_such():
    diagnosis = tls_untrusted("login.example.com", "Zscaler Intermediate Root CA (zscaler.net), Zscaler Inc.", [])
    assert "a TLS-inspecting proxy or tool, Zscaler, is in between" in diagnosis.summary
    assert diagnosis.fix.startswith("Trust Zscaler's root certificate")


def test_an_unreachable_issuer_is_network_error(unused_tcp_port):
    source = IssuerSource(issuer=f"http://127.0.0.1:{unused_tcp_port}", timeout=5)
    try:
        report = diagnose_text(id_token(), context(issuer=f"http://127.0.0.1:{unused_tcp_port}", source=source))
    finally:
        source.close()
    assert causes(report)[0] == ("network_error", "certain")
