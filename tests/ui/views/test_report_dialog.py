"""Export report…: the preview is exactly the file Save writes, in either format, with or without
personal data; making it runs in a worker; what goes wrong is said in the dialog; Save never
writes over the input; hostile text in the report stays text."""

from __future__ import annotations

import threading

import pytest

from inspector.core.errors import StorageError
from inspector.core.report.source import ReportSource
from inspector.ui.views.report_dialog import ReportDialog
from tests.core.sanitize.test_har import secret_forms
from tests.support.har_logins import Login, clean
from tests.support.jose import compact

TIMEOUT = 10_000


@pytest.fixture
def recording():
    return clean(Login("firefox", "dialog"))


class Loader:
    """A load() that counts its calls (it runs in a worker: the history may need the keyring)."""

    def __init__(self, source: ReportSource) -> None:
        self.source = source
        self.calls = 0
        self.threads: set[str] = set()

    def __call__(self) -> ReportSource:
        self.calls += 1
        self.threads.add(threading.current_thread().name)
        return self.source


def open_dialog(qtbot, context, loader, **options) -> ReportDialog:
    dialog = ReportDialog(context, loader, subject=options.pop("subject", "login.har"), **options)
    qtbot.addWidget(dialog)
    dialog.show()
    ready(qtbot, dialog)
    return dialog


def ready(qtbot, dialog: ReportDialog) -> None:
    """The preview is built and its worker has left the pool (it reports before it leaves)."""
    qtbot.waitUntil(lambda: (dialog.save_button.isEnabled() or dialog.banner.isVisible())
                    and dialog.context.pool.active == 0, timeout=TIMEOUT)


def test_the_preview_is_the_file_save_writes(qtbot, context, recording, tmp_path):
    loader = Loader(ReportSource("har", recording.data, "login.har"))
    dialog = open_dialog(qtbot, context, loader)
    assert dialog.preview.currentWidget() is dialog.html_view
    assert "Token Inspector support report" in dialog.html_view.toPlainText()
    assert threading.main_thread().name not in loader.threads
    target = tmp_path / "report.html"
    dialog.ask_path = lambda suggested, fmt: str(target) if suggested.endswith(".html") and fmt == "html" else ""
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT) as saved:
        dialog.save_button.click()
    assert saved.args == [str(target)] and target.read_bytes() == dialog.data
    assert dialog.status.text() == f"Saved to {target}."
    text = dialog.data.decode()
    assert not [form for secret in recording.secrets for form in secret_forms(secret) if form in text]


def test_markdown_shows_its_text_and_the_report_is_not_made_again(qtbot, context, recording):
    loader = Loader(ReportSource("har", recording.data, "login.har"))
    dialog = open_dialog(qtbot, context, loader)
    html = dialog.data
    dialog.format.setCurrentIndex(dialog.format.findData("md"))
    qtbot.waitUntil(lambda: dialog.data is not None and dialog.data != html, timeout=TIMEOUT)
    assert dialog.preview.currentWidget() is dialog.text_view
    assert dialog.text_view.toPlainText() == dialog.data.decode() and dialog.data.startswith(b"# Token Inspector")
    assert loader.calls == 1


def test_masking_personal_data_makes_the_report_again(qtbot, context, recording):
    dialog = open_dialog(qtbot, context, Loader(ReportSource("har", recording.data, "login.har")))
    assert b"jane@example.com" in dialog.data
    dialog.mask.setChecked(True)
    qtbot.waitUntil(lambda: dialog.data is not None and b"jane@example.com" not in dialog.data, timeout=TIMEOUT)


def test_a_report_that_cannot_be_made_says_why(qtbot, context):
    def load():
        raise StorageError("No history entry has the id 'abcd'.")

    dialog = open_dialog(qtbot, context, load, subject="history entry abcd")
    assert "The report cannot be made: No history entry has the id 'abcd'." == dialog.banner.text()
    assert not dialog.save_button.isEnabled() and dialog.data is None


def test_save_never_writes_over_the_input(qtbot, context, recording, tmp_path):
    source = tmp_path / "login.har"
    source.write_bytes(recording.data)
    dialog = open_dialog(qtbot, context, Loader(ReportSource("har", recording.data, "login.har")),
                         input_path=str(source))
    dialog.ask_path = lambda suggested, fmt: str(source)
    dialog.save_button.click()
    qtbot.waitUntil(dialog.banner.isVisible, timeout=TIMEOUT)
    assert "is the input file" in dialog.banner.text() and source.read_bytes() == recording.data
    assert dialog.save_button.isEnabled()


def test_cancelling_the_file_dialog_saves_nothing(qtbot, context, recording):
    dialog = open_dialog(qtbot, context, Loader(ReportSource("har", recording.data, "login.har")))
    dialog.ask_path = lambda suggested, fmt: ""
    dialog.save_button.click()
    assert context.pool.active == 0 and dialog.status.text().startswith("Preview of the file Save writes")


def test_hostile_claims_stay_text_in_the_preview(qtbot, context):
    token = compact({"alg": "RS256"}, {"sub": "<b>bold</b><img src='https://evil.example/x.png'>"}, b"s" * 32)
    dialog = open_dialog(qtbot, context, Loader(ReportSource("token", token, "the token")))
    assert "<b>bold</b><img src='https://evil.example/x.png'>" in dialog.html_view.toPlainText()


def test_closing_stops_the_work(qtbot, context, recording):
    """The recording being sanitized when the dialog closes is not sanitized to the end."""
    release = threading.Event()

    def load():
        release.wait(TIMEOUT / 1000)
        return ReportSource("har", recording.data, "login.har")

    dialog = ReportDialog(context, load, subject="login.har")
    qtbot.addWidget(dialog)
    dialog.show()
    (worker,) = dialog._workers
    with qtbot.waitSignal(worker.signals.cancelled, timeout=TIMEOUT):
        dialog.close()
        release.set()
    assert dialog.data is None and not dialog.banner.isVisible()
