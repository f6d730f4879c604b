"""The main window: a profile bar, a sidebar of four panels, a menu and a status bar."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector import __version__
from inspector.ui.context import AppContext

PANEL_NAMES = ("Decoder", "Flows", "Profiles", "History")


class MainWindow(QMainWindow):
    """Hosts the panels; remembers its geometry and the last panel in ``settings``."""

    panel_changed = Signal(str)

    def __init__(self, context: AppContext, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.settings = settings
        self.setWindowTitle("Token Inspector")
        self.setAccessibleName("Token Inspector")
        self.panels: dict[str, QWidget] = {}

        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.profile_bar = self._build_profile_bar()
        outer.addWidget(self.profile_bar)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Panels")
        self.sidebar.setFixedWidth(130)
        self.sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        self.sidebar.setStyleSheet("QListWidget::item { padding: 8px 10px; }")
        self.stack = QStackedWidget()
        body.addWidget(self.sidebar)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self._build_panels()
        self.panels["Profiles"].profiles_changed.connect(self.profile_bar.set_profiles)
        self.profile_bar.profile_changed.connect(self.on_profile_bar_profile_changed)
        self._build_menu()
        self._build_status_bar()
        self.panels["Flows"].listener_state.connect(self.listener_label.setText)
        self.sidebar.currentRowChanged.connect(self.on_sidebar_current_row_changed)
        self._restore()

    # -- construction -------------------------------------------------------------------------
    def _build_profile_bar(self) -> QWidget:
        from inspector.ui.views.profile_bar import ProfileBar

        return ProfileBar(self.context, self)

    def _build_panels(self) -> None:
        from inspector.ui.views.panels import build_panels

        for name, panel in build_panels(self.context, self).items():
            self.panels[name] = panel
            self.sidebar.addItem(name)
            self.stack.addWidget(panel)
            status = getattr(panel, "status_message", None)
            if status is not None:
                status.connect(self.on_panel_status_message)
            opener = getattr(panel, "open_requested", None)
            if opener is not None:
                opener.connect(self.open_in_decoder)

    def _build_menu(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = bar.addMenu("&View")
        self.panel_actions: list[QAction] = []
        for index, name in enumerate(PANEL_NAMES):
            action = QAction(f"&{index + 1} {name}", self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, n=name: self.show_panel(n))
            view_menu.addAction(action)
            self.panel_actions.append(action)
        help_menu = bar.addMenu("&Help")
        about = QAction("&About Token Inspector", self)
        about.triggered.connect(self.on_about_triggered)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setAccessibleName("Status")
        self.keyring_label = QLabel("Keyring: checking…")
        self.keyring_label.setAccessibleName("Keyring state")
        self.listener_label = QLabel("")
        self.listener_label.setAccessibleName("Listener state")
        status.addPermanentWidget(self.listener_label)
        status.addPermanentWidget(self.keyring_label)

    # -- behaviour ----------------------------------------------------------------------------
    def show_panel(self, name: str) -> QWidget:
        index = PANEL_NAMES.index(name)
        self.sidebar.setCurrentRow(index)
        return self.panels[name]

    @property
    def current_panel_name(self) -> str:
        return PANEL_NAMES[self.stack.currentIndex()]

    def on_sidebar_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        panel = self.stack.currentWidget()
        activate = getattr(panel, "activate", None)
        if activate is not None:
            activate()
        self.panel_changed.emit(PANEL_NAMES[row])

    def warm_up(self, on_done: Callable[[], None] | None = None) -> None:
        """After the first paint: load the heavy libraries and ask each panel to load its data."""
        from inspector.ui.warmup import warm_up

        def finished(_result: object = None) -> None:
            self.check_keyring()
            for panel in self.panels.values():
                loader = getattr(panel, "load", None)
                if loader is not None:
                    loader()
            if on_done is not None:
                on_done()

        self.context.pool.start(warm_up, on_finished=finished, on_errored=lambda _e: finished(), name="warm-up")

    def check_keyring(self) -> None:
        """Show in the status bar whether secrets and history can be stored (a worker asks)."""
        from inspector.core.errors import KeyringUnavailableError

        def job(_job: object) -> str:
            vault = self.context.storage.vault
            vault.check()
            return type(vault.backend).__name__

        def failed(exc: BaseException) -> None:
            reason = str(exc) if isinstance(exc, KeyringUnavailableError) else f"{type(exc).__name__}"
            self.keyring_label.setText("Keyring: unavailable")
            self.keyring_label.setToolTip(reason)

        def ok(backend: str) -> None:
            self.keyring_label.setText("Keyring: ready")
            self.keyring_label.setToolTip(f"Secrets and the history key are kept by {backend}.")

        self.context.pool.start(job, on_finished=ok, on_errored=failed, name="keyring-check")

    def on_profile_bar_profile_changed(self, name: str) -> None:
        self.context.active_profile = name or None
        if name:
            self.settings.setValue("profile/active", name)

    def open_in_decoder(self, token: str) -> None:
        """Show ``token`` in the Decoder (from History, or a token a flow obtained)."""
        self.show_panel("Decoder").set_token_text(token)

    def on_panel_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            "About Token Inspector",
            f"Token Inspector {__version__}\n\nInspect OAuth 2.0 and OpenID Connect tokens and flows. "
            "Tokens never leave your machine; secrets live only in your system keyring.",
        )

    def _restore(self) -> None:
        remembered = self.settings.value("profile/active", "")
        if isinstance(remembered, str) and remembered:
            self.profile_bar.remember(remembered)
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 760)
        last = self.settings.value("window/panel", PANEL_NAMES[0])
        self.show_panel(last if last in PANEL_NAMES else PANEL_NAMES[0])

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/panel", self.current_panel_name)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_state()
        self.context.pool.shutdown()
        super().closeEvent(event)

