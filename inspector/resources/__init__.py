"""Files the app needs at run time (the icon in SVG and PNG sizes), found with
:mod:`importlib.resources` so they load the same from a source tree, a wheel or a frozen bundle.

This package imports nothing heavy: the CLI and the packaging scripts read its constants too.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

#: The application's id (reverse DNS, AppStream and freedesktop Desktop Entry): the .desktop
#: file's name, the window's desktop file name (Wayland's app_id) and the icon's name in themes.
APP_ID = "io.github.tokeninspector.TokenInspector"
#: The stem of the icon files below.
ICON_NAME = "token-inspector"
#: PNG sizes shipped (pixels, square), rendered from the SVG by packaging/render_icons.py.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_files() -> dict[int, Traversable]:
    """The PNG of each size, by size."""
    folder = files(__name__) / "icons"
    return {size: folder / f"{ICON_NAME}-{size}.png" for size in ICON_SIZES}


def icon_svg() -> Traversable:
    return files(__name__) / "icons" / f"{ICON_NAME}.svg"
