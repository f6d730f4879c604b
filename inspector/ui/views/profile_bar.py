"""The bar above the panels: which profile is active, its issuer, and how far off the clock is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from inspector.ui.context import AppContext
from inspector.ui.views.elided_label import ElidedLabel

if TYPE_CHECKING:
    from inspector.core.protocol.clock import ClockReading

NO_PROFILE = "(no profile)"
NOT_CHECKED = "clock: not checked"
NOT_CHECKED_TIP = (
    "Your computer's clock is compared with the server's (the Date header of its responses) once the "
    "app has talked to this profile's issuer: Discover, a flow step, or verifying with its JWKS."
)


class ProfileBar(QWidget):
    """A profile chooser; panels read ``current_profile`` and listen to ``profile_changed``."""

    profile_changed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        label = QLabel("&Profile:")
        self.combo = QComboBox()
        self.combo.setAccessibleName("Active profile")
        self.combo.setMinimumWidth(180)
        label.setBuddy(self.combo)
        self.issuer_label = ElidedLabel("")  # a long issuer URL must not widen the window
        self.issuer_label.setAccessibleName("Active issuer")
        self.clock_label = QLabel(NOT_CHECKED)
        self.clock_label.setAccessibleName("Clock check")
        # Rich text ("<span>●</span>") is detected by QLabel itself; naming Qt.TextFormat here would
        # build Qt's enum tables before the first paint (tens of milliseconds).
        #: The reading shown (None: not checked) and its level ("ok", "warning", "error").
        self.clock_reading: "ClockReading | None" = None
        self.clock_level = ""
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.issuer_label, 1)
        layout.addWidget(self.clock_label)
        self._issuers: dict[str, str] = {}
        self._remembered: str | None = None
        self.set_profiles({})
        self.combo.currentTextChanged.connect(self.on_combo_current_text_changed)
        context.clocks.changed.connect(self.on_clocks_changed)

    def set_profiles(self, issuers: dict[str, str]) -> None:
        """Replace the choices (name -> issuer): the remembered one if listed, else the current
        one if it still exists.

        ``profile_changed`` fires whenever the profile shown is not the one shown before, the
        remembered one included: the profile shown is the one every panel uses.
        """
        shown = self.current_profile
        wanted = (self._remembered, shown)
        self._remembered = None
        self._issuers = dict(issuers)
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(NO_PROFILE)
        self.combo.addItems(sorted(issuers))
        index = next((i for name in wanted if name and (i := self.combo.findText(name)) > 0), 0)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)
        self._show_issuer()
        if self.current_profile != shown:
            self.profile_changed.emit(self.current_profile or "")

    def remember(self, name: str) -> None:
        """Select ``name`` when the profiles are next listed (the last session's choice, a profile
        just saved), unless the list does not have it."""
        self._remembered = name

    @property
    def current_profile(self) -> str | None:
        text = self.combo.currentText()
        return None if not text or text == NO_PROFILE else text

    @property
    def current_issuer(self) -> str:
        return self._issuers.get(self.current_profile or "", "")

    def select(self, name: str | None) -> None:
        self.combo.setCurrentIndex(max(self.combo.findText(name or NO_PROFILE), 0))

    def on_combo_current_text_changed(self, _text: str) -> None:
        self._show_issuer()
        self.profile_changed.emit(self.current_profile or "")

    def on_clocks_changed(self) -> None:
        self._show_clock()

    def _show_issuer(self) -> None:
        issuer = self.current_issuer
        self.issuer_label.setText(f"issuer {issuer}" if issuer else "")
        self._show_clock()

    def _show_clock(self) -> None:
        """"● clock +2 s" for the active profile's issuer: green ≤ 5 s, amber ≤ 60 s, red beyond."""
        issuer = self.current_issuer
        reading = self.context.clocks.latest(issuer) if issuer else None
        self.clock_reading = reading
        if reading is None:
            self.clock_level = ""
            self.clock_label.setText(NOT_CHECKED)
            self.clock_label.setToolTip(NOT_CHECKED_TIP)
            self.clock_label.setAccessibleDescription(NOT_CHECKED_TIP)
            return
        from html import escape

        from inspector.core.protocol.clock import format_offset, skew_level, time_of_day
        from inspector.ui.views.colours import level_colour

        self.clock_level = skew_level(reading)
        colour = level_colour(self.clock_level, self.palette())
        dot = f'<span style="color:{colour.name()}">●</span>' if colour is not None else "●"
        self.clock_label.setText(f"{dot} clock {escape(format_offset(reading.offset))}")
        phrase = reading.phrase()
        tip = f"{phrase[0].upper()}{phrase[1:]}.\nFrom {reading.source}, received {time_of_day(reading.received_at)}."
        self.clock_label.setToolTip(tip)
        self.clock_label.setAccessibleDescription(tip)
