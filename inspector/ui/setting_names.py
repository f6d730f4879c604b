"""How the desktop app words the settings that advice names (see :mod:`inspector.core.advice`):
the field of the profile that holds it, or the menu entry of a window preference — never a
command-line flag."""

from __future__ import annotations

from inspector.core.advice import SettingNamer, neutral_name
from inspector.ui.views.profile_form import ENDPOINT_LABELS

__all__ = ["PREFERENCES", "PROFILE_FIELDS", "gui_namer"]

#: Setting (a FlowSettings field) -> its field on the Profiles panel.
PROFILE_FIELDS = {
    "issuer": "Issuer",
    "client_id": "Client id",
    "auth_method": "Authentication",
    "client_secret": "Client secret",
    "private_key_pem": "Private key",
    "decryption_key": "Decryption key",
    "scope": "Scopes",
    "redirect_host": "Redirect Host",
    "redirect_port": "Redirect Port",
    "redirect_path": "Redirect Path",
    "extra_params": "Extra parameters",
    "client_cert_pem": "Client certificate",
    "client_key_pem": "Client certificate key",
    "dpop": "DPoP",
    "use_par": "Pushed authorization requests",
    **{name: f"{label} endpoint" for name, label in ENDPOINT_LABELS.items()},
}
#: Settings that are the window's preferences, by their menu path.
PREFERENCES = {"sign_in_timeout": "Settings › Time to sign in"}


def gui_namer(profile: str | None) -> SettingNamer:
    """Names a profile's setting by its field in ``profile`` (the one the flow ran with)."""

    def name(setting: str) -> str:
        if setting in PREFERENCES:
            return PREFERENCES[setting]
        if setting in PROFILE_FIELDS:
            where = f"profile {profile!r}" if profile else "the profile"
            return f"the {PROFILE_FIELDS[setting]} field of {where} (Profiles panel)"
        return neutral_name(setting)

    return name
