"""The main window: what it shows when its own checks fail, and that closing it never hangs."""

from __future__ import annotations

from inspector.ui.app import create_window


def test_a_failing_keyring_check_is_described_in_plain_words(qtbot, broken_storage_context):
    win = create_window(broken_storage_context)
    qtbot.addWidget(win)
    win.check_keyring()
    qtbot.waitUntil(lambda: win.keyring_label.text() == "Keyring: unavailable", timeout=10_000)
    tip = win.keyring_label.toolTip()
    assert tip.startswith("An unexpected internal error occurred (KeyError).")
    assert "did not complete" in tip
