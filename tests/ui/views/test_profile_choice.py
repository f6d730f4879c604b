"""The Profile box (issue 12): the profile it shows is the one every panel uses — the one
remembered from the last session, a profile just saved, a renamed one — and a hint to choose
a profile goes once one is chosen."""

from __future__ import annotations

import pytest

from inspector.core.storage.profile_model import Profile
from inspector.ui.app import create_window
from inspector.ui.context import AppContext

RUN_TIMEOUT = 30_000
ISSUER = "https://login.acme.dev"


def start_window(qtbot, context: AppContext):
    """The window as the app opens it: first paint, then the warm-up lists the profiles."""
    window = create_window(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.finish_startup()
    window.warm_up()
    return window


def flows(window, qtbot, grant: str):
    panel = window.show_panel("Flows")
    qtbot.waitUntil(lambda: panel.steps_model.rowCount() > 0, timeout=RUN_TIMEOUT)  # the core is loaded
    panel.grant.setCurrentIndex(panel.grant.findData(grant))
    return panel


@pytest.mark.e2e
def test_the_profile_remembered_from_the_last_session_runs_a_flow(qtbot, context, oidc_provider):
    context.storage.profiles.add(Profile(name="service", issuer=oidc_provider.issuer, client_id="service-client",
                                         auth_method="client_secret_basic", scopes=("api:read",)),
                                 secrets={"client_secret": oidc_provider.secrets["service-client"]})
    context.storage.profiles.add(Profile(name="another", issuer=ISSUER))
    first = start_window(qtbot, context)
    qtbot.waitUntil(lambda: first.profile_bar.combo.findText("service") >= 0, timeout=RUN_TIMEOUT)
    first.profile_bar.select("service")
    first.close()

    restarted = AppContext(pool=context.pool, paths=context.paths, keyring_backend=context.keyring_backend)
    window = start_window(qtbot, restarted)
    qtbot.waitUntil(lambda: window.profile_bar.current_profile == "service", timeout=RUN_TIMEOUT)
    assert restarted.active_profile == "service", "the Profile box shows a profile the panels do not use"
    panel = flows(window, qtbot, "client_credentials")
    panel.run_all_button.click()
    qtbot.waitUntil(lambda: not panel.session.busy and panel.session.runner is not None
                    and panel.session.runner.finished, timeout=RUN_TIMEOUT)
    assert "Choose a profile" not in panel.state_label.text()
    assert panel.session.flow.status.value == "ok", [f.message for f in panel.session.flow.all_findings()]


def save_new_profile(window, qtbot, name: str) -> None:
    profiles = window.show_panel("Profiles")
    qtbot.waitUntil(lambda: window.context.pool.active == 0, timeout=RUN_TIMEOUT)  # the list is loaded
    profiles.new_button.click()
    qtbot.keyClicks(profiles.form.name, name)
    qtbot.keyClicks(profiles.form.issuer, ISSUER)
    with qtbot.waitSignal(profiles.profiles_changed, timeout=RUN_TIMEOUT):
        profiles.save_button.click()


def test_a_new_profile_once_saved_is_the_chosen_one(qtbot, context):
    context.storage.profiles.add(Profile(name="older", issuer="https://older.example"))
    window = start_window(qtbot, context)
    qtbot.waitUntil(lambda: window.profile_bar.combo.findText("older") >= 0, timeout=RUN_TIMEOUT)
    window.profile_bar.select("older")
    save_new_profile(window, qtbot, "acme-dev")
    assert window.profile_bar.current_profile == "acme-dev"
    assert context.active_profile == "acme-dev"
    assert ISSUER in window.profile_bar.issuer_label.text()


def test_renaming_the_chosen_profile_keeps_it_chosen(qtbot, context):
    context.storage.profiles.add(Profile(name="acme", issuer=ISSUER))
    context.storage.profiles.add(Profile(name="other", issuer="https://other.example"))
    window = start_window(qtbot, context)
    qtbot.waitUntil(lambda: window.profile_bar.combo.findText("acme") >= 0, timeout=RUN_TIMEOUT)
    window.profile_bar.select("acme")
    profiles = window.show_panel("Profiles")
    profiles.load(select="acme")
    qtbot.waitUntil(lambda: context.pool.active == 0 and profiles.form.name.text() == "acme", timeout=RUN_TIMEOUT)
    profiles.form.name.selectAll()
    qtbot.keyClicks(profiles.form.name, "acme-renamed")
    with qtbot.waitSignal(profiles.profiles_changed, timeout=RUN_TIMEOUT):
        profiles.save_button.click()
    assert window.profile_bar.current_profile == "acme-renamed"
    assert context.active_profile == "acme-renamed"


def test_choosing_a_profile_replaces_the_hint_to_choose_one(qtbot, context):
    context.storage.profiles.add(Profile(name="acme", issuer=ISSUER))
    window = start_window(qtbot, context)
    qtbot.waitUntil(lambda: window.profile_bar.combo.findText("acme") >= 0, timeout=RUN_TIMEOUT)
    panel = flows(window, qtbot, "client_credentials")
    panel.run_all_button.click()
    assert "Choose a profile" in panel.state_label.text()
    window.profile_bar.select("acme")
    assert "Choose a profile" not in panel.state_label.text()
    assert "'acme'" in panel.state_label.text()


def test_choosing_no_profile_is_remembered_too(qtbot, context):
    context.storage.profiles.add(Profile(name="acme", issuer=ISSUER))
    first = start_window(qtbot, context)
    qtbot.waitUntil(lambda: first.profile_bar.combo.findText("acme") >= 0, timeout=RUN_TIMEOUT)
    first.profile_bar.select("acme")
    first.profile_bar.select(None)
    first.close()

    restarted = AppContext(pool=context.pool, paths=context.paths, keyring_backend=context.keyring_backend)
    window = start_window(qtbot, restarted)
    qtbot.waitUntil(lambda: window.profile_bar.combo.findText("acme") >= 0, timeout=RUN_TIMEOUT)
    assert window.profile_bar.current_profile is None and restarted.active_profile is None


def test_a_remembered_profile_that_is_not_listed_leaves_the_chosen_one(window, context):
    bar = window.profile_bar
    bar.set_profiles({"acme": ISSUER})
    bar.select("acme")
    bar.remember("deleted-meanwhile")
    bar.set_profiles({"acme": ISSUER, "other": "https://other.example"})
    assert bar.current_profile == "acme" and context.active_profile == "acme"
