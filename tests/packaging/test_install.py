"""install.sh and uninstall.sh from the unpacked tarball, for a user without root: where the
files go (XDG Base Directory and Icon Theme specs), that the launcher runs, and that uninstall
leaves nothing behind but the folders it found."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from inspector import __version__
from inspector.resources import APP_ID, ICON_SIZES
from tests.packaging.conftest import SLOW, child_env

pytestmark = SLOW


def script(unpacked_or_opt: Path, name: str, home: Path, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(["bash", str(unpacked_or_opt / name)], capture_output=True, text=True, timeout=300,
                            env=child_env(HOME=str(home), **env), cwd=home)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if not path.is_dir() or path.is_symlink()}


def expected_files(home: Path, data_home: Path) -> set[Path]:
    icons = data_home / "icons" / "hicolor"
    return {
        home / ".local" / "bin" / "token-inspector",
        data_home / "applications" / f"{APP_ID}.desktop",
        data_home / "metainfo" / f"{APP_ID}.metainfo.xml",
        icons / "scalable" / "apps" / f"{APP_ID}.svg",
        *(icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in ICON_SIZES),
    }


def test_install_puts_the_app_launcher_and_icons_where_the_xdg_specs_say(unpacked, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    installed = script(unpacked, "install.sh", home, PATH=os.environ["PATH"])
    opt = home / ".local" / "opt" / "token-inspector"
    data_home = home / ".local" / "share"
    outside_opt = {path for path in files_under(home) if opt not in path.parents}
    assert outside_opt == expected_files(home, data_home)
    assert "is not on your PATH" in installed.stdout

    link = home / ".local" / "bin" / "token-inspector"
    assert os.readlink(link) == str(opt / "token-inspector")
    version = subprocess.run([str(link), "--version"], capture_output=True, text=True, timeout=60, env=child_env())
    assert version.stdout == f"token-inspector {__version__}\n"
    entry = (data_home / "applications" / f"{APP_ID}.desktop").read_text()
    assert f'Exec="{opt}/token-inspector"\n' in entry and f"TryExec={opt}/token-inspector\n" in entry
    assert f"Icon={APP_ID}\n" in entry
    assert (opt / "uninstall.sh").is_file()


def test_install_honours_xdg_data_home_and_uninstall_removes_everything(unpacked, tmp_path):
    home, data_home = tmp_path / "home", tmp_path / "data-home"
    home.mkdir()
    script(unpacked, "install.sh", home, XDG_DATA_HOME=str(data_home))
    assert files_under(data_home) == expected_files(home, data_home) - {home / ".local" / "bin" / "token-inspector"}
    assert not (home / ".local" / "share").exists()

    script(unpacked, "install.sh", home, XDG_DATA_HOME=str(data_home))  # again: replaces, never nests
    assert not (home / ".local" / "opt" / "token-inspector" / "token-inspector" / "token-inspector").exists()

    removed = script(home / ".local" / "opt" / "token-inspector", "uninstall.sh", home)  # XDG_DATA_HOME no longer set
    assert "profiles, history and keyring entries are kept" in removed.stdout
    assert files_under(home) == set() and files_under(data_home) == set()


def test_a_relative_xdg_data_home_is_ignored_as_the_spec_says(unpacked, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    script(unpacked, "install.sh", home, XDG_DATA_HOME="relative/share")
    assert (home / ".local" / "share" / "applications" / f"{APP_ID}.desktop").is_file()
    assert not (home / "relative").exists()


def test_uninstall_leaves_a_token_inspector_command_it_did_not_install(unpacked, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    script(unpacked, "install.sh", home)
    link = home / ".local" / "bin" / "token-inspector"
    link.unlink()
    link.symlink_to("/usr/bin/true")  # e.g. the user pointed it at a pipx install meanwhile
    script(home / ".local" / "opt" / "token-inspector", "uninstall.sh", home)
    assert os.readlink(link) == "/usr/bin/true"
