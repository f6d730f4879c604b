"""The grants the runner knows: one record each, from which the runner, the GUI's grant list and
the CLI's commands are all made.

Adding a grant is adding a :class:`Grant` here and the module holding its steps; the Flows
panel lists it and ``token-inspector flow <command>`` runs it without further edits (options
that only the new grant has are the exception).

This module stays light (no step module, no httpx) so the GUI can fill its grant list and the
CLI its help at start-up; a grant's steps are imported on first use of :attr:`Grant.steps`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from inspector.core.flows.context import StepSpec

__all__ = ["GRANTS", "Grant", "grant"]

_FLOWS = "inspector.core.flows"


@dataclass(frozen=True)
class Grant:
    """One grant (or single-request token operation) and everything the front ends list it by."""

    #: The runner's and the flow record's name (``Flow.grant``): saved records carry it, never change it.
    name: str
    #: The GUI's words for it.
    label: str
    #: Where its steps are, as ``module:ATTRIBUTE`` (a list of StepSpec), imported on first use.
    steps_at: str
    #: The endpoints it cannot do without; with endpoints set by hand, a missing one stops the
    #: flow before anything is sent (userinfo and jwks_uri are used when present).
    endpoints: tuple[str, ...]
    #: The CLI's name for it: ``token-inspector flow <command>``, or ``token-inspector <command>``.
    command: str
    #: The CLI's one-line help.
    summary: str
    #: "flow": a subcommand of ``flow``; "token": a command of its own taking one TOKEN argument.
    cli: Literal["flow", "token"] = "flow"
    #: The kind of token it acts on (a token response field: ``refresh_token``, ``access_token``),
    #: which the person supplies; None: it obtains tokens from scratch.
    token: str | None = None
    #: The CLI option's name for that token when it is not ``--<token>`` (``subject_token``).
    token_option: str | None = None
    #: Whether it ends with tokens from the token endpoint: then its last step calls an API with
    #: the access token ("Call an API", skipped when no API URL is set).
    issues_tokens: bool = False

    @property
    def steps(self) -> list["StepSpec"]:
        module, _, attribute = self.steps_at.partition(":")
        steps = list(getattr(importlib.import_module(module), attribute))
        if self.issues_tokens:
            steps.append(importlib.import_module(f"{_FLOWS}.api_step").API_CALL)
        return steps


#: By name, in the order the GUI and the CLI list them.
GRANTS: dict[str, Grant] = {g.name: g for g in (
    Grant("auth_code", "Authorization code + PKCE", f"{_FLOWS}.auth_code:STEPS",
          ("authorization_endpoint", "token_endpoint"), "auth-code",
          "authorization code with PKCE, state and nonce via a loopback redirect", issues_tokens=True),
    Grant("device", "Device code", f"{_FLOWS}.device:STEPS",
          ("device_authorization_endpoint", "token_endpoint"), "device",
          "device authorization: show a code, poll until it is approved (RFC 8628)", issues_tokens=True),
    Grant("client_credentials", "Client credentials", f"{_FLOWS}.client_credentials:STEPS",
          ("token_endpoint",), "client-credentials",
          "a token for the client itself (needs a client secret or key)", issues_tokens=True),
    Grant("refresh", "Refresh token", f"{_FLOWS}.refresh:STEPS", ("token_endpoint",), "refresh",
          "use a refresh token and report whether it rotated", token="refresh_token", issues_tokens=True),
    Grant("token_exchange", "Token exchange", f"{_FLOWS}.token_exchange:STEPS", ("token_endpoint",),
          "token-exchange", "trade a token for another one, for another audience or resource (RFC 8693)",
          token="access_token", token_option="subject_token", issues_tokens=True),
    Grant("jwt_bearer", "JWT bearer assertion", f"{_FLOWS}.jwt_bearer:STEPS", ("token_endpoint",), "jwt-bearer",
          "trade a signed JWT assertion for a token (RFC 7523 §2.1)", issues_tokens=True),
    Grant("userinfo", "Userinfo", f"{_FLOWS}.token_tools:USERINFO_STEPS", ("userinfo_endpoint",), "userinfo",
          "fetch the userinfo claims for an access token", cli="token", token="access_token"),
    Grant("introspect", "Introspect a token", f"{_FLOWS}.token_tools:INTROSPECT_STEPS", ("introspection_endpoint",),
          "introspect", "ask the provider whether a token is active (RFC 7662)", cli="token", token="access_token"),
    Grant("revoke", "Revoke a token", f"{_FLOWS}.token_tools:REVOKE_STEPS", ("revocation_endpoint",), "revoke",
          "revoke an access or refresh token (RFC 7009)", cli="token", token="refresh_token"),
)}


def grant(name: str) -> Grant:
    """The grant called ``name``, or a usage error listing the known ones."""
    found = GRANTS.get(name)
    if found is None:
        from inspector.core.errors import InspectorError

        raise InspectorError(f"Unknown flow {name!r}; choose one of {', '.join(GRANTS)}.", code="usage")
    return found
