"""Question objects: what a flow needs from the person at the keyboard, as data a front end
renders (the CLI prints it, the GUI shows a panel with a Copy button)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["DeviceCodeQuestion", "OpenUrlQuestion", "Question"]


@dataclass(frozen=True)
class OpenUrlQuestion:
    """Sign in at ``url`` in a browser. ``opened`` says whether the system browser was launched."""

    url: str
    opened: bool
    kind: str = "open_url"

    @property
    def text(self) -> str:
        if self.opened:
            return "Your browser was opened to sign in. If it did not open, visit this URL:"
        return "Open this URL in a browser to sign in:"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "url": self.url, "opened": self.opened}


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
