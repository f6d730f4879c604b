"""What a diagnosis says, as data: a cause with a stable code, how sure we are, a sentence for a
support person, the evidence it rests on and the fix. One record for every front end.

Evidence never carries a secret: values are made safe when the evidence is built (client
secrets, verifiers and passwords masked; codes and tokens abbreviated; long text cut), so a
report can be shown, copied or attached to a ticket as it is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from inspector.core.redact import MASK, SECRET_NAMES, TOKEN_NAMES, abbreviate
from inspector.core.sanitize.markers import is_marker, signature_removed

if TYPE_CHECKING:
    from inspector.core.diagnosis.remote import IssuerSource
    from inspector.core.jose.keys import VerificationKey

__all__ = ["Confidence", "DiagnosisContext", "Diagnosis", "DiagnosisReport", "Evidence", "EvidenceKind",
           "MAX_VALUE_CHARS", "safe_value"]

#: Longer text values (provider descriptions, pages) are cut to this many characters.
MAX_VALUE_CHARS = 300
#: Parameters whose values are secrets beyond the redaction module's list (RFC 6749 §4.4, RFC 7523).
_MORE_SECRETS = frozenset({"client_assertion", "assertion", "private_key", "secret"})
#: Values that identify a single-use credential: shown abbreviated, enough to match two of them.
_MORE_TOKENS = frozenset({"user_code", "bearer", "state", "nonce"})
_SECRETS, _TOKENS = SECRET_NAMES | _MORE_SECRETS, TOKEN_NAMES | _MORE_TOKENS


class Confidence(str, Enum):
    CERTAIN = "certain"    # the record proves it (a structural sign, an unambiguous provider code)
    LIKELY = "likely"      # the usual meaning of what is seen; one other explanation remains
    POSSIBLE = "possible"  # a note worth checking; on its own it does not explain a failure

    @property
    def order(self) -> int:
        return _ORDER[self.value]


_ORDER = {"certain": 0, "likely": 1, "possible": 2}


class EvidenceKind(str, Enum):
    CLAIM = "claim"              # a token claim (payload)
    HEADER = "header"            # a token's JOSE header parameter
    PARAMETER = "parameter"      # a request or response parameter (query, fragment, form, JSON)
    HTTP = "http"                # a status line or an HTTP header
    METADATA = "metadata"        # a field of the provider's discovery document
    KEYS = "keys"                # what a JWKS holds (kids)
    CLOCK = "clock"              # a time, a Date header, a measured skew
    CERTIFICATE = "certificate"  # a TLS certificate's names
    TEXT = "text"                # the provider's own words (error_description, a page)
    FINDING = "finding"          # a finding of our verifier or flow runner, by code
    OPTION = "option"            # what the person told us (--issuer, --client-id, --expect)


def safe_value(name: str, value: Any) -> Any:
    """``value`` as it may be shown: secrets masked, single-use credentials abbreviated, long
    text cut. Only JSON values come out (anything else becomes its text)."""
    if is_marker(value) or signature_removed(value):
        return value  # a sanitized recording's: safe by construction, and equal values must stay equal
    lowered = name.lower()
    if lowered in _SECRETS:
        return MASK
    if isinstance(value, str):
        if lowered in _TOKENS:
            return value if value == MASK else abbreviate(value)
        return value if len(value) <= MAX_VALUE_CHARS else f"{value[:MAX_VALUE_CHARS]}…"
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [safe_value(name, item) for item in value[:20]]
    if isinstance(value, dict):
        return {str(key): safe_value(str(key), item) for key, item in list(value.items())[:40]}
    return safe_value(name, str(value))


class Evidence(NamedTuple):
    """One fact a diagnosis rests on: ``kind`` of thing, its ``name``, its (safe) ``value`` and
    ``where`` it was seen ("ID token payload", "token request, entry 14", "--issuer").

    Evidence and diagnoses are named tuples: immutable, and cheap to make by the dozen per token.
    """

    kind: EvidenceKind
    name: str
    value: Any
    where: str

    @classmethod
    def of(cls, kind: EvidenceKind, name: str, value: Any, where: str) -> Evidence:
        return cls(kind, name, safe_value(name, value), where)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "name": self.name, "value": self.value, "where": self.where}


class Diagnosis(NamedTuple):
    cause: str
    confidence: Confidence
    summary: str
    fix: str
    evidence: tuple[Evidence, ...] = ()
    #: The ``index`` of the recorded exchanges it was found at (for a HAR, positions in its
    #: ``log.entries``), for front ends to point at; the evidence names them in words.
    entries: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"cause": self.cause, "confidence": self.confidence.value, "summary": self.summary,
                "evidence": [item.to_json() for item in self.evidence], "fix": self.fix}

    def found_at(self, index: int) -> Diagnosis:
        """This diagnosis located at the exchange ``index``, unless it names its entries already."""
        return self if self.entries else Diagnosis(self.cause, self.confidence, self.summary, self.fix,
                                                   self.evidence, (index,))


@dataclass(frozen=True, slots=True)
class DiagnosisReport:
    """The diagnoses of one artifact, root cause first; ``input`` names what it was read as."""

    input: str
    diagnoses: tuple[Diagnosis, ...]

    @property
    def explained(self) -> bool:
        """True when some cause is certain or likely: the failure has an explanation."""
        return any(d.confidence is not Confidence.POSSIBLE for d in self.diagnoses)

    def to_json(self) -> dict[str, Any]:
        return {"input": self.input, "diagnoses": [d.to_json() for d in self.diagnoses]}


@dataclass(frozen=True)
class DiagnosisContext:
    """What the person knows besides the artifact. Only what is set is used.

    ``keys`` are keys they trust (a saved JWKS, a PEM, the shared secret), ``keys_where`` names
    them in sentences ("the JWKS file jwks.json"); ``source`` reaches the
    issuer they name (its metadata and current JWKS) and is the only way anything is fetched.
    ``expect`` is the kind of token the failing party wanted (id_token, access_token,
    refresh_token); ``grant`` the grant it ran; ``at`` the moment of the failure (epoch seconds;
    default: now, or for a record the moment the record shows).
    """

    issuer: str | None = None
    client_id: str | None = None
    nonce: str | None = None
    audiences: tuple[str, ...] = ()
    keys: tuple["VerificationKey", ...] = ()
    keys_where: str = "the keys given"
    source: "IssuerSource | None" = None
    expect: str | None = None
    grant: str | None = None
    at: float | None = None
    clock: Callable[[], float] = field(default=time.time, repr=False)

    def moment(self) -> float:
        return self.clock() if self.at is None else self.at
