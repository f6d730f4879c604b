"""The four panels, built in sidebar order."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from inspector.ui.context import AppContext


def build_panels(context: AppContext, parent: QWidget) -> dict[str, QWidget]:
    from inspector.ui.views.decoder_panel import DecoderPanel
    from inspector.ui.views.history_panel import HistoryPanel
    from inspector.ui.views.profiles_panel import ProfilesPanel

    panels: dict[str, QWidget] = {"Decoder": DecoderPanel(context, parent)}
    label = QLabel("Flows — under construction")
    label.setAccessibleName("Flows")
    panels["Flows"] = label
    panels["Profiles"] = ProfilesPanel(context, parent)
    panels["History"] = HistoryPanel(context, parent)
    return panels
