"""Everything a flow needs to connect, in one object: the CLI fills it from arguments and a saved
profile, the GUI from a profile. Secrets are kept out of ``repr``.

``endpoints`` set by hand (RFC 8414 §2 names) replace discovery: no metadata is fetched, and the
issuer, when given, is only what ID tokens and the RFC 9207 ``iss`` parameter must name."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from inspector.core.protocol.client_auth import AUTH_METHODS, AUTO
from inspector.core.protocol.endpoints import ENDPOINTS, option_name
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

    @property
    def sign_in_wait(self) -> float:
        """Seconds the loopback listener waits for the browser (RFC 8252 §7.3)."""
        return self.timeout if self.sign_in_timeout is None else self.sign_in_timeout

    def problems(self) -> list[str]:
        """Settings that cannot work, in words a person can act on (checked before any request)."""
        found = []
        if not self.issuer and not self.endpoints:
            found.append("give the issuer (its metadata is discovered) or the endpoints by hand")
        unknown = sorted(set(self.endpoints) - set(ENDPOINTS))
        if unknown:
            found.append(f"unknown endpoint {unknown[0]!r}; the endpoints one can set are {', '.join(ENDPOINTS)}")
        for name, url in self.endpoints.items():
            if name in ENDPOINTS and not url.startswith(("https://", "http://")):
                found.append(f"the {name} ({option_name(name)}) must be an http(s) URL, not {redact_url(url)!r}")
        if self.auth_method not in (None, AUTO, *AUTH_METHODS):
            found.append(f"unknown client authentication method {self.auth_method!r}; use one of {', '.join(AUTH_METHODS)}")
        if self.auth_method in ("client_secret_basic", "client_secret_post", "client_secret_jwt") and not self.client_secret:
            found.append(f"{self.auth_method} needs a client secret (--client-secret or --client-secret-env)")
        if self.auth_method == "private_key_jwt" and not self.private_key_pem:
            found.append("private_key_jwt needs a private key (--key PEM)")
        if not (math.isfinite(self.timeout) and 0 < self.timeout <= MAX_TIMEOUT):
            found.append(f"the timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT:g} (a day)")
        if self.sign_in_timeout is not None and not (math.isfinite(self.sign_in_timeout)
                                                     and 0 < self.sign_in_timeout <= MAX_TIMEOUT):
            found.append("the time to sign in must be a positive number of seconds")
        if not 0 <= self.redirect_port <= 65535:
            found.append("the redirect port must be between 0 and 65535")
        odd = next((char for char in self.token or "" if not " " <= char <= "~"), None)
        if odd is not None:
            found.append(f"the token contains {odd!r} (U+{ord(odd):04X}), which no OAuth token contains "
                         "(RFC 6749 Appendix A); copy it again in full (shortened output ends in '…')")
        return found
