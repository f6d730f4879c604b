"""What the Decoder's Verify form expects of a token a flow obtained.

Such a token is checked as its flow checked it (OIDC Core §3.1.3.7): that flow's issuer, its
client id as the audience, the nonce the flow sent, and the keys of the profile that ran it.
A token from anywhere else (a paste, the history) comes with no expectations: what was filled
in for the previous token would only report mismatches that are not the new token's fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FlowExpectations:
    """Verify form values; empty strings leave a field empty (the profile fills iss and client id)."""

    #: The profile whose JWKS verifies the token (the one that ran the flow, whatever the Profile
    #: box shows later); empty: the Profile box's.
    profile: str = ""
    issuer: str = ""
    audience: str = ""
    client_id: str = ""
    nonce: str = ""


def from_flow(flow_context: Any, profile: str, token: str) -> FlowExpectations:
    """The expectations for ``token``, obtained by the flow behind ``flow_context`` (the core's
    FlowContext) run with ``profile``. The ID token gets the ID token rules and the flow's nonce;
    an access or refresh token only its issuer and keys: its audience is a resource, not us."""
    settings = flow_context.settings
    issuer = settings.issuer or ""
    response = flow_context.token_response or {}
    if token != response.get("id_token"):
        return FlowExpectations(profile=profile, issuer=issuer)
    client_id = settings.client_id or ""
    nonce = flow_context.nonce or ""
    return FlowExpectations(profile=profile, issuer=issuer, audience=client_id, client_id=client_id, nonce=nonce)
