"""Rollback detection for the history file: the generation last written, kept in the keyring.

Every write of the history file carries a generation in its authenticated header (see
:mod:`sealed`), one more than the file it replaces. After each write the history records
``<key id>:<generation>`` in the keyring entry :data:`ENTRY_NAME`; the key id binds the record
to the data key, so a record left by a cleared history never judges a new one. A file whose
generation is below the record is an older copy put back: it would bring back tokens the user
deleted and silently drop the newest ones, so the history refuses it with
:func:`rolled_back_error` until the user accepts it explicitly (``history accept-older``, or
*Use this file* in the History panel).

The record is written after the file, so a crash in between leaves a file newer than its record,
which is accepted. Files of format 1 (no generation) read as generation 0 with no record:
they open as before and get a generation on their next write.
"""

from __future__ import annotations

import logging
from pathlib import Path

from inspector.core.errors import KeyringUnavailableError, StorageError
from inspector.core.storage.vault import Vault

__all__ = ["ENTRY_NAME", "ROLLED_BACK", "GenerationRecord", "rolled_back_error"]

log = logging.getLogger(__name__)

ENTRY_NAME = "history-generation"
#: The code of the error a rolled-back history file raises (the GUI offers to accept the file).
ROLLED_BACK = "history_rolled_back"


class GenerationRecord:
    """The generation last written under one data key, as the keyring remembers it."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    def last_written(self, key_id: bytes) -> int:
        """The recorded generation for this key; 0 when there is none (a format 1 file, a new key)."""
        stored = self.vault.get(ENTRY_NAME)
        if stored is None:
            return 0
        recorded_key, _sep, number = stored.partition(":")
        if recorded_key != key_id.hex():
            return 0  # left by a history that was cleared since: its key is gone
        if not number.isdigit():
            log.warning("the keyring entry %s is damaged; the history's rollback check restarts", ENTRY_NAME)
            return 0
        return int(number)

    def record(self, key_id: bytes, generation: int) -> None:
        """Remember ``generation`` as written. The file is already safely written when this runs,
        so a keyring that refuses now only weakens the check until the next write: say so in the
        log rather than report a save that succeeded as failed."""
        try:
            self.vault.set(ENTRY_NAME, f"{key_id.hex()}:{generation}")
        except KeyringUnavailableError as exc:
            log.warning("the history was saved, but its generation could not be recorded: %s", exc)

    def forget(self) -> None:
        self.vault.delete(ENTRY_NAME)


def rolled_back_error(path: Path, found: int, expected: int) -> StorageError:
    return StorageError(
        f"The history file {path} is older than the last one Token Inspector wrote (it is save number "
        f"{found}; save number {expected} was already made). It was probably copied back from a backup or "
        "another copy: it can bring back tokens you deleted, and the newest tokens are not in it.",
        code=ROLLED_BACK,
        hint="Nothing was changed. If you put it back on purpose, accept it with `token-inspector history "
        "accept-older` (or Use this file in the History panel); otherwise put the newest history.bin back.",
    )
