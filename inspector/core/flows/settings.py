"""Everything a flow needs to connect, in one object: the CLI fills it from arguments and a saved
profile, the GUI from a profile. Secrets are kept out of ``repr``.

``endpoints`` set by hand (RFC 8414 §2 names) replace discovery: no metadata is fetched, and the
issuer, when given, is only what ID tokens and the RFC 9207 ``iss`` parameter must name."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from inspector.core.advice import Advice, SettingNamer
from inspector.core.protocol.client_auth import AUTH_METHODS, AUTO, MTLS_AUTH_METHODS
from inspector.core.protocol.endpoints import ENDPOINTS
from inspector.core.protocol.resources import resource_problems
from inspector.core.protocol.token_types import token_type_urn
from inspector.core.redact import redact_url

__all__ = ["FlowSettings", "MAX_TIMEOUT"]

#: The longest timeout (seconds) for a request or for waiting on the browser: a day is more than
#: any needs, and the operating system's timers overflow near 9.2e9 seconds (OverflowError).
MAX_TIMEOUT = 86_400.0


@dataclass
class FlowSettings:
    #: The issuer identifier; may be empty when ``endpoints`` are set by hand.
    issuer: str
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    #: None or "auto": chosen from the secret, the key and the provider's metadata.
    auth_method: str | None = None
    private_key_pem: bytes | None = field(default=None, repr=False)
    key_id: str | None = None
    scope: str | None = None
    use_pkce: bool = True
    redirect_host: str = "127.0.0.1"
    redirect_port: int = 0
    redirect_path: str = "/callback"
    ca_bundle: str | None = None
    extra_params: dict[str, str] = field(default_factory=dict)
    timeout: float = 120.0
    #: How long to wait for the browser to come back with the authorization response; None: ``timeout``.
    sign_in_timeout: float | None = None
    open_browser: bool = True
    allow_http: bool = False
    leeway: float = 60.0
    #: refresh: the refresh token; introspect/revoke/userinfo: the token to send.
    token: str | None = field(default=None, repr=False)
    token_type_hint: str | None = None
    #: Endpoints set by hand (``token_endpoint``, ``jwks_uri``, …): when any is set, discovery is skipped.
    endpoints: dict[str, str] = field(default_factory=dict)
    #: Pushed Authorization Requests (RFC 9126): None follows the metadata's
    #: ``require_pushed_authorization_requests``; True/False as the person set it.
    use_par: bool | None = None
    #: DPoP (RFC 9449): prove possession of a key on token, refresh, userinfo and API requests.
    dpop: bool = False
    #: The DPoP key a profile keeps (a private JWK, from the keyring); None: a new key per flow.
    dpop_key: str | None = field(default=None, repr=False)
    #: The client's private JWK, JWK Set or PEM that encrypted ID tokens and userinfo answers (JWE)
    #: are decrypted with: the profile's, from the keyring, or a file the person gives.
    decryption_key: str | None = field(default=None, repr=False)
    #: Mutual TLS (RFC 8705): the client certificate (PEM) presented to servers, and its private
    #: key (PEM; a profile keeps it in the keyring). With both, mtls_endpoint_aliases are used.
    client_cert_pem: bytes | None = None
    client_key_pem: bytes | None = field(default=None, repr=False)
    # Resource indicators (RFC 8707), token exchange (RFC 8693) and the JWT bearer grant (RFC 7523 §2.1)
    #: Resource indicators for the authorization, token and refresh requests (RFC 8707 §2).
    resource: list[str] = field(default_factory=list)
    #: Token exchange: the subject token is ``token``; types are URNs or short names (RFC 8693 §3).
    subject_token_type: str | None = None
    actor_token: str | None = field(default=None, repr=False)
    actor_token_type: str | None = None
    audience: str | None = None
    requested_token_type: str | None = None
    #: JWT bearer: an assertion given as is; None: one is made and signed with ``assertion_key_pem``
    #: (else ``private_key_pem``), its claims overridden or added by ``assertion_claims``.
    assertion: str | None = field(default=None, repr=False)
    assertion_key_pem: bytes | None = field(default=None, repr=False)
    assertion_claims: dict[str, Any] = field(default_factory=dict)
    #: The API a token-producing grant calls with its access token at the end ("Call an API");
    #: None: that step is skipped.
    api_url: str | None = None
    #: The method of that call; None: GET.
    api_method: str | None = None

    @property
    def sign_in_wait(self) -> float:
        """Seconds the loopback listener waits for the browser (RFC 8252 §7.3)."""
        return self.timeout if self.sign_in_timeout is None else self.sign_in_timeout

    def problems(self, name: SettingNamer | None = None) -> list[str]:
        """Settings that cannot work, in words a person can act on (checked before any request),
        each setting named by the front end's ``name`` (see :mod:`inspector.core.advice`)."""
        return [problem.render(name) for problem in self._problems()]

    def _problems(self) -> list[Advice]:
        found = []
        if not self.issuer and not self.endpoints:
            found.append(Advice("set {issuer} (its metadata is discovered) or the endpoints by hand", ("issuer",)))
        unknown = sorted(set(self.endpoints) - set(ENDPOINTS))
        if unknown:
            found.append(Advice(f"unknown endpoint {unknown[0]!r}; the endpoints one can set are "
                                f"{', '.join(ENDPOINTS)}"))
        for endpoint, url in self.endpoints.items():
            if endpoint in ENDPOINTS and not url.startswith(("https://", "http://")):
                found.append(Advice(f"{{{endpoint}}} must be an http(s) URL, not {redact_url(url)!r}", (endpoint,)))
        if self.auth_method not in (None, AUTO, *AUTH_METHODS):
            found.append(Advice(f"unknown client authentication method {self.auth_method!r}; set {{auth_method}} to "
                                f"one of {', '.join(AUTH_METHODS)}", ("auth_method",)))
        if self.auth_method in ("client_secret_basic", "client_secret_post", "client_secret_jwt") and not self.client_secret:
            found.append(Advice(f"{self.auth_method} needs a client secret: set {{client_secret}}", ("client_secret",)))
        if self.auth_method == "private_key_jwt" and not self.private_key_pem:
            found.append(Advice("private_key_jwt needs a private key: set {private_key_pem}", ("private_key_pem",)))
        if self.auth_method in MTLS_AUTH_METHODS and not (self.client_cert_pem and self.client_key_pem):
            found.append(Advice(f"{self.auth_method} needs a client certificate and its key: set {{client_cert_pem}} "
                                "and {client_key_pem}", ("client_cert_pem", "client_key_pem")))
        elif bool(self.client_cert_pem) != bool(self.client_key_pem):
            found.append(Advice("a client certificate needs both {client_cert_pem} and {client_key_pem}",
                                ("client_cert_pem", "client_key_pem")))
        if not (math.isfinite(self.timeout) and 0 < self.timeout <= MAX_TIMEOUT):
            found.append(Advice(f"{{timeout}} must be a number of seconds above 0 and at most {MAX_TIMEOUT:g} (a day)",
                                ("timeout",)))
        if self.sign_in_timeout is not None and not (math.isfinite(self.sign_in_timeout)
                                                     and 0 < self.sign_in_timeout <= MAX_TIMEOUT):
            found.append(Advice("{sign_in_timeout} must be a positive number of seconds", ("sign_in_timeout",)))
        if not 0 <= self.redirect_port <= 65535:
            found.append(Advice("{redirect_port} must be between 0 and 65535", ("redirect_port",)))
        found += self._grant_problems()
        odd = next((char for char in self.token or "" if not " " <= char <= "~"), None)
        if odd is not None:
            found.append(Advice(f"the token contains {odd!r} (U+{ord(odd):04X}), which no OAuth token contains "
                                "(RFC 6749 Appendix A); copy it again in full (shortened output ends in '…')"))
        return found

    def _grant_problems(self) -> list[Advice]:
        """Resource indicators and token exchange types (RFC 8707 §2, RFC 8693 §2.1)."""
        found = resource_problems(self.resource)
        for name in ("subject_token_type", "actor_token_type", "requested_token_type"):
            value = getattr(self, name)
            if value is not None and token_type_urn(value) is None:
                found.append(Advice(f"{{{name}}} {value!r} is neither a token type URN nor one of access_token, "
                                    "refresh_token, id_token, saml1, saml2, jwt (RFC 8693 §3)", (name,)))
        if self.actor_token and not self.actor_token_type:
            found.append(Advice("an actor token needs its type: set {actor_token_type} (RFC 8693 §2.1)",
                                ("actor_token_type",)))
        return found
