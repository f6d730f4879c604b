"""Token type identifiers of token exchange (RFC 8693 §3) as data, with the short names people
type (``access_token``) accepted for the URNs the RFC registers.

Any other absolute URI passes through: RFC 8693 §3 lets deployments define their own types."""

from __future__ import annotations

__all__ = ["TOKEN_TYPES", "token_type_name", "token_type_urn"]

_PREFIX = "urn:ietf:params:oauth:token-type:"

#: Short name -> URN, and what each identifies, in plain words (RFC 8693 §3).
TOKEN_TYPES: dict[str, tuple[str, str]] = {
    "access_token": (f"{_PREFIX}access_token", "an OAuth 2.0 access token"),
    "refresh_token": (f"{_PREFIX}refresh_token", "an OAuth 2.0 refresh token"),
    "id_token": (f"{_PREFIX}id_token", "an OpenID Connect ID token"),
    "saml1": (f"{_PREFIX}saml1", "a base64url-encoded SAML 1.1 assertion"),
    "saml2": (f"{_PREFIX}saml2", "a base64url-encoded SAML 2.0 assertion"),
    "jwt": (f"{_PREFIX}jwt", "a JWT (RFC 7519)"),
}


def token_type_urn(value: str) -> str | None:
    """The URN for a short name or a URN/URI given as is; None for a word that is neither (a
    typing mistake: a type identifier is always an absolute URI, RFC 8693 §3)."""
    value = value.strip()
    known = TOKEN_TYPES.get(value.lower())
    if known is not None:
        return known[0]
    scheme, colon, rest = value.partition(":")
    return value if colon and scheme and rest and " " not in value else None


def token_type_name(urn: str) -> str:
    """``urn:…:access_token`` -> "an OAuth 2.0 access token"; other URIs as they are."""
    for registered, words in TOKEN_TYPES.values():
        if registered == urn:
            return words
    return urn
