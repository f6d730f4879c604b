"""The Decoder panel: paste → coloured token, explained claims, findings; garbage → a message."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStyle

from inspector.ui.models.roles import SeverityRole, TimeStateRole
from inspector.ui.verification import KeySource
from inspector.ui.views.decoder_panel import DecoderPanel
from tests.support import keys as test_keys
from tests.support.jose import compact, sign

NOW = 1_800_000_000.0


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


def claim_cell(panel: DecoderPanel, claim: str, column: int = 1):
    row = panel.claims_model.row_of(claim)
    assert row >= 0, f"{claim} not shown"
    return panel.claims_model.index(row, column)


def test_pasting_a_token_shows_its_claims_at_once(panel):
    token = compact({"alg": "RS256", "kid": "rsa-1", "typ": "JWT"},
                    {"iss": "https://login.acme.dev", "sub": "alice", "exp": NOW - 180, "plan": "pro"})
    paste(panel, f'  "Bearer {token}"\n')
    assert panel.decoded is not None
    assert claim_cell(panel, "sub").data() == "alice"
    assert claim_cell(panel, "iss").data() == "https://login.acme.dev"
    assert "alg RS256" in panel.header_label.text() and "kid rsa-1" in panel.header_label.text()
    assert not panel.message_label.isVisible()


def test_an_expired_exp_is_in_the_expired_state(panel):
    paste(panel, compact({"alg": "HS256"}, {"exp": NOW - 180, "nbf": NOW + 600, "iat": NOW - 3600}))
    assert claim_cell(panel, "exp").data(TimeStateRole) == "expired"
    assert claim_cell(panel, "exp", 2).data().startswith("expired 3 minutes ago")
    assert claim_cell(panel, "nbf").data(TimeStateRole) == "not_yet_valid"
    assert claim_cell(panel, "iat").data(TimeStateRole) == "past"


def test_a_valid_exp_turns_expired_when_time_passes(panel, context):
    now = [NOW]
    context.clock = lambda: now[0]
    paste(panel, compact({"alg": "HS256"}, {"exp": NOW + 60}))
    assert claim_cell(panel, "exp").data(TimeStateRole) == "valid"
    now[0] = NOW + 120
    panel.claims_model.refresh_times()
    assert claim_cell(panel, "exp").data(TimeStateRole) == "expired"


def test_claims_are_marked_by_category(panel):
    from inspector.ui.models.roles import CategoryRole

    paste(panel, compact({"alg": "HS256"}, {"iss": "x", "nonce": "n", "tid": "t", "plan": "pro"}))
    assert claim_cell(panel, "iss", 0).data(CategoryRole) == "registered"
    assert claim_cell(panel, "nonce", 0).data(CategoryRole) == "oidc"
    assert claim_cell(panel, "tid", 0).data(CategoryRole) == "vendor"
    assert claim_cell(panel, "plan", 0).data(CategoryRole) == "custom"
    assert "Issuer" in claim_cell(panel, "iss", 0).data(Qt.ItemDataRole.ToolTipRole)


def test_selecting_a_finding_highlights_its_claim(panel):
    doubled = compact({"alg": "HS256"}, '{"sub":"a","aud":"x","aud":"y"}')
    paste(panel, doubled)
    finding_rows = [r for r in range(panel.findings_model.rowCount()) if panel.findings_model.finding(r).claim == "aud"]
    assert finding_rows, "the duplicate aud should be a finding"
    assert claim_cell(panel, "aud", 0).data(SeverityRole) == "error"
    panel.findings_view.selectRow(finding_rows[0])
    assert panel.claims_view.currentIndex().row() == panel.claims_model.row_of("aud")
    assert panel.claims_view.selectionModel().isRowSelected(panel.claims_model.row_of("aud"))


@pytest.mark.parametrize("garbage", ["hello world", "a.b.c.d", "!!!.???.***", "   "])
def test_garbage_gives_a_clear_message_not_an_exception(panel, garbage):
    paste(panel, garbage)
    assert panel.decoded is None
    assert panel.claims_model.rowCount() == 0
    if garbage.strip():
        assert panel.message_label.isVisible()
        assert panel.message_label.text().startswith("Not a token we can read.")


def test_typing_decodes_after_a_pause(panel, qtbot):
    panel.editor.setPlainText(compact({"alg": "HS256"}, {"sub": "typed"}))
    qtbot.waitUntil(lambda: panel.decoded is not None, timeout=2000)
    assert claim_cell(panel, "sub").data() == "typed"


def test_copy_value_and_copy_json(panel):
    paste(panel, compact({"alg": "HS256"}, {"sub": "alice", "roles": ["a", "b"]}))
    panel.claims_view.selectRow(panel.claims_model.row_of("roles"))
    panel.copy_value_button.click()
    assert QGuiApplication.clipboard().text() == '["a","b"]'
    panel.copy_json_button.click()
    assert '"sub": "alice"' in QGuiApplication.clipboard().text()


def test_a_broken_signature_still_shows_the_claims(panel):
    paste(panel, compact({"alg": "RS256"}, {"sub": "bob"}, signature="%%%"))
    assert claim_cell(panel, "sub").data() == "bob"
    assert any(f.part == "signature" for f in panel.findings_model.findings())


def test_token_parts_are_coloured(panel):
    token = compact({"alg": "HS256"}, {"sub": "x"})
    paste(panel, f"Bearer {token}")
    selections = panel.editor.extraSelections()
    assert len(selections) == 3
    assert selections[0].cursor.selectionStart() == len("Bearer ")
    assert selections[2].cursor.selectionEnd() == len("Bearer ") + len(token)


def verify_and_wait(panel: DecoderPanel, qtbot) -> object:
    with qtbot.waitSignal(panel.verify_form.report_ready, timeout=10_000) as blocker:
        panel.verify_form.verify_button.click()
    return blocker.args[0]


def test_verify_with_a_secret_reports_every_finding_and_marks_claims(panel, qtbot):
    from inspector.ui.verification import KeySource
    from tests.support.jose import sign

    secret = "a-shared-secret-of-at-least-32-bytes!!"
    token = sign({"iss": "https://login.acme.dev", "aud": "billing-api", "exp": int(NOW) - 180}, secret, "HS256")
    paste(panel, token)
    form = panel.verify_form
    form.select_source(KeySource.SECRET)
    form.secret.setText(secret)
    form.audience.setText("web-app")
    report = verify_and_wait(panel, qtbot)
    codes = {f.code for f in report.findings}
    assert not report.valid
    assert claim_cell(panel, "exp", 0).data(SeverityRole) == "error"
    assert claim_cell(panel, "aud", 0).data(SeverityRole) == "error"
    assert {f.code for f in panel.findings_model.findings()} == codes
    assert "Not valid" in form.state_label.text()


def test_at_900x600_the_findings_show_at_least_three_rows_with_whole_messages(small_window, qtbot):
    secret = "a-shared-secret-of-thirty-two-bytes!"
    token = sign({"iss": "https://login.acme.dev", "sub": "alice", "aud": "billing-api", "exp": 1_000_000},
                 secret.encode(), "HS256", kid="hs-1", jku="https://attacker.example/jwks.json")
    decoder = small_window.show_panel("Decoder")
    paste(decoder, token)
    form = decoder.verify_form
    form.select_source(KeySource.SECRET)
    form.secret.edit.setText(secret)
    form.issuer.setText("https://login.other.example")
    form.audience.setText("web-app")
    form.verify_button.click()
    qtbot.waitUntil(lambda: decoder.findings_model.rowCount() >= 4 and form.verify_button.isEnabled(), timeout=10_000)
    view, model = decoder.findings_view, decoder.findings_model
    metrics = view.fontMetrics()
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
    width = view.columnWidth(2) - 2 * margin
    assert any(metrics.horizontalAdvance(model.finding(row).message) > width for row in range(3)), \
        "a message long enough to need wrapping"
    for row in range(3):
        cell = view.visualRect(model.index(row, 2))
        assert view.viewport().rect().contains(cell), f"finding {row} is not wholly in view"
        needed = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap,
                                      model.finding(row).message).height()
        assert cell.height() >= needed, f"the message of finding {row} is cut off"


def test_verify_with_a_wrong_secret_says_the_signature_is_bad(panel, qtbot):
    from inspector.ui.verification import KeySource
    from tests.support.jose import sign

    paste(panel, sign({"sub": "x", "exp": int(NOW) + 600}, "right-secret-right-secret-right-secret", "HS256"))
    panel.verify_form.select_source(KeySource.SECRET)
    panel.verify_form.secret.setText("wrong-secret-wrong-secret-wrong-secret")
    report = verify_and_wait(panel, qtbot)
    assert not report.valid
    assert any(f.part == "signature" or "signature" in f.message.lower() for f in report.findings)


def test_verify_with_a_pasted_jwk_passes(panel, qtbot):
    import json

    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    from inspector.ui.verification import KeySource
    from tests.support.jose import sign

    private = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
    paste(panel, sign({"sub": "x", "exp": int(NOW) + 600, "iat": int(NOW)}, private, "ES256"))
    panel.verify_form.select_source(KeySource.PASTED)
    panel.verify_form.key_text.setPlainText(json.dumps(jwk))
    report = verify_and_wait(panel, qtbot)
    assert report.valid, [f.message for f in report.findings]
    assert panel.verify_form.state_label.text().startswith("✔ Signature valid (ES256, JWK).")


def test_verify_without_a_key_explains_what_to_do(panel, qtbot):
    from inspector.ui.verification import KeySource

    paste(panel, compact({"alg": "HS256"}, {"sub": "x"}))
    panel.verify_form.select_source(KeySource.SECRET)
    panel.verify_form.verify_button.click()
    qtbot.waitUntil(lambda: panel.verify_form.verify_button.isEnabled(), timeout=5000)
    assert "Enter the shared secret" in panel.verify_form.state_label.text()


def test_verify_with_a_jwks_url_fetches_through_the_injected_transport(panel, qtbot, context):
    import json

    import httpx
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    from inspector.ui.verification import KeySource
    from tests.support.jose import sign

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key())) | {"kid": "rsa-1"}
    fetched: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        fetched.append(str(request.url))
        return httpx.Response(200, json={"keys": [jwk]})

    context.transport = httpx.MockTransport(handler)
    paste(panel, sign({"sub": "x", "exp": int(NOW) + 600}, private, "RS256", kid="rsa-1"))
    panel.verify_form.select_source(KeySource.JWKS_URL)
    panel.verify_form.jwks_url.setText("https://login.acme.dev/jwks")
    report = verify_and_wait(panel, qtbot)
    assert fetched == ["https://login.acme.dev/jwks"]
    assert report.valid, [f.message for f in report.findings]


def test_save_to_history_stores_the_token_encrypted(panel, qtbot, context):
    panel.recorder.enabled = False  # the preference is off: the manual button is the way
    token = compact({"alg": "HS256"}, {"sub": "saved-one", "exp": NOW + 60})
    paste(panel, token)
    panel.save_button.click()
    qtbot.waitUntil(lambda: len(context.storage.history.entries()) == 1, timeout=5000)
    entry = context.storage.history.entries()[0]
    assert entry.subject == "saved-one" and entry.source == "pasted"
    assert token.encode() not in context.paths.history_file.read_bytes()


def test_ctrl_v_decodes_at_once(panel, qtbot):
    QGuiApplication.clipboard().setText(compact({"alg": "HS256"}, {"sub": "from-clipboard"}))
    panel.editor.setFocus()
    qtbot.keyClick(panel.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert panel.decoded is not None  # no pause: the paste path decodes synchronously
    assert claim_cell(panel, "sub").data() == "from-clipboard"


def test_verify_with_the_profile_jwks_uses_the_profile_issuer(panel, qtbot, context):
    import json

    import httpx
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    from inspector.core.storage.profile_model import Profile
    from inspector.ui.verification import KeySource
    from tests.support.jose import sign

    private = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key())) | {"kid": "ec-1"}
    context.transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"keys": [jwk]}))
    context.storage.profiles.add(Profile("acme", issuer="https://login.acme.dev",
                                         endpoints={"jwks_uri": "https://login.acme.dev/jwks"}))
    context.active_profile = "acme"
    paste(panel, sign({"iss": "https://evil.example", "sub": "x", "exp": int(NOW) + 600}, private, "ES256", kid="ec-1"))
    panel.verify_form.select_source(KeySource.PROFILE)
    report = verify_and_wait(panel, qtbot)
    assert not report.valid
    assert claim_cell(panel, "iss", 0).data(SeverityRole) == "error"
    assert not any(f.part == "signature" and f.severity.value == "error" for f in report.findings)


def pem_and_token():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from tests.support.jose import sign

    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return pem, sign({"sub": "x", "exp": int(NOW) + 600}, private, "ES256")


def test_a_signature_only_check_says_what_was_not_checked_instead_of_claims_verified(panel, qtbot):
    from inspector.ui.verification import KeySource

    pem, token = pem_and_token()
    paste(panel, token)
    panel.verify_form.select_source(KeySource.PASTED)
    panel.verify_form.key_text.setPlainText(pem)
    verify_and_wait(panel, qtbot)
    said = panel.verify_form.state_label.text()
    assert "claims verified" not in said
    assert said == ("✔ Signature valid (ES256, PEM key). Checked: exp/nbf/iat. Not checked: issuer, audience. "
                    "Fill in Issuer, Audience to check them.")


def test_switching_the_key_source_clears_the_old_result_so_it_never_sits_beside_a_new_error(panel, qtbot):
    from inspector.ui.verification import KeySource

    pem, token = pem_and_token()
    paste(panel, token)
    form = panel.verify_form
    form.select_source(KeySource.PASTED)
    form.key_text.setPlainText(pem)
    verify_and_wait(panel, qtbot)
    assert "signature_valid" in {f.code for f in panel.findings_model.findings()}
    with qtbot.waitSignal(form.result_cleared, timeout=1000):
        form.select_source(KeySource.PROFILE)  # no profile is chosen: verifying now fails
    assert form.state_label.text() == "" and "signature_valid" not in {f.code for f in panel.findings_model.findings()}
    form.verify_button.click()
    qtbot.waitUntil(lambda: form.state_label.text().startswith("Could not verify"), timeout=5000)
    assert "PEM key" not in " ".join(f.message for f in panel.findings_model.findings())


@pytest.mark.parametrize("change", [
    lambda form: form.issuer.setText("https://login.acme.dev"),
    lambda form: form.audience.setText("web-app"),
    lambda form: form.nonce.setText("n-1"),
    lambda form: form.client_id.setText("web-app"),
    lambda form: form.algorithms.setText("ES256"),
    lambda form: form.leeway.setValue(5),
    lambda form: form.key_text.setPlainText(""),
], ids=["issuer", "audience", "nonce", "client id", "algorithms", "leeway", "key"])
def test_a_result_never_outlives_its_inputs(panel, qtbot, change):
    from inspector.ui.verification import KeySource

    pem, token = pem_and_token()
    paste(panel, token)
    panel.verify_form.select_source(KeySource.PASTED)
    panel.verify_form.key_text.setPlainText(pem)
    verify_and_wait(panel, qtbot)
    with qtbot.waitSignal(panel.verify_form.result_cleared, timeout=1000):
        change(panel.verify_form)
    assert panel.verify_form.state_label.text() == ""
    assert {f.code for f in panel.findings_model.findings()} == {f.code for f in panel.decoded.findings}


def test_a_pasted_dpop_proof_shows_as_one_with_its_checks(panel):
    from inspector.core.jose.dpop import make_proof
    from inspector.core.jose.dpop_key import DpopKey

    key = DpopKey.generate()
    paste(panel, make_proof(key, "GET", "https://api.example/orders?page=2", access_token="at-1", clock=lambda: NOW))
    summary = panel.header_label.text()
    assert summary.startswith("DPoP proof (RFC 9449)") and key.thumbprint in summary and "ath" in summary
    codes = [f.code for f in panel.findings_model.findings()]
    assert codes == ["signature_valid", "dpop_proof_age", "dpop_resource_proof", "dpop_jkt"]
    assert claim_cell(panel, "htu").data() == "https://api.example/orders"
    assert "HTTP method" in claim_cell(panel, "htm", 0).data(Qt.ItemDataRole.ToolTipRole)


def test_a_dpop_proof_with_a_private_key_or_a_bad_signature_is_flagged(panel):
    import json

    from inspector.core.jose.dpop_key import DpopKey

    key = DpopKey.generate()
    claims = {"jti": "Zm9vYmFyYmF6cXV4MTIz", "htm": "POST", "htu": "https://op.example/token", "iat": int(NOW)}
    leaky = key.sign({"typ": "dpop+jwt", "alg": "ES256", "jwk": json.loads(key.to_private_jwk())}, claims)
    paste(panel, leaky)
    errors = [f for f in panel.findings_model.findings() if f.severity.value == "error"]
    assert [f.code for f in errors] == ["dpop_jwk_private"] and errors[0].claim == "jwk"
    head, payload, _signature = leaky.split(".")
    panel.editor.clear()
    paste(panel, f"{head}.{payload}.{'A' * 86}")
    assert "bad_signature" in {f.code for f in panel.findings_model.findings()}


def test_a_jwt_with_a_header_jwk_is_not_a_proof_in_the_decoder(panel):
    attacker = test_keys.ec_private()
    paste(panel, sign({"sub": "a"}, attacker, "ES256", jwk=test_keys.public_jwk(attacker)))
    assert panel.header_label.text().startswith("JWS (signed)") and panel.proof is None
    assert "signature_valid" not in {f.code for f in panel.findings_model.findings()}


def test_the_proof_checks_come_back_when_a_verification_is_cleared(panel):
    from tests.support.dpop import VECTORS

    paste(panel, VECTORS["rfc9449_token_request"]["proof"])
    shown = [f.code for f in panel.findings_model.findings()]
    assert "dpop_proof_stale" in shown  # the RFC's proof is from 2019
    panel.on_verify_form_report_ready(type("Report", (), {"findings": [], "valid": True})())
    assert panel.findings_model.findings() == []
    panel.on_verify_form_result_cleared()
    assert [f.code for f in panel.findings_model.findings()] == shown
