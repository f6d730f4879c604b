"""Render the app icon's PNG sizes from its SVG (run once after changing the SVG; the PNGs are
committed, so neither the app nor its builds need an SVG renderer).

    .venv/bin/python packaging/render_icons.py

Uses QtSvg from the development venv's PySide6. The sizes are the hicolor theme's usual ones
(freedesktop Icon Theme Specification) plus 512 for software centres.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspector.resources import ICON_NAME, ICON_SIZES  # noqa: E402


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication([])
    folder = ROOT / "inspector" / "resources" / "icons"
    renderer = QSvgRenderer(str(folder / f"{ICON_NAME}.svg"))
    if not renderer.isValid():
        sys.exit("render_icons: the SVG could not be read")
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = folder / f"{ICON_NAME}-{size}.png"
        if not image.save(str(target), "PNG"):
            sys.exit(f"render_icons: could not write {target}")
        print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
