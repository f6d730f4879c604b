"""Export report…: a preview of exactly what will be saved, its format, whether personal data is
masked, and Save….

A reusable view: the Flows and History panels (and the Diagnose panel) open it with ``load``, a
callable returning the :class:`~inspector.core.report.source.ReportSource` to report on. ``load``,
building the report (a big recording takes seconds to sanitize) and saving all run in workers;
closing the dialog cancels them. The preview holds the very bytes Save writes: HTML shown
rendered (the page has no scripts and no resources, and links are not followed), Markdown as its
text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from inspector.core.errors import describe
from inspector.ui.context import AppContext
from inspector.ui.views.banner import Banner

__all__ = ["ReportDialog"]

#: Format -> (label, file suffix, file dialog filter).
FORMATS = {"html": ("HTML page", ".html", "HTML page (*.html)"), "md": ("Markdown", ".md", "Markdown (*.md)")}


class ReportDialog(QDialog):
    """``saved(path)`` once the report is written. ``input_path`` is a file the report was made
    from: Save never writes over it."""

    saved = Signal(str)

    def __init__(self, context: AppContext, load: Callable[[], Any], *, subject: str,
                 input_path: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.load = load
        self.subject = subject
        self.input_path = input_path
        #: The bytes shown and saved; None while a report is being made.
        self.data: bytes | None = None
        #: (suggested path, format) -> the path chosen, or "" to cancel. Replaced in tests.
        self.ask_path: Callable[[str, str], str] = self._ask_path
        self._source: Any = None
        self._reports: dict[bool, Any] = {}
        self._generation = 0
        self._workers: list[Any] = []
        self.setWindowTitle(f"Export report — {subject}")
        self.setAccessibleName("Export report")
        self.resize(900, 700)
        self._build()
        self._layout()
        self._connect()
        self.refresh()

    def _build(self) -> None:
        self.format = QComboBox()
        self.format.setAccessibleName("Report format")
        for name, (label, _suffix, _filter) in FORMATS.items():
            self.format.addItem(label, name)
        self.mask = QCheckBox("Mask &personal data (email, names, phone, address, picture)")
        self.mask.setAccessibleName("Mask personal data")
        self.note = QLabel("Cookies, codes, tokens and secrets are replaced by redacted-… markers; tokens show their "
                           "header and claims only. This preview is exactly the file Save writes: read it before "
                           "sharing.")
        self.note.setWordWrap(True)
        self.banner = Banner("Report problem")
        self.banner.label.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote a file's words
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Report status")
        self.html_view = QTextBrowser()
        self.html_view.setOpenLinks(False)
        self.html_view.setOpenExternalLinks(False)
        self.html_view.setAccessibleName("Report preview")
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text_view.setAccessibleName("Report preview (Markdown)")
        self.preview = QStackedWidget()
        self.preview.addWidget(self.html_view)
        self.preview.addWidget(self.text_view)
        self.save_button = QPushButton("&Save…")
        self.save_button.setAccessibleName("Save report")
        self.close_button = QPushButton("Close")

    def _layout(self) -> None:
        options = QHBoxLayout()
        format_label = QLabel("&Format:")
        format_label.setBuddy(self.format)
        options.addWidget(format_label)
        options.addWidget(self.format)
        options.addWidget(self.mask)
        options.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.note)
        layout.addWidget(self.banner)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.format.currentIndexChanged.connect(lambda _index: self.refresh())
        self.mask.toggled.connect(lambda _checked: self.refresh())
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.finished.connect(lambda _result: self.cancel())

    # -- making the report ----------------------------------------------------------------------
    @property
    def fmt(self) -> str:
        return self.format.currentData()

    def refresh(self) -> None:
        """Make (or re-render) the report for the chosen format and masking, in a worker."""
        self.cancel()
        self._generation += 1
        generation, fmt, personal = self._generation, self.fmt, self.mask.isChecked()
        source, made, load = self._source, self._reports.get(personal), self.load
        self.data = None
        self.save_button.setEnabled(False)
        self.banner.clear()
        self.status.setText("Preparing the report…" if made is None else "Rendering…")

        def job(work: Any) -> Any:
            from inspector.core.report.build import build_report
            from inspector.core.report.render import render_report

            loaded = source if source is not None else load()
            report = made if made is not None else build_report(loaded, mask_personal=personal, cancel=work.cancel)
            return loaded, report, render_report(report, fmt)

        self._start(job, lambda result: self.on_made(generation, personal, fmt, result),
                    lambda exc: self.on_failed(generation, exc), "report-build")

    def on_made(self, generation: int, personal: bool, fmt: str, result: Any) -> None:
        if generation != self._generation:
            return  # the format or the masking changed meanwhile
        self._source, report, data = result
        self._reports[personal] = report
        self.data = data
        text = data.decode("utf-8")
        if fmt == "html":
            self.html_view.setHtml(text)
            self.preview.setCurrentWidget(self.html_view)
        else:
            self.text_view.setPlainText(text)
            self.preview.setCurrentWidget(self.text_view)
        self.status.setText(f"Preview of the file Save writes ({len(data) / 1000:.1f} kB).")
        self.save_button.setEnabled(True)

    def on_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.status.setText("")
            self.banner.show_message(f"The report cannot be made: {describe(exc)}", "error")

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> None:
        if self.data is None:
            return
        fmt = self.fmt
        path = self.ask_path(str(Path.home() / f"token-inspector-report{FORMATS[fmt][1]}"), fmt)
        if not path:
            return
        data, inputs = self.data, [self.input_path] if self.input_path else []

        def job(_work: Any) -> str:
            from inspector.core.output import refuse_inputs, write_output

            refuse_inputs(path, inputs)
            write_output(path, [data])
            return path

        self.save_button.setEnabled(False)
        self.status.setText("Saving…")
        self._start(job, self.on_saved, self.on_save_failed, "report-save")

    def on_saved(self, path: str) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(f"Saved to {path}.")
        self.saved.emit(path)

    def on_save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(self.data is not None)
        self.status.setText("")
        self.banner.show_message(f"The report was not saved: {describe(exc)}", "error")

    def _ask_path(self, suggested: str, fmt: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(self, "Save report", suggested, FORMATS[fmt][2])
        return path

    # -- workers --------------------------------------------------------------------------------
    def _start(self, job: Callable[[Any], Any], done: Callable[[Any], None], failed: Callable[[BaseException], None],
               name: str) -> None:
        worker = self.context.pool.start(job, on_finished=done, on_errored=failed, name=name)
        self._workers.append(worker)
        worker.signals.done.connect(lambda: self._workers.remove(worker) if worker in self._workers else None)

    def cancel(self) -> None:
        """Stop what is being made (a recording being sanitized stops between entries)."""
        for worker in list(self._workers):
            if worker.name == "report-build":
                worker.cancel()
