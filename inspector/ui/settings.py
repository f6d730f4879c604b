"""Window settings (geometry, last panel) and preferences in an ini file in the app's config directory.

An explicit path, never QSettings' native store, so ``TOKEN_INSPECTOR_HOME`` keeps tests and
throwaway profiles away from the user's own settings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from inspector.core.storage.paths import AppPaths

SETTINGS_FILE = "gui.ini"
#: "Record decoded tokens in history" (issue 4 §2): on unless the user turns it off.
RECORD_DECODED = "history/record_decoded"


def open_settings(paths: AppPaths) -> QSettings:
    path = paths.config_dir / SETTINGS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def record_decoded(settings: QSettings) -> bool:
    """Whether tokens decoded or verified in the GUI go to the history (default: yes)."""
    return bool(settings.value(RECORD_DECODED, True, type=bool))


def set_record_decoded(settings: QSettings, on: bool) -> None:
    settings.setValue(RECORD_DECODED, bool(on))
    settings.sync()
