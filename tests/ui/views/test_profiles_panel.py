"""The Profiles panel: edit every field, secrets round-trip through the keyring, Discover lints."""

from __future__ import annotations

import json

import httpx
import pytest

from inspector.ui.views.profiles_panel import ProfilesPanel

ISSUER = "https://login.acme.dev"


@pytest.fixture
def panel(qtbot, context):
    widget = ProfilesPanel(context)
    widget.confirm = lambda title, text: True
    qtbot.addWidget(widget)
    widget.show()
    widget.load()
    qtbot.waitUntil(lambda: context.pool.active == 0, timeout=5000)
    return widget


def create(panel: ProfilesPanel, qtbot, name: str = "acme-dev", secret: str = "s3cret-value") -> None:
    panel.new_button.click()
    qtbot.keyClicks(panel.form.name, name)
    qtbot.keyClicks(panel.form.issuer, ISSUER)
    qtbot.keyClicks(panel.form.client_id, "web-app")
    qtbot.keyClicks(panel.form.client_secret.edit, secret)
    panel.form.scopes.setText("openid profile email")
    panel.form.extra_params.setPlainText("prompt=login")
    with qtbot.waitSignal(panel.profiles_changed, timeout=5000):
        panel.save_button.click()


def test_a_new_profile_is_saved_with_its_secret_only_in_the_keyring(panel, qtbot, context):
    create(panel, qtbot)
    assert panel.model.rowCount() == 1
    stored = context.storage.profiles.get("acme-dev")
    assert stored.client_id == "web-app" and stored.scopes == ("openid", "profile", "email")
    assert stored.extra_params == {"prompt": "login"}
    assert context.keyring_backend.entries[("token-inspector", "profile/acme-dev/client_secret")] == "s3cret-value"
    assert "s3cret-value" not in context.paths.profiles_file.read_text()


def test_secrets_come_back_masked_and_reveal_on_request(panel, qtbot, context):
    create(panel, qtbot)
    again = ProfilesPanel(context)
    qtbot.addWidget(again)
    again.show()
    again.load()
    qtbot.waitUntil(lambda: again.form.client_secret.text() == "s3cret-value", timeout=5000)
    from PySide6.QtWidgets import QLineEdit

    assert again.form.client_secret.edit.echoMode() == QLineEdit.EchoMode.Password
    assert not again.save_button.isEnabled(), "loading a profile is not an edit"
    again.form.client_secret.reveal.click()
    assert again.form.client_secret.edit.echoMode() == QLineEdit.EchoMode.Normal


def test_emptying_a_secret_deletes_it_from_the_keyring(panel, qtbot, context):
    create(panel, qtbot)
    qtbot.waitUntil(lambda: panel.form.client_secret.text() == "s3cret-value", timeout=5000)
    panel.form.client_secret.edit.selectAll()
    qtbot.keyClick(panel.form.client_secret.edit, "\b")
    with qtbot.waitSignal(panel.profiles_changed, timeout=5000):
        panel.save_button.click()
    assert ("token-inspector", "profile/acme-dev/client_secret") not in context.keyring_backend.entries
    assert context.storage.profiles.get("acme-dev").secrets == ()


def test_editing_a_field_enables_save_and_revert_restores(panel, qtbot, context):
    create(panel, qtbot)
    qtbot.waitUntil(lambda: panel.form.client_secret.text() == "s3cret-value", timeout=5000)
    assert not panel.save_button.isEnabled()
    panel.form.notes.setPlainText("rotated the secret on Monday")
    assert panel.save_button.isEnabled() and panel.state_label.text() == "Unsaved changes."
    panel.revert_button.click()
    qtbot.waitUntil(lambda: panel.form.client_secret.text() == "s3cret-value", timeout=5000)
    assert panel.form.notes.toPlainText() == "" and not panel.save_button.isEnabled()


def test_an_invalid_field_is_explained_in_place(panel, qtbot, context):
    panel.new_button.click()
    qtbot.keyClicks(panel.form.name, "bad name!")
    panel.save_button.click()
    assert panel.state_label.text().startswith("Not saved:")
    assert "bad name!" in panel.state_label.text()
    assert context.pool.active == 0


def test_discover_fills_endpoints_and_shows_lint_findings(panel, qtbot, context):
    metadata = {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/authorize",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": f"{ISSUER}/jwks",
        "response_types_supported": ["code"],
    }
    context.transport = httpx.MockTransport(lambda request: httpx.Response(200, json=metadata))
    panel.new_button.click()
    qtbot.keyClicks(panel.form.issuer, ISSUER)
    panel.discover_button.click()
    qtbot.waitUntil(lambda: panel.discover_button.isEnabled(), timeout=5000)
    assert panel.form.endpoints["token_endpoint"].text() == f"{ISSUER}/token"
    assert panel.form.endpoints["jwks_uri"].text() == f"{ISSUER}/jwks"
    assert panel.lint_model.rowCount() > 0, "incomplete metadata should be linted"
    assert panel.lint_view.isVisible()


def test_delete_removes_profile_and_secrets(panel, qtbot, context):
    create(panel, qtbot)
    with qtbot.waitSignal(panel.profiles_changed, timeout=5000):
        panel.delete_button.click()
    assert panel.model.rowCount() == 0
    assert context.keyring_backend.entries == {} or all(
        not name.startswith("profile/") for (_s, name) in context.keyring_backend.entries)
    assert json.loads(context.paths.profiles_file.read_text())["profiles"] == []


