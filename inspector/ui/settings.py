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
#: Seconds a flow waits for the browser to come back from signing in (Settings › Time to sign in).
SIGN_IN_TIMEOUT = "flows/sign_in_timeout"
#: The choices the menu offers, in seconds; the first is the default.
SIGN_IN_CHOICES = (120.0, 300.0, 600.0, 1800.0)


def open_settings(paths: AppPaths) -> QSettings:
    """The settings file, usable whatever state it is in: the window must open regardless.

    A file Qt cannot parse is set aside as ``gui.ini.damaged`` and replaced by defaults, since
    Qt never writes over a file it could not read (the window would forget its place for good).
    A config folder that cannot be created leaves settings for this session only.
    """
    path = paths.config_dir / SETTINGS_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # QSettings reports AccessError on saving; nothing here is worth refusing to start over
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.allKeys()  # the file is parsed lazily; status() tells only after a read
    if settings.status() != QSettings.Status.FormatError:
        return settings
    del settings
    try:
        path.replace(path.with_name(SETTINGS_FILE + ".damaged"))
    except OSError:
        pass
    return QSettings(str(path), QSettings.Format.IniFormat)


def record_decoded(settings: QSettings) -> bool:
    """Whether tokens decoded or verified in the GUI go to the history (default: yes)."""
    return bool(settings.value(RECORD_DECODED, True, type=bool))


def set_record_decoded(settings: QSettings, on: bool) -> None:
    settings.setValue(RECORD_DECODED, bool(on))
    settings.sync()


def sign_in_timeout(settings: QSettings) -> float:
    """How long flows wait for the browser; a value the menu does not offer reads as the default."""
    value = settings.value(SIGN_IN_TIMEOUT, SIGN_IN_CHOICES[0])
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return SIGN_IN_CHOICES[0]
    return seconds if seconds in SIGN_IN_CHOICES else SIGN_IN_CHOICES[0]


def set_sign_in_timeout(settings: QSettings, seconds: float) -> None:
    settings.setValue(SIGN_IN_TIMEOUT, float(seconds))
    settings.sync()
