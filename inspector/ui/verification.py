"""The verify job the Decoder runs in a worker: pick the keys the user chose, then verify.

Only glue: keys come from :mod:`inspector.core.jose.keys` (pasted key or secret) or the
protocol layer's JWKS fetch (a URL, or the active profile's ``jwks_uri``); the verdict comes
from :func:`inspector.core.jose.verify.verify`. The token's header never picks the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from inspector.core.errors import KeySourceError

if TYPE_CHECKING:
    from inspector.core.flows.cancel import CancelToken
    from inspector.ui.context import AppContext


class KeySource(str, Enum):
    PROFILE = "profile"
    JWKS_URL = "jwks_url"
    PASTED = "pasted"
    SECRET = "secret"


@dataclass(frozen=True)
class VerifyRequest:
    """A snapshot of the form, taken on the GUI thread and handed to the worker."""

    token: str
    source: KeySource
    profile: str | None = None
    jwks_url: str = ""
    key_text: str = ""
    secret: str = ""
    issuer: str = ""
    audiences: tuple[str, ...] = ()
    nonce: str = ""
    client_id: str = ""
    algorithms: tuple[str, ...] = ()
    leeway: float = 30.0


def run_verification(request: VerifyRequest, context: AppContext, cancel: CancelToken) -> Any:
    """Load the keys from the chosen source and return the core's VerificationReport.

    With the profile's keys, an empty issuer is the profile's; an empty client id is the profile's
    only for a token that is (or may be) an ID token: the client id turns on the ID token rules
    (aud holds it, azp; OpenID Connect Core §3.1.3.7), which an access token (RFC 9068) does not
    follow, so an access token is checked for its issuer and keys only.
    """
    from inspector.core.jose.parse import decode
    from inspector.core.jose.token_kind import may_be_id_token
    from inspector.core.jose.verify import Expectations, verify

    issuer, client_id = request.issuer, request.client_id
    token: Any = request.token
    if request.source is KeySource.PROFILE:
        profile = context.load_profile(request.profile)
        keys = context.fetch_profile_keys(profile, cancel)
        token = decode(request.token)
        issuer = issuer or profile.issuer
        if not client_id and may_be_id_token(token.header, token.claims):
            client_id = profile.client_id or ""
    elif request.source is KeySource.JWKS_URL:
        if not request.jwks_url:
            raise KeySourceError("Enter the JWKS URL to fetch the keys from, or choose another key source.")
        keys = context.fetch_jwks(request.jwks_url, cancel)
    elif request.source is KeySource.PASTED:
        from inspector.core.jose.keys import load_key_text

        if not request.key_text.strip():
            raise KeySourceError("Paste a JWK, a JWKS or a PEM key first, or choose another key source.")
        keys = load_key_text(request.key_text)
    else:
        from inspector.core.jose.keys import from_secret

        if not request.secret:
            raise KeySourceError("Enter the shared secret first, or choose another key source.")
        keys = [from_secret(request.secret)]
    expect = Expectations(
        issuer=issuer or None,
        audiences=request.audiences,
        nonce=request.nonce or None,
        client_id=client_id or None,
        algorithms=request.algorithms,
        leeway=request.leeway,
    )
    return verify(token, keys, expect, now=context.clock())
