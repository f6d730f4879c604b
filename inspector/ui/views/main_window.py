"""The main window: a profile bar, a sidebar of five panels, a menu and a status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QByteArray, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector.ui.context import AppContext
from inspector.ui.settings import (
    SIGN_IN_CHOICES,
    record_decoded,
    set_record_decoded,
    set_sign_in_timeout,
    sign_in_timeout,
)
from inspector.ui.views.panels import PANEL_NAMES, LazyPanels

if TYPE_CHECKING:
    from pathlib import Path

    from inspector.ui.flow_expectations import FlowExpectations

RECORDING_ON = "History: recording decoded tokens"
RECORDING_OFF = "History: not recording decoded tokens"


class MainWindow(QMainWindow):
    """Hosts the panels; remembers its geometry and the last panel in ``settings``."""

    panel_changed = Signal(str)

    def __init__(self, context: AppContext, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.settings = settings
        self.setWindowTitle("Token Inspector")
        self.setAccessibleName("Token Inspector")

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

        self._build_status_bar()
        self._placeholders: dict[str, QWidget] = {}
        self._keyring_checked = False
        self.compare_dialog: QWidget | None = None
        #: What decides the first-start welcome: "profiles", "history", "decoded" -> any yet?
        self._start_facts: dict[str, bool] = {}
        self.about_dialog: QWidget | None = None
        self.panels = LazyPanels(self.context, self, self._on_panel_built)
        for name in PANEL_NAMES:
            self.sidebar.addItem(name)
            placeholder = QWidget()
            placeholder.setAccessibleName(name)
            self._placeholders[name] = placeholder
            self.stack.addWidget(placeholder)
        self.profile_bar.profile_changed.connect(self.on_profile_bar_profile_changed)
        self._build_menu()
        self.sidebar.currentRowChanged.connect(self.on_sidebar_current_row_changed)
        self._restore()

    # -- construction -------------------------------------------------------------------------
    def _build_profile_bar(self) -> QWidget:
        from inspector.ui.views.profile_bar import ProfileBar

        return ProfileBar(self.context, self)

    def _on_panel_built(self, name: str, panel: QWidget) -> None:
        """Put a freshly built panel in its placeholder's place and connect it to the window."""
        from inspector.ui.views.wheel_guard import guard_wheel

        guard_wheel(panel)  # its spin boxes and combos in scroll areas leave the wheel to scrolling
        index = PANEL_NAMES.index(name)
        placeholder = self._placeholders.pop(name)
        current = self.stack.currentIndex()
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.insertWidget(index, panel)
        self.stack.setCurrentIndex(current)
        self._connect_first_start(name, panel)
        status = getattr(panel, "status_message", None)
        if status is not None:
            status.connect(self.on_panel_status_message)
        opener = getattr(panel, "open_requested", None)
        if opener is not None:
            opener.connect(self.open_in_decoder)
        compare = getattr(panel, "compare_requested", None)
        if compare is not None:
            compare.connect(self.open_compare)
        diagnose = getattr(panel, "diagnose_requested", None)
        if diagnose is not None:
            diagnose.connect(self.open_in_diagnose)
        if name == "Decoder":
            panel.recorder.enabled = self.record_action.isChecked()
            panel.recorder.keyring_unavailable.connect(self.show_keyring_unavailable)
        elif name == "Profiles":
            panel.profiles_changed.connect(self.profile_bar.set_profiles)
            panel.profile_saved.connect(self.on_profiles_profile_saved)
        elif name == "Flows":
            panel.listener_state.connect(self.listener_label.setText)
            self.profile_bar.profile_changed.connect(panel.on_profile_changed)
            panel.saved_diagnose_requested.connect(self.diagnose_saved_flow)
        elif name == "History":
            panel.flow_open_requested.connect(self.open_saved_flow)
            panel.flow_diagnose_requested.connect(self.diagnose_saved_flow)
        elif name == "Diagnose":
            panel.on_profile_changed(self.context.active_profile or "")
            self.profile_bar.profile_changed.connect(panel.on_profile_changed)

    def _build_menu(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.triggered.connect(self.close)
        self.quit_action = quit_action
        file_menu.addAction(quit_action)
        view_menu = bar.addMenu("&View")
        self.panel_actions: list[QAction] = []
        for index, name in enumerate(PANEL_NAMES):
            action = QAction(f"&{index + 1} {name}", self)
            action.triggered.connect(lambda _checked=False, n=name: self.show_panel(n, focus=True))
            view_menu.addAction(action)
            self.panel_actions.append(action)
        settings_menu = bar.addMenu("&Settings")
        self.record_action = QAction("&Record decoded tokens in history", self)
        self.record_action.setCheckable(True)
        self.record_action.setChecked(record_decoded(self.settings))
        self.record_action.setStatusTip("Keep every whole token you paste, type or verify in the Decoder in the "
                                        "encrypted history (once per token).")
        self.record_action.toggled.connect(self.on_record_action_toggled)
        settings_menu.addAction(self.record_action)
        self._show_recording(self.record_action.isChecked())
        self._build_sign_in_menu(settings_menu.addMenu("&Time to sign in"))
        help_menu = bar.addMenu("&Help")
        about = QAction("&About Token Inspector", self)
        about.triggered.connect(self.on_about_triggered)
        help_menu.addAction(about)

    def _build_sign_in_menu(self, menu: QMenu) -> None:
        """Settings ▸ Time to sign in: how long a flow waits for the browser to come back."""
        menu.setToolTipsVisible(True)
        group = QActionGroup(self)
        chosen = sign_in_timeout(self.settings)
        self.context.sign_in_timeout = chosen
        self.sign_in_actions: dict[float, QAction] = {}
        for seconds in SIGN_IN_CHOICES:
            action = QAction(f"{seconds / 60:g} minutes", self)
            action.setCheckable(True)
            action.setChecked(seconds == chosen)
            action.setStatusTip("How long a flow waits for the browser to come back after signing in.")
            action.triggered.connect(lambda _checked=False, s=seconds: self.on_sign_in_action_triggered(s))
            group.addAction(action)
            menu.addAction(action)
            self.sign_in_actions[seconds] = action

    def _build_status_bar(self) -> None:
        from inspector.ui.views.elided_label import ElidedLabel

        status = self.statusBar()
        status.setAccessibleName("Status")
        self.keyring_label = QLabel("Keyring: not used yet")
        self.keyring_label.setToolTip("Checked the first time profiles, history or flows need it.")
        self.keyring_label.setAccessibleName("Keyring state")
        self.listener_label = ElidedLabel("")  # a listener address must not widen the window
        self.listener_label.setAccessibleName("Listener state")
        self.recording_label = QLabel("")
        self.recording_label.setAccessibleName("History recording")
        status.addPermanentWidget(self.listener_label)
        status.addPermanentWidget(self.recording_label)
        status.addPermanentWidget(self.keyring_label)

    # -- behaviour ----------------------------------------------------------------------------
    def show_panel(self, name: str, *, focus: bool = False) -> QWidget:
        """Switch to ``name``; with ``focus`` (Ctrl+1..5) the keyboard goes to the panel too."""
        panel = self.panels[name]
        self.sidebar.setCurrentRow(PANEL_NAMES.index(name))
        if focus:
            getattr(panel, "initial_focus", panel).setFocus()
        return panel

    @property
    def current_panel_name(self) -> str:
        return PANEL_NAMES[max(self.sidebar.currentRow(), 0)]

    def on_sidebar_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        panel = self.panels[PANEL_NAMES[row]]
        self.stack.setCurrentIndex(row)
        if PANEL_NAMES[row] != "Decoder" and not self._keyring_checked:
            self.check_keyring()
        activate = getattr(panel, "activate", None)
        if activate is not None:
            activate()
        self.panel_changed.emit(PANEL_NAMES[row])

    def finish_startup(self) -> None:
        """Right after the first paint: build the panel on screen (its modules and Qt classes
        cost more than the whole bare window) and install the keyboard shortcuts."""
        self.install_shortcuts()
        self.show_panel(self.current_panel_name)

    def install_shortcuts(self) -> None:
        """Keyboard shortcuts, set right after the first paint: creating them loads Qt's large
        key enums, which would otherwise delay the window by tens of milliseconds."""
        if self.quit_action.shortcut().isEmpty():
            self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
            for index, action in enumerate(self.panel_actions):
                action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))

    def warm_up(self, on_done: Callable[[], None] | None = None) -> None:
        """After the first paint: build the other panels and let each do its after-paint work
        (the Profiles panel lists profiles for the chooser). Heavy libraries (httpx, PyJWT,
        cryptography, keyring) are not loaded here but by the first job that needs them, so an
        idle window stays small."""
        self.panels.build_all()
        for panel in self.panels.values():
            hook = getattr(panel, "after_paint", None)
            if hook is not None:
                hook()
        if on_done is not None:
            QTimer.singleShot(0, on_done)

    def check_keyring(self) -> None:
        """Show in the status bar whether secrets and history can be stored (a worker asks)."""
        from inspector.core.errors import describe

        self._keyring_checked = True

        def job(_job: object) -> str:
            vault = self.context.storage.vault
            vault.check()
            return type(vault.backend).__name__

        def failed(exc: BaseException) -> None:
            self.show_keyring_unavailable(describe(exc))

        def ok(backend: str) -> None:
            self.keyring_label.setText("Keyring: ready")
            self.keyring_label.setToolTip(f"Secrets and the history key are kept by {backend}.")

        self.context.pool.start(job, on_finished=ok, on_errored=failed, name="keyring-check")

    def show_keyring_unavailable(self, reason: str) -> None:
        self._keyring_checked = True
        self.keyring_label.setText("Keyring: unavailable")
        self.keyring_label.setToolTip(reason)

    def _connect_first_start(self, name: str, panel: QWidget) -> None:
        """The Decoder's ways in, and what decides its welcome: a profile, a saved token, a decoded one."""
        if name == "Decoder":
            panel.way_in_requested.connect(self.on_way_in_requested)
            panel.decoded_changed.connect(self.on_decoder_decoded_changed)
            self._show_welcome()
        elif name == "Profiles":
            panel.profiles_changed.connect(lambda issuers: self._note_start("profiles", bool(issuers)))
        elif name == "History":
            panel.model.modelReset.connect(lambda: self._note_start("history", panel.model.rowCount() > 0))

    def on_way_in_requested(self, panel_name: str, action: str) -> None:
        """A button of the Decoder's empty state: open the panel it names and do it there."""
        panel = self.show_panel(panel_name, focus=True)
        getattr(panel, action)()

    def on_decoder_decoded_changed(self, decoded: object) -> None:
        if decoded is not None:
            self._note_start("decoded", True)

    def _note_start(self, fact: str, value: bool) -> None:
        self._start_facts[fact] = value
        self._show_welcome()

    def _show_welcome(self) -> None:
        """The Decoder's empty state starts with a welcome while there is no profile, no saved
        token and nothing decoded yet. Until the Profiles and History panels have loaded, their
        files' existence stands in (looked at, not read: the history needs the keyring)."""
        decoder = self.panels.get("Decoder")
        if decoder is None:
            return
        self._start_facts.setdefault("profiles", self.context.paths.profiles_file.exists())
        self._start_facts.setdefault("history", self.context.paths.history_file.exists())
        decoder.empty_state.set_welcome(not any(self._start_facts.values()))

    def on_record_action_toggled(self, on: bool) -> None:
        """Settings ▸ Record decoded tokens in history: saved at once, applied to the Decoder."""
        set_record_decoded(self.settings, on)
        self._show_recording(on)
        decoder = self.panels.get("Decoder")
        if decoder is not None:
            decoder.recorder.enabled = on
        self.statusBar().showMessage(
            "Tokens you decode will be recorded in the history." if on else
            "Tokens you decode are no longer recorded; use Save to history (Ctrl+S) to keep one.", 8000)

    def on_sign_in_action_triggered(self, seconds: float) -> None:
        """Saved at once; the next flow (or Run again) waits this long for the browser."""
        set_sign_in_timeout(self.settings, seconds)
        self.context.sign_in_timeout = seconds
        self.statusBar().showMessage(f"Flows now wait up to {seconds / 60:g} minutes for you to sign in.", 8000)

    def _show_recording(self, on: bool) -> None:
        self.recording_label.setText("History: on" if on else "History: off")
        self.recording_label.setToolTip((RECORDING_ON if on else RECORDING_OFF) + " (Settings menu).")

    def on_profile_bar_profile_changed(self, name: str) -> None:
        self.context.active_profile = name or None
        self.settings.setValue("profile/active", name)

    def on_profiles_profile_saved(self, previous: str, name: str) -> None:
        """A new profile is the one the person means to use next; a renamed one stays chosen.
        Either is chosen when the reloaded list reaches the Profile box."""
        if not previous or previous == self.profile_bar.current_profile:
            self.profile_bar.remember(name)

    def show_crash_notice(self, trace: str, kept: "Path | None" = None) -> QWidget:
        """Say above the panels that the last run crashed in native code, with its ``trace``
        one click away; built only then, so a normal start pays nothing for it."""
        from inspector.ui.views.crash_notice import CrashNotice

        notice = CrashNotice(trace, kept, self)
        self.centralWidget().layout().insertWidget(1, notice)  # under the profile bar
        notice.offer()
        return notice

    def open_in_decoder(self, token: str, expected: "FlowExpectations | None" = None) -> None:
        """Show ``token`` in the Decoder: from History (``expected`` None), or obtained by a flow
        (``expected`` is what that flow expects of it)."""
        self.show_panel("Decoder").set_token_text(token, expected)

    def open_compare(self, a: str, b: str = "") -> QWidget:
        """The compare window (one, reused) with ``a`` (from the Decoder) or ``a`` and ``b`` (two
        tokens from History) in it."""
        from inspector.ui.views.compare_dialog import CompareDialog

        if self.compare_dialog is None:
            self.compare_dialog = CompareDialog(self.context, self)
        self.compare_dialog.set_tokens(a, b)
        if self.compare_dialog.isVisible():  # behind the window since the last time: bring it forward
            self.compare_dialog.raise_()
        self.compare_dialog.show()
        self.compare_dialog.activateWindow()
        return self.compare_dialog

    def open_saved_flow(self, entry: object, record: object, flow: object) -> None:
        """A flow from History, shown read-only in the Flows panel."""
        self.show_panel("Flows").show_saved(entry, record, flow)

    def open_in_diagnose(self, item: object, profile: str) -> None:
        """Diagnose a failed flow (a core Flow record) or a saved token (its text) with the
        expectations of ``profile``, the profile it was run or saved with."""
        panel = self.show_panel("Diagnose")
        if isinstance(item, str):
            panel.diagnose_token(item, profile)
        else:
            panel.diagnose_flow(item, profile)

    def diagnose_saved_flow(self, entry: object, record: object, flow: object) -> None:
        """A flow from History (or shown read-only in Flows) on the Diagnose panel."""
        self.show_panel("Diagnose").diagnose_saved_flow(entry, record, flow)

    def on_panel_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def on_about_triggered(self) -> None:
        """Help ▸ About: one dialog, built on first use, brought forward when shown again."""
        if self.about_dialog is None:
            from inspector.ui.views.about_dialog import AboutDialog

            self.about_dialog = AboutDialog(self.context, self)
        self.about_dialog.show()
        self.about_dialog.activateWindow()

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
        row = PANEL_NAMES.index(last if last in PANEL_NAMES else PANEL_NAMES[0])
        self.sidebar.blockSignals(True)  # the panel itself is built after the first paint
        self.sidebar.setCurrentRow(row)
        self.sidebar.blockSignals(False)
        self.stack.setCurrentIndex(row)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/panel", self.current_panel_name)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_state()
        self.context.pool.shutdown()
        super().closeEvent(event)

