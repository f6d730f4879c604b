"""The five panels, in sidebar order, built on first use.

Only the panel on screen is built before the first paint; the others are built right after
it (see MainWindow.warm_up), so their modules and Qt classes do not delay the window.
"""

from __future__ import annotations

import importlib
from typing import Callable

from PySide6.QtWidgets import QWidget

from inspector.ui.context import AppContext

#: name -> (module, class)
PANELS = {
    "Decoder": ("inspector.ui.views.decoder_panel", "DecoderPanel"),
    "Flows": ("inspector.ui.views.flows_panel", "FlowsPanel"),
    "Profiles": ("inspector.ui.views.profiles_panel", "ProfilesPanel"),
    "History": ("inspector.ui.views.history_panel", "HistoryPanel"),
    "Diagnose": ("inspector.ui.views.diagnose_panel", "DiagnosePanel"),
}
PANEL_NAMES = tuple(PANELS)
#: Built only when first shown, not right after the first paint: Diagnose (cards, timeline, HAR
#: reader and diagnosis engine) is for the day a sign-in fails, and costs an idle window ~4 MB.
ON_FIRST_SHOW = frozenset({"Diagnose"})


class LazyPanels(dict):
    """``panels[name]`` builds the panel on first access and hands it to ``on_built``."""

    def __init__(self, context: AppContext, parent: QWidget, on_built: Callable[[str, QWidget], None]) -> None:
        super().__init__()
        self._context = context
        self._parent = parent
        self._on_built = on_built

    def __missing__(self, name: str) -> QWidget:
        module, cls = PANELS[name]
        panel = getattr(importlib.import_module(module), cls)(self._context, self._parent)
        self[name] = panel
        self._on_built(name, panel)
        return panel

    def build_all(self) -> None:
        """Every panel but those built on first show."""
        for name in PANEL_NAMES:
            if name not in ON_FIRST_SHOW:
                self[name]  # noqa: B018 - builds on first access
