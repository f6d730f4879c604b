"""Which kind of token this is (ID, access or refresh token), from what it says about itself.

A header ``typ`` of ``at+jwt`` is an access token by definition (RFC 9068 §2.1); Keycloak writes
the kind in a payload ``typ``; otherwise claims tell: only ID tokens carry ``nonce``, ``at_hash``
or ``c_hash`` (OpenID Connect Core §2, §3.1.3.6), access tokens carry ``scope``/``scp`` and the
client they were issued to (RFC 9068 §2.2). An opaque token is never an ID token: ID tokens are
always JWTs (OpenID Connect Core §2).
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector.core.diagnosis.model import Confidence, Evidence, EvidenceKind
from inspector.core.jose.parse import DecodedToken

__all__ = ["ACCESS", "ID", "KINDS", "KindGuess", "REFRESH", "guess_kind", "label_of", "name_of"]

ID, ACCESS, REFRESH = "id_token", "access_token", "refresh_token"
KINDS = (ID, ACCESS, REFRESH)
_NAMES = {ID: "an ID token", ACCESS: "an access token", REFRESH: "a refresh token"}
#: header typ -> kind (RFC 9068 §2.1; RFC 8725 §3.11 explicit typing)
HEADER_TYP = {"at+jwt": ACCESS, "application/at+jwt": ACCESS, "refresh+jwt": REFRESH}
#: payload typ -> kind (Keycloak: "Bearer", "ID", "Refresh", "Offline")
PAYLOAD_TYP = {"bearer": ACCESS, "id": ID, "refresh": REFRESH, "offline": REFRESH}
ID_CLAIMS = ("nonce", "at_hash", "c_hash", "s_hash")
ACCESS_CLAIMS = ("scope", "scp", "client_id", "cid")


@dataclass(frozen=True)
class KindGuess:
    kind: str | None
    confidence: Confidence
    evidence: tuple[Evidence, ...] = ()
    opaque: bool = False


def name_of(kind: str | None) -> str:
    """``an ID token``: the kind with its article, for sentences."""
    return _NAMES.get(kind or "", "a token")


def label_of(kind: str | None) -> str:
    """``ID token``: the kind without its article."""
    return name_of(kind).split(" ", 1)[1]


def guess_kind(decoded: DecodedToken, where: str) -> KindGuess:
    """The kind ``decoded`` declares or shows, with the evidence; kind None when it does not tell."""
    if decoded.format == "opaque":
        return KindGuess(None, Confidence.CERTAIN, (Evidence.of(EvidenceKind.HEADER, "format", "opaque", where),),
                         opaque=True)
    header, claims = decoded.header or {}, decoded.claims or {}
    typ = header.get("typ")
    if isinstance(typ, str) and typ.lower() in HEADER_TYP:
        return KindGuess(HEADER_TYP[typ.lower()], Confidence.CERTAIN,
                         (Evidence.of(EvidenceKind.HEADER, "typ", typ, f"{where} header"),))
    payload_typ = claims.get("typ")
    if isinstance(payload_typ, str) and payload_typ.lower() in PAYLOAD_TYP:
        return KindGuess(PAYLOAD_TYP[payload_typ.lower()], Confidence.CERTAIN,
                         (Evidence.of(EvidenceKind.CLAIM, "typ", payload_typ, f"{where} payload"),))
    id_signs = [name for name in ID_CLAIMS if name in claims]
    access_signs = [name for name in ACCESS_CLAIMS if name in claims]
    if bool(id_signs) == bool(access_signs):
        return KindGuess(None, Confidence.POSSIBLE)
    kind, signs = (ID, id_signs) if id_signs else (ACCESS, access_signs)
    return KindGuess(kind, Confidence.LIKELY, tuple(Evidence.of(EvidenceKind.CLAIM, name, claims[name],
                                                                f"{where} payload") for name in signs))
