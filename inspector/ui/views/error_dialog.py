"""The dialog shown when something fails unexpectedly: what happened, and details to copy."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class ErrorDialog(QDialog):
    """Plain words first; the technical details (traceback) below, copyable in one click."""

    def __init__(self, summary: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Token Inspector — something went wrong")
        self.setAccessibleName("Error")
        self.details = details
        layout = QVBoxLayout(self)
        self.summary_label = QLabel(summary)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("What happened")
        layout.addWidget(self.summary_label)
        advice = QLabel(
            "Your data is safe: nothing was deleted. You can keep working; if it happens again, "
            "copy the details below (tokens and secrets are not included) and report them."
        )
        advice.setWordWrap(True)
        layout.addWidget(advice)
        self.details_view = QPlainTextEdit(details)
        self.details_view.setReadOnly(True)
        self.details_view.setAccessibleName("Technical details")
        self.details_view.setMinimumHeight(160)
        layout.addWidget(self.details_view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close dialog")
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setAccessibleName("Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.on_copy_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Tab follows the eye: details, then Copy (left of Close), then Close — not creation order.
        QWidget.setTabOrder(self.details_view, self.copy_button)
        QWidget.setTabOrder(self.copy_button, buttons.button(QDialogButtonBox.StandardButton.Close))
        self.resize(640, 420)

    def on_copy_clicked(self) -> None:
        """The summary can quote what the user pasted (a core error's own words): shorten tokens
        in all of it, not only in the traceback, before it leaves the app."""
        from inspector.core.redact import redact_text

        QGuiApplication.clipboard().setText(redact_text(f"{self.summary_label.text()}\n\n{self.details}"))
        self.copy_button.setText("Copied")
