"""Diagnosis cards: root cause first, confidence as a word and a colour, keyboard reachable, text
selectable and copied with Ctrl+C, a provider's markup shown as written."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from inspector.core.diagnosis.model import Confidence, Diagnosis, DiagnosisReport, Evidence, EvidenceKind
from inspector.ui.views.colours import severity_colour
from inspector.ui.views.diagnosis_cards import CardList, card_text, report_text, shown

REFUSED = Diagnosis("redirect_uri_mismatch", Confidence.CERTAIN, "The redirect URI is not registered.",
                    "Register it.", (Evidence.of(EvidenceKind.PARAMETER, "redirect_uri", "http://localhost:8080/",
                                                 "authorization request (HAR entry 4)"),))
SKEW = Diagnosis("clock_skew", Confidence.POSSIBLE, "The browser's clock is 9 minutes ahead.", "Set the clock.")
LIKELY = Diagnosis("invalid_grant_code", Confidence.LIKELY, "The code was refused.", "Sign in again.")


@pytest.fixture
def cards(qtbot):
    widget = CardList("hint")
    qtbot.addWidget(widget)
    widget.resize(600, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_cards_in_report_order_with_confidence_words_and_colours(cards):
    cards.set_report(DiagnosisReport("har", (REFUSED, LIKELY, SKEW)))
    assert [card.confidence_label.text() for card in cards.cards] == ["✖ certain", "⚠ likely", "ℹ possible"]
    assert [card.summary_label.text() for card in cards.cards] == [d.summary for d in (REFUSED, LIKELY, SKEW)]
    expected = [severity_colour(name, cards.palette()).name() for name in ("error", "warning", "info")]
    assert [card.colour for card in cards.cards] == expected
    assert expected[0] in cards.cards[0].confidence_label.styleSheet()
    assert 'redirect_uri = "http://localhost:8080/"  (authorization request (HAR entry 4))' in \
        cards.cards[0].evidence_label.text()
    assert not cards.cards[1].evidence_label.isVisibleTo(cards.cards[1])
    assert cards.cards[0].fix_label.text() == "Fix: Register it."
    assert not cards.message.isVisibleTo(cards)


def test_each_card_takes_the_focus_says_its_text_and_copies_it(cards, qtbot):
    cards.set_report(DiagnosisReport("har", (REFUSED, SKEW)))
    first, second = cards.cards
    assert first.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert first.accessibleName() == "Cause 1, certain: The redirect URI is not registered."
    assert first.accessibleDescription() == first.text == card_text(1, REFUSED)
    first.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is second
    qtbot.keyClick(second, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == card_text(2, SKEW)
    label = first.summary_label
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert first.actions()[0].text() == "&Copy this cause"


def test_a_providers_markup_is_shown_as_written_and_bidi_controls_escaped(cards):
    hostile = Diagnosis("other_failure", Confidence.LIKELY, "Says <b>bold</b> <a href='x'>click</a> \u202egnp.exe",
                        "<img src=x>")
    cards.set_report(DiagnosisReport("error_text", (hostile,)))
    card = cards.cards[0]
    assert card.summary_label.textFormat() == Qt.TextFormat.PlainText
    assert card.summary_label.text() == "Says <b>bold</b> <a href='x'>click</a> \\u202egnp.exe"
    assert card.fix_label.text() == "Fix: <img src=x>"
    assert shown("a\nb\x1b") == "a\nb\\u001b"


def test_without_causes_a_sentence_says_so(cards):
    cards.set_report(None)
    assert cards.message.text() == "hint" and cards.cards == []
    cards.set_report(DiagnosisReport("token", ()))
    assert cards.message.text() == "✔ Nothing wrong found in a token."
    cards.set_report(DiagnosisReport("har", (SKEW,)))
    assert cards.message.text().startswith("Nothing here explains a failure for certain")
    assert len(cards.cards) == 1


def test_the_report_text_has_a_title_and_every_card():
    text = report_text("Diagnosed the file login.har", DiagnosisReport("har", (REFUSED, SKEW)))
    assert text.startswith("Diagnosed the file login.har\n\n1. ✖ certain · The redirect URI is not registered.  "
                           "[redirect_uri_mismatch]\n   Evidence:\n     redirect_uri = ")
    assert "2. ℹ possible · The browser's clock is 9 minutes ahead." in text and text.endswith("Fix: Set the clock.\n")
    assert report_text("T", DiagnosisReport("callback", ())) == "T\n\nNothing wrong found in a callback URL.\n"