def test_no_usable_keyring_shows_a_banner(qtbot, context):
    from keyring.backends.fail import Keyring as FailKeyring

    from inspector.ui.context import AppContext

    widget = ProfilesPanel(AppContext(pool=context.pool, paths=context.paths, keyring_backend=FailKeyring()))
    qtbot.addWidget(widget)
    widget.show()
    widget.load()
    widget.activate()
    qtbot.waitUntil(lambda: bool(widget.banner.text()), timeout=5000)
    assert "No keyring is usable" in widget.banner.text()


def test_profiles_fill_the_window_profile_chooser(window, qtbot, context):
    panel = window.show_panel("Profiles")
    panel.confirm = lambda title, text: True
    create(panel, qtbot)
    window.profile_bar.select("acme-dev")
    assert context.active_profile == "acme-dev"
    assert ISSUER in window.profile_bar.issuer_label.text()


def test_a_decryption_key_is_saved_only_in_the_keyring_and_comes_back_masked(panel, qtbot, context):
    from tests.support.jwe import jwk_text, rsa_jwk

    text = jwk_text({**rsa_jwk(0), "kid": "enc-1"})
    create(panel, qtbot)
    qtbot.waitUntil(lambda: panel.form.client_secret.text() == "s3cret-value", timeout=5000)
    panel.form.decryption_key.reveal.click()
    panel.form.decryption_key.edit.setPlainText(text)
    with qtbot.waitSignal(panel.profiles_changed, timeout=5000):
        panel.save_button.click()
    assert context.storage.profiles.secret("acme-dev", "decryption_key") == text
    assert rsa_jwk(0)["d"][:16] not in context.paths.profiles_file.read_text()
    again = ProfilesPanel(context)
    qtbot.addWidget(again)
    again.show()
    again.load()
    qtbot.waitUntil(lambda: again.form.decryption_key.text() == text, timeout=5000)
    assert not again.form.decryption_key.edit.isVisible() and again.form.decryption_key.masked.text()


def test_keeping_a_dpop_key_stores_it_only_in_the_keyring_and_it_comes_back_ticked(panel, qtbot, context):
    create(panel, qtbot)
    qtbot.waitUntil(lambda: panel.form.client_secret.text() == "s3cret-value", timeout=5000)
    panel.form.dpop.setChecked(True)
    panel.form.dpop_keep_key.setChecked(True)
    with qtbot.waitSignal(panel.profiles_changed, timeout=5000):
        panel.save_button.click()
    stored = context.storage.profiles.get("acme-dev")
    assert stored.dpop is True and "dpop_key" in stored.secrets
    kept = context.keyring_backend.entries[("token-inspector", "profile/acme-dev/dpop_key")]
    assert json.loads(kept)["d"] not in context.paths.profiles_file.read_text()
    again = ProfilesPanel(context)
    qtbot.addWidget(again)
    again.show()
    again.load()
    qtbot.waitUntil(lambda: again.form.client_secret.text() == "s3cret-value", timeout=5000)
    assert again.form.dpop.isChecked() and again.form.dpop_keep_key.isChecked()
    assert not again.save_button.isEnabled()


def test_a_public_key_is_refused_as_a_decryption_key_with_the_reason(panel, qtbot, context):
    from tests.support.keys import public_pem, rsa_private

    create(panel, qtbot)
    qtbot.waitUntil(lambda: panel.form.client_secret.text() == "s3cret-value", timeout=5000)
    panel.form.decryption_key.reveal.click()
    panel.form.decryption_key.edit.setPlainText(public_pem(rsa_private(0)).decode())
    panel.save_button.click()
    qtbot.waitUntil(lambda: "no private key" in panel.state_label.text(), timeout=5000)
    assert "decryption_key" not in context.storage.profiles.get("acme-dev").secrets


def test_a_client_certificate_loaded_in_the_form_is_saved_with_its_key_only_in_the_keyring(panel, qtbot, context,
                                                                                           tmp_path):
    from tests.support.mtls import issue

    cert_file, key_file = issue("mtls-client").write(tmp_path, "client")
    create(panel, qtbot)
    qtbot.waitUntil(lambda: panel.form.client_secret.text() == "s3cret-value", timeout=5000)
    assert panel.form.load_pem(panel.form.client_cert, str(cert_file))
    assert panel.form.load_pem(panel.form.client_key, str(key_file))
    with qtbot.waitSignal(panel.profiles_changed, timeout=5000):
        panel.save_button.click()
    stored = context.storage.profiles.get("acme-dev")
    assert stored.client_cert == cert_file.read_text().strip() and "client_key" in stored.secrets
    assert context.keyring_backend.entries[("token-inspector", "profile/acme-dev/client_key")] == key_file.read_text()
    assert "PRIVATE KEY" not in context.paths.profiles_file.read_text()


def test_a_pem_file_that_cannot_be_read_is_said_on_the_panel(panel, qtbot, tmp_path):
    create(panel, qtbot)
    assert not panel.form.load_pem(panel.form.client_key, str(tmp_path / "absent.pem"))
    assert "absent.pem" in panel.state_label.text()
