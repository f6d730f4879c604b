"""Secret fields: masked unless revealed, masked again when the keyboard leaves or new text loads."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from inspector.core.redact import MASK
from inspector.ui.views.secret_field import SecretField, SecretTextField

SECRET = "s3cr3t-client-secret-value"
PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"


@pytest.fixture
def form(qtbot):
    """A field between two ordinary inputs, in a shown, active window (focus needs one)."""
    window = QWidget()
    layout = QVBoxLayout(window)
    before, after = QLineEdit(), QLineEdit()
    field, pem = SecretField("Client secret"), SecretTextField("Private key (PEM)")
    for widget in (before, field, pem, after):
        layout.addWidget(widget)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitActive(window)
    field.setText(SECRET)
    pem.setText(PEM)
    return window, before, field, pem, after


def shown_text(field: SecretField) -> str:
    return field.edit.displayText()


def test_masked_by_default_and_never_in_what_assistive_tools_read(form):
    _window, _before, field, pem, _after = form
    assert not field.revealed
    assert SECRET not in shown_text(field)
    assert field.edit.echoMode() == QLineEdit.EchoMode.Password
    assert SECRET not in field.edit.accessibleName() + field.reveal.accessibleName() + field.toolTip()
    assert pem.masked.isVisibleTo(pem) and not pem.edit.isVisibleTo(pem)
    assert pem.masked.text() == MASK
    assert field.text() == SECRET and pem.text() == PEM  # the value itself is intact


def test_reveal_shows_the_secret_and_pressing_again_hides_it(form, qtbot):
    _window, _before, field, pem, _after = form
    field.reveal.click()
    assert shown_text(field) == SECRET and field.reveal.text() == "Hide"
    field.reveal.click()
    assert SECRET not in shown_text(field) and field.reveal.text() == "Show"
    pem.reveal.click()
    assert pem.edit.isVisibleTo(pem) and not pem.masked.isVisibleTo(pem)


def test_a_revealed_secret_is_masked_again_when_focus_moves_to_another_widget(form, qtbot):
    _window, _before, field, pem, after = form
    field.edit.setFocus()
    field.reveal.click()
    pem.reveal.click()
    assert field.revealed and pem.revealed
    after.setFocus()
    qtbot.waitUntil(after.hasFocus, timeout=2000)
    assert not field.revealed and SECRET not in shown_text(field)
    assert not pem.revealed and not pem.edit.isVisibleTo(pem)


def test_moving_to_its_own_hide_button_keeps_it_revealed(form, qtbot):
    _window, _before, field, _pem, _after = form
    field.edit.setFocus()
    field.reveal.click()
    field.reveal.setFocus()
    qtbot.waitUntil(field.reveal.hasFocus, timeout=2000)
    assert field.revealed and shown_text(field) == SECRET


def test_loading_another_profiles_secret_masks_it_again(form):
    _window, _before, field, pem, _after = form
    field.reveal.click()
    pem.reveal.click()
    field.setText("another-profile-secret")
    pem.setText("")
    assert not field.revealed and "another-profile-secret" not in shown_text(field)
    assert not pem.revealed and pem.masked.text() == ""


def test_revealing_and_hiding_logs_nothing_about_the_secret(form, caplog):
    _window, _before, field, pem, after = form
    with caplog.at_level(logging.DEBUG):
        field.reveal.click()
        pem.reveal.click()
        after.setFocus()
        field.setText(SECRET)
    assert all(SECRET not in record.getMessage() and "PRIVATE KEY" not in record.getMessage()
               for record in caplog.records)
