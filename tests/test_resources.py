"""The run-time resources: found through importlib.resources, the PNGs rendered from the SVG."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

from inspector.resources import ICON_SIZES, icon_files, icon_svg


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (PNG spec §11.2.2)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_every_icon_size_is_a_square_png_of_that_size():
    files = icon_files()
    assert sorted(files) == sorted(ICON_SIZES)
    for size, resource in files.items():
        assert png_size(resource.read_bytes()) == (size, size), resource.name


def test_the_svg_is_a_square_svg_document():
    root = ET.fromstring(icon_svg().read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"
