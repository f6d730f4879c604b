"""Help ▸ About: the version, what it runs on, the keyring in use and where the app keeps its files.

What a support person asks for first, in one place and one Copy click. The libraries' versions
and the keyring backend are looked up by a worker each time the dialog is shown (finding the
backend may use D-Bus); the rest is known at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import PySide6
from PySide6.QtCore import QSize, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector import __version__
from inspector.core.about import LIBRARIES, keyring_backend_name, library_versions
from inspector.ui.context import AppContext
from inspector.ui.icon import app_icon

CHECKING = "checking…"
BLURB = ("Inspect OAuth 2.0 and OpenID Connect tokens and flows. Tokens never leave your machine; "
         "secrets live only in your system keyring.")


def open_folder(path: Path) -> bool:
    """The default opener: the desktop's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class AboutDialog(QDialog):
    """Not modal to the app: the window stays usable beside it."""

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 opener: Callable[[Path], bool] = open_folder) -> None:
        super().__init__(parent)
        self.context = context
        self._opener = opener
        self._lookup = None
        self._build()
        self._layout()
        self._connect()

    # -- construction -------------------------------------------------------------------------
    def _build(self) -> None:
        self.setWindowTitle("About Token Inspector")
        self.setAccessibleName("About Token Inspector")
        self.icon_label = QLabel()
        self.icon_label.setPixmap(app_icon().pixmap(QSize(64, 64)))
        self.title_label = QLabel(f"<b>Token Inspector {__version__}</b>")
        self.title_label.setAccessibleName("Version")
        self.blurb_label = QLabel(BLURB)
        self.blurb_label.setWordWrap(True)
        self.values: dict[str, QLabel] = {}
        for name, text in [("Qt", qVersion()), ("PySide6", PySide6.__version__),
                           *((library, CHECKING) for library in LIBRARIES), ("Keyring backend", CHECKING)]:
            self.values[name] = self._value_label(name, text)
        paths = self.context.paths
        self.folders = {"Config folder": paths.config_dir, "Data folder": paths.data_dir}
        self.open_buttons: dict[str, QPushButton] = {}
        for name, path in self.folders.items():
            self.values[name] = self._value_label(name, str(path))
            button = QPushButton("Open")
            button.setAccessibleName(f"Open {name.lower()}")
            self.open_buttons[name] = button
        self.open_problem = QLabel("")
        self.open_problem.setWordWrap(True)
        self.open_problem.setAccessibleName("Folder problem")
        self.open_problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setAccessibleName("Copy details")
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)

    def _value_label(self, name: str, text: str) -> QLabel:
        label = QLabel(text)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        return label

    def _layout(self) -> None:
        outer = QVBoxLayout(self)
        header = QHBoxLayout()
        header.addWidget(self.icon_label)
        titles = QVBoxLayout()
        titles.addWidget(self.title_label)
        titles.addWidget(self.blurb_label)
        header.addLayout(titles, 1)
        outer.addLayout(header)
        form = QFormLayout()
        for name, label in self.values.items():
            if name in self.folders:
                row = QHBoxLayout()
                row.addWidget(label, 1)
                row.addWidget(self.open_buttons[name])
                form.addRow(f"{name}:", row)
            else:
                form.addRow(f"{name}:", label)
        outer.addLayout(form)
        outer.addWidget(self.open_problem)
        outer.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def _connect(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.on_copy_clicked)
        for name, button in self.open_buttons.items():
            button.clicked.connect(lambda _checked=False, n=name: self.open_folder(n))

    # -- behaviour ----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.look_up()

    def look_up(self) -> None:
        """Ask a worker for the libraries' versions and the keyring backend (again on each show:
        the keyring may have been unlocked or installed meanwhile)."""
        if self._lookup is not None:
            return
        from inspector.core.errors import KeyringUnavailableError

        context = self.context

        def job(_job: object) -> tuple[dict[str, str], str]:
            try:
                backend = keyring_backend_name(context.storage.vault)
            except KeyringUnavailableError as exc:
                backend = f"none usable: {exc}"
            return library_versions(), backend

        self.values["Keyring backend"].setText(CHECKING)
        self._lookup = self.context.pool.start(job, on_finished=self.on_lookup_finished,
                                               on_errored=self.on_lookup_errored, name="about-lookup")

    def on_lookup_finished(self, result: tuple[dict[str, str], str]) -> None:
        self._lookup = None
        versions, backend = result
        for library, found in versions.items():
            self.values[library].setText(found)
        self.values["Keyring backend"].setText(backend)

    def on_lookup_errored(self, exc: BaseException) -> None:
        from inspector.core.errors import describe

        self._lookup = None
        self.values["Keyring backend"].setText(describe(exc))

    def open_folder(self, name: str) -> None:
        """Open ``name`` in the file manager, creating it first: a fresh install has no folders
        until something is saved, and a missing folder would open nothing at all."""
        path = self.folders[name]
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            opened = self._opener(path)
        except OSError as exc:
            opened, reason = False, exc.strerror or type(exc).__name__
        else:
            reason = "no file manager answered"
        self.open_problem.setVisible(not opened)
        if not opened:
            self.open_problem.setText(f"Could not open {path} ({reason}). Its path above can be copied.")

    def details(self) -> str:
        """Everything shown, as plain text for a support ticket."""
        lines = [f"Token Inspector {__version__}"]
        lines += [f"{name}: {label.text()}" for name, label in self.values.items()]
        return "\n".join(lines)

    def on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details())
        self.copy_button.setText("Copied")
