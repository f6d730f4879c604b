"""The issuer profile record and its validation — every message names the field and the fix.

A profile holds what is needed to talk to one issuer as one client, and nothing secret: the
client secret, private key, decryption key and client certificate key live in the keyring
(``secrets`` only records which ones exist). A client certificate (mutual TLS) is public and stays
in the file. The DPoP key a profile may keep (``dpop_key``: a private JWK, RFC 9449) is kept in the
keyring too, although no server ever sees it: whoever holds it can use the tokens bound to it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Mapping
from urllib.parse import urlsplit

from inspector.core.errors import StorageError
from inspector.core.protocol.client_auth import AUTH_METHODS as FLOW_AUTH_METHODS
from inspector.core.protocol.client_auth import AUTO
from inspector.core.protocol.endpoints import ENDPOINTS
from inspector.core.protocol.resources import resource_problems
from inspector.core.redact import redact_url

#: The methods the flows perform, after "auto" (the default: chosen when a flow starts from the
#: secret, the key and the provider's metadata).
AUTH_METHODS = (AUTO, *FLOW_AUTH_METHODS)
#: ``decryption_key``: the client's private JWK, JWK Set or PEM that encrypted tokens are decrypted with.
#: ``client_key``: the private key of the client certificate (mutual TLS).
#: ``dpop_key``: the DPoP key the profile keeps (a private JWK).
SECRET_KINDS = ("client_secret", "private_key", "decryption_key", "client_key", "dpop_key")
_CERTIFICATE = "-----BEGIN CERTIFICATE-----"
#: RFC 8252 §7.3: loopback redirect; the listener binds 127.0.0.1 only, "localhost" is a name for it.
REDIRECT_HOSTS = ("127.0.0.1", "localhost")
#: Parameters the flows set themselves (security defaults); extra params may not override them.
RESERVED_PARAMS = frozenset(
    {"response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge",
     "code_challenge_method", "client_secret"}
)  # fmt: skip
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}")
_SCOPE = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+")  # RFC 6749 §3.3 scope-token
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Profile:
    name: str
    issuer: str = ""
    endpoints: dict[str, str] = field(default_factory=dict)
    client_id: str = ""
    auth_method: str = "auto"
    scopes: tuple[str, ...] = ("openid",)
    #: Resource indicators (RFC 8707) the flows ask tokens for.
    resources: tuple[str, ...] = ()
    redirect_host: str = "127.0.0.1"
    redirect_port: int = 0
    redirect_path: str = "/callback"
    extra_params: dict[str, str] = field(default_factory=dict)
    ca_bundle: str = ""
    #: The client certificate for mutual TLS (PEM); its key is the ``client_key`` secret.
    client_cert: str = ""
    notes: str = ""
    secrets: tuple[str, ...] = ()
    #: DPoP (RFC 9449): prove possession of a key on token, refresh and userinfo requests; the key
    #: is the one kept in the keyring (``dpop_key`` among ``secrets``), else a new one per flow.
    dpop: bool = False
    #: Pushed authorization requests (RFC 9126): None as the provider's metadata requires, True
    #: always, False never (FlowSettings.use_par).
    use_par: bool | None = None

    @property
    def redirect_uri(self) -> str:
        """The loopback redirect URI (port 0 means "any free port", chosen when a flow starts)."""
        return f"http://{self.redirect_host}:{self.redirect_port}{self.redirect_path}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["scopes"] = list(self.scopes)
        data["resources"] = list(self.resources)
        data["secrets"] = list(self.secrets)
        if self.use_par is None:  # the default, left out: files without it stay readable by older versions
            del data["use_par"]
        return data

    @classmethod
    def from_json(cls, data: Any) -> Profile:
        """Build and validate a profile from its JSON form; unknown fields are an error."""
        if not isinstance(data, dict):
            raise StorageError("A profile must be a JSON object.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        label = data.get("name", "?")
        if unknown:
            raise StorageError(f"Profile {label!r} has unknown fields: {', '.join(unknown)}.")
        values = dict(data)
        for name in ("scopes", "resources", "secrets"):
            if name in values and isinstance(values[name], list):
                values[name] = tuple(values[name])
        try:
            profile = cls(**values)
        except TypeError as exc:
            raise StorageError(f"Profile {label!r} is incomplete: {exc}.") from exc
        return validate(profile)


def validate(profile: Profile) -> Profile:
    """``profile`` unchanged if every field is acceptable; else StorageError naming the problem."""
    p = profile
    _check(isinstance(p.name, str) and bool(_NAME.fullmatch(p.name)),
           f"Profile name {p.name!r} is not allowed: use 1–64 letters, digits, spaces or . _ @ - "
           "(starting with a letter or digit).")  # fmt: skip
    _check(all(isinstance(v, str) for v in (p.issuer, p.client_id, p.auth_method, p.redirect_host,
                                             p.redirect_path, p.ca_bundle, p.client_cert, p.notes)),
           f"Profile {p.name!r} has a text field with a non-text value.")  # fmt: skip
    if p.issuer:
        _check_url(p.issuer, "issuer", p.name)
        parts = urlsplit(p.issuer)
        _check(not parts.query and not parts.fragment,
               f"The issuer of {p.name!r} must not have a query or fragment (RFC 8414 §2).")  # fmt: skip
    _check(isinstance(p.endpoints, dict), f"Endpoints of {p.name!r} must be an object.")
    for key, url in p.endpoints.items():
        _check(key in ENDPOINTS, f"Unknown endpoint {key!r} in {p.name!r}; known: {', '.join(ENDPOINTS)}.")
        _check_url(url, key, p.name)
    _check(bool(p.issuer or p.endpoints),
           f"Profile {p.name!r} needs an issuer URL (for discovery) or endpoints set by hand.")  # fmt: skip
    _check(p.auth_method in AUTH_METHODS,
           f"Unknown client authentication method {p.auth_method!r}; use one of {', '.join(AUTH_METHODS)}.")  # fmt: skip
    _check(isinstance(p.scopes, tuple) and isinstance(p.secrets, tuple),
           f"Scopes and secrets of {p.name!r} must be lists.")  # fmt: skip
    _check(all(isinstance(s, str) and _SCOPE.fullmatch(s) for s in p.scopes),
           f"Scopes of {p.name!r} must be words without spaces, quotes or backslashes (RFC 6749 §3.3).")  # fmt: skip
    _check(isinstance(p.resources, tuple) and all(isinstance(r, str) for r in p.resources),
           f"Resources of {p.name!r} must be a list of URIs.")  # fmt: skip
    problems = resource_problems(p.resources)
    _check(not problems, f"In {p.name!r}: " + (problems[0].render(None) if problems else "") + ".")
    _check(p.redirect_host in REDIRECT_HOSTS,
           f"Redirect host {p.redirect_host!r} is not allowed: use 127.0.0.1 (recommended, RFC 8252 §7.3) or localhost.")  # fmt: skip
    _check(isinstance(p.redirect_port, int) and not isinstance(p.redirect_port, bool) and 0 <= p.redirect_port <= 65535,
           f"Redirect port {p.redirect_port!r} is not a port: use 1–65535, or 0 for any free port.")  # fmt: skip
    _check(p.redirect_path.startswith("/") and not any(c in p.redirect_path for c in "?# "),
           f"Redirect path {p.redirect_path!r} must start with '/' and have no spaces, query or fragment.")  # fmt: skip
    _check(isinstance(p.extra_params, dict) and all(isinstance(k, str) and k and isinstance(v, str)
                                                    for k, v in p.extra_params.items()),
           f"Extra authorization parameters of {p.name!r} must be text names and values.")  # fmt: skip
    clashes = sorted(RESERVED_PARAMS & set(p.extra_params))
    _check(not clashes, f"Extra parameters cannot override {', '.join(clashes)}: the flow sets them itself.")
    _check(not p.client_cert or (p.client_cert.lstrip().startswith(_CERTIFICATE) and "PRIVATE KEY" not in p.client_cert),
           f"The client certificate of {p.name!r} must be a PEM certificate ({_CERTIFICATE} …) without any private key: "
           "the key is stored in the keyring, never in the profiles file.")  # fmt: skip
    _check(isinstance(p.dpop, bool), f"The dpop field of {p.name!r} must be true or false.")
    _check(all(s in SECRET_KINDS for s in p.secrets), f"Unknown secret kinds in {p.name!r}: {p.secrets!r}.")
    _check(p.use_par is None or isinstance(p.use_par, bool),
           f"use_par of {p.name!r} must be true, false or absent (as the provider requires), not {p.use_par!r}.")
    return profile


def _check_url(url: Any, what: str, profile: str) -> None:
    message = f"The {what} of {profile!r} must be an absolute https URL"
    _check(isinstance(url, str), f"{message}.")
    shown = redact_url(url)
    try:
        parts = urlsplit(url)  # raises ValueError for a broken IPv6 literal such as http://[::1
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        host = ""
    _check(bool(host) and parts.scheme in ("https", "http"), f"{message}, not {shown!r}.")
    _check(parts.scheme == "https" or host in _LOOPBACK,
           f"{message} (plain http is allowed only for localhost), not {shown!r}.")  # fmt: skip
    _check(shown == url and "@" not in parts.netloc,
           f"The {what} of {profile!r} carries credentials ({shown!r}): the profiles file is plain text, so "
           "a password or client secret belongs in the profile's Client secret, which is kept in the "
           "keyring.")  # fmt: skip


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise StorageError(message, code="invalid_profile")


def merged(profile: Profile, changes: Mapping[str, Any]) -> Profile:
    """A validated copy of ``profile`` with ``changes`` applied."""
    return validate(replace(profile, **changes))
