"""Question objects: what a flow needs from the person at the keyboard, as data a front end
renders (the CLI prints it, the GUI shows a panel with a Copy button)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspector.core.advice import Advice

__all__ = ["DeviceCodeQuestion", "OpenUrlQuestion", "Question", "redirect_refused"]


def redirect_refused(redirect_uri: str, *, any_port: bool, waited: bool = False) -> Advice:
    """What to check when the browser shows an error instead of a sign-in page: a provider shows
    its own error page for a redirect URI not registered for the client (RFC 6749 §3.1.2.4).
    ``waited``: said after the wait ended, in the past tense."""
    text = (f"If the browser {'showed' if waited else 'shows'} an error instead of a sign-in page (such as "
            "'redirect_uri did not match'), the provider refused the redirect URI: the client must have exactly "
            f"{redirect_uri} registered.")
    if not any_port:
        return Advice(text)
    return Advice(text + " Its port is new on every run, so the provider must accept any port on a loopback "
                  "redirect URI (RFC 8252 §7.3); if it does not, set {redirect_port} to a fixed port and register that URI.",
                  ("redirect_port",))


@dataclass(frozen=True)
class OpenUrlQuestion:
    """Sign in at ``url`` in a browser. ``opened`` says whether the system browser was launched.

    ``redirect_uri`` is the one the request carries (as sent) and ``timeout`` how long the flow
    waits for it; ``any_port`` says the listener's port was chosen for this run only.
    """

    url: str
    opened: bool
    redirect_uri: str = ""
    timeout: float = 0.0
    any_port: bool = False
    kind: str = "open_url"

    @property
    def text(self) -> str:
        if self.opened:
            return "Your browser was opened to sign in. If it did not open, visit this URL:"
        return "Open this URL in a browser to sign in:"

    @property
    def if_refused(self) -> Advice:
        return redirect_refused(self.redirect_uri, any_port=self.any_port)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "url": self.url, "opened": self.opened, "redirect_uri": self.redirect_uri,
                "timeout": self.timeout, "if_refused": self.if_refused.render()}


@dataclass(frozen=True)
class DeviceCodeQuestion:
    """Enter ``user_code`` at ``verification_uri`` on any device (RFC 8628 §3.3)."""

    user_code: str
    verification_uri: str
    verification_uri_complete: str | None
    expires_in: int | None
    kind: str = "device_code"

    @property
    def text(self) -> str:
        return f"On any device, visit {self.verification_uri} and enter the code {self.user_code}."

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "user_code": self.user_code, "verification_uri": self.verification_uri,
                "verification_uri_complete": self.verification_uri_complete, "expires_in": self.expires_in}


Question = OpenUrlQuestion | DeviceCodeQuestion
