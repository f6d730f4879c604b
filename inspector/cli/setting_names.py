"""How the command line words the settings that advice names (see :mod:`inspector.core.advice`):
its flags, and the saved profile when the value may come from one."""

from __future__ import annotations

from inspector.core.advice import SettingNamer, neutral_name
from inspector.core.protocol.endpoints import ENDPOINTS, option_name

__all__ = ["FLAGS", "flag_namer"]

#: Setting (a FlowSettings field) -> the option that sets it.
FLAGS = {
    "timeout": "--timeout SECONDS",
    "sign_in_timeout": "--timeout SECONDS",
    "client_id": "--client-id",
    "client_secret": "--client-secret-env VAR",
    "auth_method": "--auth-method",
    "private_key_pem": "--key PEM",
    "decryption_key": "--decrypt-key FILE",
    "scope": "--scope",
    "issuer": "--issuer",
    "redirect_port": "--redirect-port",
    "redirect_host": "--redirect-host",
    "redirect_path": "--redirect-path",
    "extra_params": "--param",
    "client_cert_pem": "--client-cert PEM",
    "client_key_pem": "--client-key PEM",
    "dpop": "--dpop",
    "use_par": "--par",
    "resource": "--resource",
    "subject_token_type": "--subject-token-type",
    "actor_token_type": "--actor-token-type",
    "requested_token_type": "--requested-token-type",
    **{name: f"{option_name(name)} URL" for name in ENDPOINTS},
}
#: Settings a saved profile can hold (the timeouts are options only).
_IN_PROFILE = frozenset(FLAGS) - {"timeout", "sign_in_timeout", "subject_token_type", "actor_token_type",
                                   "requested_token_type"}


def flag_namer(profile: str | None = None) -> SettingNamer:
    """Names a setting by its flag, and by where it is saved when ``profile`` supplied it."""

    def name(setting: str) -> str:
        flag = FLAGS.get(setting, neutral_name(setting))
        if profile and setting in _IN_PROFILE:
            return f"{flag} (or {neutral_name(setting)} in profile {profile!r})"
        return flag

    return name
