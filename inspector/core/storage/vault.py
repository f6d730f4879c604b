"""The OS keyring, behind one small class: the only place secrets are stored.

Client secrets, private keys and the history's data key live here and nowhere else. A backend
that cannot keep a secret safely is refused with :class:`KeyringUnavailableError` — never
replaced by a file:

- ``keyring.backends.fail.Keyring`` (nothing found) and ``keyring.backends.null.Keyring``;
- the chainer when it has nothing acceptable to chain;
- every ``keyrings.alt`` backend (plaintext or weakly protected files);
- a Secret Service that is missing, locked, or fails on the bus (found when it is used).

The backend is a parameter (tests pass an in-memory one); without one, keyring's own detection
runs on first use, honouring ``PYTHON_KEYRING_BACKEND``. Nothing is imported until a secret is
actually needed, so commands that never touch secrets never load keyring or D-Bus.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

from inspector.core.errors import KeyringUnavailableError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "token-inspector"

#: Backends that would "store" a secret in a file, or not at all.
REFUSED_MODULE_PREFIXES = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")

_FIX_LINUX = (
    "Install and unlock a Secret Service (gnome-keyring or KWallet) in your desktop session, "
    "or set PYTHON_KEYRING_BACKEND to a secure keyring backend."
)
_FIX_GENERIC = "Unlock your system keyring, or set PYTHON_KEYRING_BACKEND to a secure keyring backend."


def how_to_fix() -> str:
    return _FIX_LINUX if sys.platform.startswith("linux") else _FIX_GENERIC


class Vault:
    """Secrets of one application (``service``) in a keyring backend checked to be safe."""

    def __init__(self, backend: KeyringBackend | None = None, *, service: str = SERVICE) -> None:
        self._given = backend
        self._backend: KeyringBackend | None = None
        self.service = service

    @property
    def backend(self) -> KeyringBackend:
        """The usable backend, resolved once; raises KeyringUnavailableError if there is none."""
        if self._backend is None:
            self._backend = usable_backend(self._given if self._given is not None else _detected())
        return self._backend

    def check(self) -> None:
        """Raise KeyringUnavailableError unless secrets can be stored and read right now."""
        self.get("availability-probe")

    def is_available(self) -> bool:
        try:
            self.check()
        except KeyringUnavailableError:
            return False
        return True

    def get(self, name: str) -> str | None:
        return self._call("read", self.backend.get_password, self.service, name)

    def set(self, name: str, value: str) -> None:
        self._call("store", self.backend.set_password, self.service, name, value)
        log.debug("stored keyring entry %s/%s", self.service, name)

    def delete(self, name: str) -> None:
        """Remove ``name``; a missing entry is not an error."""
        if self.get(name) is None:
            return
        self._call("delete", self.backend.delete_password, self.service, name)
        log.debug("deleted keyring entry %s/%s", self.service, name)

    def _call(self, verb: str, method: Any, *args: str) -> Any:
        backend = self.backend
        try:
            return method(*args)
        except Exception as exc:  # the backend boundary: D-Bus, locked collections, OS errors
            raise KeyringUnavailableError(
                f"The keyring ({_describe(backend)}) could not {verb} a secret: "
                f"{type(exc).__name__}: {exc}".rstrip(": "),
                hint=how_to_fix(),
            ) from exc


def usable_backend(backend: KeyringBackend) -> KeyringBackend:
    """``backend`` itself, or for the chainer its best acceptable member; else raise."""
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        members = [member for member in backend.backends if refusal_reason(member) is None]
        if not members:
            raise KeyringUnavailableError(
                "No secure keyring backend is available (the keyring chainer found none).",
                hint=how_to_fix(),
            )
        return members[0]
    reason = refusal_reason(backend)
    if reason:
        raise KeyringUnavailableError(reason, hint=how_to_fix())
    return backend


def refusal_reason(backend: KeyringBackend) -> str | None:
    """Why ``backend`` cannot hold our secrets, or None when it can."""
    module = type(backend).__module__
    name = _describe(backend)
    if module.startswith("keyring.backends.fail"):
        return (
            "No system keyring was found (no Secret Service, KWallet, macOS Keychain or "
            "Windows Credential Manager), so secrets and history cannot be saved."
        )
    if module.startswith("keyring.backends.null"):
        return f"The keyring backend {name} discards secrets, so they cannot be saved."
    if module.startswith(REFUSED_MODULE_PREFIXES):
        return (
            f"The keyring backend {name} keeps secrets in a file on disk; Token Inspector refuses "
            "it and never stores secrets in plaintext."
        )
    return None


def _detected() -> KeyringBackend:
    try:
        import keyring

        return keyring.get_keyring()
    except Exception as exc:  # a configured backend that cannot start (e.g. no D-Bus session)
        raise KeyringUnavailableError(
            f"The configured keyring cannot be used: {type(exc).__name__}: {exc}", hint=how_to_fix()
        ) from exc


def _describe(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"
