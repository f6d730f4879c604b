"""The four panels, built in sidebar order."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from inspector.ui.context import AppContext


def build_panels(context: AppContext, parent: QWidget) -> dict[str, QWidget]:
    from inspector.ui.views.decoder_panel import DecoderPanel
    from inspector.ui.views.history_panel import HistoryPanel

    panels: dict[str, QWidget] = {"Decoder": DecoderPanel(context, parent)}
    for name in ("Flows", "Profiles"):
        label = QLabel(f"{name} — under construction")
        label.setAccessibleName(name)
        panels[name] = label
    panels["History"] = HistoryPanel(context, parent)
    return panels
