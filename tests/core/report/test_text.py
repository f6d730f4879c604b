"""Untrusted text made visible and bounded before any rendering."""

from inspector.core.report.text import cut, pretty, visible


def test_control_and_format_characters_are_shown_escaped():
    assert visible("a\x1b[2Jb\u202ec\U000e0001") == "a\\u001b[2Jb\\u202ec\\U000e0001"
    assert visible("line\nnext\ttab", lines=True) == "line\nnext\ttab" and visible("a\nb") == "a\\u000ab"
    text = "plain text"
    assert visible(text) is text


def test_long_text_is_cut_saying_how_much():
    assert cut("x" * 10, 10) == "x" * 10 and cut("x" * 12, 10) == "x" * 10 + "… (2 more characters)"


def test_pretty_json_keeps_text_readable():
    assert pretty({"name": "Jos\u00e9"}) == '{\n  "name": "Jos\u00e9"\n}'
