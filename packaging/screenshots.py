"""Regenerate the README screenshots from the real app, under Xvfb, with realistic demo data.

    .venv/bin/python packaging/screenshots.py [--out resources/screenshots] [--size 900x600 ...]

Two sets by default: the README's at 1200x820 (decoder.png, flows.png, …) and the smallest
window the layout is made for, 900x600 (decoder-900x600.png, …); each set starts with the
first-start welcome (welcome.png), taken with no profiles and no history.
The PAR + DPoP shot (flows-par-dpop.png) runs the authorization code flow again with a profile that
pushes its request and binds tokens to a DPoP key, showing the token request's decoded proof.
The Call an API shot (call.png) sends the Flows shot's access token to the test resource server,
which asks the provider's introspection and refuses it for a scope it lacks.

Needs Xvfb (``bash packaging/bootstrap.sh test`` installs it) and the test identity provider
(tests/e2e/provider, also installed by bootstrap): the Flows screenshot is a real
authorization-code flow against it, signed in by the scripted user agent, and the Diagnose one a
HAR recorded from a failed login there. Everything lives in a throwaway TOKEN_INSPECTOR_HOME with
an in-memory keyring; nothing touches your own settings.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1200, 820)
#: The smallest window the layout is made for (issue 12).
SMALL = (900, 600)


def _under_xvfb() -> None:
    """Re-run this script inside a virtual X server unless it already is in one."""
    if os.environ.get("TOKEN_INSPECTOR_SCREENSHOTS_XVFB") == "1":
        return
    if shutil.which("xvfb-run") is None:
        sys.exit("screenshots: xvfb-run is missing; run `bash packaging/bootstrap.sh test` (or apt-get install xvfb xauth)")
    env = dict(os.environ, TOKEN_INSPECTOR_SCREENSHOTS_XVFB="1", QT_QPA_PLATFORM="xcb")
    command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24 -dpi 96", sys.executable, __file__, *sys.argv[1:]]
    # Without a session bus, Qt's accessibility bridge makes libdbus autolaunch a dbus-launch
    # daemon that outlives the script: give the app a private bus that ends with it.
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") and shutil.which("dbus-run-session"):
        command = ["dbus-run-session", "--", *command]
    sys.exit(subprocess.call(command, env=env, cwd=ROOT))


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.02)


def settle(seconds: float = 0.3) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def demo_token(private_key, now: float) -> str:  # noqa: ANN001
    from tests.support.jose import sign

    claims = {
        "iss": "https://login.acme.dev", "sub": "alice", "aud": "billing-api", "azp": "web-app",
        "exp": int(now - 180), "iat": int(now - 3780), "nbf": int(now - 3780), "auth_time": int(now - 3800),
        "nonce": "n-0S6_WzA2Mj", "email": "alice@acme.dev", "email_verified": True, "tid": "72f988bf-86f1",
        "plan": "pro", "https://acme.dev/roles": ["billing-admin", "support"],
    }
    return sign(claims, private_key, "RS256", kid="rsa-1", jku="https://attacker.example/jwks.json")


def parse_size(text: str) -> tuple[int, int]:
    """``900x600`` -> (900, 600), for ``--size``."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 900x600") from None
    return width, height


def suffix(size: tuple[int, int]) -> str:
    """The README's main set keeps its plain names; other sizes get ``-900x600``."""
    return "" if size == SIZE else f"-{size[0]}x{size[1]}"


def new_context(home: Path, open_url: Callable[[str], bool] | None = None):  # noqa: ANN201
    from inspector.core.storage.paths import AppPaths
    from inspector.ui.app import create_application
    from inspector.ui.context import AppContext
    from inspector.ui.workers import WorkerPool
    from tests.support.memory_keyring import MemoryKeyring

    app = create_application()
    extra = {"open_url": open_url} if open_url is not None else {}
    return AppContext(pool=WorkerPool(app), paths=AppPaths.under(home), keyring_backend=MemoryKeyring({}), **extra)


