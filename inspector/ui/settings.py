"""Window settings (geometry, last panel) in an ini file under the app's config directory.

An explicit path, never QSettings' native store, so ``TOKEN_INSPECTOR_HOME`` keeps tests and
throwaway profiles away from the user's own settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

SETTINGS_FILE = "gui.ini"


def config_dir(home: Path | None) -> Path:
    if home is not None:
        return home / "config"
    from platformdirs import user_config_path

    return user_config_path("token-inspector", appauthor=False)


def open_settings(home: Path | None) -> QSettings:
    path = config_dir(home) / SETTINGS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)
