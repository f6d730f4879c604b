"""The flows the runner knows, by name (the CLI's ``flow`` subcommands and the GUI's list)."""

from __future__ import annotations

from inspector.core.flows import auth_code, client_credentials, device, refresh, token_tools
from inspector.core.flows.context import StepSpec

__all__ = ["ENDPOINTS_NEEDED", "GRANTS"]

GRANTS: dict[str, list[StepSpec]] = {
    "auth_code": auth_code.STEPS,
    "client_credentials": client_credentials.STEPS,
    "device": device.STEPS,
    "refresh": refresh.STEPS,
    "introspect": token_tools.INTROSPECT_STEPS,
    "revoke": token_tools.REVOKE_STEPS,
    "userinfo": token_tools.USERINFO_STEPS,
}

#: The endpoints each flow cannot do without (userinfo and jwks_uri are used when present).
ENDPOINTS_NEEDED: dict[str, tuple[str, ...]] = {
    "auth_code": ("authorization_endpoint", "token_endpoint"),
    "client_credentials": ("token_endpoint",),
    "device": ("device_authorization_endpoint", "token_endpoint"),
    "refresh": ("token_endpoint",),
    "introspect": ("introspection_endpoint",),
    "revoke": ("revocation_endpoint",),
    "userinfo": ("userinfo_endpoint",),
}
