"""ExchangeDetail: one recorded exchange, masked, with a button per token it carries."""

from __future__ import annotations

import pytest

from inspector.core.har.reader import read_har
from inspector.core.redact import MASK
from inspector.core.diagnosis.masking import recording_redactor
from inspector.ui.views.exchange_detail import ExchangeDetail
from tests.support.har_login import ACCESS, PASSWORD, SECRETS, failing_login
from tests.support.widget_text import shown_text


@pytest.fixture
def detail(qtbot):
    widget = ExchangeDetail()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_sign_in_post_shows_its_form_masked_and_what_it_carried_back(detail):
    recording = read_har(failing_login().dumps())
    login = next(e for e in recording.exchanges if e.param("password"))
    detail.show_exchange(login, recording_redactor(recording))
    assert detail.title.text() == f"Callback · HAR entry {login.index}"
    assert detail.request_line.text() == "POST https://login.example.com/login"
    rows = {detail.params.index(r, 0).data(): detail.params.index(r, 1).data() for r in range(detail.params.rowCount())}
    assert rows == {"username": "alice", "password": MASK}
    assert not detail.carried_view.isHidden() and detail.response_line.text() == "HTTP 302 · 42 ms"
    assert PASSWORD not in shown_text(detail) and not [s for s in SECRETS if s in shown_text(detail)]
    assert detail.token_buttons == []


def test_a_token_response_offers_its_tokens_and_emits_the_whole_token(detail, qtbot):
    recording = read_har(failing_login().dumps())
    answer = next(e for e in recording.exchanges if e.kind.value == "token" and e.status == 200)
    detail.show_exchange(answer, recording_redactor(recording))
    assert [b.text() for b in detail.token_buttons] == ["Open the ID token in the Decoder",
                                                        "Open the access token in the Decoder"]
    with qtbot.waitSignal(detail.open_token_requested) as opened:
        detail.token_buttons[1].click()
    assert opened.args == [ACCESS]
    assert detail.carried_view.isHidden()


def test_nothing_selected_says_what_to_do(detail):
    detail.show_exchange(None, None)
    assert detail.title.text() == "Select an exchange in the timeline to see its request and response."
    assert not detail.tabs.isVisibleTo(detail)
