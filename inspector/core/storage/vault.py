"""The OS keyring, behind one small class: the only place secrets are stored.

Client secrets, private keys and the history's data key live here and nowhere else. A backend
that cannot keep a secret safely is refused with :class:`KeyringUnavailableError` — never
replaced by a file:

- ``keyring.backends.fail.Keyring`` (nothing found) and ``keyring.backends.null.Keyring``;
- the chainer when it has nothing acceptable to chain;
- every ``keyrings.alt`` backend (plaintext or weakly protected files);
- a Secret Service that is missing, locked, or fails on the bus (found when it is used).

Values longer than :data:`CHUNK_CHARS` are split over several entries (entry size caps).

The backend is a parameter (tests pass an in-memory one); without one it is found on first use
(:func:`detected_backend`): the user's explicit choice first, then the platform's native keyring
asked directly, then keyring's full detection. Nothing is imported until a secret is actually
needed, so commands that never touch secrets never load keyring or D-Bus. The full detection
imports every backend keyring knows (on Linux its macOS one runs ldconfig, gcc and ld to look for
a library: ~45 ms of CPU, more of wall time), which the direct ask skips; a caller that will need
a secret soon may still resolve :attr:`Vault.backend` on a thread while it does something else
(the flow's history recorder does).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from typing import TYPE_CHECKING, Any

from inspector.core.errors import KeyringUnavailableError, StorageError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "token-inspector"

#: Backends that would "store" a secret in a file, or not at all.
REFUSED_MODULE_PREFIXES = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")

#: Keyring backends cap an entry's size — Windows Credential Manager at 2,560 bytes, i.e. 1,280
#: UTF-16 characters — so longer values (PEM private keys) are stored as parts of this many
#: characters, under ``name#0``, ``name#1``…, with ``name`` holding the marker and the count.
CHUNK_CHARS = 1000
CHUNKED_MARKER = "token-inspector:chunked:v1:"

#: The backend keyring's own detection picks on each platform's desktop (priority 5, the highest of
#: the backends it ships), by ``sys.platform`` prefix: asked directly when nothing was configured.
NATIVE_BACKENDS = (
    ("linux", "keyring.backends.SecretService.Keyring"),  # GNOME, and KDE >= 5.97 (KWallet serves it)
    ("darwin", "keyring.backends.macOS.Keyring"),
    ("win32", "keyring.backends.Windows.WinVaultKeyring"),
)

_process_backend: KeyringBackend | None = None
_detecting = threading.Lock()

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
        self._resolving = threading.Lock()
        self.service = service

    @property
    def backend(self) -> KeyringBackend:
        """The usable backend, resolved once; raises KeyringUnavailableError if there is none.
        A resolution under way on another thread is waited for, not repeated."""
        with self._resolving:
            if self._backend is None:
                self._backend = usable_backend(self._given if self._given is not None else detected_backend())
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
        value = self._get(name)
        if value is None or not value.startswith(CHUNKED_MARKER):
            return value
        parts = [self._get(f"{name}#{index}") for index in range(_chunk_count(value))]
        if any(part is None for part in parts):
            raise StorageError(
                f"The keyring entry {self.service}/{name} is incomplete (a part is missing).",
                hint="Store the secret again (e.g. `token-inspector profile edit NAME ...`).",
            )
        return "".join(part for part in parts if part is not None)

    def set(self, name: str, value: str) -> None:
        """Store ``value``; a long one (a PEM private key) is split over several entries."""
        previous = self._call("store", self.backend.get_password, self.service, name)
        if len(value) <= CHUNK_CHARS:
            self._set(name, value)
            count = 0
        else:
            parts = [value[start : start + CHUNK_CHARS] for start in range(0, len(value), CHUNK_CHARS)]
            for index, part in enumerate(parts):
                self._set(f"{name}#{index}", part)
            self._set(name, f"{CHUNKED_MARKER}{len(parts)}")
            count = len(parts)
        if previous is not None and previous.startswith(CHUNKED_MARKER):
            for index in range(count, _chunk_count(previous)):
                self._delete(f"{name}#{index}")
        log.debug("stored keyring entry %s/%s", self.service, name)

    def delete(self, name: str) -> None:
        """Remove ``name`` (and its parts); a missing entry is not an error."""
        value = self._get(name)
        if value is None:
            return
        if value.startswith(CHUNKED_MARKER):
            for index in range(_chunk_count(value)):
                self._delete(f"{name}#{index}")
        self._delete(name)
        log.debug("deleted keyring entry %s/%s", self.service, name)

    def _get(self, name: str) -> str | None:
        return self._call("read", self.backend.get_password, self.service, name)

    def _set(self, name: str, value: str) -> None:
        self._call("store", self.backend.set_password, self.service, name, value)

    def _delete(self, name: str) -> None:
        if self._get(name) is not None:
            self._call("delete", self.backend.delete_password, self.service, name)

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


def _chunk_count(head: str) -> int:
    try:
        return int(head[len(CHUNKED_MARKER) :])
    except ValueError:
        raise StorageError("A keyring entry of Token Inspector is damaged (bad part count).") from None


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


def detected_backend() -> KeyringBackend:
    """The backend keyring's own detection (``keyring.core._detect_backend``) would pick, without
    its cost when the platform's native backend is there; found once per process and shared by
    every vault, as ``keyring.get_keyring()`` does (a failure is not kept: the next use retries).

    In keyring's order: ``PYTHON_KEYRING_BACKEND``, then ``keyringrc.cfg`` — an explicit choice
    always wins, and one that cannot start is an error, not a reason to pick another. Only then
    the native backend, if viable (its ``priority`` raises when not, as keyring checks); else every
    backend by priority. The native one is what that ranking picks on a desktop: keyring ships no
    backend above it (the chainer, ranked above when several are viable, puts it first and
    :func:`usable_backend` takes its first member), except KWallet's own D-Bus API in a KDE
    session with dbus-python installed — there the full detection runs, so secrets already kept
    in KWallet stay found. Third-party plugins are not consulted before the native backend (those
    ranked above it are package-index credential helpers, not stores): choose one explicitly.
    """
    global _process_backend
    with _detecting:
        if _process_backend is None:
            _process_backend = _detect()
        return _process_backend


def _detect() -> KeyringBackend:
    try:
        from keyring import core

        return core.load_env() or core.load_config() or _native_backend() or _ranked_backend()
    except Exception as exc:  # a configured backend that cannot start (e.g. no D-Bus session)
        raise KeyringUnavailableError(
            f"The configured keyring cannot be used: {type(exc).__name__}: {exc}", hint=how_to_fix()
        ) from exc


def _native_backend() -> KeyringBackend | None:
    from importlib import import_module

    name = next((name for prefix, name in NATIVE_BACKENDS if sys.platform.startswith(prefix)), None)
    if name is None or _kwallet_may_outrank():
        return None
    module, _, class_name = name.rpartition(".")
    try:
        cls = getattr(import_module(module), class_name)
        priority = cls.priority  # keyring's viability check: raises unless usable here and now
    except Exception as exc:  # not installed, no session bus, daemon neither running nor activatable
        log.debug("native keyring %s not viable (%s); running keyring's full detection", name, exc)
        return None
    return cls() if priority >= 1 else None  # keyring's "recommended"


def _kwallet_may_outrank() -> bool:
    """True when keyring's KWallet backend could rank above the Secret Service (5.1 in a KDE
    session; it needs dbus-python, which keyring does not install)."""
    from importlib.util import find_spec

    in_kde = "KDE" in os.environ.get("XDG_CURRENT_DESKTOP", "").split(":")
    return sys.platform.startswith("linux") and in_kde and find_spec("dbus") is not None


def _ranked_backend() -> KeyringBackend:
    """keyring's full detection after its configuration: every backend it can load, by priority."""
    from keyring import backend
    from keyring.backends import fail

    return max(backend.get_all_keyring(), default=fail.Keyring(), key=backend.by_priority)


def _describe(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"
