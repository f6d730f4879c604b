"""The main window: what it shows when its own checks fail, and that closing it never hangs."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

from inspector.core.storage.profile_model import Profile
from inspector.ui.app import create_window
from inspector.ui.verification import KeySource
from inspector.ui.views.panels import PANEL_NAMES
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


def fresh_minimum_size(window: QWidget) -> QSize:
    """The least room the window's widgets need as they are now (Qt refreshes its cached sizes
    in posted events, one level at a time: here all at once)."""
    for widget in window.findChildren(QWidget):
        widget.updateGeometry()
    return window.minimumSizeHint()


def test_a_long_issuer_is_elided_and_every_panel_still_fits_900x600(small_window, qtbot, context):
    issuer = "https://contoso.b2clogin.com/tfp/72f988bf-86f1-41af-91ab-2d7cd011db47/b2c_1a_signup_signin_mfa/v2.0/"
    context.storage.profiles.add(Profile("contoso-production", issuer=issuer, client_id="web-app"))
    small_window.panels["Profiles"].load()
    qtbot.waitUntil(lambda: small_window.profile_bar.combo.findText("contoso-production") >= 0, timeout=5000)
    small_window.profile_bar.select("contoso-production")
    label = small_window.profile_bar.issuer_label
    assert label.text() == f"issuer {issuer}"
    assert label.is_elided() and label.toolTip() == label.text()
    small_window.listener_label.setText("Listening on http://127.0.0.1:53817/callback")
    for name in PANEL_NAMES:
        small_window.show_panel(name)
        hint = fresh_minimum_size(small_window)
        assert hint.width() <= 900 and hint.height() <= 600, f"the {name} panel needs {hint.width()}×{hint.height()}"
