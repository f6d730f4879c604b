"""Everything the window takes from the outside world, passed in so tests can substitute it.

Heavy dependencies (storage → cryptography/keyring, protocol → httpx) are imported lazily,
from workers or after the first paint, so the window appears as fast as a bare Qt window.
The service methods below block (HTTP, keyring): call them from a worker only.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from inspector.core.errors import KeySourceError, ProfileNotFoundError
from inspector.core.storage.paths import AppPaths, default_paths
from inspector.ui.clock_monitor import ClockMonitor
from inspector.ui.workers import WorkerPool

if TYPE_CHECKING:
    from inspector.core.flows.cancel import CancelToken
    from inspector.core.jose.keys import VerificationKey
    from inspector.core.protocol.http import Client
    from inspector.core.protocol.jwks import JwksCache
    from inspector.core.storage.context import Storage
    from inspector.core.storage.profile_model import Profile

#: Seconds any one HTTP request may take before it becomes a timeout finding.
HTTP_TIMEOUT = 15.0


def open_in_system_browser(url: str) -> bool:
    """The default opener: the user's browser, via the desktop's URL handler."""
    return QDesktopServices.openUrl(QUrl(url))


@dataclass
class AppContext:
    """Services shared by the panels.

    ``keyring_backend`` None means the system keyring; ``transport`` None means real HTTP;
    ``open_url`` opens the authorization URL (tests replace it with a scripted user agent).
    """

    pool: WorkerPool
    paths: AppPaths
    keyring_backend: Any = None
    transport: Any = None
    open_url: Callable[[str], bool] = open_in_system_browser
    clock: Callable[[], float] = time.time
    active_profile: str | None = None
    #: Seconds a flow waits for the browser to come back (Settings ▸ Time to sign in).
    sign_in_timeout: float = 120.0
    #: How device polling waits: (cancel token, seconds); returns early on cancel. Tests shorten it.
    poll_wait: Callable[[Any, float], Any] = lambda cancel, seconds: cancel.wait(seconds)
    #: Held by every worker job that touches the stores, so their file operations never interleave.
    storage_lock: Any = field(default_factory=threading.RLock, repr=False)
    #: Clock readings from the Date headers of the responses the app gets anyway.
    clocks: ClockMonitor = field(default_factory=ClockMonitor, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _storage: "Storage | None" = field(default=None, repr=False)
    _jwks: "JwksCache | None" = field(default=None, repr=False)

    @classmethod
    def from_environment(cls, pool: WorkerPool, paths: AppPaths | None = None) -> "AppContext":
        """The real machine: ``TOKEN_INSPECTOR_HOME`` or the platform's folders (unless ``paths``
        were already found), system keyring."""
        return cls(pool=pool, paths=paths or default_paths())

    @property
    def storage(self) -> "Storage":
        with self._lock:
            if self._storage is None:
                from inspector.core.storage.context import Storage
                from inspector.core.storage.vault import Vault

                self._storage = Storage(self.paths, Vault(self.keyring_backend))
            return self._storage

    @property
    def jwks_cache(self) -> "JwksCache":
        with self._lock:
            if self._jwks is None:
                from inspector.core.protocol.jwks import JwksCache

                self._jwks = JwksCache()
            return self._jwks

    def http_client(self, ca_bundle: str | None = None) -> "Client":
        from inspector.core.protocol.http import make_client

        return make_client(timeout=HTTP_TIMEOUT, ca_bundle=ca_bundle or None, transport=self.transport)

    @contextmanager
    def cancellable_client(self, cancel: "CancelToken", ca_bundle: str | None = None) -> Iterator["Client"]:
        """An HTTP client that ``cancel`` closes, aborting the request in flight: Cancel and
        closing the window must not wait out :data:`HTTP_TIMEOUT`. After a cancel the request
        fails; the worker reports that as cancelled, not as an error."""
        with self.http_client(ca_bundle) as client:
            unlink = cancel.on_cancel(client.close)
            try:
                yield client
            finally:
                unlink()

    def load_profile(self, name: str | None) -> "Profile":
        if not name:
            raise ProfileNotFoundError(
                "No profile is chosen.", hint="Pick one in the Profile box at the top, or choose another key source."
            )
        return self.storage.profiles.get(name)

    def note_exchanges(self, exchanges: Any, issuer: str | None = None) -> None:
        """Read the clock off the responses just received (call right after they return)."""
        self.clocks.note(exchanges, self.clock(), issuer)

    def fetch_jwks(self, url: str, cancel: "CancelToken", ca_bundle: str | None = None,
                   kid: str | None = None, issuer: str | None = None) -> list["VerificationKey"]:
        """The keys published at ``url`` (cached per URL; refetched once for an unknown kid)."""
        with self.cancellable_client(cancel, ca_bundle) as client:
            result = self.jwks_cache.keys(client, url, kid)
        self.note_exchanges(result.exchanges, issuer)
        if not result.keys:
            from inspector.ui.setting_names import gui_namer

            reasons = " ".join(f.text(gui_namer(None)) for f in result.findings) or "The key set is empty."
            raise KeySourceError(f"No keys could be loaded from {url}. {reasons}")
        return result.keys

    def fetch_profile_keys(self, profile: "Profile", cancel: "CancelToken",
                           kid: str | None = None) -> list["VerificationKey"]:
        """The profile's ``jwks_uri``, set by hand or found by discovery."""
        jwks_uri = profile.endpoints.get("jwks_uri")
        if not jwks_uri and profile.issuer:
            from inspector.core.protocol.discovery import discover

            with self.cancellable_client(cancel, profile.ca_bundle) as client:
                found = discover(profile.issuer, client)
            self.note_exchanges(found.exchanges, profile.issuer)
            jwks_uri = found.endpoint("jwks_uri")
        if not jwks_uri:
            raise KeySourceError(
                f"Profile {profile.name!r} has no JWKS URL and discovery did not give one.",
                hint="Run Discover on the Profiles panel, or set the jwks_uri endpoint by hand.",
            )
        if cancel.cancelled:
            return []
        return self.fetch_jwks(jwks_uri, cancel, profile.ca_bundle, kid, issuer=profile.issuer)
