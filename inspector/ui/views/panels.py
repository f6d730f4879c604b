"""The four panels, built in sidebar order."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from inspector.ui.context import AppContext


def build_panels(context: AppContext, parent: QWidget) -> dict[str, QWidget]:
    from inspector.ui.views.decoder_panel import DecoderPanel
    from inspector.ui.views.flows_panel import FlowsPanel
    from inspector.ui.views.history_panel import HistoryPanel
    from inspector.ui.views.profiles_panel import ProfilesPanel

    return {
        "Decoder": DecoderPanel(context, parent),
        "Flows": FlowsPanel(context, parent),
        "Profiles": ProfilesPanel(context, parent),
        "History": HistoryPanel(context, parent),
    }
