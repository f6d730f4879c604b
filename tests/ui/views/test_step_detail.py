"""Step detail: the last exchange by default, tokens abbreviated unless asked, edits only before a run."""

from __future__ import annotations

import httpx
import pytest
from PySide6.QtCore import QRect, Qt

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import Step, StepStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.protocol.http import Exchange
from inspector.ui.views.step_detail import StepDetail
from tests.support.fake_provider import ISSUER, FakeProvider

ACCESS = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImF1ZCI6ImFwaSJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmU"
REFRESH = "rt-8f3a9c2d7e6b5a4f3e2d1c0b9a8f7e6d"


@pytest.fixture
def detail(qtbot):
    widget = StepDetail()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def token_step() -> Step:
    first = Exchange("POST", "https://idp.example/token", {"Content-Type": "application/x-www-form-urlencoded"},
                     {"grant_type": "authorization_code", "client_secret": "hunter2-secret"}, status=None,
                     error="connection reset")
    second = Exchange("POST", "https://idp.example/token", {}, {"grant_type": "authorization_code"}, status=200,
                      body={"access_token": ACCESS, "refresh_token": REFRESH, "token_type": "Bearer"},
                      elapsed=0.042)
    response = {"access_token": ACCESS, "refresh_token": REFRESH}
    return Step("token", "Token exchange", status=StepStatus.OK, exchanges=[first, second],
                output={"token": response})


def test_the_last_exchange_is_shown_with_tokens_abbreviated(detail):
    detail.show_step(token_step(), editable=True)
    assert detail.exchange_choice.isVisibleTo(detail) and detail.exchange_choice.currentIndex() == 1
    assert detail.response_line.text() == "HTTP 200 · 42 ms"
    body = detail.response_body.toPlainText()
    assert ACCESS not in body and REFRESH not in body and "Bearer" in body


def test_show_tokens_in_full_reveals_them_on_request(detail):
    detail.show_step(token_step(), editable=True)
    detail.show_tokens.setChecked(True)
    assert ACCESS in detail.response_body.toPlainText()
    detail.show_tokens.setChecked(False)
    assert ACCESS not in detail.response_body.toPlainText()


def test_a_failed_exchange_says_why_and_masks_the_client_secret(detail):
    detail.show_step(token_step(), editable=True)
    detail.exchange_choice.setCurrentIndex(0)
    assert detail.response_line.text() == "No response: connection reset"
    model = detail.request_params
    shown = [model.index(row, 1).data(Qt.ItemDataRole.DisplayRole) for row in range(model.rowCount())]
    assert "authorization_code" in shown and "hunter2-secret" not in shown


def test_open_in_decoder_hands_over_the_whole_token(detail, qtbot):
    detail.show_step(token_step(), editable=True)
    buttons = {b.accessibleName(): b for b in detail.tokens_box.findChildren(type(detail.add_param_button))
               if b.isVisibleTo(detail)}
    with qtbot.waitSignal(detail.open_token_requested) as opened:
        next(b for name, b in buttons.items() if "access" in name).click()
    assert opened.args == [ACCESS]


def test_three_open_in_decoder_buttons_wrap_in_a_narrow_step_view(detail):
    """In a 900-pixel window the step view gets about 380 pixels: three buttons in a row would
    make it, and so the window, wider, squeezing the step list beside it."""
    step = token_step()
    step.output["token"]["id_token"] = ACCESS
    detail.show_step(step, editable=True)
    detail.resize(380, 500)
    detail.layout().activate()
    buttons = [b for b in detail.tokens_box.findChildren(type(detail.add_param_button)) if b.isVisibleTo(detail)]
    assert len(buttons) == 3
    assert detail.minimumSizeHint().width() <= 380
    for button in buttons:
        shown = QRect(detail.tokens_box.mapTo(detail, button.pos()), button.size())
        assert detail.rect().contains(shown), f"{button.text()!r} is cut off"


@pytest.mark.parametrize(
    ("status", "prepared", "editable", "can_edit"),
    [
        (StepStatus.PENDING, True, True, True),
        (StepStatus.PENDING, True, False, False),  # something else is running
        (StepStatus.PENDING, False, True, False),  # inputs not prepared yet
        (StepStatus.OK, True, True, False),  # already sent
    ],
)
def test_parameters_are_editable_only_before_the_step_is_sent(detail, status, prepared, editable, can_edit):
    step = Step("authorize", "Authorization", status=status, inputs={"scope": "openid"}, prepared=prepared)
    detail.show_step(step, editable=editable)
    assert detail.params_model.editable is can_edit
    assert detail.add_param_button.isEnabled() is can_edit
    if can_edit:
        detail.params_model.setData(detail.params_model.index(0, 1), "openid email", Qt.ItemDataRole.EditRole)
        assert step.inputs == {"scope": "openid email"}


def test_echoed_nested_client_secret_is_masked_in_the_step_view(detail):
    """The GUI renders the same core record as the CLI: a secret the flow sent is masked wherever
    an echoing provider puts it (nested in the body, in a header, in the error description)."""
    secret = "s3cr3t-Web-Client-42"
    provider = FakeProvider()
    provider.on("/token", httpx.Response(401, headers={"x-echo": f"web:{secret}"}, json={
        "error": "invalid_client", "error_description": f"bad web:{secret}",
        "debug": [{"received": {"client_secret": secret, "refresh_token": REFRESH}}]}))
    settings = FlowSettings(issuer=ISSUER, client_id="web", client_secret=secret)
    flow = FlowRunner("client_credentials", settings, FlowEnvironment(transport=provider.transport())).run_all()
    detail.show_step(flow.step("token"), editable=False)
    detail.show_tokens.setChecked(True)
    headers, findings = detail.response_headers, detail.findings_model
    shown = [detail.response_body.toPlainText(), detail.output_view.toPlainText(),
             *(headers.index(row, 1).data(Qt.ItemDataRole.DisplayRole) for row in range(headers.rowCount())),
             *(findings.index(row, 2).data(Qt.ItemDataRole.DisplayRole) for row in range(findings.rowCount()))]
    assert not any(secret in text for text in shown)
    assert "bad ••••••" in shown[0] and REFRESH in shown[0]  # a token by name: shown, as asked


