"""The Profiles panel: a list on the left, the form on the right, Discover with lint findings.

Store and keyring calls (secrets live only in the keyring) and discovery run in workers.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inspector.core.errors import KeyringUnavailableError, describe
from inspector.core.storage.profile_model import SECRET_KINDS, Profile
from inspector.ui.context import AppContext
from inspector.ui.models.findings import FindingsModel
from inspector.ui.models.profiles import ProfilesModel
from inspector.ui.views.banner import Banner
from inspector.ui.views.claim_delegate import ClaimDelegate
from inspector.ui.views.history_panel import ask_confirmation
from inspector.ui.views.profile_form import ProfileForm
from inspector.ui.views.tables import findings_table, fit_rows


class ProfilesPanel(QWidget):
    """Emits ``profiles_changed({name: issuer})`` after every load or change; a save first emits
    ``profile_saved(previous name, name)`` (previous "" for a new profile)."""

    profiles_changed = Signal(dict)
    profile_saved = Signal(str, str)
    status_message = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAccessibleName("Profiles")
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask_confirmation(self, title, text)
        self._editing: str | None = None  # the stored name being edited; None = a new profile
        self._dirty = False

        self.banner = Banner("Profiles problem")
        self.model = ProfilesModel(self)
        self.list_view = QListView()
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName("Profile list")
        self.list_view.setStyleSheet("QListView::item { padding: 4px 6px; }")
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.new_button = QPushButton("&New")
        self.new_button.setAccessibleName("New profile")
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setAccessibleName("Delete profile")

        self.form = ProfileForm()
        self.discover_button = QPushButton("Dis&cover")
        self.discover_button.setAccessibleName("Discover endpoints")
        self.discover_button.setToolTip("Fetch the issuer's metadata, fill the endpoints and check it")
        self.save_button = QPushButton("&Save")
        self.save_button.setAccessibleName("Save profile")
        self.revert_button = QPushButton("Re&vert")
        self.revert_button.setAccessibleName("Revert changes")
        self.state_label = QLabel()
        self.state_label.setAccessibleName("Profile state")
        self.state_label.setWordWrap(True)
        self.lint_model = FindingsModel(self)
        self.lint_view = findings_table(self.lint_model, "Discovery findings")
        self.lint_view.setItemDelegate(ClaimDelegate(self, mark_severity=False))
        self.lint_view.setVisible(False)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left_layout.addLayout(row)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setAccessibleName("Profile form")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        actions = QHBoxLayout()
        actions.addWidget(self.state_label, 1)
        for button in (self.discover_button, self.revert_button, self.save_button):
            actions.addWidget(button)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.lint_view)
        right_layout.addWidget(scroll, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

        self.list_view.selectionModel().currentRowChanged.connect(self.on_list_current_row_changed)
        self.new_button.clicked.connect(self.new_profile)
        self.delete_button.clicked.connect(self.delete_profile)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.discover_button.clicked.connect(self.discover)
        self.form.changed.connect(self.on_form_changed)
        self.form.load_failed.connect(self.state_label.setText)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_profile,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._set_dirty(False)
        self.initial_focus = self.list_view  # where Ctrl+1..4 puts the keyboard
        self.form.setEnabled(False)

    # -- loading ------------------------------------------------------------------------------
    def load(self, select: str | None = None) -> None:
        def job(_job: Any) -> list[Profile]:
            with self.context.storage_lock:
                return self.context.storage.profiles.list()

        self._run(job, lambda profiles: self.on_loaded(profiles, select), "profiles-load")

    def after_paint(self) -> None:
        """The window's profile chooser needs the list (a plain file: no keyring involved)."""
        self.load()

    def activate(self) -> None:
        """Shown: check the keyring now, so a banner says at once if secrets cannot be kept."""
        self._run(lambda _job: self.context.storage.vault.check(), lambda _r: None, "keyring-probe")

    def on_loaded(self, profiles: list[Profile], select: str | None = None) -> None:
        self.model.set_profiles(profiles)
        self.profiles_changed.emit({p.name: p.issuer for p in profiles})
        wanted = select or self._editing
        row = self.model.row_of(wanted) if wanted else -1
        if row < 0 and profiles and self._editing is None and not self._dirty:
            row = 0
        if row >= 0:
            self.list_view.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.delete_button.setEnabled(bool(profiles))

    def on_list_current_row_changed(self, current, _previous) -> None:  # noqa: ANN001
        if not current.isValid():
            return
        profile: Profile = self.model.profiles()[current.row()]
        self._show_stored(profile)

    def _show_stored(self, profile: Profile) -> None:
        name = profile.name

        def job(_job: Any) -> dict[str, str]:
            with self.context.storage_lock:
                store = self.context.storage.profiles
                return {k: v for k in SECRET_KINDS if (v := store.secret(name, k)) is not None}

        self._editing = name
        self.form.setEnabled(True)
        self.form.show_profile(profile)
        self.lint_view.setVisible(False)
        self._set_dirty(False)
        if profile.secrets:
            self._run(job, lambda secrets: self._secrets_loaded(name, secrets), "profile-secrets")

    def _secrets_loaded(self, name: str, secrets: dict[str, str]) -> None:
        if self._editing == name and not self._dirty:
            self.form.show_profile(self._current_stored(), secrets)

    def _current_stored(self) -> Profile | None:
        row = self.model.row_of(self._editing) if self._editing else -1
        return self.model.profiles()[row] if row >= 0 else None

    # -- editing ------------------------------------------------------------------------------
    def on_form_changed(self) -> None:
        self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.state_label.setText("Unsaved changes." if dirty else "")

    def new_profile(self) -> None:
        self._editing = None
        self.list_view.clearSelection()
        self.form.setEnabled(True)
        self.form.show_profile(None)
        self.lint_view.setVisible(False)
        self._set_dirty(True)
        self.state_label.setText("New profile: fill in a name and an issuer, then Discover or Save.")
        self.form.name.setFocus()

    def new_profile_for_issuer(self) -> None:
        """A new profile started from its issuer (the Decoder's "Add your identity provider"):
        Discover fills in the endpoints, then it needs a name."""
        self.new_profile()
        self.state_label.setText("New profile: type your provider's issuer URL and press Discover, then give the "
                                 "profile a name and Save.")
        self.form.issuer.setFocus()

    def revert(self) -> None:
        stored = self._current_stored()
        if stored is None:
            self.form.show_profile(None)
            self._set_dirty(False)
        else:
            self._show_stored(stored)

    def save(self) -> None:
        if not self._dirty:
            return
        try:
            profile = self.form.profile()
        except Exception as exc:  # noqa: BLE001 - StorageError from validation: say it in place
            self.state_label.setText(f"Not saved: {describe(exc)}")
            return
        secrets = self.form.edited_secrets()
        editing = self._editing

        def job(_job: Any) -> Profile:
            with self.context.storage_lock:
                store = self.context.storage.profiles
                if editing is None:
                    return store.add(profile, secrets={k: v for k, v in secrets.items() if v})
                changes = {f: getattr(profile, f) for f in (
                    "name", "issuer", "endpoints", "client_id", "auth_method", "scopes", "redirect_host",
                    "redirect_port", "redirect_path", "extra_params", "ca_bundle", "client_cert", "notes", "dpop",
                    "use_par")}
                return store.update(editing, changes, secrets=secrets)

        self._run(job, lambda profile: self.on_saved(editing or "", profile), "profile-save")

    def on_saved(self, previous: str, profile: Profile) -> None:
        self._editing = profile.name
        self._set_dirty(False)
        self.status_message.emit(f"Profile {profile.name!r} saved; its secrets are in the keyring.")
        self.profile_saved.emit(previous, profile.name)
        self.load(select=profile.name)

    def delete_profile(self) -> None:
        stored = self._current_stored()
        if stored is None:
            return
        if not self.confirm("Delete profile", f"Delete profile {stored.name!r} and its secrets in the keyring?"):
            return
        name = stored.name

        def job(_job: Any) -> None:
            with self.context.storage_lock:
                self.context.storage.profiles.remove(name)

        self._editing = None
        self._run(job, lambda _r: self.load(), "profile-delete")
        self.status_message.emit(f"Profile {name!r} deleted.")

    # -- discovery ----------------------------------------------------------------------------
    def discover(self) -> None:
        issuer = self.form.issuer.text().strip()
        if not issuer:
            self.state_label.setText("Enter the issuer URL first; discovery reads its /.well-known metadata.")
            return
        ca_bundle = self.form.ca_bundle.text().strip() or None

        def job(job: Any) -> Any:
            from inspector.core.protocol.discovery import discover

            with self.context.cancellable_client(job.cancel, ca_bundle) as client:
                found = discover(issuer, client)
            self.context.note_exchanges(found.exchanges, issuer)
            return found

        self.discover_button.setEnabled(False)
        self.state_label.setText(f"Discovering {issuer}…")
        self._run(job, self.on_discovered, "discover")

    def on_discovered(self, found: Any) -> None:
        self.discover_button.setEnabled(True)
        self.lint_model.set_findings(found.findings)
        fit_rows(self.lint_view)
        self.lint_view.setVisible(bool(found.findings))
        if found.metadata is not None:
            self.form.fill_endpoints(found.metadata)
            issues = len(found.findings)
            self.state_label.setText(
                f"Discovered: endpoints filled in. {issues} finding{'s' if issues != 1 else ''} below; Save to keep."
                if issues else "Discovered: endpoints filled in, no findings. Save to keep them.")
        else:
            self.state_label.setText("Discovery failed: see the findings above the form.")

    # -- plumbing -----------------------------------------------------------------------------
    def _run(self, job: Callable[[Any], Any], on_finished: Callable[[Any], None], name: str) -> None:
        self.context.pool.start(job, on_finished=on_finished, on_errored=self.on_errored, name=name)

    def on_errored(self, exc: BaseException) -> None:
        self.discover_button.setEnabled(True)
        if isinstance(exc, KeyringUnavailableError):
            self.banner.show_message(
                f"No keyring is usable, so client secrets and private keys cannot be stored or read. {exc}")
        else:
            self.state_label.setText(f"Could not complete: {describe(exc)}")
