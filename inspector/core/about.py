"""What a support person needs to know about an installation: the app's version, the libraries
it runs on and the keyring backend in use (Help ▸ About shows them, with the app's folders).

Versions come from the installed distributions' metadata, so nothing here imports the libraries
themselves; the frozen bundle carries that metadata for exactly these names.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector.core.storage.vault import Vault

#: Distributions whose versions matter when something misbehaves (names as on PyPI).
LIBRARIES = ("PyJWT", "joserfc", "cryptography", "httpx", "keyring")


def library_versions(names: tuple[str, ...] = LIBRARIES) -> dict[str, str]:
    """``{distribution: version}``; "not installed" for one that cannot be found."""
    found: dict[str, str] = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def keyring_backend_name(vault: Vault) -> str:
    """The keyring backend secrets go to, as keyring names it ("SecretService Keyring").

    Blocking: finding the backend may ask D-Bus which services run. Raises
    KeyringUnavailableError when there is no backend Token Inspector accepts."""
    backend = vault.backend
    cls = type(backend)
    return f"{backend.name} ({cls.__module__}.{cls.__name__})"
