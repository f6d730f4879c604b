"""The application icon, from the PNGs shipped in :mod:`inspector.resources`."""

from __future__ import annotations

import os

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from inspector.resources import icon_files

#: Window managers get every size of a window's icon (X11 copies them all into a window
#: property); the 512 px one is for software centres only.
WINDOW_ICON_MAX = 256


def app_icon() -> QIcon:
    """The icon in every size up to :data:`WINDOW_ICON_MAX`; Qt reads each file when first drawn."""
    icon = QIcon()
    for size, resource in icon_files().items():
        if size <= WINDOW_ICON_MAX:
            icon.addFile(os.fspath(resource), QSize(size, size))
    return icon
