"""Provider metadata: OpenID Connect Discovery 1.0 §4, falling back to RFC 8414 §3, with a lint.

The issuer in the document must equal the issuer asked for, character for character
(OIDC Discovery §4.3, RFC 8414 §3.3); anything else is ``discovery_issuer_mismatch`` and stops
a flow, because the endpoints may belong to someone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from inspector.core.findings import Finding, error, has_errors, info, warning
from inspector.core.protocol.endpoints import ENDPOINTS, check_url, is_loopback_url
from inspector.core.protocol.http import Client, Exchange, send
from inspector.core.protocol.responses import read_json

__all__ = ["Discovery", "check_issuer_url", "configured", "discover", "is_loopback_url", "lint_metadata"]

OIDC_REQUIRED = (
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "jwks_uri",
    "response_types_supported",
    "subject_types_supported",
    "id_token_signing_alg_values_supported",
)
RFC8414_REQUIRED = ("issuer", "response_types_supported")
ENDPOINT_FIELDS = (*ENDPOINTS, "registration_endpoint", "end_session_endpoint", "pushed_authorization_request_endpoint")
IMPLICIT_TYPES = {"token", "id_token", "id_token token", "code token", "code id_token token"}


@dataclass
class Discovery:
    issuer: str
    metadata: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    #: True when the endpoints were set by hand (no document was fetched, so nothing is advertised).
    configured: bool = False
    #: True when the client presents a certificate: the metadata's ``mtls_endpoint_aliases`` then
    #: stand in for the endpoints they name (RFC 8705 §5).
    mtls: bool = False

    @property
    def ok(self) -> bool:
        return self.metadata is not None and not has_errors(self.findings)

    def endpoint(self, name: str) -> str | None:
        aliases = (self.metadata or {}).get("mtls_endpoint_aliases") if self.mtls else None
        alias = aliases.get(name) if isinstance(aliases, dict) else None
        value = alias if isinstance(alias, str) and alias else (self.metadata or {}).get(name)
        return value if isinstance(value, str) and value else None


def check_issuer_url(issuer: str, *, allow_http: bool = False) -> list[Finding]:
    """http issuers are how people test local providers: fine on loopback, an error elsewhere."""
    return check_url(issuer, "issuer", allow_http=allow_http)


def configured(issuer: str, endpoints: dict[str, str], *, allow_http: bool = False) -> Discovery:
    """Stand-in metadata for a provider without discovery: the endpoints set by hand (RFC 8414 §2
    names) and the issuer, if known. Nothing is fetched; each URL gets the http check."""
    findings = [info("endpoints_configured", "Using the configured endpoints; no discovery document is fetched, "
                     "so nothing the provider advertises (algorithms, PKCE, RFC 9207 iss) is known.")]
    if issuer:
        findings += check_issuer_url(issuer, allow_http=allow_http)
    for name, url in endpoints.items():
        findings += [f for f in check_url(url, name, allow_http=allow_http) if f.code != "http_loopback"]
    metadata: dict[str, Any] = {"issuer": issuer} if issuer else {}
    metadata.update(endpoints)
    return Discovery(issuer, metadata, findings, configured=True)


def lint_metadata(metadata: dict[str, Any], *, oidc: bool = True, allow_http: bool = False) -> list[Finding]:
    """Findings about a metadata document; ``allow_http`` (the user's --allow-http) makes plain-http
    endpoints off loopback a warning, as it does for the issuer."""
    findings: list[Finding] = []
    for name in OIDC_REQUIRED if oidc else RFC8414_REQUIRED:
        if name not in metadata:
            findings.append(warning("discovery_missing_field", f"The metadata has no '{name}', which is required.",
                                    claim=name))
    methods = metadata.get("code_challenge_methods_supported")
    if not isinstance(methods, list) or "S256" not in methods:
        findings.append(warning("pkce_s256_not_advertised", "The metadata does not list S256 in "
                                "code_challenge_methods_supported; PKCE may be ignored (RFC 7636, RFC 9700 §2.1.1).",
                                claim="code_challenge_methods_supported"))
    findings += _lint_endpoints(metadata, allow_http=allow_http)
    offered = {t for t in metadata.get("response_types_supported") or [] if isinstance(t, str)}
    implicit = sorted(offered & IMPLICIT_TYPES)
    if implicit:
        findings.append(warning("implicit_offered", f"The provider offers implicit/hybrid response types "
                                f"({', '.join(implicit)}) that put tokens in URLs; RFC 9700 §2.1.2 advises against them.",
                                claim="response_types_supported"))
    if metadata.get("authorization_response_iss_parameter_supported") is not True:
        findings.append(info("iss_parameter_unsupported", "The provider does not announce the RFC 9207 'iss' "
                             "authorization response parameter, so mix-up attacks cannot be detected that way.",
                             claim="authorization_response_iss_parameter_supported"))
    return findings


def _lint_endpoints(metadata: dict[str, Any], *, allow_http: bool) -> list[Finding]:
    """Each advertised endpoint must be an http(s) URL (the authorization endpoint is opened in the
    system browser: a ``file:``, ``javascript:`` or other scheme would hand it to whatever program
    handles that scheme), https off loopback; one on another host than the issuer is a warning,
    since the client's credentials and the tokens go there."""
    findings: list[Finding] = []
    issuer_host = _host(metadata.get("issuer"))
    elsewhere = []
    for name in ENDPOINT_FIELDS:
        value = metadata.get(name)
        if value is None:
            continue
        host = _host(value)
        if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https") or not host:
            findings.append(error("invalid_endpoint", f"'{name}' is not an http(s) URL ({value!r}); it is not used.",
                                  claim=name))
        elif value.startswith("http://") and not is_loopback_url(value):
            report = warning if allow_http else error
            findings.append(report("insecure_endpoint", f"'{name}' is plain http off loopback ({value}).", claim=name))
        elif issuer_host and host != issuer_host:
            elsewhere.append(f"{name} ({host})")
    if elsewhere:
        findings.append(warning("endpoint_other_host", f"Some endpoints are not on the issuer's host {issuer_host}: "
                                f"{', '.join(elsewhere)}. Client credentials and tokens are sent there; large "
                                "providers do this, but make sure these hosts belong to the provider.",
                                claim=elsewhere[0].split(" ")[0]))
    return findings


def _host(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _well_known_urls(issuer: str) -> list[tuple[str, bool]]:
    base = issuer.rstrip("/")
    parts = urlsplit(issuer)
    path = parts.path.rstrip("/")
    rfc8414 = f"{parts.scheme}://{parts.netloc}/.well-known/oauth-authorization-server{path}"
    return [(f"{base}/.well-known/openid-configuration", True), (rfc8414, False)]


def discover(issuer: str, client: Client, *, allow_http: bool = False) -> Discovery:
    """Fetch and check ``issuer``'s metadata; failures are findings, never exceptions."""
    result = Discovery(issuer, None, check_issuer_url(issuer, allow_http=allow_http))
    if has_errors(result.findings):
        return result
    for url, oidc in _well_known_urls(issuer):
        http = send(client, "GET", url)
        result.exchanges.append(http.exchange)
        if http.ok and http.exchange.status == 404:
            continue
        answer = read_json(http, endpoint="discovery endpoint", error_code="discovery_error")
        if answer.data is None:
            result.findings.extend(answer.findings)
            return result
        if answer.data.get("issuer") != issuer:
            result.findings.append(error(
                "discovery_issuer_mismatch",
                f"The metadata says its issuer is {answer.data.get('issuer')!r}, not {issuer!r} as asked. "
                "The endpoints may belong to someone else; use the issuer exactly as the provider states it.",
                claim="issuer",
            ))
        result.metadata = answer.data
        result.findings.extend(lint_metadata(answer.data, oidc=oidc, allow_http=allow_http))
        return result
    result.findings.append(error("discovery_not_found", f"No metadata at {issuer} (neither OpenID Connect "
                                 "discovery nor RFC 8414). Check the issuer URL."))
    return result
