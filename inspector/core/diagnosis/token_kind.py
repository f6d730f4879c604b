"""Which kind of token this is, with the evidence a diagnosis cites: the decision itself is
:mod:`inspector.core.jose.token_kind`'s; this adds confidence, evidence and the words for it.
"""

from __future__ import annotations

from typing import NamedTuple

from inspector.core.diagnosis.model import Confidence, Evidence, EvidenceKind
from inspector.core.jose.parse import DecodedToken
from inspector.core.jose.token_kind import ACCESS, DPOP_PROOF, ID, REFRESH, kind_sign

__all__ = ["ACCESS", "ID", "KindGuess", "REFRESH", "guess_kind", "label_of", "name_of"]

_NAMES = {ID: "an ID token", ACCESS: "an access token", REFRESH: "a refresh token", DPOP_PROOF: "a DPoP proof"}


class KindGuess(NamedTuple):
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
    sign = kind_sign(decoded.header, decoded.claims)
    if sign.kind is None:
        return KindGuess(None, Confidence.POSSIBLE)
    values = decoded.header if sign.where == "header" else decoded.claims
    evidence = tuple(Evidence.of(EvidenceKind.HEADER if sign.where == "header" else EvidenceKind.CLAIM, name,
                                 (values or {})[name], f"{where} {sign.where}") for name in sign.names)
    return KindGuess(sign.kind, Confidence.CERTAIN if sign.declared else Confidence.LIKELY, evidence)
