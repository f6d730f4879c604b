"""The decrypt job the Decoder runs in a worker: take the key the user chose, then decrypt.

Only glue: keys come from :mod:`inspector.core.jose.jwe_keys` (pasted text or a file) or the
active profile's decryption key in the keyring (:mod:`inspector.core.storage.decryption`);
the outcome is the core's :class:`~inspector.core.jose.jwe.Decryption`. Everything here runs off
the GUI thread: loading a key imports the JOSE library, and the keyring may prompt or use D-Bus.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from inspector.core.errors import KeySourceError

if TYPE_CHECKING:
    from inspector.ui.context import AppContext

#: The most read from a key file: far above any JWK Set or PEM.
MAX_KEY_FILE_BYTES = 1024 * 1024


class DecryptSource(str, Enum):
    PASTED = "pasted"
    PROFILE = "profile"


@dataclass(frozen=True)
class DecryptRequest:
    """A snapshot of the form, taken on the GUI thread and handed to the worker."""

    token: str
    source: DecryptSource
    key_text: str = ""
    profile: str | None = None


def run_decryption(request: DecryptRequest, context: AppContext) -> Any:
    """The core's Decryption of ``request.token``; KeySourceError when there is no usable key."""
    from inspector.core.jose.jwe import decrypt

    if request.source is DecryptSource.PROFILE:
        from inspector.core.storage.decryption import profile_decryption_keys

        name = context.load_profile(request.profile).name
        with context.storage_lock:
            keys = profile_decryption_keys(context.storage.profiles, name)
    else:
        from inspector.core.jose.jwe_keys import load_decryption_keys

        if not request.key_text.strip():
            raise KeySourceError("Paste the recipient's private key (JWK, JWK Set or PEM) first, load it from a "
                                 "file, or use the profile's decryption key.")
        keys = load_decryption_keys(request.key_text)
    return decrypt(request.token, keys)


def read_key_file(path: str) -> str:
    """A key file's text, read bounded (a FIFO or device named by mistake never hangs the worker)."""
    from inspector.core.files import read_bounded

    data = read_bounded(path, limit=MAX_KEY_FILE_BYTES, what="the key file", error=KeySourceError)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KeySourceError(f"The key file {path!r} is not text: a JWK, JWK Set or PEM key is.") from exc
