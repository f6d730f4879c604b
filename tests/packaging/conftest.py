"""The release builds, made once per session by the scripts users and CI run (slow: minutes)."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from inspector import __version__

ROOT = Path(__file__).resolve().parents[2]
#: Building runs pip and PyInstaller; a cold machine downloads PySide6 first.
BUILD_TIMEOUT = 1200
#: For the tests whose session fixture builds: pytest-timeout counts fixture setup in the test.
SLOW = [pytest.mark.slow, pytest.mark.timeout(BUILD_TIMEOUT + 300)]


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a built app: the session's throwaway home, but no in-memory keyring
    from tests/support (a built app cannot import it) and nothing of this venv on its path."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHON_KEYRING_BACKEND", "PYTHONPATH", "VIRTUAL_ENV") and not key.startswith("MEMORY_KEYRING")}
    env.update(extra)
    return env


def run_script(script: str) -> str:
    result = subprocess.run(["bash", str(ROOT / "packaging" / script)], capture_output=True, text=True, cwd=ROOT,
                            env=child_env(), timeout=BUILD_TIMEOUT, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, f"{script} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


@pytest.fixture(scope="session")
def wheel() -> Path:
    """dist/token_inspector-VERSION-py3-none-any.whl, freshly built by packaging/build-wheel.sh."""
    path = ROOT / run_script("build-wheel.sh").strip().splitlines()[-1]
    assert path.name == f"token_inspector-{__version__}-py3-none-any.whl" and path.is_file()
    return path


@pytest.fixture(scope="session")
def tarball() -> Path:
    """The bundle's tarball, freshly built by `bash packaging/build-bundle.sh`."""
    run_script("build-bundle.sh")
    path = ROOT / "dist" / f"token-inspector-{__version__}-linux-x86_64.tar.gz"
    assert path.is_file()
    return path


@pytest.fixture(scope="session")
def unpacked(tarball: Path, tmp_path_factory) -> Path:
    """The tarball unpacked as a user would: its top folder (install.sh, uninstall.sh, token-inspector/)."""
    target = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="tar")
    return target / f"token-inspector-{__version__}"


@pytest.fixture(scope="session")
def executable(unpacked: Path) -> Path:
    return unpacked / "token-inspector" / "token-inspector"
