"""Is the access token bound to the client certificate (RFC 8705 §3)?

A certificate-bound token names the certificate by ``cnf.x5t#S256``, the base64url SHA-256 of
its DER form: in a JWT access token (§3.1), or in the ``cnf`` of an introspection answer (§3.2).
Reading it here verifies nothing about the token: it only compares. A resource server must then
see the same certificate on the TLS connection; a token sent without it is refused (§3), which
:func:`refusal_findings` explains.
"""

from __future__ import annotations

from typing import Any, Mapping

from inspector.core import findings as fnd
from inspector.core.advice import Advice
from inspector.core.findings import Finding

__all__ = ["bound_thumbprint", "check_certificate_binding", "refusal_findings"]

X5T = "x5t#S256"


def _claims(token: str) -> dict[str, Any] | None:
    from inspector.core.errors import MalformedTokenError
    from inspector.core.jose.parse import decode

    try:
        decoded = decode(token)
    except MalformedTokenError:
        return None
    return decoded.claims if decoded.format == "jws" else None


def bound_thumbprint(token: str | Mapping[str, Any]) -> str | None:
    """The ``cnf.x5t#S256`` of a JWT access token or an introspection answer, if it has one."""
    claims = token if isinstance(token, Mapping) else _claims(token)
    cnf = claims.get("cnf") if claims is not None else None
    value = cnf.get(X5T) if isinstance(cnf, Mapping) else None
    return value if isinstance(value, str) else None


def check_certificate_binding(token: str | Mapping[str, Any], thumbprint: str, *, part: str | None = None
                              ) -> list[Finding]:
    """``cert_bound``, ``cert_binding_mismatch`` or ``cert_not_bound`` for ``token`` (the access
    token, or an introspection answer) against the presented certificate's ``thumbprint``."""
    if isinstance(token, Mapping):
        if token.get("active") is not True:
            return []
        who = "Introspection of the token"
    elif _claims(token) is None:
        return [fnd.info("cert_binding_unknown", "The access token is not a readable JWT, so its binding to the client "
                         "certificate cannot be read from it; introspection shows it (cnf.x5t#S256, RFC 8705 §3.2).",
                         claim="cnf", part=part)]
    else:
        who = "The access token"
    bound = bound_thumbprint(token)
    if bound is None:
        return [fnd.warning("cert_not_bound", f"{who} shows no cnf.x5t#S256: it is not bound to the client certificate, "
                            "so whoever obtains it can use it without the certificate. Certificate-bound tokens may not "
                            "be enabled for this client (tls_client_certificate_bound_access_tokens, RFC 8705 §3.4).",
                            claim="cnf", part=part)]
    if bound != thumbprint:
        return [fnd.error("cert_binding_mismatch", f"{who} is bound to another certificate (cnf.x5t#S256 {bound}, this "
                          f"client's certificate is {thumbprint}): resource servers will refuse it on this "
                          "connection.", claim="cnf", part=part)]
    return [fnd.info("cert_bound", f"{who} is bound to the client certificate (cnf.x5t#S256 = {thumbprint}, RFC 8705 "
                     "§3.1): it is only accepted over TLS with that certificate.", claim="cnf", part=part)]


def refusal_findings(token: str, detail: str, *, certificate_sent: bool, provider_binds: bool = False,
                     part: str | None = None) -> list[Finding]:
    """Why a resource server (userinfo, an API) refused ``token``, when the certificate binding is
    the likely reason: the token carries ``cnf.x5t#S256``, or the server's ``detail`` (its
    WWW-Authenticate challenge or error text) names it. An opaque token does not say; then, if
    the provider issues bound tokens (``provider_binds``, its metadata's
    tls_client_certificate_bound_access_tokens) and no certificate was sent, the binding is named
    as a likely cause."""
    if bound_thumbprint(token) is None and X5T.lower() not in detail.lower():
        if provider_binds and not certificate_sent:
            return [fnd.warning("cert_bound_token_maybe", "This provider issues certificate-bound access tokens "
                                "(tls_client_certificate_bound_access_tokens) and the token was sent without a client "
                                "certificate: if it is bound to one (an opaque token does not say; introspection shows "
                                "its cnf.x5t#S256), the server must refuse it without that certificate (RFC 8705 §3).",
                                claim="cnf", part=part, advice=_SET_CERTIFICATE)]
        return []
    if certificate_sent:
        return [fnd.error("cert_bound_token_refused", "The token is bound to a client certificate (cnf.x5t#S256) and "
                          "the server refused it although a certificate was presented: it is not the certificate the "
                          "token was issued for (RFC 8705 §3).", claim="cnf", part=part)]
    return [fnd.error("cert_bound_token_without_certificate", "The token is bound to a client certificate "
                      "(cnf.x5t#S256), and it was sent without one, so the server refused it as it must (RFC 8705 "
                      "§3).", claim="cnf", part=part, advice=_SET_CERTIFICATE)]


_SET_CERTIFICATE = Advice("Send it with the certificate it was issued for: set {client_cert_pem} and {client_key_pem}.",
                          ("client_cert_pem", "client_key_pem"))
