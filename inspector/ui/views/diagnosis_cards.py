"""The diagnoses as cards, root cause first: the plain sentence, how sure (a word and a colour),
the evidence and the fix.

Cards are widgets built from the report rather than a painted list, so their text can be
selected and copied like any label. Each card takes the keyboard focus (Tab), says its whole
text to screen readers, and copies it with Ctrl+C or its context menu. Everything is plain text:
a provider's words may hold markup, which must show as written, never render.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFocusEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from inspector.core.diagnosis.model import Confidence
from inspector.ui.views.colours import severity_colour

if TYPE_CHECKING:
    from inspector.core.diagnosis.model import Diagnosis, DiagnosisReport

#: How sure, as a mark and a colour (the severity colours: red, amber, blue).
CONFIDENCE_LOOK = {Confidence.CERTAIN: ("✖", "error"), Confidence.LIKELY: ("⚠", "warning"),
                   Confidence.POSSIBLE: ("ℹ", "info")}


#: What the engine read an artifact as, in words.
INPUT_WORDS = {"har": "a HAR recording", "flow_record": "a flow record", "token": "a token",
               "callback": "a callback URL", "authorize_request": "an authorization request",
               "error_response": "a provider's error answer", "token_response": "a token response",
               "error_text": "an error message"}


def input_words(kind: str) -> str:
    return INPUT_WORDS.get(kind, kind.replace("_", " "))


def shown(text: str) -> str:
    """``text`` with control and format characters (a bidi override that would reorder what is
    shown) written as escapes; line breaks stay."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == "\n" else f"\\u{ord(char):04x}" for char in text)


def evidence_lines(diagnosis: "Diagnosis") -> list[str]:
    """``name = value  (where)`` per fact; values as JSON, so a trailing slash or space shows."""
    return [shown(f"{item.name} = {json.dumps(item.value, ensure_ascii=False)}  ({item.where})")
            for item in diagnosis.evidence]


def headline(diagnosis: "Diagnosis") -> str:
    mark, _severity = CONFIDENCE_LOOK[diagnosis.confidence]
    return f"{mark} {diagnosis.confidence.value}"


def card_text(number: int, diagnosis: "Diagnosis") -> str:
    """One card as plain text, for the clipboard and for screen readers."""
    lines = [f"{number}. {headline(diagnosis)} · {shown(diagnosis.summary)}  [{diagnosis.cause}]"]
    evidence = evidence_lines(diagnosis)
    if evidence:
        lines += ["   Evidence:", *(f"     {line}" for line in evidence)]
    lines.append(f"   Fix: {shown(diagnosis.fix)}")
    return "\n".join(lines)


def report_text(title: str, report: "DiagnosisReport", notes: Iterable[str] = ()) -> str:
    """The whole diagnosis as plain text for a ticket: safe to share, since evidence is made safe
    by the engine (secrets masked, codes and tokens abbreviated)."""
    lines = [shown(title), *(shown(note) for note in notes), ""]
    if not report.diagnoses:
        lines.append(f"Nothing wrong found in {input_words(report.input)}.")
    lines += [card_text(number, diagnosis) + "\n" for number, diagnosis in enumerate(report.diagnoses, start=1)]
    return "\n".join(lines).rstrip() + "\n"


def _label(text: str, name: str, *, bold: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


class DiagnosisCard(QFrame):
    """One diagnosis; ``text`` is what Ctrl+C copies."""

    def __init__(self, number: int, diagnosis: "Diagnosis", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diagnosis = diagnosis
        self.text = card_text(number, diagnosis)
        mark, severity = CONFIDENCE_LOOK[diagnosis.confidence]
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(f"Cause {number}, {diagnosis.confidence.value}: {shown(diagnosis.summary)}")
        self.setAccessibleDescription(self.text)
        colour = severity_colour(severity, self.palette())
        self.colour = colour.name() if colour is not None else "palette(mid)"
        self._style(focused=False)

        self.confidence_label = _label(headline(diagnosis), f"Cause {number} confidence", bold=True)
        self.confidence_label.setStyleSheet(f"color: {self.colour};")
        self.summary_label = _label(shown(diagnosis.summary), f"Cause {number}", bold=True)
        evidence = evidence_lines(diagnosis)
        self.evidence_label = _label("Evidence:\n" + "\n".join(f"  {line}" for line in evidence),
                                     f"Cause {number} evidence")
        self.evidence_label.setVisible(bool(evidence))
        self.fix_label = _label(f"Fix: {shown(diagnosis.fix)}", f"Cause {number} fix")
        self._layout()
        copy = QAction("&Copy this cause", self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy)
        self.addAction(copy)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _layout(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.confidence_label, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.summary_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(head)
        layout.addWidget(self.evidence_label)
        layout.addWidget(self.fix_label)

    def _style(self, *, focused: bool) -> None:
        border = "2px solid palette(highlight)" if focused else "1px solid palette(mid)"
        self.setStyleSheet(f"DiagnosisCard {{ border: {border}; border-left: 5px solid {self.colour}; "
                           "border-radius: 4px; }")

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self._style(focused=True)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self._style(focused=False)
        super().focusOutEvent(event)


class CardList(QScrollArea):
    """The cards of one report in a scrolling column, or a sentence when there are none."""

    def __init__(self, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Causes")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.hint = hint
        self.cards: list[DiagnosisCard] = []
        self.message = _label(hint, "Diagnosis message")
        self._show([])

    def set_report(self, report: "DiagnosisReport | None") -> None:
        """The report's cards; without a report, the hint."""
        self._show([DiagnosisCard(number, diagnosis) for number, diagnosis in
                    enumerate(report.diagnoses, start=1)] if report is not None else [])
        if report is None:
            text = self.hint
        elif not report.diagnoses:
            text = f"✔ Nothing wrong found in {input_words(report.input)}."
        elif not report.explained:
            text = "Nothing here explains a failure for certain; the notes below are worth checking."
        else:
            text = ""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _show(self, cards: Iterable[DiagnosisCard]) -> None:
        self.message.setParent(None)  # kept across reports; the old column is deleted below
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.message)
        self.cards = list(cards)
        for card in self.cards:
            layout.addWidget(card)
        layout.addStretch(1)
        old = self.takeWidget()
        self.setWidget(column)
        if old is not None:
            old.deleteLater()