def shown_pairs(model) -> dict[str, str]:
    return {model.index(row, 0).data(): model.index(row, 1).data() for row in range(model.rowCount())}


def test_the_browser_steps_show_the_authorization_request_as_sent_and_the_response_received(detail):
    params = {"response_type": "code", "client_id": "app", "redirect_uri": "http://127.0.0.1:5000/callback",
              "scope": "openid", "state": "s-1", "nonce": "n-1", "code_challenge": "c" * 43}
    authorize = Step("authorize", "Send the person to sign in", status=StepStatus.OK, prepared=True,
                     output={"authorization_request": {"method": "GET", "url": "https://idp.example/authorize",
                                                       "params": params, "sent_by": "browser"}})
    detail.show_step(authorize, editable=True)
    assert detail.request_line.text().startswith("GET https://idp.example/authorize — sent by your browser")
    assert shown_pairs(detail.request_params) == params
    assert "authorization_request" not in detail.output_view.toPlainText()

    callback = Step("callback", "Receive the authorization response", status=StepStatus.OK,
                    output={"authorization_response": {"url": "http://127.0.0.1:5000/callback",
                                                       "params": {"code": "abcdef…(43 chars)", "state": "s-1"}}})
    detail.show_step(callback, editable=True)
    assert shown_pairs(detail.request_params) == {"code": "abcdef…(43 chars)", "state": "s-1"}
    assert '"code": "abcdef…(43 chars)"' in detail.response_body.toPlainText()


def test_a_skipped_step_says_why_under_its_title(detail):
    from inspector.core.advice import Advice
    from inspector.core.findings import info

    reason = info("step_skipped", "UserInfo was not called: the scope sent ('email') did not include openid.",
                  part="userinfo", advice=Advice("Add openid to {scope}.", ("scope",)))
    detail.setting_names = lambda setting: "the Scopes field of profile 'local' (Profiles panel)"
    detail.show_step(Step("userinfo", "Fetch the userinfo claims", status=StepStatus.SKIPPED, findings=[reason]),
                     editable=True)
    assert detail.reason.isVisibleTo(detail)
    assert detail.reason.text() == ("– Skipped: UserInfo was not called: the scope sent ('email') did not include "
                                    "openid. Add openid to the Scopes field of profile 'local' (Profiles panel).")
    assert detail.request_line.text() == "Skipped: nothing was sent."


def test_a_failed_step_says_why_with_the_advice_worded_for_the_app(detail):
    from inspector.core.advice import Advice
    from inspector.core.findings import error, info

    failure = error("timeout", "No authorization response reached http://127.0.0.1:5000/callback within 120 "
                    "seconds.", advice=Advice("Allow more time with {sign_in_timeout}.", ("sign_in_timeout",)))
    detail.setting_names = {"sign_in_timeout": "Settings › Time to sign in"}.get
    detail.show_step(Step("callback", "Receive", status=StepStatus.ERROR, findings=[info("n", "note"), failure]),
                     editable=True)
    assert detail.reason.text().startswith("✖ Failed: No authorization response reached")
    assert detail.reason.text().endswith("Allow more time with Settings › Time to sign in.")
    assert "Settings › Time to sign in" in detail.findings_model.index(0, 2).data()
    detail.show_step(Step("token", "Token", status=StepStatus.OK), editable=True)
    assert not detail.reason.isVisibleTo(detail)


def test_each_exchange_shows_the_dpop_proof_sent_with_it_decoded(detail, qtbot):
    from inspector.core.jose.dpop import make_proof
    from inspector.core.jose.dpop_key import DpopKey
    from inspector.core.protocol.dpop_send import DpopAttempt
    from inspector.core.protocol.http import HttpResult
    from inspector.core.flows.dpop import shown_proof

    key = DpopKey.generate()
    proofs = [make_proof(key, "POST", "https://idp.example/token", nonce=nonce) for nonce in (None, "srv-1")]
    step = token_step()
    step.output["dpop_proofs"] = [shown_proof(DpopAttempt(proof, nonce, HttpResult(step.exchanges[0], None, None)),
                                              number) for number, (proof, nonce) in enumerate(zip(proofs, (None, "srv-1")), 1)]
    detail.show_step(step, editable=False)
    assert detail.proof_box.isVisibleTo(detail)
    shown = detail.proof_view.toPlainText()
    assert '"typ": "dpop+jwt"' in shown and '"nonce": "srv-1"' in shown and '"htm": "POST"' in shown
    assert "srv-1" in detail.proof_line.text()
    with qtbot.waitSignal(detail.open_token_requested) as opened:
        detail.open_proof_button.click()
    assert opened.args == [proofs[1]]
    detail.exchange_choice.setCurrentIndex(0)
    assert '"nonce"' not in detail.proof_view.toPlainText()
    detail.show_step(token_step(), editable=False)
    assert not detail.proof_box.isVisibleTo(detail)
