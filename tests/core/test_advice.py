"""Advice is data: the settings it names are worded by each front end, never fixed in the core."""

from inspector.core.advice import Advice, neutral_name
from inspector.core.findings import error


def test_each_front_end_words_the_settings_an_advice_names():
    advice = Advice("Allow more time with {timeout}.", ("timeout",))
    assert advice.render() == "Allow more time with the timeout."
    assert advice.render({"timeout": "--timeout SECONDS"}.get) == "Allow more time with --timeout SECONDS."
    assert advice.render(lambda name: "Settings › Time to sign in") == "Allow more time with Settings › Time to sign in."


def test_braces_in_the_text_are_safe_as_placeholders_are_replaced_literally():
    advice = Advice("Register http://127.0.0.1/{x}/cb, then raise {timeout}.", ("timeout",))
    assert advice.render() == "Register http://127.0.0.1/{x}/cb, then raise the timeout."


def test_an_unknown_setting_is_named_in_plain_words():
    assert neutral_name("redirect_port") == "the redirect port"
    assert neutral_name("token_endpoint") == "the token endpoint"


def test_a_finding_carries_its_advice_apart_from_the_message_and_in_json():
    finding = error("timeout", "Nothing came back.", advice=Advice("Raise {timeout}.", ("timeout",)))
    assert finding.message == "Nothing came back."
    assert finding.text(lambda name: "--timeout") == "Nothing came back. Raise --timeout."
    assert finding.to_json() == {"code": "timeout", "severity": "error", "message": "Nothing came back.",
                                 "advice": "Raise the timeout.", "settings": ["timeout"]}
    assert error("x", "Plain.").text() == "Plain."
