"""With no display the app says so plainly instead of letting Qt abort the process."""

from __future__ import annotations

import subprocess
import sys

from inspector.ui.display import display_problem


def test_linux_without_display_or_wayland_is_a_problem() -> None:
    assert "no display" in display_problem({}, "linux")


def test_any_display_or_explicit_qt_platform_is_fine() -> None:
    for env in ({"DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0"}, {"QT_QPA_PLATFORM": "offscreen"}):
        assert display_problem(env, "linux") is None


def test_other_systems_always_have_a_display() -> None:
    assert display_problem({}, "win32") is None
    assert display_problem({}, "darwin") is None


def test_the_command_without_a_display_exits_2_with_the_message_and_no_qt() -> None:
    code = (
        "import sys; from inspector.cli.main import main; rc = main([]); "
        "assert 'PySide6' not in sys.modules; sys.exit(rc)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "no display" in result.stderr
    assert "Traceback" not in result.stderr
