"""What to do next, as data: advice names the settings it is about, each front end words them.

The core knows *which* setting a person should change (the flow's timeout, the client secret),
not *where* it lives: the command line has flags, the desktop app has fields and menus. Advice
therefore keeps ``{name}`` placeholders for the settings it concerns, named after the
:class:`~inspector.core.flows.settings.FlowSettings` fields, and a front end renders it with its
own namer. Without one (JSON records, logs) the neutral words below are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

__all__ = ["SETTING_WORDS", "Advice", "SettingNamer", "neutral_name"]

#: Turns a setting's name into the words of one front end ("timeout" -> "--timeout").
SettingNamer = Callable[[str], str]

#: The neutral words for each setting advice may name (JSON output and any front end without its own).
SETTING_WORDS: dict[str, str] = {
    "timeout": "the timeout",
    "sign_in_timeout": "the time allowed to sign in",
    "client_id": "the client id",
    "client_secret": "the client secret",
    "auth_method": "the client authentication method",
    "private_key_pem": "the client's private key",
    "decryption_key": "the decryption key",
    "scope": "the scopes",
    "issuer": "the issuer",
    "redirect_port": "the redirect port",
    "redirect_host": "the redirect host",
    "redirect_path": "the redirect path",
    "extra_params": "the extra parameters",
    "jwks_uri": "the JWKS URL",
    "client_cert_pem": "the client certificate",
    "client_key_pem": "the client certificate's key",
    "dpop": "DPoP",
    "use_par": "pushed authorization requests (PAR)",
}


def neutral_name(setting: str) -> str:
    """The words for ``setting``; an endpoint reads as itself ("the token endpoint")."""
    return SETTING_WORDS.get(setting, f"the {setting.replace('_', ' ')}")


@dataclass(frozen=True, slots=True)
class Advice:
    """``text`` is one or more sentences; each of ``settings`` appears in it as ``{setting}``.

    Placeholders are replaced literally (never ``str.format``), so text that happens to contain
    braces, such as a URL, is safe in the same sentence.
    """

    text: str
    settings: tuple[str, ...] = ()

    def render(self, name: SettingNamer | None = None) -> str:
        namer = name or neutral_name
        text = self.text
        for setting in self.settings:
            text = text.replace("{" + setting + "}", namer(setting))
        return text
