"""Help ▸ About: versions, the keyring backend found off the GUI thread, the folders and their Open buttons."""

from __future__ import annotations

import threading
from importlib.metadata import version

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication

from inspector import __version__
from inspector.ui.views.about_dialog import CHECKING, AboutDialog
from tests.support.memory_keyring import MemoryKeyring


class GatedKeyring(MemoryKeyring):
    """A backend whose lookup blocks until the test opens the gate, as a slow D-Bus would."""

    gate = threading.Event()

    @property
    def name(self) -> str:  # type: ignore[override]
        assert self.gate.wait(10), "the test never opened the gate"
        return "gated keyring"


def shown(qtbot, context, **kwargs) -> AboutDialog:
    dialog = AboutDialog(context, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_about_shows_the_versions_of_the_app_qt_and_the_libraries(qtbot, context):
    dialog = shown(qtbot, context)
    assert __version__ in dialog.title_label.text()
    assert dialog.values["Qt"].text() == qVersion()
    assert dialog.values["PySide6"].text() == PySide6.__version__
    qtbot.waitUntil(lambda: dialog.values["httpx"].text() != CHECKING, timeout=10_000)
    for distribution in ("PyJWT", "joserfc", "cryptography", "httpx", "keyring"):
        assert dialog.values[distribution].text() == version(distribution)
    assert dialog.values["Keyring backend"].text() == (
        "memory keyring MemoryKeyring (tests.support.memory_keyring.MemoryKeyring)")


def test_finding_the_keyring_backend_never_blocks_the_gui_thread(qtbot, context):
    GatedKeyring.gate.clear()
    context.keyring_backend = GatedKeyring({})
    dialog = shown(qtbot, context)
    QApplication.processEvents()
    assert dialog.isVisible() and dialog.values["Keyring backend"].text() == CHECKING
    GatedKeyring.gate.set()
    qtbot.waitUntil(lambda: dialog.values["Keyring backend"].text().startswith("gated keyring"), timeout=10_000)


def test_no_usable_keyring_is_said_in_the_backend_row(qtbot, context):
    from keyring.backends.null import Keyring as NullKeyring

    context.keyring_backend = NullKeyring()
    dialog = shown(qtbot, context)
    qtbot.waitUntil(lambda: dialog.values["Keyring backend"].text() != CHECKING, timeout=10_000)
    assert dialog.values["Keyring backend"].text().startswith("none usable: The keyring backend")
    assert "discards secrets" in dialog.values["Keyring backend"].text()


def test_a_failing_lookup_is_described_in_plain_words(qtbot, broken_storage_context):
    dialog = shown(qtbot, broken_storage_context)
    qtbot.waitUntil(lambda: dialog.values["Keyring backend"].text() != CHECKING, timeout=10_000)
    assert dialog.values["Keyring backend"].text().startswith("An unexpected internal error occurred (KeyError).")


def test_open_creates_the_folder_and_hands_it_to_the_file_manager(qtbot, context, home):
    opened = []
    dialog = shown(qtbot, context, opener=lambda path: opened.append(path) or True)
    assert dialog.values["Config folder"].text() == str(home / "config")
    assert dialog.values["Data folder"].text() == str(home / "data")
    dialog.open_buttons["Data folder"].click()
    assert opened == [home / "data"] and (home / "data").is_dir()
    assert (home / "data").stat().st_mode & 0o777 == 0o700
    assert dialog.open_problem.isHidden()


def test_a_folder_nothing_could_open_is_said_with_its_path(qtbot, context, home):
    dialog = shown(qtbot, context, opener=lambda path: False)
    dialog.open_buttons["Config folder"].click()
    assert not dialog.open_problem.isHidden()
    assert dialog.open_problem.text().startswith(f"Could not open {home / 'config'} (no file manager answered)")


def test_copy_details_puts_every_row_on_the_clipboard(qtbot, context, home):
    dialog = shown(qtbot, context)
    qtbot.waitUntil(lambda: dialog.values["Keyring backend"].text() != CHECKING, timeout=10_000)
    dialog.copy_button.click()
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0] == f"Token Inspector {__version__}"
    assert f"Qt: {qVersion()}" in copied and f"httpx: {version('httpx')}" in copied
    assert f"Data folder: {home / 'data'}" in copied


def test_help_about_opens_one_dialog_and_brings_it_back(window, qtbot):
    help_menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&Help")
    about = next(action for action in help_menu.actions() if action.text() == "&About Token Inspector")
    about.trigger()
    dialog = window.about_dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=5_000)
    dialog.close()
    about.trigger()
    assert window.about_dialog is dialog and dialog.isVisible()
