"""Everything the window takes from the outside world, passed in so tests can substitute it.

Heavy dependencies (storage → cryptography/keyring, protocol → httpx) are imported lazily,
from workers or after the first paint, so the window appears as fast as a bare Qt window.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from inspector.core.storage.paths import AppPaths, default_paths
from inspector.ui.workers import WorkerPool


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
    _stores: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_environment(cls, pool: WorkerPool) -> "AppContext":
        """The real machine: ``TOKEN_INSPECTOR_HOME`` or the platform's folders, system keyring."""
        return cls(pool=pool, paths=default_paths())
