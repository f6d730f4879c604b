"""The endpoints a person may set by hand when a provider publishes no discovery document
(RFC 8414 §2 metadata names), and the check each such URL gets before a flow uses it."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from inspector.core.findings import Finding, error, info, warning

__all__ = ["ENDPOINTS", "check_url", "is_loopback_url", "option_name"]

ENDPOINTS = (
    "authorization_endpoint", "pushed_authorization_request_endpoint", "token_endpoint", "device_authorization_endpoint", "userinfo_endpoint",
    "introspection_endpoint", "revocation_endpoint", "jwks_uri",
)  # fmt: skip


def option_name(endpoint: str) -> str:
    """The command-line option that sets ``endpoint`` (``token_endpoint`` -> ``--token-endpoint``)."""
    return "--" + endpoint.replace("_", "-")


def is_loopback_url(url: str) -> bool:
    """True for localhost and loopback IP literals (127.0.0.0/8, ::1); False for anything else,
    including a URL that does not parse."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, what: str, *, allow_http: bool = False) -> list[Finding]:
    """Findings about the issuer or endpoint ``what`` at ``url`` (codes ``invalid_issuer``,
    ``insecure_endpoint``, …). Plain http is how people test local providers: fine on loopback,
    an error elsewhere (tokens and secrets would travel unencrypted) unless explicitly allowed."""
    kind = "issuer" if what == "issuer" else "endpoint"
    claim = None if what == "issuer" else what
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname
    except ValueError:
        scheme, host = "", None
    if scheme not in ("http", "https") or not host:
        return [error(f"invalid_{kind}", f"The {what} {url!r} is not an http(s) URL.", claim=claim)]
    if scheme == "https":
        return []
    if is_loopback_url(url):
        return [info("http_loopback", f"The {what} {url} uses plain http on loopback (fine for local testing).",
                     claim=claim)]
    if allow_http:
        return [warning(f"insecure_{kind}", f"The {what} {url} uses plain http; tokens travel unencrypted.",
                        claim=claim)]
    return [error(f"insecure_{kind}", f"The {what} {url} uses plain http off loopback, so tokens would travel "
                  "unencrypted. Use its https URL (or --allow-http for a test network you trust).", claim=claim)]
