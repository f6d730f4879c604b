"""The encrypted envelope of the history file: AES-256-GCM (NIST SP 800-38D) via cryptography.

Layout::

    magic (8) | format version (1) | key id (8) | nonce (12) | ciphertext + 16-byte tag

The data key is 256 random bits kept in the keyring. Every write draws a fresh random 96-bit
nonce; with one key, the chance of a repeat stays negligible far beyond any history's lifetime of
writes. Everything before the nonce is the associated data, so the version and the key id cannot
be altered without the tag failing. The key id (a truncated SHA-256 of the key) lets us say "this
file belongs to another key" instead of a bare "cannot decrypt"; it reveals nothing of the key.
"""

from __future__ import annotations

import hashlib
import os
import struct

from inspector.core.errors import StorageError

MAGIC = b"\x89TIHIST\n"
FORMAT_VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
_HEADER = struct.Struct(">8sB8s")
PREAMBLE_BYTES = _HEADER.size + NONCE_BYTES


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"token-inspector history key id\x00" + key).digest()[:8]


def seal(key: bytes, plaintext: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = _HEADER.pack(MAGIC, FORMAT_VERSION, key_id(key))
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header)


def file_key_id(blob: bytes, where: str) -> bytes:
    """The key id in ``blob``'s header, after checking it is a history file we can read."""
    if len(blob) < PREAMBLE_BYTES + 16 or not blob.startswith(MAGIC):
        raise StorageError(
            f"{where} is not a Token Inspector history file, or it is damaged.",
            hint="It was left untouched; move it aside, or run `token-inspector history clear` to start a new history.",
        )
    _magic, version, kid = _HEADER.unpack_from(blob)
    if version > FORMAT_VERSION:
        raise StorageError(
            f"{where} was written by a newer Token Inspector (history format {version}; this "
            f"version reads up to {FORMAT_VERSION}).",
            hint="Upgrade Token Inspector to read it; the file was left untouched.",
        )
    return kid


def unseal(key: bytes, blob: bytes, where: str) -> bytes:
    """Decrypt ``blob``; a wrong key or any altered byte raises StorageError."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if file_key_id(blob, where) != key_id(key):
        raise StorageError(
            f"{where} was encrypted with a different key than the one in your keyring "
            "(the keyring entry was replaced or belongs to another machine).",
            hint="It cannot be read without its own key; `token-inspector history clear` starts a new history.",
        )
    view = memoryview(blob)  # no copies of a file that may be megabytes
    header, nonce = view[: _HEADER.size], view[_HEADER.size : PREAMBLE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, view[PREAMBLE_BYTES:], header)
    except InvalidTag as exc:
        raise StorageError(
            f"{where} is damaged or was altered: its authentication tag does not match.",
            hint="It was left untouched; move it aside, or run `token-inspector history clear` to start a new history.",
        ) from exc
