"""Decrypting in the Decoder: a pasted JWE shows its header; a pasted, file or profile key (read in
a worker, never on the GUI thread) shows the decrypted claims, marked, with both headers; a wrong
key shows findings and nothing of the content; the nested JWS then verifies in the Verify form."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QMimeData

from inspector.core.storage.profile_model import Profile
from inspector.ui.verification import KeySource
from inspector.ui.views.decoder_panel import DecoderPanel
from tests.support.jose import sign
from tests.support.jwe import encrypt, jwk_for, jwk_text
from tests.support.keys import private_pem, public_pem, rsa_private
from tests.support.memory_keyring import MemoryKeyring

NOW = 1_800_000_000.0
CLAIMS = {"iss": "https://login.acme.dev", "sub": "alice-Hidden-42", "aud": "web", "exp": NOW + 600}
ENC_KEY = {**jwk_for("RSA-OAEP-256", "A256GCM"), "kid": "enc-1"}


class ThreadNotingKeyring(MemoryKeyring):
    """Notes on which threads the keyring was read."""

    def __init__(self) -> None:
        super().__init__({})
        self.threads: set[int] = set()

    def get_password(self, service: str, username: str) -> str | None:
        self.threads.add(threading.get_ident())
        return super().get_password(service, username)


@pytest.fixture
def panel(qtbot, context):
    context.clock = lambda: NOW
    widget = DecoderPanel(context)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def paste(panel: DecoderPanel, text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    panel.editor.setFocus()
    panel.editor.insertFromMimeData(mime)


def nested_jwe(index: int = 0) -> str:
    jws = sign(CLAIMS, private_pem(rsa_private(0)), "RS256", kid="sig-1")
    return encrypt(jws, jwk_for("RSA-OAEP-256", "A256GCM", index), "RSA-OAEP-256", "A256GCM", cty="JWT", kid="enc-1")


def shown_names(panel: DecoderPanel) -> list[str]:
    model = panel.claims_model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def codes(panel: DecoderPanel) -> list[str]:
    model = panel.findings_model
    return [model.finding(row).code for row in range(model.rowCount())]


def decrypt(panel: DecoderPanel, qtbot) -> None:
    with qtbot.waitSignal(panel.decrypt_form.decrypted, timeout=10_000):
        panel.decrypt_form.decrypt_button.click()


def test_a_pasted_jwe_shows_its_header_and_the_decrypt_form(panel):
    paste(panel, nested_jwe())
    assert panel.header_label.text().startswith("JWE (encrypted) · alg RSA-OAEP-256 · enc A256GCM · kid enc-1")
    assert panel.decrypt_form.isVisible() and "alg" in shown_names(panel) and "sub" not in shown_names(panel)
    assert "an RSA private key (alg RSA-OAEP-256, enc A256GCM, kid 'enc-1')" in panel.findings_model.finding(0).message


def test_a_signed_token_hides_the_decrypt_form(panel):
    paste(panel, sign(CLAIMS, b"k" * 32, "HS256"))
    assert not panel.decrypt_form.isVisible()


def test_a_pasted_key_shows_the_decrypted_claims_marked_with_both_headers(panel, qtbot, qtmodeltester):
    paste(panel, nested_jwe())
    panel.decrypt_form.key.setText(jwk_text(ENC_KEY))
    decrypt(panel, qtbot)
    names = shown_names(panel)
    assert "sub" in names and "alg" in names and "alg (JWE)" in names and "enc (JWE)" in names
    assert panel.claims_model.index(panel.claims_model.row_of("sub"), 1).data() == "alice-Hidden-42"
    assert "→ decrypted: JWS (signed) · alg RS256 · kid sig-1" in panel.header_label.text()
    assert codes(panel)[0] == "decrypted" and "Decrypted with key 'enc-1'" in panel.decrypt_form.state_label.text()
    qtmodeltester.check(panel.claims_model)


def test_the_decrypted_jws_verifies_in_the_verify_form(panel, qtbot):
    paste(panel, nested_jwe())
    panel.decrypt_form.key.setText(jwk_text(ENC_KEY))
    decrypt(panel, qtbot)
    form = panel.verify_form
    form.select_source(KeySource.PASTED)
    form.key_text.setPlainText(public_pem(rsa_private(0)).decode())
    assert form.verify_button.isEnabled()
    with qtbot.waitSignal(form.report_ready, timeout=10_000) as report:
        form.verify_button.click()
    assert report.args[0].valid and codes(panel)[:2] == ["decrypted", "signature_valid"]


def test_a_wrong_key_shows_findings_and_nothing_of_the_content(panel, qtbot):
    paste(panel, nested_jwe(index=1))
    panel.decrypt_form.key.setText(jwk_text(ENC_KEY))
    decrypt(panel, qtbot)
    assert codes(panel) == ["jwe_wrong_key"] and "sub" not in shown_names(panel)
    assert "Not decrypted" in panel.decrypt_form.state_label.text()


def test_a_key_that_is_no_key_says_so(panel, qtbot):
    paste(panel, nested_jwe())
    panel.decrypt_form.key.setText(public_pem(rsa_private(0)).decode())
    panel.decrypt_form.decrypt_button.click()
    qtbot.waitUntil(lambda: "Could not decrypt" in panel.decrypt_form.state_label.text(), timeout=10_000)
    assert "no private key" in panel.decrypt_form.state_label.text() and "sub" not in shown_names(panel)


def test_a_key_loaded_from_a_file_decrypts(panel, qtbot, tmp_path):
    key_file = tmp_path / "enc.pem"
    key_file.write_text(jwk_text(ENC_KEY))
    paste(panel, nested_jwe())
    panel.decrypt_form.choose_file = lambda _parent: str(key_file)
    panel.decrypt_form.file_button.click()
    qtbot.waitUntil(lambda: panel.decrypt_form.key.text() == key_file.read_text(), timeout=10_000)
    assert not panel.decrypt_form.key.edit.isVisible(), "the loaded key stays masked"
    decrypt(panel, qtbot)
    assert "sub" in shown_names(panel)


def test_a_missing_key_file_is_a_message_not_a_crash(panel, qtbot, tmp_path):
    paste(panel, nested_jwe())
    panel.decrypt_form.load_key_file(str(tmp_path / "missing.pem"))
    qtbot.waitUntil(lambda: "Cannot read the key file" in panel.decrypt_form.state_label.text(), timeout=10_000)


def test_the_profiles_key_is_read_from_the_keyring_in_a_worker(panel, qtbot, context):
    keyring = ThreadNotingKeyring()
    context.keyring_backend = keyring
    context.storage.profiles.add(Profile("acme", issuer="https://login.acme.dev"),
                                 secrets={"decryption_key": jwk_text(ENC_KEY)})
    context.active_profile = "acme"
    keyring.threads.clear()
    paste(panel, nested_jwe())
    panel.decrypt_form.source_buttons[1].click()
    assert panel.decrypt_form.profile_note.isVisible() and not panel.decrypt_form.key.isVisible()
    decrypt(panel, qtbot)
    assert "sub" in shown_names(panel)
    assert keyring.threads and threading.get_ident() not in keyring.threads


def test_a_profile_without_a_decryption_key_says_so(panel, qtbot, context):
    context.storage.profiles.add(Profile("acme", issuer="https://login.acme.dev"))
    context.active_profile = "acme"
    paste(panel, nested_jwe())
    panel.decrypt_form.source_buttons[1].click()
    panel.decrypt_form.decrypt_button.click()
    qtbot.waitUntil(lambda: "has no decryption key" in panel.decrypt_form.state_label.text(), timeout=10_000)


def test_a_new_token_or_key_clears_the_decrypted_claims(panel, qtbot):
    paste(panel, nested_jwe())
    panel.decrypt_form.key.setText(jwk_text(ENC_KEY))
    decrypt(panel, qtbot)
    panel.decrypt_form.key.setText(jwk_text(jwk_for("RSA-OAEP-256", "A256GCM", 1)))
    assert "sub" not in shown_names(panel) and panel.header_label.text().startswith("JWE (encrypted)")
    assert codes(panel) == ["encrypted"] and panel.decryption is None
    decrypt(panel, qtbot)
    paste(panel, sign(CLAIMS, b"k" * 32, "HS256"))
    assert panel.decryption is None and not panel.decrypt_form.isVisible()


def test_a_token_from_a_flow_is_decrypted_with_the_key_of_the_profile_that_ran_it(panel, qtbot, context):
    from inspector.ui.flow_expectations import FlowExpectations

    context.storage.profiles.add(Profile("ran-the-flow", issuer="https://login.acme.dev"),
                                 secrets={"decryption_key": jwk_text(ENC_KEY)})
    context.storage.profiles.add(Profile("chosen-later", issuer="https://login.acme.dev"))
    context.active_profile = "chosen-later"
    panel.set_token_text(nested_jwe(), FlowExpectations(profile="ran-the-flow"))
    form = panel.decrypt_form
    assert form.source_buttons[1].isChecked() and "'ran-the-flow', which ran the flow" in form.profile_note.text()
    decrypt(panel, qtbot)
    assert "sub" in shown_names(panel) and panel.shown.decrypted
    paste(panel, nested_jwe())  # a token from elsewhere: the Profile box's profile again
    assert form.request().profile == "chosen-later"
