"""The Diagnose panel's actions on what it diagnosed: Export report… and Sanitize HAR….

Export report… opens the report dialog on the panel's input — a file's content, the pasted text
or the flow — so a support person can attach what they just read. Sanitize HAR… writes a copy of
the HAR file without its secrets (``NAME.sanitized.har`` beside it by default) to send onwards:
in a worker with progress and Cancel, never over the input, whole or not at all
(:mod:`inspector.core.output`), and it says what was removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QProgressBar, QPushButton

from inspector.core.errors import describe
from inspector.core.report.source import KINDS

if TYPE_CHECKING:
    from inspector.core.report.source import ReportSource
    from inspector.ui.diagnosis_session import Outcome, Subject
    from inspector.ui.views.diagnose_panel import DiagnosePanel

__all__ = ["ResultActions", "report_loader", "sanitized_name"]

HAR_FILTER = "HAR recordings (*.har);;All files (*)"


def sanitized_name(path: Path) -> Path:
    """``login.har`` → ``login.sanitized.har``, beside it."""
    return path.with_name(f"{path.stem}.sanitized.har")


def report_loader(subject: "Subject") -> Callable[[], "ReportSource"]:
    """What the report dialog reads, in its worker: the file's bytes, the pasted text, or the flow
    as its record (``Flow.to_json``, as a saved record holds it)."""
    from inspector.core.report.source import ReportSource, source_from_bytes, source_from_text

    path, flows, text = subject.path, subject.flows, subject.text or ""
    if path is not None:
        def from_file() -> ReportSource:
            from inspector.core.diagnosis.detect import read_artifact

            return source_from_bytes(read_artifact(str(path)), path.name)

        return from_file
    if flows:
        record = flows[0].to_json(show_tokens=True)
        return lambda: ReportSource("flow_record", record, subject.label)
    return lambda: source_from_text(text, subject.label)


class ResultActions(QObject):
    """The buttons, enabled by the panel's ``outcome``; ``sanitized(path)`` once a copy is written."""

    sanitized = Signal(str)

    def __init__(self, panel: "DiagnosePanel") -> None:
        super().__init__(panel)
        self.panel = panel
        self.report_dialog: Any = None
        #: (suggested path) -> the path chosen, or "" to cancel. Replaced in tests.
        self.ask_path: Callable[[str], str] = self._ask_path
        self._worker: Any = None
        self._build()
        self._connect()
        self.update(None)

    def _build(self) -> None:
        self.report_button = QPushButton("Export &report…")
        self.report_button.setAccessibleName("Export report")
        self.report_button.setToolTip("A redacted report of what was diagnosed, to share: preview, then save")
        self.sanitize_button = QPushButton("&Sanitize HAR…")
        self.sanitize_button.setAccessibleName("Sanitize HAR")
        self.sanitize_button.setToolTip("Save a copy of this HAR file without its cookies, codes, tokens and secrets")
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Sanitizing progress")
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setMaximumWidth(160)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel sanitizing")
        for widget in (self.progress_bar, self.cancel_button):
            widget.setVisible(False)

    def add_to(self, row: QHBoxLayout) -> None:
        for widget in (self.progress_bar, self.cancel_button, self.report_button, self.sanitize_button):
            row.addWidget(widget)

    def _connect(self) -> None:
        self.report_button.clicked.connect(self.export_report)
        self.sanitize_button.clicked.connect(self.sanitize)
        self.cancel_button.clicked.connect(self.cancel)
        self.panel.outcome_changed.connect(self.update)

    def update(self, outcome: "Outcome | None") -> None:
        """Export needs a result a report is made from; Sanitize a HAR read from a file."""
        self.report_button.setEnabled(outcome is not None and outcome.report.input in KINDS)
        self.sanitize_button.setEnabled(outcome is not None and outcome.subject.path is not None
                                        and outcome.report.input == "har" and self._worker is None)

    # -- Export report… -------------------------------------------------------------------------
    def export_report(self) -> None:
        outcome = self.panel.outcome
        if outcome is None:
            return
        from inspector.ui.views.report_dialog import ReportDialog

        path = outcome.subject.path
        if self.report_dialog is not None:
            self.report_dialog.close()
        self.report_dialog = ReportDialog(self.panel.context, report_loader(outcome.subject),
                                          subject=outcome.subject.label,
                                          input_path=str(path) if path is not None else None, parent=self.panel)
        self.report_dialog.open()

    # -- Sanitize HAR… --------------------------------------------------------------------------
    def sanitize(self) -> None:
        source = self.panel.source_path
        if source is None or self._worker is not None:
            return
        target = self.ask_path(str(sanitized_name(source)))
        if not target:
            return

        def job(work: Any) -> tuple[str, Any]:
            from inspector.core.output import refuse_inputs, write_output
            from inspector.core.sanitize.har import sanitize_har

            refuse_inputs(target, [str(source)])
            result = sanitize_har(source, cancel=work.cancel, progress=work.report)
            write_output(target, result.chunks)
            return target, result

        self.progress_bar.setValue(0)
        self._running(True)
        self.panel.status_message.emit(f"Sanitizing {source.name}…")
        self._worker = self.panel.context.pool.start(
            job, name="sanitize-har", on_progress=lambda value: self.progress_bar.setValue(round(value * 1000)),
            on_finished=lambda done: self._on_sanitized(source, *done), on_errored=self._on_failed,
            on_cancelled=lambda: self._stopped("Cancelled: no sanitized copy was written."))

    def cancel(self) -> None:
        """Stop sanitizing; the target is not written (it is written only once all is done)."""
        if self._worker is not None:
            self._worker.cancel()

    def _on_sanitized(self, source: Path, target: str, result: Any) -> None:
        from inspector.core.sanitize.har import removed_summary

        self._stopped(f"Wrote a sanitized copy of {source.name} to {target} ({result.entries} entries). "
                      f"{removed_summary(result.counts)}", "info")
        self.sanitized.emit(target)

    def _on_failed(self, exc: BaseException) -> None:
        self._stopped(f"No sanitized copy was written: {describe(exc)}", "error")

    def _stopped(self, text: str, severity: str = "info") -> None:
        self._worker = None
        self._running(False)
        self.panel.banner.show_message(text, severity)
        self.panel.status_message.emit(text)
        self.update(self.panel.outcome)

    def _running(self, running: bool) -> None:
        self.progress_bar.setVisible(running)
        self.cancel_button.setVisible(running)
        self.sanitize_button.setEnabled(not running)

    def _ask_path(self, suggested: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(self.panel, "Save the sanitized HAR", suggested, HAR_FILTER)
        return path
