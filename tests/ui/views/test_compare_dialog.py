"""The compare view: two tokens side by side, changes coloured by the delegate, unchanged rows on
request; reached from the Decoder ("Compare with…") and from History (two selected → Compare)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData

from inspector.ui.views.compare_dialog import CompareDialog
from tests.support.storage import fake_jwt

EXP = 1_796_637_600
WORKS = fake_jwt({"iss": "https://idp", "sub": "alice", "aud": "api", "exp": EXP}, signature=b"w" * 64)
FAILS = fake_jwt({"iss": "https://idp", "sub": "alice", "aud": "web", "exp": EXP + 3600, "nonce": "n"},
                 signature=b"f" * 64)  # fmt: skip


@pytest.fixture
def dialog(qtbot, context):
    widget = CompareDialog(context)
    qtbot.addWidget(widget)
    return widget


def shown_claims(dialog: CompareDialog) -> list[str]:
    return [dialog.proxy.index(row, 1).data() for row in range(dialog.proxy.rowCount())]


def test_only_what_differs_is_listed_until_unchanged_rows_are_asked_for(dialog):
    dialog.set_tokens(WORKS, FAILS)
    assert shown_claims(dialog) == ["aud", "exp", "nonce", "signature"]
    assert "The tokens differ: 3 changed, 1 only in B" in dialog.message.text()
    assert dialog.a_summary.text().startswith("JWS (signed) · alg RS256 · kid k1")
    dialog.show_same.setChecked(True)
    assert shown_claims(dialog)[:4] == ["format", "alg", "typ", "kid"] and "sub" in shown_claims(dialog)


def test_pasting_b_compares_at_once_and_swap_turns_it_around(dialog):
    dialog.set_tokens(WORKS)
    assert dialog.proxy.rowCount() == 0 and "Paste two tokens" in dialog.message.text()
    dialog.b_edit.setPlainText(f"Bearer {FAILS}")
    nonce = shown_claims(dialog).index("nonce")
    assert dialog.proxy.index(nonce, 4).data() == "only in B"
    dialog.swap_button.click()
    assert dialog.proxy.index(shown_claims(dialog).index("nonce"), 4).data() == "only in A"


@pytest.mark.parametrize(("a", "b", "says"), [
    ("not a token", FAILS, "One of the tokens cannot be read"),
    (WORKS, "2YotnFZFEjr1zCsicMWpAA", "Token B is opaque"),
])
def test_what_cannot_be_compared_is_said_in_words(dialog, a, b, says):
    dialog.set_tokens(a, b)
    assert says in dialog.message.text() and dialog.proxy.rowCount() == 0


def test_b_can_come_from_the_history(dialog, qtbot, context):
    entry = context.storage.history.add(FAILS, source="pasted")
    context.storage.history.add_flow(_flow_record())
    dialog.set_tokens(WORKS)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.history_choice.count() == 2, timeout=5000)  # the flow is not offered
    assert "alice" in dialog.history_choice.itemText(1)
    dialog.history_choice.setCurrentIndex(1)
    dialog.history_choice.activated.emit(1)
    qtbot.waitUntil(lambda: dialog.b_edit.toPlainText() == FAILS, timeout=5000)
    assert "nonce" in shown_claims(dialog) and entry.id


def _flow_record():
    from inspector.core.flows.record import FlowRecord
    from tests.support.fake_provider import client_credentials_flow

    return FlowRecord.of(client_credentials_flow())


def paste(editor, text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    editor.insertFromMimeData(mime)


def test_compare_with_from_the_decoder_opens_it_with_the_decoded_token(window, qtbot):
    decoder = window.show_panel("Decoder")
    paste(decoder.editor, WORKS)
    decoder.compare_button.click()
    dialog = window.compare_dialog
    assert dialog.isVisible() and dialog.a_edit.toPlainText() == WORKS and dialog.b_edit.toPlainText() == ""
    dialog.b_edit.setPlainText(FAILS)
    assert "exp" in shown_claims(dialog)


def test_two_entries_selected_in_history_are_compared_older_first(window, qtbot, context):
    history = context.storage.history
    history.add(WORKS, source="pasted")
    history.add(FAILS, source="pasted")
    history.add_flow(_flow_record())
    panel = window.show_panel("History")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=5000)
    panel.view.selectAll()
    assert not panel.compare_button.isEnabled()  # three, and one is a flow
    panel.view.clearSelection()
    tokens = [row for row in range(3) if not panel.proxy.index(row, 2).data() == "flow"]
    for row in tokens:
        panel.view.selectionModel().select(panel.proxy.index(row, 0), panel.view.selectionModel().SelectionFlag.Select
                                           | panel.view.selectionModel().SelectionFlag.Rows)
    assert panel.compare_button.isEnabled()
    panel.compare_button.click()
    qtbot.waitUntil(lambda: window.compare_dialog is not None and window.compare_dialog.isVisible(), timeout=5000)
    dialog = window.compare_dialog
    assert (dialog.a_edit.toPlainText(), dialog.b_edit.toPlainText()) == (WORKS, FAILS)
    assert dialog.proxy.index(shown_claims(dialog).index("exp"), 4).data() == "changed · 1 hour later"


def test_a_kid_that_looks_like_html_is_shown_as_text(dialog):
    hostile = fake_jwt({"sub": "x"}, {"alg": "RS256", "kid": "<b>bold</b><img src='file:///etc/passwd'>"})
    dialog.set_tokens(hostile, hostile)
    assert dialog.a_summary.textFormat() == dialog.a_summary.textFormat().PlainText
    assert "<img src='file:///etc/passwd'>" in dialog.a_summary.text()
