"""The server's TLS alerts about the client certificate, in words, by OpenSSL's reason names."""

import pytest

from inspector.core.protocol.tls_alerts import client_certificate_alert


@pytest.mark.parametrize("reason, sent, code", [
    ("TLSV13_ALERT_CERTIFICATE_REQUIRED", False, "client_cert_required"),
    ("SSLV3_ALERT_BAD_CERTIFICATE", True, "client_cert_refused"),
    ("TLSV1_ALERT_UNKNOWN_CA", True, "client_cert_refused"),
    ("SSLV3_ALERT_CERTIFICATE_EXPIRED", True, "client_cert_expired"),
    ("sslv3_alert_certificate_revoked", True, "client_cert_refused"),
])  # fmt: skip
def test_alerts_about_the_client_certificate_have_codes(reason, sent, code):
    assert client_certificate_alert(reason, certificate_sent=sent)[0] == code


def test_the_words_depend_on_whether_a_certificate_was_sent():
    unsent = client_certificate_alert("SSLV3_ALERT_BAD_CERTIFICATE", certificate_sent=False)[1]
    sent = client_certificate_alert("SSLV3_ALERT_BAD_CERTIFICATE", certificate_sent=True)[1]
    assert "none was sent" in unsent and "bad_certificate" in unsent
    assert "refused the client certificate" in sent


@pytest.mark.parametrize("reason", [None, "", "CERTIFICATE_VERIFY_FAILED", "WRONG_VERSION_NUMBER"])
def test_other_tls_failures_are_left_to_the_general_message(reason):
    assert client_certificate_alert(reason, certificate_sent=True) is None
