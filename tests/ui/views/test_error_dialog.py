"""The error dialog: plain words first, details to copy — with tokens shortened everywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from inspector.ui.views.error_dialog import ErrorDialog

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz"


def test_copy_details_shortens_a_token_quoted_in_the_summary_too(qtbot):
    dialog = ErrorDialog(f"The token {TOKEN} could not be stored.",
                         f"Traceback (most recent call last):\n  File x\nStorageError: cannot store {TOKEN}")
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert TOKEN not in copied
    assert copied.count("eyJhbG…(") == 2
    assert "could not be stored." in copied and "StorageError" in copied
    assert dialog.copy_button.text() == "Copied"


def test_every_control_is_named_and_tab_follows_details_copy_close(qtbot):
    dialog = ErrorDialog("Something failed.", "Traceback …")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    focusable = [w for w in dialog.findChildren(QWidget)
                 if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(dialog)]
    assert [w for w in focusable if not w.accessibleName()] == []
    close = next(w for w in focusable if w.accessibleName() == "Close dialog")
    assert dialog.copy_button.x() < close.x()  # so the order below is the visual one
    dialog.details_view.setFocus()
    order = []
    for _ in range(3):
        order.append(QApplication.focusWidget().accessibleName())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert order == ["Technical details", "Copy details", "Close dialog"]
