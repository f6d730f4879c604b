"""The notice of a native crash in the last run: above the panels, not in the way, the trace one
click away in the error dialog with Copy details, gone when dismissed."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

from inspector.ui.native_crash import TRACE_FILE, install
from inspector.ui.views.crash_notice import CrashNotice
from inspector.ui.views.error_dialog import ErrorDialog

TRACE = """Fatal Python error: Aborted

Current thread 0x00007f0c (most recent call first):
  File "/app/inspector/ui/views/step_detail.py", line 171 in show_step
"""


def test_the_last_runs_trace_is_offered_without_blocking_the_window(window, qtbot, context):
    context.paths.data_dir.mkdir(parents=True, exist_ok=True)
    (context.paths.data_dir / TRACE_FILE).write_text(TRACE)
    trace = install(context.paths, enable=lambda *_a, **_k: None)
    notice = window.show_crash_notice(trace.previous, trace.kept)
    trace.file.close()
    assert isinstance(notice, CrashNotice) and notice.isVisible()
    assert "closed unexpectedly the last time" in notice.text()
    assert window.centralWidget().layout().indexOf(notice) == 1, "right under the profile bar"
    assert window.sidebar.isEnabled() and QGuiApplication.modalWindow() is None

    notice.show_button.click()
    dialog = notice.dialog
    assert isinstance(dialog, ErrorDialog) and dialog.isVisible() and not dialog.isModal()
    assert "show_step" in dialog.details and str(trace.kept) in dialog.details
    dialog.copy_button.click()
    assert "Fatal Python error: Aborted" in QGuiApplication.clipboard().text()
    dialog.done(QDialog.DialogCode.Rejected)

    notice.dismiss_button.click()
    assert not notice.isVisible()
    qtbot.waitUntil(lambda: window.findChild(CrashNotice) is None, timeout=5000)
