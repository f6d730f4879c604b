"""Window settings (geometry, last panel) in an ini file in the app's config directory.

An explicit path, never QSettings' native store, so ``TOKEN_INSPECTOR_HOME`` keeps tests and
throwaway profiles away from the user's own settings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from inspector.core.storage.paths import AppPaths

SETTINGS_FILE = "gui.ini"


def open_settings(paths: AppPaths) -> QSettings:
    path = paths.config_dir / SETTINGS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)
