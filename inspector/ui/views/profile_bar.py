"""The bar above the panels: which profile is active, and its issuer."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from inspector.ui.context import AppContext

NO_PROFILE = "(no profile)"


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
        self.issuer_label = QLabel("")
        self.issuer_label.setAccessibleName("Active issuer")
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.issuer_label, 1)
        self._issuers: dict[str, str] = {}
        self._remembered: str | None = None
        self.set_profiles({})
        self.combo.currentTextChanged.connect(self.on_combo_current_text_changed)

    def set_profiles(self, issuers: dict[str, str]) -> None:
        """Replace the choices (name -> issuer), keeping the current one when it still exists."""
        current = self.current_profile or self._remembered
        self._remembered = None
        self._issuers = dict(issuers)
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(NO_PROFILE)
        self.combo.addItems(sorted(issuers))
        index = self.combo.findText(current) if current else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)
        self._show_issuer()
        if self.current_profile != current:
            self.profile_changed.emit(self.current_profile or "")

    def remember(self, name: str) -> None:
        """Select ``name`` once the profiles are loaded (the last session's choice)."""
        self._remembered = name

    @property
    def current_profile(self) -> str | None:
        text = self.combo.currentText()
        return None if not text or text == NO_PROFILE else text

    def select(self, name: str | None) -> None:
        self.combo.setCurrentIndex(max(self.combo.findText(name or NO_PROFILE), 0))

    def on_combo_current_text_changed(self, _text: str) -> None:
        self._show_issuer()
        self.profile_changed.emit(self.current_profile or "")

    def _show_issuer(self) -> None:
        name = self.current_profile
        self.issuer_label.setText(f"issuer {self._issuers[name]}" if name in self._issuers else "")
