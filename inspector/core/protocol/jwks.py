"""A JWKS cache per ``jwks_uri`` that follows key rotation (OIDC Core §10.1.1).

A token whose ``kid`` is not in the cached set triggers one refetch: providers publish the new
key before signing with it, so a fresh copy usually has it. Refetches on unknown kids are
rate-limited (one per ``cooldown`` seconds per URI) so tokens with made-up kids cannot turn the
inspector into a request amplifier. The kid only selects among keys the provider publishes; it
never brings its own key.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from inspector.core.errors import KeySourceError
from inspector.core.findings import Finding, error
from inspector.core.protocol.http import Client, Exchange, send
from inspector.core.protocol.responses import read_json

__all__ = ["JwksCache", "JwksResult"]


@dataclass
class JwksResult:
    keys: list = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    refetched: bool = False


@dataclass
class _Entry:
    keys: list
    kids: frozenset[str | None]
    last_refetch: float | None = None


class JwksCache:
    """Shared across flows (the cache outlives any one HTTP client, so each call passes one)."""

    def __init__(self, *, cooldown: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._cooldown = cooldown
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def keys(self, client: Client, jwks_uri: str, kid: str | None = None) -> JwksResult:
        """The keys published at ``jwks_uri``: cached, fetched on first use, refetched once when
        ``kid`` is unknown (unless a refetch for this URI happened within the cooldown)."""
        with self._lock:
            result = JwksResult()
            entry = self._entries.get(jwks_uri)
            if entry is None:
                entry = self._fetch(client, jwks_uri, result)
                if entry is None:
                    return result
            elif kid is not None and kid not in entry.kids:
                now = self._clock()
                if entry.last_refetch is None or now - entry.last_refetch >= self._cooldown:
                    fresh = self._fetch(client, jwks_uri, result)
                    if fresh is None:
                        return result
                    fresh.last_refetch = now
                    entry = fresh
                    result.refetched = True
            result.keys = list(entry.keys)
            return result

    def _fetch(self, client: Client, jwks_uri: str, result: JwksResult) -> _Entry | None:
        http = send(client, "GET", jwks_uri)
        result.exchanges.append(http.exchange)
        answer = read_json(http, endpoint="JWKS endpoint", error_code="jwks_error")
        if answer.data is None:
            result.findings.extend(answer.findings)
            return None
        from inspector.core.jose.keys import load_jwks

        try:
            keys = load_jwks(answer.data)
        except KeySourceError as exc:
            result.findings.append(error("jwks_invalid", f"The JWKS at {jwks_uri} cannot be used: {exc}"))
            return None
        entry = _Entry(keys, frozenset(key.kid for key in keys))
        self._entries[jwks_uri] = entry
        return entry
