"""Naming how two issuer identifiers differ. Issuers are compared character for character (RFC
7519 §4.1.1 with OpenID Connect Core §3.1.3.7, RFC 8414 §3.3), so a trailing slash, the scheme, a
letter's case, a port or one path segment (a tenant, a realm, an authorization server) is enough
to refuse a token; saying which one is most of the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from inspector.core.diagnosis.causes import quote

__all__ = ["IssuerDifference", "issuer_difference"]

_ENTRA_V1, _ENTRA_V2 = "sts.windows.net", "login.microsoftonline.com"
#: A path segment after one of these names what the next segment is.
_SEGMENT_NAMES = {"realms": "realm", "auth/realms": "realm", "oauth2": "authorization server", "tenants": "tenant",
                  "t": "tenant", "organizations": "organization"}


@dataclass(frozen=True)
class IssuerDifference:
    kind: str           # trailing_slash, scheme, case, port, path, entra_version, host, other
    phrase: str         # "a trailing slash ('https://a/' has it, 'https://a' does not)"
    fix: str = ""       # a clause for the fix sentence, starting with ", " or "; "
    same_host: bool = True


def _split(url: str) -> tuple[str, str, int | None, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "", url, None, ""
    return parts.scheme.lower(), (parts.hostname or "").lower(), port, parts.path


def issuer_difference(actual: str, expected: str) -> IssuerDifference:
    """How ``actual`` (the token's or the response's) differs from ``expected`` (the configured one)."""
    if actual.rstrip("/") == expected.rstrip("/"):
        has, lacks = (actual, expected) if actual.endswith("/") else (expected, actual)
        return IssuerDifference("trailing_slash", f"a trailing slash ({quote(has)} has one, {quote(lacks)} does not)",
                                ", trailing slash included")
    if actual.lower() == expected.lower():
        return IssuerDifference("case", "letter case", ", letter case included")
    a_scheme, a_host, a_port, a_path = _split(actual)
    e_scheme, e_host, e_port, e_path = _split(expected)
    if {a_host, e_host} == {_ENTRA_V1, _ENTRA_V2}:
        version = "v1.0" if a_host == _ENTRA_V1 else "v2.0"
        other = "v2.0" if version == "v1.0" else "v1.0"
        return IssuerDifference("entra_version", f"the token version (an Entra {version} token where {other} is "
                                "expected)", "; in Entra, set the API's accessTokenAcceptedVersion in its app manifest "
                                "(2 for v2.0), or accept the other version's issuer", same_host=False)
    if a_host != e_host:
        return IssuerDifference("host", f"the host ({quote(a_host or actual)} instead of {quote(e_host or expected)})",
                                same_host=False)
    if a_scheme != e_scheme:
        return IssuerDifference("scheme", f"the scheme ({a_scheme or '?'} instead of {e_scheme or '?'})",
                                f", with {e_scheme or 'its'} scheme")
    if a_port != e_port:
        return IssuerDifference("port", f"the port ({a_port or 'default'} instead of {e_port or 'default'})")
    return _path_difference(a_path, e_path)


def _path_difference(actual: str, expected: str) -> IssuerDifference:
    a_parts = [part for part in actual.strip("/").split("/") if part]
    e_parts = [part for part in expected.strip("/").split("/") if part]
    for index, (a_seg, e_seg) in enumerate(zip(a_parts, e_parts)):
        if a_seg != e_seg:
            before = "/".join(a_parts[:index])
            label = next((name for key, name in _SEGMENT_NAMES.items() if before.endswith(key)), None)
            if label is None and index == 0 and _looks_like_tenant(a_seg) and _looks_like_tenant(e_seg):
                label = "tenant"
            what = f"the {label}" if label else "a path segment"
            return IssuerDifference("path", f"{what} in the path ({quote(a_seg)} instead of {quote(e_seg)})",
                                    f"; check which {label or 'path'} the application is configured for")
    longer, shorter = (actual or "/", expected or "/") if len(a_parts) > len(e_parts) else (expected or "/",
                                                                                              actual or "/")
    return IssuerDifference("path", f"the path ({quote(longer)} goes further than {quote(shorter)})",
                            "; check the issuer's full path (authorization server, tenant or version)")


def _looks_like_tenant(segment: str) -> bool:
    """A GUID or a domain name: how Entra and B2C name tenants in issuer paths."""
    return (len(segment) == 36 and segment.count("-") == 4) or "." in segment
