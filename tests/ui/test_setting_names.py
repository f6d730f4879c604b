"""The desktop app names a setting by its profile field or its menu, never by a command-line flag."""

from inspector.cli.setting_names import FLAGS
from inspector.core.advice import SETTING_WORDS
from inspector.core.protocol.endpoints import ENDPOINTS
from inspector.ui.setting_names import PREFERENCES, PROFILE_FIELDS, gui_namer


def test_every_setting_advice_may_name_has_a_place_in_the_app_and_on_the_command_line():
    assert (set(SETTING_WORDS) | set(ENDPOINTS)) - {"timeout"} <= set(PROFILE_FIELDS) | set(PREFERENCES)
    assert set(SETTING_WORDS) | set(ENDPOINTS) <= set(FLAGS)


def test_an_endpoint_is_named_by_its_field():
    assert gui_namer("manual")("token_endpoint") == "the Token endpoint field of profile 'manual' (Profiles panel)"


def test_profile_settings_name_the_field_and_the_profile_preferences_the_menu():
    name = gui_namer("acme")
    assert name("client_secret") == "the Client secret field of profile 'acme' (Profiles panel)"
    assert name("sign_in_timeout") == "Settings › Time to sign in"
    assert gui_namer(None)("scope") == "the Scopes field of the profile (Profiles panel)"
    assert not any(name(setting).startswith("--") for setting in SETTING_WORDS)
