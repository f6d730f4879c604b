"""Everything a flow needs to connect, in one object: the CLI fills it from arguments and a saved
profile, the GUI from a profile. Secrets are kept out of ``repr``.

``endpoints`` set by hand (RFC 8414 §2 names) replace discovery: no metadata is fetched, and the
issuer, when given, is only what ID tokens and the RFC 9207 ``iss`` parameter must name."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from inspector.core.advice import Advice, SettingNamer
from inspector.core.protocol.client_auth import AUTH_METHODS, AUTO
from inspector.core.protocol.endpoints import ENDPOINTS
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
        if not (math.isfinite(self.timeout) and 0 < self.timeout <= MAX_TIMEOUT):
            found.append(Advice(f"{{timeout}} must be a number of seconds above 0 and at most {MAX_TIMEOUT:g} (a day)",
                                ("timeout",)))
        if self.sign_in_timeout is not None and not (math.isfinite(self.sign_in_timeout)
                                                     and 0 < self.sign_in_timeout <= MAX_TIMEOUT):
            found.append(Advice("{sign_in_timeout} must be a positive number of seconds", ("sign_in_timeout",)))
        if not 0 <= self.redirect_port <= 65535:
            found.append(Advice("{redirect_port} must be between 0 and 65535", ("redirect_port",)))
        odd = next((char for char in self.token or "" if not " " <= char <= "~"), None)
        if odd is not None:
            found.append(Advice(f"the token contains {odd!r} (U+{ord(odd):04X}), which no OAuth token contains "
                                "(RFC 6749 Appendix A); copy it again in full (shortened output ends in '…')"))
        return found
