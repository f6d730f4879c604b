"""The Diagnose panel's inputs: files dropped in the box are given as files, huge pastes are not
laid out, and the expectations read as the CLI's options would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QUrl

from inspector.ui.diagnosis_session import Expectations
from inspector.ui.views.diagnose_inputs import LARGE_PASTE, ArtifactBox, ExpectationsForm


@pytest.fixture
def box(qtbot):
    widget = ArtifactBox()
    qtbot.addWidget(widget)
    return widget


def test_files_dropped_or_pasted_are_given_as_paths_never_as_text(box, qtbot, tmp_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "login.har"))])
    assert box.canInsertFromMimeData(mime)
    with qtbot.waitSignal(box.files_given) as given:
        box.insertFromMimeData(mime)
    assert given.args == [[tmp_path / "login.har"]] and box.toPlainText() == ""


def test_a_paste_is_inserted_then_announced_and_a_huge_one_only_announced(box, qtbot):
    mime = QMimeData()
    mime.setText("eyJ.a.b")
    with qtbot.waitSignal(box.pasted):
        box.insertFromMimeData(mime)
    assert box.toPlainText() == "eyJ.a.b"
    box.clear()
    mime.setText("x" * (LARGE_PASTE + 1))
    with qtbot.waitSignal(box.large_text_pasted) as pasted:
        box.insertFromMimeData(mime)
    assert len(pasted.args[0]) == LARGE_PASTE + 1 and box.toPlainText() == ""


def test_the_fields_fold_away_and_read_as_expectations(qtbot):
    form = ExpectationsForm()
    qtbot.addWidget(form)
    form.show()
    assert not form.fields.isVisible() and form.summary.text() == "nothing given: the artifact speaks for itself"
    form.toggle.click()
    assert form.fields.isVisible()
    form.set_profile("acme")
    form.issuer.setText("https://login.acme.dev")
    form.expect.setCurrentIndex(form.expect.findData("id_token"))
    form.fetch.setChecked(True)
    assert form.expectations() == Expectations(issuer="https://login.acme.dev", expect="id_token", profile="acme",
                                               fetch=True)
    assert form.summary.text() == ("issuer https://login.acme.dev · an ID token · the rest from profile 'acme' · "
                                   "issuer's keys fetched")
