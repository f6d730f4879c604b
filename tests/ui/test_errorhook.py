"""An unexpected exception shows a dialog with copyable details; nothing dies silently."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from inspector.ui.errorhook import ExceptionHook, format_details
from inspector.ui.views.error_dialog import ErrorDialog


def _exc_info(exc: BaseException):
    try:
        raise exc
    except BaseException as caught:  # noqa: BLE001
        return type(caught), caught, caught.__traceback__


def test_details_keep_the_traceback_but_abbreviate_token_like_text():
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz"
    details = format_details(*_exc_info(ValueError(f"bad token {token}")))
    assert "Traceback" in details and "ValueError" in details
    assert token not in details


def test_hook_shows_the_dialog_and_copy_details_fills_the_clipboard(qtbot, capsys):
    hook = ExceptionHook()
    seen: list[ErrorDialog] = []

    def inspect_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ErrorDialog)
        seen.append(dialog)
        dialog.copy_button.click()
        dialog.reject()

    QTimer.singleShot(0, inspect_and_close)
    hook(*_exc_info(RuntimeError("boom")))
    assert len(seen) == 1
    clip = QApplication.clipboard().text()
    assert "unexpected internal error occurred (RuntimeError)" in clip and "Traceback" in clip
    assert "RuntimeError" in capsys.readouterr().err


def test_install_and_uninstall_restore_the_previous_hook(qapp):
    before = sys.excepthook
    hook = ExceptionHook()
    hook.install()
    assert sys.excepthook is hook
    hook.uninstall()
    assert sys.excepthook is before
