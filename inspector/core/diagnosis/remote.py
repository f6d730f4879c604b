"""The issuer the person names, reached only because they named it (``--issuer``, ``--jwks URL``):
its discovery document, its current JWKS (fetched again on demand, as after a key rotation,
OIDC Core §10.1.1) and the ``Date`` of its answers (the issuer's clock).

Nothing else in the diagnosis package touches the network: a HAR's or a flow record's URLs are
evidence, never fetched. A connection the system does not trust is a ``tls_untrusted`` diagnosis,
naming the certificate's issuer when a second, unverified handshake can read it (nothing is sent
over that connection; it closes right after the handshake).
"""

from __future__ import annotations

import re
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

from inspector.core.diagnosis.causes import make, quote
from inspector.core.diagnosis.model import Confidence, Diagnosis, Evidence, EvidenceKind
from inspector.core.diagnosis.wordings import INTERCEPTING_CA_NAMES
from inspector.core.errors import KeySourceError
from inspector.core.findings import Finding, Severity
from inspector.core.protocol.clock import ClockReading, host_of, reading_from_exchanges

__all__ = ["IssuerSource", "KeyFetch", "TRUST_DEFAULT", "certificate_issuer", "tls_untrusted", "transport_problem"]

_PROBE_TIMEOUT = 5.0
TRUST_DEFAULT = "the certificate of the CA that signed the server's certificate (or your proxy's root certificate)"


@dataclass
class KeyFetch:
    """Keys fetched from ``url``; ``problem`` says why there are none when the fetch failed."""

    keys: list = field(default_factory=list)
    url: str | None = None
    problem: Diagnosis | None = None

    @property
    def kids(self) -> set[str]:
        return {key.kid for key in self.keys if key.kid is not None}


class IssuerSource:
    """Lazily fetches what a diagnosis asks for, once (``refetch_keys`` fetches the JWKS again).

    ``transport`` lets tests answer without a server (then no certificate is probed).
    """

    def __init__(self, *, issuer: str | None = None, jwks_url: str | None = None, timeout: float = 10.0,
                 ca_bundle: str | None = None, transport: Any = None, clock: Callable[[], float] = time.time) -> None:
        from inspector.core.protocol.discovery import check_issuer_url
        from inspector.core.protocol.endpoints import is_loopback_url

        if jwks_url and jwks_url.startswith("http://") and not is_loopback_url(jwks_url):
            raise KeySourceError(f"The JWKS URL {jwks_url} uses plain http off loopback: anyone on the way could "
                                 "replace the keys.", hint="Use its https URL, or save the JWK Set and pass the file.")
        problems = [f.message for f in check_issuer_url(issuer) if f.severity is Severity.ERROR] if issuer else []
        if problems:
            raise KeySourceError(f"Cannot use the issuer {issuer}: {' '.join(problems)}")
        self.issuer, self.jwks_url = issuer, jwks_url
        self._timeout, self._ca_bundle, self._transport, self._clock = timeout, ca_bundle, transport, clock
        self._client: Any = None
        self._metadata: dict[str, Any] | None = None
        self._discovered = False
        self._keys: KeyFetch | None = None
        self.problem: Diagnosis | None = None
        self.reading: ClockReading | None = None

    @property
    def where(self) -> str:
        return f"the JWKS at {self.jwks_url}" if self.jwks_url else f"the JWKS of {self.issuer}"

    def metadata(self) -> dict[str, Any] | None:
        """The issuer's discovery document (None without an issuer, or when it cannot be had)."""
        if self._discovered or not self.issuer:
            return self._metadata
        from inspector.core.protocol.discovery import discover

        self._discovered = True
        found = discover(self.issuer, self._http())
        self._note(found.exchanges, found.findings, self.issuer)
        if found.ok:
            self._metadata = found.metadata
        return self._metadata

    def keys(self) -> KeyFetch:
        if self._keys is None:
            self._keys = self.refetch_keys()
        return self._keys

    def refetch_keys(self) -> KeyFetch:
        """The JWKS as published right now."""
        from inspector.core.jose.keys import load_jwks
        from inspector.core.protocol.http import send
        from inspector.core.protocol.responses import read_json

        url = self.jwks_url or (self.metadata() or {}).get("jwks_uri")
        if not isinstance(url, str) or not url:
            return KeyFetch(problem=self.problem)
        http = send(self._http(), "GET", url)
        answer = read_json(http, endpoint="JWKS endpoint", error_code="jwks_error")
        self._note([http.exchange], answer.findings, url)
        if answer.data is None:
            return KeyFetch(url=url, problem=self.problem)
        try:
            return KeyFetch(load_jwks(answer.data), url)
        except KeySourceError as exc:
            return KeyFetch(url=url, problem=make("other_failure", Confidence.LIKELY, [
                Evidence.of(EvidenceKind.TEXT, "jwks", exc.message, url)], where="Reading the issuer's JWKS",
                detail=exc.message))

    def clock_reading(self) -> ClockReading | None:
        """The issuer's clock against ours, fetching its metadata if nothing was fetched yet."""
        if self.reading is None and self._keys is None:
            self.metadata() if self.issuer else self.keys()
        return self.reading

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _http(self) -> Any:
        if self._client is None:
            from inspector.core.protocol.http import make_client

            self._client = make_client(timeout=self._timeout, ca_bundle=self._ca_bundle, transport=self._transport)
        return self._client

    def _note(self, exchanges: list, findings: list[Finding], url: str) -> None:
        reading = reading_from_exchanges(exchanges, self._clock())
        if reading is not None:
            self.reading = reading
        if self.problem is None:
            errors = [f for f in findings if f.severity is Severity.ERROR]
            if errors:
                self.problem = transport_problem(errors[0], url, probe=self._transport is None)


