"""The notice that the last run ended in a native crash: shown once, never in the way.

It sits above the panels (no dialog to get past), says what happened in plain words, and
offers the trace in the usual error dialog, where Copy details puts it in a report.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton, QWidget

from inspector.ui.views.banner import Banner

NOTICE = ("Token Inspector closed unexpectedly the last time it ran: a crash inside Qt or another native "
          "library, which no error message could catch. A technical trace was kept.")
SUMMARY = ("The last run of Token Inspector ended in a crash inside native code (Qt or another library). "
           "Below is where each thread was at that moment.")


class CrashNotice(Banner):
    """``Show details`` opens the error dialog with the trace; ``Dismiss`` removes the notice."""

    def __init__(self, trace: str, kept: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Crash notice", parent)
        self.details = f"{trace}\n\n(This trace is also kept in {kept}.)" if kept is not None else trace
        self.dialog = None
        self.show_button = QPushButton("Show &details")
        self.show_button.setAccessibleName("Show crash details")
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setAccessibleName("Dismiss crash notice")
        self.layout().addWidget(self.show_button)
        self.layout().addWidget(self.dismiss_button)
        self.show_button.clicked.connect(self.on_show_button_clicked)
        self.dismiss_button.clicked.connect(self.dismiss)

    def offer(self) -> None:
        """Show the notice (once it is in its place: a Banner is hidden until it has a message)."""
        self.show_message(NOTICE, "warning")

    def on_show_button_clicked(self) -> None:
        from inspector.ui.views.error_dialog import ErrorDialog

        self.dialog = ErrorDialog(SUMMARY, self.details, self.window())
        self.dialog.show()  # not modal: the window stays usable beside it

    def dismiss(self) -> None:
        self.clear()
        self.deleteLater()
