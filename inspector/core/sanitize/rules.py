"""Which names hold secrets or personal data, and how each is removed: the one table to extend.

Names match whatever their case and separators (``access_token``, ``accessToken``,
``Access-Token`` are one name), in parameters, headers, JSON members at any depth, form fields
and the ``name: "value"`` pairs of scripts and pages.

Kinds say how a value is removed:

- ``token``: a credential that may be a JWT; a JWT keeps its header and claims and loses its
  signature (as Okta and Auth0 advise for shared recordings), anything else becomes a marker;
- ``secret``: always a marker, whatever it looks like;
- ``verifier``: a marker carrying the S256 challenge (RFC 7636 §4.2);
- ``saml``: a SAML message keeps its XML and loses its signatures;
- ``personal`` (only with ``mask_personal``): always a marker.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["COOKIE_HEADERS", "CREDENTIAL_HEADERS", "KEYWORDS", "PERSONAL", "PERSONAL_KEYWORDS", "PRIVATE_JWK_MEMBERS",
           "SECRETS", "SECRET_HEADERS", "canonical", "header_kind", "kind_of", "label_of", "pattern_of"]

TOKEN, SECRET, VERIFIER, SAML, PERSONAL_KIND = "token", "secret", "verifier", "saml", "personal"

#: Parameter, member and field names whose values are secrets (RFC 6749 §4-6, RFC 7009 §2.1,
#: RFC 7521 §4.2, RFC 7523 §2.2, RFC 7636 §4.5, RFC 8628 §3.4, RFC 8693 §2.1, OIDC Core §3.1.2.1,
#: OIDC Back-Channel Logout §2.4, SAML 2.0 Bindings §3.4-3.6).
SECRETS: dict[str, str] = {
    "code": TOKEN, "access_token": TOKEN, "refresh_token": TOKEN, "id_token": TOKEN, "device_code": TOKEN,
    "subject_token": TOKEN, "actor_token": TOKEN, "assertion": TOKEN, "client_assertion": TOKEN,
    "logout_token": TOKEN, "id_token_hint": TOKEN, "token": TOKEN, "samlart": TOKEN,
    "code_verifier": VERIFIER,
    "samlresponse": SAML, "samlrequest": SAML,
    "client_secret": SECRET, "password": SECRET, "passwd": SECRET, "secret": SECRET, "private_key": SECRET,
    "signature": SECRET, "api_key": SECRET, "apikey": SECRET,
}  # fmt: skip

#: Claims and fields about the person (OIDC Core §5.1, Microsoft's upn and unique_name), masked
#: only when asked (``--mask-personal``): a support case often needs to know who it was.
PERSONAL: frozenset[str] = frozenset({
    "email", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "upn",
    "unique_name", "phone", "phone_number", "address", "picture", "birthdate", "login_hint", "username",
})  # fmt: skip

#: Headers whose whole value is a credential ("scheme credentials", RFC 9110 §11.6.2) or a proof
#: (RFC 9449 §4.1); the scheme is kept.
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "dpop"})
#: Headers of cookies (RFC 6265 §4): every value is removed, names and attributes are kept.
COOKIE_HEADERS = frozenset({"cookie", "set-cookie"})
#: Headers that carry a key or token by convention.
SECRET_HEADERS: dict[str, str] = {"x-api-key": SECRET, "api-key": SECRET, "x-auth-token": TOKEN,
                                  "x-access-token": TOKEN, "x-amz-security-token": TOKEN}

#: Private members of a JWK (RFC 7518 §6.2.2, §6.3.2, §6.4.1), removed from any object with a ``kty``.
PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})

#: Lower-case words one of which the name of nearly every secret that text carries contains: a
#: text without any of them (or a JWT, or a URL with a password) gets no pattern search, which
#: keeps large bodies cheap; each word costs one search of every large body. The names left out
#: are found where their value would be anyway: ``assertion``s are JWTs or SAML, ``Bearer``
#: credentials also go in an ``Authorization`` header (and the by-value rule follows them from
#: there), ``api_key`` and ``private_key`` stand in headers, parameters and parsed JSON.
KEYWORDS = ("token", "code", "secret", "passw", "saml", "signature")
PERSONAL_KEYWORDS = ("email", "name", "phone", "address", "picture", "upn", "birthdate", "hint")

_CANONICAL = {name.replace("_", ""): kind for name, kind in SECRETS.items()}
_PERSONAL_CANONICAL = frozenset(name.replace("_", "") for name in PERSONAL)
_LABELS = {name.replace("_", ""): name for name in (*SECRETS, *PERSONAL)}
_SEPARATORS = re.compile(r"[-_]")


@lru_cache(maxsize=4096)
def canonical(name: str) -> str:
    """``accessToken``, ``access-token`` and ``access_token`` as one name: ``accesstoken``."""
    return _SEPARATORS.sub("", name.lower())


def kind_of(name: object, *, personal: bool = False) -> str | None:
    """How a value under ``name`` is removed, or None when it is kept."""
    if not isinstance(name, str) or len(name) > 64:
        return None
    key = canonical(name)
    kind = _CANONICAL.get(key)
    if kind is None and personal and key in _PERSONAL_CANONICAL:
        return PERSONAL_KIND
    return kind


def label_of(name: str) -> str:
    """The table's spelling of ``name`` (``accessToken`` -> ``access_token``), for counting."""
    return _LABELS.get(canonical(name), name.lower())


def header_kind(name: str) -> str | None:
    """How a header's value is removed (besides credential and cookie headers), or None."""
    return SECRET_HEADERS.get(name.lower())


def pattern_of(names: set[str] | frozenset[str] | dict[str, str]) -> str:
    """A regular expression alternative matching each of ``names`` as text writes it: any case
    (the caller compiles with IGNORECASE), ``_`` as ``_``, ``-`` or nothing; longest first."""
    words = sorted(names, key=len, reverse=True)
    return "|".join("[_-]?".join(re.escape(part) for part in word.split("_")) for word in words)
