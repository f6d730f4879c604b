"""DPoP on an API call (RFC 9449 §7.1, §9): the :class:`~inspector.core.protocol.api_call.Authorizer`
that presents a DPoP-bound access token with a fresh proof on every attempt, and asks for one
more attempt when the resource server refuses the proof for lack of its nonce.

The key and the nonces come from a :class:`DpopSession`: the flow's own (a step after a grant),
the one a history entry keeps beside its bound token, or a profile's kept key. Nonces are
remembered per origin from every answer (§8.2: any answer may bring a fresh one), so a second
call to the same API starts with the right nonce and needs no retry.
"""

from __future__ import annotations

import secrets
import time
from typing import Callable

import httpx

from inspector.core.protocol.dpop_nonce import asks_for_nonce
from inspector.core.protocol.dpop_send import DPOP_HEADER
from inspector.core.protocol.dpop_session import DpopSession

__all__ = ["DpopAuthorizer"]


class DpopAuthorizer:
    """``Authorization: DPoP <token>`` plus a ``DPoP`` proof naming the request (``htm``, ``htu``),
    the token's hash (``ath``) and the server's latest nonce for that origin."""

    def __init__(self, session: DpopSession, *, clock: Callable[[], float] = time.time,
                 random: Callable[[int], str] = secrets.token_urlsafe) -> None:
        self.session = session
        self._proofs = session.proofs(clock=clock, random=random)
        #: The nonce the latest proof carried (None: none), so a retry is only asked for a new one.
        self._nonce_sent: str | None = None

    def headers(self, method: str, url: str, token: str) -> dict[str, str]:
        self._nonce_sent = self.session.nonces.get(url)
        # htu names the request as httpx sends it (its own path normalisation), for servers that
        # compare it literally; call_api has checked the URL already.
        proof = self._proofs(method, str(httpx.URL(url)), nonce=self._nonce_sent, access_token=token)
        return {"Authorization": f"DPoP {token}", DPOP_HEADER: proof}

    def retry(self, response: httpx.Response) -> bool:
        """Keep any nonce the answer brings; once more when it refuses the proof with
        ``use_dpop_nonce`` and a nonce other than the one just sent (else retrying changes nothing)."""
        fresh = self.session.nonces.remember(str(response.request.url), response.headers)
        return (fresh is not None and fresh != self._nonce_sent
                and asks_for_nonce(response.status_code, None, response.headers))
