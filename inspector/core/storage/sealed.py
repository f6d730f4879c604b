"""The encrypted envelope of the history file: AES-256-GCM (NIST SP 800-38D) via cryptography.

Layout (formats 2 and 3)::

    magic (8) | format version (1) | key id (8) | generation (8) | nonce (12) | ciphertext + 16-byte tag

The data key is 256 random bits kept in the keyring. Every write draws a fresh random 96-bit
nonce; with one key, the chance of a repeat stays negligible far beyond any history's lifetime of
writes. Everything before the nonce is the associated data, so the version, the key id and the
generation cannot be altered without the tag failing. The key id (a truncated SHA-256 of the key)
lets us say "this file belongs to another key" instead of a bare "cannot decrypt"; it reveals
nothing of the key. The generation counts the writes under one key, so a file older than the last
one written — a copy put back — can be told from the newest (the history compares it with the
generation it recorded in the keyring).

Format 1 files (no generation) are still read, as generation 0. Format 3 has format 2's envelope;
its plaintext may hold saved flows (see :mod:`history_table`), which a version that reads only up
to format 2 would misread, so such a version refuses the file as newer instead. Every write is
format 3.
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass

from inspector.core.errors import StorageError

MAGIC = b"\x89TIHIST\n"
FORMAT_VERSION = 3
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
_PREFIX = struct.Struct(">8sB8s")  # magic, version, key id: the whole header of format 1
_GENERATION = struct.Struct(">Q")
_HEADER_BYTES = {1: _PREFIX.size, 2: _PREFIX.size + _GENERATION.size, 3: _PREFIX.size + _GENERATION.size}
#: Enough leading bytes to hold the nonce of any version: they differ whenever the file was rewritten.
PREAMBLE_BYTES = _HEADER_BYTES[FORMAT_VERSION] + NONCE_BYTES


@dataclass(frozen=True)
class Header:
    """What a file's header says; trustworthy only once :func:`unseal` accepted the tag."""

    version: int
    key_id: bytes
    generation: int

    @property
    def size(self) -> int:
        return _HEADER_BYTES[self.version]


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"token-inspector history key id\x00" + key).digest()[:8]


def seal(key: bytes, plaintext: bytes, generation: int) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = _PREFIX.pack(MAGIC, FORMAT_VERSION, key_id(key)) + _GENERATION.pack(generation)
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header)


def read_header(blob: bytes, where: str) -> Header:
    """``blob``'s header, after checking it is a history file this version can read."""
    damaged = StorageError(
        f"{where} is not a Token Inspector history file, or it is damaged.",
        hint="It was left untouched; move it aside, or run `token-inspector history clear` to start a new history.",
    )
    if len(blob) < _PREFIX.size or not blob.startswith(MAGIC):
        raise damaged
    _magic, version, kid = _PREFIX.unpack_from(blob)
    if version > FORMAT_VERSION:
        raise StorageError(
            f"{where} was written by a newer Token Inspector (history format {version}; this "
            f"version reads up to {FORMAT_VERSION}).",
            hint="Upgrade Token Inspector to read it; the file was left untouched.",
        )
    if version not in _HEADER_BYTES or len(blob) < _HEADER_BYTES[version] + NONCE_BYTES + TAG_BYTES:
        raise damaged
    generation = _GENERATION.unpack_from(blob, _PREFIX.size)[0] if version >= 2 else 0
    return Header(version, kid, generation)


def unseal(key: bytes, blob: bytes, where: str) -> bytes:
    """Decrypt ``blob``; a wrong key or any altered byte raises StorageError."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = read_header(blob, where)
    if header.key_id != key_id(key):
        raise StorageError(
            f"{where} was encrypted with a different key than the one in your keyring "
            "(the keyring entry was replaced or belongs to another machine).",
            hint="It cannot be read without its own key; `token-inspector history clear` starts a new history.",
        )
    view = memoryview(blob)  # no copies of a file that may be megabytes
    start = header.size + NONCE_BYTES
    try:
        return AESGCM(key).decrypt(view[header.size : start], view[start:], view[: header.size])
    except InvalidTag as exc:
        raise StorageError(
            f"{where} is damaged or was altered: its authentication tag does not match.",
            hint="It was left untouched; move it aside, or run `token-inspector history clear` to start a new history.",
        ) from exc