def capture_first_start(out: Path, size: tuple[int, int]) -> None:
    """What a newcomer sees: no profiles, no history, the Decoder's welcome."""
    from inspector.ui.app import create_window

    with tempfile.TemporaryDirectory() as tmp:
        window = create_window(new_context(Path(tmp) / "home"))
        window.resize(*size)
        window.show()
        window.finish_startup()
        window.warm_up()
        decoder = window.show_panel("Decoder")
        wait_for(lambda: window.panels["Profiles"].model.rowCount() == 0 and decoder.empty_state.welcome
                 and window.context.pool.active == 0, "the first start")
        settle()
        window.grab().save(str(out / f"welcome{suffix(size)}.png"))
        window.close()


def capture_set(provider, browser, out: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    """One window of ``size`` in its own throwaway home: Flows, Decoder, Profiles, History."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    from inspector.core.storage.profile_model import Profile
    from inspector.ui.app import create_window
    from inspector.ui.verification import KeySource
    from tests.support.jose import compact

    name = suffix(size)
    with tempfile.TemporaryDirectory() as tmp:
        context = new_context(Path(tmp) / "home", browser.open)
        profiles = context.storage.profiles
        profiles.add(Profile("local-dev", issuer=provider.issuer, client_id="public-client", auth_method="none",
                             scopes=("openid", "email", "profile"), notes="The test provider on loopback."))
        profiles.add(Profile("local-dpop", issuer=provider.issuer, client_id="dpop-client", auth_method="none",
                             scopes=("openid", "email"), use_par=True, dpop=True,
                             notes="The test provider: pushed authorization requests and DPoP-bound tokens."))
        profiles.add(Profile("acme-prod", issuer="https://login.acme.dev", client_id="web-app",
                             scopes=("openid", "profile", "offline_access")),
                     secrets={"client_secret": "demo-secret-not-real"})
        now = time.time()
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        token = demo_token(private_key, now)
        for sub, exp, source in (("bob", now + 3000, "pasted"), ("carol", now - 86400, "pasted"),
                                 ("svc-billing", now + 600, "client_credentials")):
            context.storage.history.add(compact({"alg": "RS256", "kid": "rsa-1"},
                                                {"iss": "https://login.acme.dev", "sub": sub, "aud": "billing-api",
                                                 "exp": exp}), source=source, profile="acme-prod")

        window = create_window(context)
        window.resize(*size)
        window.show()
        window.finish_startup()
        window.warm_up()
        wait_for(lambda: window.profile_bar.combo.findText("local-dev") >= 0, "the profiles")
        window.profile_bar.select("local-dev")

        flows = window.show_panel("Flows")
        wait_for(lambda: flows.steps_model.rowCount() > 0, "the flows core")
        flows.grant.setCurrentIndex(flows.grant.findData("auth_code"))
        flows.run_all_button.click()
        wait_for(lambda: flows.session.runner is not None and flows.session.runner.finished
                 and not flows.session.busy, "the authorization code flow")
        flows.steps_view.setCurrentIndex(flows.steps_model.index(3))
        flows.detail.tabs.setCurrentIndex(1)
        settle()
        window.grab().save(str(out / f"flows{name}.png"))
        call_screenshot(flows, provider, out / f"call{name}.png")
        par_dpop_screenshot(window, flows, out / f"flows-par-dpop{name}.png")

        decoder = window.show_panel("Decoder")
        decoder.set_token_text(f"Bearer {token}")
        form = decoder.verify_form
        form.select_source(KeySource.PASTED)
        form.key_text.setPlainText(json.dumps(
            json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private_key.public_key())) | {"kid": "rsa-1"}))
        form.issuer.setText("https://login.acme.dev")
        form.audience.setText("web-app")
        form.client_id.setText("web-app")
        form.verify_button.click()
        wait_for(lambda: decoder.findings_model.rowCount() > 1 and form.verify_button.isEnabled(), "verification")
        row = next(r for r in range(decoder.findings_model.rowCount())
                   if decoder.findings_model.finding(r).claim == "aud")
        decoder.findings_view.selectRow(row)
        settle()
        window.grab().save(str(out / f"decoder{name}.png"))

        profiles_panel = window.show_panel("Profiles")
        wait_for(lambda: profiles_panel.model.rowCount() == 3, "the profile list")
        profiles_panel.list_view.setCurrentIndex(profiles_panel.model.index(profiles_panel.model.row_of("local-dev")))
        profiles_panel.discover_button.click()
        wait_for(lambda: profiles_panel.discover_button.isEnabled()
                 and profiles_panel.form.endpoints["token_endpoint"].text() != "", "discovery")
        settle()
        window.grab().save(str(out / f"profiles{name}.png"))

        history = window.show_panel("History")
        wait_for(lambda: history.model.rowCount() >= 5, "the history")
        history.view.selectRow(0)
        settle()
        window.grab().save(str(out / f"history{name}.png"))

        diagnose_screenshot(window, provider.issuer, Path(tmp), out / f"diagnose{name}.png")
        window.close()


def par_dpop_screenshot(window, flows, path: Path) -> None:  # noqa: ANN001
    """An authorization code flow with PAR and DPoP: the token request's decoded DPoP proof."""
    flows.tabs.setCurrentIndex(0)
    window.profile_bar.select("local-dpop")
    flows.again_button.click()  # the same grant, with the profile now chosen
    wait_for(lambda: flows.session.profile_name == "local-dpop" and flows.session.runner is not None
             and flows.session.runner.finished and not flows.session.busy, "the PAR + DPoP flow")
    from inspector.ui.models.steps import ObjectRole

    names = [flows.steps_model.index(row).data(ObjectRole).name for row in range(flows.steps_model.rowCount())]
    flows.steps_view.setCurrentIndex(flows.steps_model.index(names.index("token")))
    flows.detail.tabs.setCurrentIndex(0)
    settle()
    window.grab().save(str(path))
    window.profile_bar.select("local-dev")


def call_screenshot(flows, provider, path: Path) -> None:  # noqa: ANN001
    """The Call an API tab with the flow's access token, refused by a resource server (one that
    asks the provider's introspection) for a scope the token lacks: the findings say which."""
    import httpx

    from tests.support.resource_server import ResourceServer

    endpoint = httpx.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).json()[
        "introspection_endpoint"]

    def introspect(token: str) -> dict:
        return httpx.post(endpoint, data={"token": token, "client_id": "public-client"}, timeout=5).json()

    with ResourceServer(introspect=introspect, scopes={"/orders": "openid orders:write"}) as api:
        flows.tabs.setCurrentWidget(flows.call_panel)
        call = flows.call_panel
        call.token_source.setCurrentIndex(call.token_source.findData("flow"))
        call.method.setCurrentText("POST")
        call.url.setText(f"{api.url}/orders")
        call.headers.setPlainText("Accept: application/json")
        call.body.setPlainText('{"item": "book", "quantity": 1}')
        call.send_button.click()
        wait_for(lambda: not call.busy, "the API call")
        call.answer_tabs.setCurrentIndex(2)
        settle()
        flows.window().grab().save(str(path))
    flows.tabs.setCurrentIndex(0)


