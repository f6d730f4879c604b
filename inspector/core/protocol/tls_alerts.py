"""What a server's TLS alert about the client certificate means, in words (RFC 8446 §6.2).

OpenSSL reports a received alert as an ``ssl.SSLError`` whose ``reason`` names it
(``TLSV13_ALERT_CERTIFICATE_REQUIRED``, ``SSLV3_ALERT_BAD_CERTIFICATE``, …); the table maps
those names to our finding codes and the person's next step, with or without a certificate
sent. Knowledge as data: a new alert is a new row.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector.core.advice import Advice

__all__ = ["SET_CERTIFICATE", "AlertMeaning", "client_certificate_alert"]

#: What to do when no certificate was sent (each front end names the settings its own way).
SET_CERTIFICATE = Advice("Set {client_cert_pem} and {client_key_pem}.", ("client_cert_pem", "client_key_pem"))


@dataclass(frozen=True)
class AlertMeaning:
    code: str
    #: What happened, when the client presented a certificate.
    sent: str
    #: What happened, when it presented none.
    unsent: str


_REFUSED = AlertMeaning(
    "client_cert_refused",
    "The server refused the client certificate (TLS alert {alert}): it does not accept this certificate, or "
    "the CA that issued it. Check that the certificate is the one registered with the provider and issued by a CA "
    "the server trusts.",
    "The server wants a client certificate (TLS alert {alert}) and none was sent.",
)

#: By the end of OpenSSL's reason name (its SSLV3_/TLSV1_/TLSV13_ prefix varies by version).
ALERTS: dict[str, AlertMeaning] = {
    "ALERT_CERTIFICATE_REQUIRED": AlertMeaning(
        "client_cert_required",
        "The server asked for a client certificate and did not receive one it could use (TLS alert "
        "certificate_required).",
        "The server requires a client certificate (TLS alert certificate_required) and none was sent.",
    ),
    "ALERT_BAD_CERTIFICATE": _REFUSED,
    "ALERT_UNKNOWN_CA": _REFUSED,
    "ALERT_CERTIFICATE_UNKNOWN": _REFUSED,
    "ALERT_UNSUPPORTED_CERTIFICATE": _REFUSED,
    "ALERT_ACCESS_DENIED": _REFUSED,
    "ALERT_CERTIFICATE_EXPIRED": AlertMeaning(
        "client_cert_expired",
        "The server says the client certificate expired (TLS alert certificate_expired). Renew it; if this "
        "machine thinks it is still valid, one of the two clocks is wrong.",
        "The server sent the TLS alert certificate_expired although no client certificate was sent; its own "
        "configuration is at fault.",
    ),
    "ALERT_CERTIFICATE_REVOKED": AlertMeaning(
        "client_cert_refused",
        "The server says the client certificate was revoked (TLS alert certificate_revoked). Get a new one.",
        "The server sent the TLS alert certificate_revoked although no client certificate was sent.",
    ),
}


def client_certificate_alert(reason: str | None, *, certificate_sent: bool) -> tuple[str, str] | None:
    """The finding code and message for an OpenSSL ``reason``, if it is an alert about the client
    certificate; None otherwise (the server's own certificate, a protocol mismatch, …)."""
    if not reason:
        return None
    for suffix, meaning in ALERTS.items():
        if reason.upper().endswith(suffix):
            alert = suffix.removeprefix("ALERT_").lower()
            text = meaning.sent if certificate_sent else meaning.unsent
            return meaning.code, text.format(alert=alert)
    return None