def transport_problem(finding: Finding, url: str, *, probe: bool = False) -> Diagnosis:
    """A failed fetch as a diagnosis: tls_untrusted (naming the certificate's issuer when it can
    be read), network_error, or other_failure with our own finding's words."""
    host = host_of(url) or url
    evidence = [Evidence.of(EvidenceKind.FINDING, finding.code, finding.message, url)]
    if finding.code == "tls_error":
        issuer = certificate_issuer(url) if probe else None
        return tls_untrusted(host, issuer, evidence)
    if finding.code in ("network_error", "timeout"):
        return make("network_error", Confidence.CERTAIN, evidence, host=quote(host),
                    detail=" (the request timed out)" if finding.code == "timeout" else "")
    return make("other_failure", Confidence.LIKELY, evidence, where=f"Fetching {url}", detail=finding.message)


def tls_untrusted(host: str | None, issuer: str | None, evidence: list[Evidence]) -> Diagnosis:
    """tls_untrusted, naming the issuer and a known intercepting proxy when the issuer is one."""
    proxy = next((name for pattern, name in INTERCEPTING_CA_NAMES if issuer and re.search(pattern, issuer, re.I)),
                 None)
    if issuer:
        evidence = [*evidence, Evidence.of(EvidenceKind.CERTIFICATE, "issuer", issuer, f"certificate of {host}")]
    return make("tls_untrusted", Confidence.CERTAIN, evidence, host=quote(host) if host else "the server",
                issued_by=f" issued by {quote(issuer)}" if issuer else "",
                proxy=f" (a TLS-inspecting proxy or tool, {proxy}, is in between)" if proxy else "",
                trust_what=f"{proxy}'s root certificate" if proxy else TRUST_DEFAULT if not issuer else
                f"the certificate of {quote(issuer)}")


def certificate_issuer(url: str) -> str | None:
    """The issuer name of the certificate ``url``'s server presents, read without verifying it;
    None when it cannot be read. Nothing is sent after the handshake."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or 443
    except ValueError:
        return None
    if not host or parts.scheme != "https":
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=_PROBE_TIMEOUT) as raw:
            with context.wrap_socket(raw, server_hostname=host) as tls:
                der = tls.getpeercert(binary_form=True)
    except (OSError, ValueError):
        return None
    return _issuer_name(der) if der else None


def _issuer_name(der: bytes) -> str | None:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        name = x509.load_der_x509_certificate(der).issuer
    except ValueError:
        return None
    common = [attr.value for attr in name.get_attributes_for_oid(NameOID.COMMON_NAME)]
    organisation = [attr.value for attr in name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    parts = [str(value) for value in (*common, *organisation) if value]
    return ", ".join(dict.fromkeys(parts)) or name.rfc4514_string() or None
