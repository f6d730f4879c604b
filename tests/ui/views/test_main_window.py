"""The main window: what it shows when its own checks fail, and that closing it never hangs."""

from __future__ import annotations

from inspector.ui.app import create_window
from inspector.ui.verification import KeySource
from tests.support.hanging_transport import HangingTransport
from tests.support.jose import compact


def test_a_failing_keyring_check_is_described_in_plain_words(qtbot, broken_storage_context):
    win = create_window(broken_storage_context)
    qtbot.addWidget(win)
    win.check_keyring()
    qtbot.waitUntil(lambda: win.keyring_label.text() == "Keyring: unavailable", timeout=10_000)
    tip = win.keyring_label.toolTip()
    assert tip.startswith("An unexpected internal error occurred (KeyError).")
    assert "did not complete" in tip


def test_closing_the_window_mid_verification_does_not_wait_for_the_server(qtbot, context):
    transport = HangingTransport()
    context.transport = transport
    win = create_window(context)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.finish_startup()
    decoder = win.show_panel("Decoder")
    decoder.set_token_text(compact({"alg": "RS256", "kid": "k"}, {"sub": "x"}))
    decoder.verify_form.select_source(KeySource.JWKS_URL)
    decoder.verify_form.jwks_url.setText("https://login.acme.dev/jwks")
    decoder.verify_form.verify_button.click()
    assert transport.entered.wait(10), "the JWKS request never started"
    assert win.close()
    # closeEvent waited at most the pool's shutdown time; the hung request must be over by then.
    assert context.pool.shutdown(0), "a worker was still blocked on the server after the window closed"
