"""Which kind of token a JWT is (ID, access or refresh token), from what it says about itself.

The one place this is decided; the diagnosis words it with evidence, the history stores it as a
short label, and verification uses it to choose which rules apply.

A header ``typ`` of ``at+jwt`` is an access token by definition (RFC 9068 §2.1); Keycloak writes
the kind in a payload ``typ``; otherwise claims tell: only ID tokens carry ``nonce``, ``at_hash``,
``c_hash`` or ``s_hash`` (OpenID Connect Core §2, §3.1.3.6, FAPI), access tokens carry
``scope``/``scp`` and the client they were issued to (RFC 9068 §2.2). ``auth_time``, ``acr`` and
``amr`` tell nothing: RFC 9068 §2.2.1 allows them in access tokens too. An opaque token is never an
ID token: ID tokens are always JWTs (OpenID Connect Core §2). A header ``typ`` of ``dpop+jwt`` is a
DPoP proof (RFC 9449 §4.2): no token at all but a signed statement about one HTTP request, and the
one kind whose embedded ``jwk`` is its verification key (see :mod:`inspector.core.jose.dpop_check`).
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple

__all__ = ["ACCESS", "ACCESS_CLAIMS", "DPOP_PROOF", "HEADER_TYP", "ID", "ID_CLAIMS", "KindSign", "PAYLOAD_TYP",
           "REFRESH", "is_dpop_proof", "kind_sign", "may_be_id_token"]

ID, ACCESS, REFRESH = "id_token", "access_token", "refresh_token"
DPOP_PROOF = "dpop_proof"
#: header typ -> kind (RFC 9068 §2.1; RFC 9449 §4.2; RFC 8725 §3.11 explicit typing). Media type
#: names are case-insensitive and may drop their "application/" prefix (RFC 7515 §4.1.9).
HEADER_TYP = {"at+jwt": ACCESS, "application/at+jwt": ACCESS, "refresh+jwt": REFRESH,
              "dpop+jwt": DPOP_PROOF, "application/dpop+jwt": DPOP_PROOF}
#: payload typ -> kind (Keycloak: "Bearer", "ID", "Refresh", "Offline")
PAYLOAD_TYP = {"bearer": ACCESS, "id": ID, "refresh": REFRESH, "offline": REFRESH}
#: claims only an ID token carries
ID_CLAIMS = ("nonce", "at_hash", "c_hash", "s_hash")
#: claims an access token carries and an ID token does not
ACCESS_CLAIMS = ("scope", "scp", "client_id", "cid")


class KindSign(NamedTuple):
    """The kind a token shows (None: it does not tell, or its signs contradict each other), and
    what shows it: ``where`` is ``header`` or ``payload``, ``names`` the members that tell.
    ``declared`` means a ``typ`` states it; claims alone only suggest it."""

    kind: str | None
    where: str | None = None
    names: tuple[str, ...] = ()
    declared: bool = False


def kind_sign(header: Mapping[str, Any] | None, claims: Mapping[str, Any] | None) -> KindSign:
    """The kind a JWT's ``header`` and ``claims`` declare or show; a declared ``typ`` wins over claims."""
    header, claims = header or {}, claims or {}
    typ = header.get("typ")
    if isinstance(typ, str) and typ.lower() in HEADER_TYP:
        return KindSign(HEADER_TYP[typ.lower()], "header", ("typ",), declared=True)
    payload_typ = claims.get("typ")
    if isinstance(payload_typ, str) and payload_typ.lower() in PAYLOAD_TYP:
        return KindSign(PAYLOAD_TYP[payload_typ.lower()], "payload", ("typ",), declared=True)
    id_signs = tuple(name for name in ID_CLAIMS if name in claims)
    access_signs = tuple(name for name in ACCESS_CLAIMS if name in claims)
    if bool(id_signs) == bool(access_signs):
        return KindSign(None)
    return KindSign(ID, "payload", id_signs) if id_signs else KindSign(ACCESS, "payload", access_signs)


def is_dpop_proof(header: Mapping[str, Any] | None) -> bool:
    """Whether the header's ``typ`` declares a DPoP proof: the only kind of JWT whose own ``jwk``
    may verify it (RFC 9449 §4.3), so the only test that lets a header's key be used."""
    typ = (header or {}).get("typ")
    return isinstance(typ, str) and HEADER_TYP.get(typ.lower()) == DPOP_PROOF


def may_be_id_token(header: Mapping[str, Any] | None, claims: Mapping[str, Any] | None) -> bool:
    """False only when the token shows it is an access or refresh token: ID-token rules
    (OpenID Connect Core §3.1.3.7: aud holds the client id, azp, nonce) apply to nothing else."""
    return kind_sign(header, claims).kind in (ID, None)
