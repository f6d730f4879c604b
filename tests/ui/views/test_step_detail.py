"""Step detail: the last exchange by default, tokens abbreviated unless asked, edits only before a run."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt

from inspector.core.flows.model import Step, StepStatus
from inspector.core.protocol.http import Exchange
from inspector.ui.views.step_detail import StepDetail

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
