"""One DPoP key and the server nonces met with it: what a flow, or an API call after it, proves
possession with (RFC 9449). A token bound to the key is only usable with the same session's key,
so the session travels with the tokens: the flow's context holds it, and the history keeps its key
(encrypted) beside a bound token, so ``call --from-history`` can prove possession later."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Callable

from inspector.core.jose.dpop import ProofFactory, proof_factory
from inspector.core.jose.dpop_key import DEFAULT_ALG, DpopKey
from inspector.core.protocol.dpop_nonce import NonceStore

__all__ = ["DpopSession"]


@dataclass
class DpopSession:
    key: DpopKey
    nonces: NonceStore = field(default_factory=NonceStore)

    @classmethod
    def start(cls, kept_key: str | None = None, *, alg: str = DEFAULT_ALG) -> "DpopSession":
        """A session with the key a profile keeps (a private JWK, from the keyring), or a new key
        for this flow alone."""
        return cls(DpopKey.from_private_jwk(kept_key) if kept_key else DpopKey.generate(alg))

    def proofs(self, *, clock: Callable[[], float] = time.time,
               random: Callable[[int], str] = secrets.token_urlsafe) -> ProofFactory:
        return proof_factory(self.key, clock=clock, random=random)