def diagnose_screenshot(window, issuer: str, folder: Path, path: Path) -> None:  # noqa: ANN001
    """The Diagnose panel on a HAR recorded from the test provider: a single-page application
    whose token request adds a trailing slash to its redirect URI, refused by the provider."""
    from tests.support.har_recorder import login_with_a_changed_redirect_uri

    recording = login_with_a_changed_redirect_uri(issuer).write(folder / "orders-login.har")
    panel = window.show_panel("Diagnose")
    panel.open_file(recording)
    wait_for(lambda: panel.outcome is not None, "the diagnosis of the recording")
    settle()
    window.grab().save(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "resources" / "screenshots"))
    parser.add_argument("--size", type=parse_size, action="append", metavar="WIDTHxHEIGHT",
                        help=f"window size; repeat for several sets (default: {SIZE[0]}x{SIZE[1]} and "
                             f"{SMALL[0]}x{SMALL[1]}); sizes other than {SIZE[0]}x{SIZE[1]} get a -WIDTHxHEIGHT suffix")
    args = parser.parse_args()
    _under_xvfb()
    sys.path.insert(0, str(ROOT))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from tests.support.flows import ScriptedBrowser
    from tests.support.provider import start_provider, stop_provider

    with tempfile.TemporaryDirectory() as tmp:
        provider = start_provider(Path(tmp))
        browser = ScriptedBrowser()
        try:
            for size in args.size or [SIZE, SMALL]:
                capture_first_start(out, size)
                capture_set(provider, browser, out, size)
        finally:
            browser.close()
            stop_provider(provider)
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()
