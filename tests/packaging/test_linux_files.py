"""The launcher entry and AppStream data under packaging/linux: valid for the distribution's own
validators when they are installed (bootstrap installs them for tests), else by a schema check;
consistent with the app id, the icon name, the window's WM_CLASS and the version."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from inspector import __version__
from inspector.resources import APP_ID

LINUX = Path(__file__).resolve().parents[2] / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive (Desktop Entry spec)
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_passes_desktop_file_validate():
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (bootstrap.sh test installs desktop-file-utils)")
    result = subprocess.run([validator, str(DESKTOP)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout


def test_the_desktop_entry_launches_token_inspector_with_its_icon():
    entry = desktop_entry()
    assert entry["Type"] == "Application" and entry["Name"] == "Token Inspector"
    assert entry["Exec"] == "token-inspector" and entry["TryExec"] == "token-inspector"  # install.sh makes them absolute
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    # Qt's WM_CLASS is (binary name, application name): X11 desktops match windows to entries by it.
    assert entry["StartupWMClass"] == "Token Inspector"


def test_the_metainfo_passes_appstreamcli_validate():
    validator = shutil.which("appstreamcli")
    if validator is None:
        pytest.skip("appstreamcli is not installed (bootstrap.sh test installs appstream)")
    result = subprocess.run([validator, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_metainfo_has_what_appstream_requires_of_a_desktop_application():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    for required in ("id", "metadata_license", "project_license", "name", "summary", "description"):
        assert root.find(required) is not None, required
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id" and launchable.text == DESKTOP.name
    assert root.findtext("provides/binary") == "token-inspector"


def test_the_newest_release_in_the_metainfo_is_this_version():
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases and releases[0].get("version") == __version__
