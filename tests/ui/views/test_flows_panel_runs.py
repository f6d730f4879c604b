"""The Flows panel in the window against the real provider (issue 12): every run loads the profile
as saved, the tokens are in the history before the panel shows them, and a token opened in the
Decoder brings its flow's expectations with it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData

from inspector.core.storage.profile_model import Profile
from inspector.ui.verification import KeySource
from inspector.ui.views.flows_panel import FlowsPanel
from tests.support.flows import ScriptedBrowser

pytestmark = pytest.mark.e2e

RUN_TIMEOUT = 30_000
WRONG_SECRET = "not-the-service-secret-0123456789"


@pytest.fixture
def browser():
    scripted = ScriptedBrowser()
    yield scripted
    scripted.close()


def use_profile(window, qtbot, context, profile: Profile, secrets: dict[str, str] | None = None) -> None:
    """Save ``profile`` and choose it in the Profile box, as a person would."""
    context.storage.profiles.add(profile, secrets=secrets)
    window.panels["Profiles"].load()
    qtbot.waitUntil(lambda: window.profile_bar.combo.findText(profile.name) >= 0, timeout=RUN_TIMEOUT)
    window.profile_bar.select(profile.name)
    assert context.active_profile == profile.name


def flows(window, qtbot, grant: str) -> FlowsPanel:
    panel = window.show_panel("Flows")
    qtbot.waitUntil(lambda: panel.steps_model.rowCount() > 0, timeout=RUN_TIMEOUT)  # the core is loaded
    panel.grant.setCurrentIndex(panel.grant.findData(grant))
    return panel


def wait_finished(qtbot, panel: FlowsPanel, previous=None) -> None:
    qtbot.waitUntil(lambda: not panel.session.busy and panel.session.runner not in (None, previous)
                    and panel.session.runner.finished, timeout=RUN_TIMEOUT)


def edit_saved_profile(window, qtbot, name: str, edit) -> None:
    """Open ``name`` on the Profiles panel, let ``edit(form)`` change it, and Save."""
    context = window.context
    profiles = window.show_panel("Profiles")
    profiles.load(select=name)
    qtbot.waitUntil(lambda: context.pool.active == 0 and profiles.form.name.text() == name
                    and (not profiles._current_stored().secrets or profiles.form.client_secret.text() != ""),
                    timeout=RUN_TIMEOUT)
    edit(profiles.form)
    assert profiles.save_button.isEnabled()
    with qtbot.waitSignal(profiles.profiles_changed, timeout=RUN_TIMEOUT):
        profiles.save_button.click()
    window.show_panel("Flows")


def test_run_again_uses_a_client_secret_saved_since_the_last_run(window, qtbot, context, oidc_provider):
    use_profile(window, qtbot, context, Profile(name="service", issuer=oidc_provider.issuer,
                                                client_id="service-client", auth_method="client_secret_basic",
                                                scopes=("api:read",)),
                secrets={"client_secret": oidc_provider.secrets["service-client"]})
    panel = flows(window, qtbot, "client_credentials")
    panel.run_all_button.click()
    wait_finished(qtbot, panel)
    assert panel.session.flow.status.value == "ok", [f.message for f in panel.session.flow.all_findings()]

    def wrong_secret(form) -> None:
        form.client_secret.edit.selectAll()
        qtbot.keyClicks(form.client_secret.edit, WRONG_SECRET)

    edit_saved_profile(window, qtbot, "service", wrong_secret)
    first = panel.session.runner
    panel.again_button.click()
    wait_finished(qtbot, panel, first)
    flow = panel.session.flow
    assert flow.status.value == "error", "the run used the secret from before the edit"
    assert flow.step("token").output["error"] == "invalid_client"


def test_run_again_listens_on_a_redirect_path_saved_since_the_last_run(window, qtbot, context, oidc_provider,
                                                                        browser):
    context.open_url = browser.open
    use_profile(window, qtbot, context, Profile(name="local", issuer=oidc_provider.issuer,
                                                client_id="public-client", auth_method="none", scopes=("openid",)))
    panel = flows(window, qtbot, "auth_code")
    panel.run_all_button.click()
    wait_finished(qtbot, panel)
    assert panel.session.flow.status.value == "ok", [f.message for f in panel.session.flow.all_findings()]

    def moved_path(form) -> None:
        form.redirect_path.selectAll()
        qtbot.keyClicks(form.redirect_path, "/moved")

    edit_saved_profile(window, qtbot, "local", moved_path)
    opened: list[str] = []
    context.open_url = lambda url: opened.append(url) or True  # nobody signs in this time
    panel.again_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=RUN_TIMEOUT)
    redirect_uri = panel.session.flow.step("authorize").inputs["redirect_uri"]
    panel.cancel_button.click()
    qtbot.waitUntil(lambda: not panel.session.busy, timeout=RUN_TIMEOUT)
    assert redirect_uri.endswith("/moved"), redirect_uri
    assert "%2Fmoved" in opened[0]


def test_the_tokens_are_in_the_history_before_the_panel_shows_them(window, qtbot, context, oidc_provider):
    use_profile(window, qtbot, context, Profile(name="service", issuer=oidc_provider.issuer,
                                                client_id="service-client", auth_method="client_secret_basic",
                                                scopes=("api:read",)),
                secrets={"client_secret": oidc_provider.secrets["service-client"]})
    panel = flows(window, qtbot, "client_credentials")
    in_history_when_shown: list[int] = []

    def on_token_step(step) -> None:
        if step.output.get("token"):
            with context.storage_lock:
                tokens = [entry for entry in context.storage.history.entries() if not entry.is_flow]
                in_history_when_shown.append(len(tokens))  # the flow's record may be there too by now

    panel.session.step_finished.connect(on_token_step)
    with qtbot.waitSignal(panel.status_message, check_params_cb=lambda text: "saved to the history" in text,
                          timeout=RUN_TIMEOUT) as said:
        panel.run_all_button.click()
    wait_finished(qtbot, panel)
    assert in_history_when_shown == [1], "the save waited for the panel to show the token first"
    assert said.args[0] == "1 token(s) saved to the history."


def paste(decoder, text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    decoder.editor.insertFromMimeData(mime)


def test_an_id_token_opened_from_its_flow_verifies_clean(window, qtbot, context, oidc_provider, browser):
    context.open_url = browser.open
    use_profile(window, qtbot, context, Profile(name="local", issuer=oidc_provider.issuer,
                                                client_id="public-client", auth_method="none", scopes=("openid",)))
    decoder = window.show_panel("Decoder")
    form = decoder.verify_form
    form.issuer.setText("https://an-earlier-issuer.example")  # what the person checked before
    form.audience.setText("billing-api")
    form.nonce.setText("an-earlier-nonce")
    form.select_source(KeySource.SECRET)

    panel = flows(window, qtbot, "auth_code")
    panel.run_all_button.click()
    wait_finished(qtbot, panel)
    flow = panel.session.flow
    assert flow.status.value == "ok", [f.message for f in flow.all_findings()]
    panel.steps_view.setCurrentIndex(panel.steps_model.index(panel.steps_model.row_of(flow.step("token"))))
    buttons = [b for b in panel.detail.tokens_box.findChildren(type(panel.next_button)) if b.isVisibleTo(panel)]
    next(b for b in buttons if "ID token" in b.text()).click()
    assert window.current_panel_name == "Decoder"

    nonce = flow.step("authorize").inputs["nonce"]
    assert (form.issuer.text(), form.audience.text(), form.client_id.text(), form.nonce.text()) == (
        oidc_provider.issuer, "public-client", "public-client", nonce)
    assert form.source is KeySource.PROFILE
    with qtbot.waitSignal(form.report_ready, timeout=RUN_TIMEOUT) as verified:
        form.verify_button.click()
    report = verified.args[0]
    assert report.valid, [f.to_json() for f in report.findings]
    assert not {"iss_mismatch", "aud_mismatch", "nonce_mismatch"} & {f.code for f in report.findings}

    paste(decoder, flow.step("token").output["token"]["access_token"])  # a token from elsewhere
    assert (form.issuer.text(), form.audience.text(), form.client_id.text(), form.nonce.text()) == ("", "", "", "")


def test_an_encrypted_id_token_shows_decrypted_in_its_step_and_decrypts_in_the_decoder(window, qtbot, context,
                                                                                       oidc_provider, browser):
    from tests.support.provider import ENCRYPTED_CLIENT

    context.open_url = browser.open
    use_profile(window, qtbot, context, Profile(name="encrypted", issuer=oidc_provider.issuer,
                                                client_id=ENCRYPTED_CLIENT, auth_method="client_secret_basic",
                                                scopes=("openid", "email")),
                secrets={"client_secret": oidc_provider.secrets[ENCRYPTED_CLIENT],
                         "decryption_key": oidc_provider.decryption_key_path.read_text()})
    panel = flows(window, qtbot, "auth_code")
    panel.run_all_button.click()
    wait_finished(qtbot, panel)
    flow = panel.session.flow
    assert flow.status.value == "ok", [f.message for f in flow.all_findings()]
    panel.steps_view.setCurrentIndex(panel.steps_model.index(panel.steps_model.row_of(flow.step("id_token"))))
    shown = panel.detail.output_view.toPlainText()
    assert '"decrypted": true' in shown and '"alg": "RSA-OAEP-256"' in shown and '"sub": "alice"' in shown
    panel.steps_view.setCurrentIndex(panel.steps_model.index(panel.steps_model.row_of(flow.step("userinfo"))))
    assert "alice@example.test" in panel.detail.output_view.toPlainText()

    panel.steps_view.setCurrentIndex(panel.steps_model.index(panel.steps_model.row_of(flow.step("token"))))
    buttons = [b for b in panel.detail.tokens_box.findChildren(type(panel.next_button)) if b.isVisibleTo(panel)]
    next(b for b in buttons if "ID token" in b.text()).click()
    decoder = window.panels["Decoder"]
    assert window.current_panel_name == "Decoder" and decoder.decoded.format == "jwe"
    with qtbot.waitSignal(decoder.decrypt_form.decrypted, timeout=RUN_TIMEOUT):
        decoder.decrypt_form.decrypt_button.click()
    assert decoder.shown.decrypted and decoder.shown.claims["sub"] == "alice"
    with qtbot.waitSignal(decoder.verify_form.report_ready, timeout=RUN_TIMEOUT) as verified:
        decoder.verify_form.verify_button.click()
    assert verified.args[0].valid, [f.to_json() for f in verified.args[0].findings]
