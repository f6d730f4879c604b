"""FlowSession: profile → FlowSettings, and a profile that cannot run says why before any request."""

from __future__ import annotations

from inspector.core.storage.profile_model import Profile
from inspector.ui.flow_session import FlowSession, settings_from_profile


def test_settings_carry_every_profile_field_and_the_keyring_secrets():
    profile = Profile("acme", issuer="https://login.acme.dev", client_id="web", auth_method="private_key_jwt",
                      scopes=("openid", "email"), redirect_port=53817, redirect_path="/cb",
                      extra_params={"prompt": "login"}, ca_bundle="/etc/ca.pem")
    settings = settings_from_profile(profile, {"private_key": "-----BEGIN PRIVATE KEY-----"}, token="t")
    assert (settings.issuer, settings.client_id, settings.auth_method) == ("https://login.acme.dev", "web",
                                                                           "private_key_jwt")
    assert settings.scope == "openid email" and settings.extra_params == {"prompt": "login"}
    assert (settings.redirect_port, settings.redirect_path, settings.ca_bundle) == (53817, "/cb", "/etc/ca.pem")
    assert settings.private_key_pem == b"-----BEGIN PRIVATE KEY-----" and settings.token == "t"
    assert settings.problems() == []


def test_a_profile_without_its_secret_fails_with_a_plain_message(qtbot, context):
    context.storage.profiles.add(Profile("needs-secret", issuer="https://login.acme.dev", client_id="web",
                                         auth_method="client_secret_basic"))
    session = FlowSession(context)
    with qtbot.waitSignal(session.failed, timeout=5000) as blocker:
        session.start("client_credentials", "needs-secret", None, "next")
    assert "needs a client secret: set the Client secret field of profile 'needs-secret' (Profiles panel)" in \
        blocker.args[0]
    assert "--client-secret" not in blocker.args[0]  # a flag of the command line, not of this app
    assert session.runner is None and not session.busy


def test_an_unknown_profile_is_reported(qtbot, context):
    session = FlowSession(context)
    with qtbot.waitSignal(session.failed, timeout=5000) as blocker:
        session.start("auth_code", "missing", None, "next")
    assert "no profile named 'missing'" in blocker.args[0]
