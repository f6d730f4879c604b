"""The wheel and sdist from `python -m build` (packaging/build-wheel.sh): what they carry, and a
fresh venv where the installed wheel's `token-inspector` command works from its own files.

The fresh venv gets the wheel alone (--no-deps, offline); its dependencies come from this test
venv's site-packages through a .pth line — the same pinned versions, no download — and `pip check`
proves they satisfy what the wheel declares. This venv's editable install is not on that path
(its own .pth files are not processed), and the commands run outside the source tree, so every
`inspector` file they use is the wheel's."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from inspector import __version__
from inspector.resources import ICON_SIZES
from tests.packaging.conftest import SLOW, child_env
from tests.support.jose import sign
from tests.support.keys import HS256_SECRET

pytestmark = SLOW

ICONS = {f"inspector/resources/icons/token-inspector-{size}.png" for size in ICON_SIZES} | {
    "inspector/resources/icons/token-inspector.svg"}


def test_the_wheel_carries_the_icons_and_the_command_but_not_the_screenshots(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(f"token_inspector-{__version__}.dist-info/entry_points.txt").decode()
        metadata = archive.read(f"token_inspector-{__version__}.dist-info/METADATA").decode()
    assert ICONS <= names
    assert not [name for name in names if "screenshots" in name or name.startswith("tests/")]
    assert "token-inspector = inspector.cli.main:main" in entry_points
    assert f"Version: {__version__}\n" in metadata


def test_the_sdist_carries_the_icons(wheel):
    sdist = wheel.with_name(f"token_inspector-{__version__}.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert ICONS <= names and "pyproject.toml" in names
    assert not [name for name in names if "screenshots" in name]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv holding the wheel; returns its bin folder."""
    venv = tmp_path_factory.mktemp("wheel-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=300, env=child_env())
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "test-venv-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def run(command: list[str], cwd: Path, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=120, cwd=cwd,
                            env=child_env(**env))
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_the_installed_wheel_satisfies_its_declared_dependencies(installed, tmp_path):
    check = run([sys.executable, "-m", "pip", "--python", str(installed / "python"), "check"], tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_installed_command_prints_the_version_and_decodes(installed, tmp_path):
    version = run([str(installed / "token-inspector"), "--version"], tmp_path)
    assert (version.returncode, version.stdout) == (0, f"token-inspector {__version__}\n")
    decoded = run([str(installed / "token-inspector"), "decode", "-", "--json"], tmp_path,
                  stdin=sign({"sub": "wheel-user"}, HS256_SECRET, "HS256"))
    assert decoded.returncode == 0 and json.loads(decoded.stdout)["claims"] == {"sub": "wheel-user"}


def test_the_installed_package_reads_its_icons_from_the_wheel(installed, tmp_path):
    code = ("import importlib.metadata, inspector, inspector.resources as r; "
            "print(inspector.__file__); print(importlib.metadata.version('token-inspector')); "
            "print(all(f.read_bytes().startswith(b'\\x89PNG') for f in r.icon_files().values()))")
    lines = run([str(installed / "python"), "-c", code], tmp_path).stdout.splitlines()
    assert lines[0].startswith(str(installed.parent / "lib")), "inspector was not imported from the wheel"
    assert lines[1:] == [__version__, "True"]


def test_the_installed_gui_opens_its_window_then_quits(installed, tmp_path):
    result = run([str(installed / "token-inspector")], tmp_path, TOKEN_INSPECTOR_HOME=str(tmp_path / "home"),
                 QT_QPA_PLATFORM="offscreen", TOKEN_INSPECTOR_EXIT_AFTER_PAINT="1")
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["painted", "ready", "idle"]
