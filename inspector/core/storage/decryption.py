"""A profile's decryption key: kept only in the keyring, loaded when a JWE is to be decrypted.

The Decoder (in a worker) and the flows read it through here, so the keyring entry's name and
the loading live in one place. Blocking: the keyring may prompt or use D-Bus.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from inspector.core.errors import KeySourceError

if TYPE_CHECKING:
    from inspector.core.jose.jwe_keys import DecryptionKey
    from inspector.core.storage.profiles import ProfileStore

__all__ = ["KIND", "profile_decryption_keys"]

#: The profile secret kind (see :data:`inspector.core.storage.profile_model.SECRET_KINDS`).
KIND = "decryption_key"


def profile_decryption_keys(profiles: ProfileStore, name: str) -> list[DecryptionKey]:
    """The keys in profile ``name``'s stored decryption key; KeySourceError when it has none or
    the stored text no longer loads (ProfileNotFoundError, KeyringUnavailableError pass through)."""
    from inspector.core.jose.jwe_keys import load_decryption_keys

    text = profiles.secret(name, KIND)
    if text is None:
        raise KeySourceError(f"Profile {name!r} has no decryption key.",
                             hint="Add the client's private key for encrypted tokens to the profile (it is kept "
                                  "in the keyring), or paste the key.")
    try:
        keys = load_decryption_keys(text)
    except KeySourceError as exc:
        raise KeySourceError(f"The decryption key of profile {name!r} cannot be used: {exc.message}",
                             hint=exc.hint) from exc
    return [replace(key, source=f"profile {name!r} {key.source}") for key in keys]
