"""Unexpected exceptions become a dialog, never a silent death or a bare traceback."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType
from typing import Callable

from PySide6.QtWidgets import QApplication, QWidget

from inspector.core.errors import describe
from inspector.core.redact import redact_text


def format_details(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The traceback, with anything token-like in the message abbreviated so it is safe to share."""
    frames = "".join(traceback.format_tb(tb))
    message = redact_text(str(exc))
    return f"Traceback (most recent call last):\n{frames}{exc_type.__qualname__}: {message}"


class ExceptionHook:
    """A ``sys.excepthook`` replacement that shows :class:`ErrorDialog` (one at a time)."""

    def __init__(self, parent_getter: Callable[[], QWidget | None] = lambda: None) -> None:
        self._parent_getter = parent_getter
        self._showing = False
        self.previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self

    def uninstall(self) -> None:
        sys.excepthook = self.previous

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        details = format_details(exc_type, exc, tb)
        print(details, file=sys.stderr)
        if self._showing or QApplication.instance() is None:
            return
        from inspector.ui.views.error_dialog import ErrorDialog

        self._showing = True
        try:
            ErrorDialog(describe(exc), details, self._parent_getter()).exec()
        finally:
            self._showing = False
