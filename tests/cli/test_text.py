"""One escaping for untrusted text on the terminal, and output that survives any encoding."""

import io
import json
import sys
from pathlib import Path

from inspector.cli.text import emit, print_json, printable


def test_control_format_and_undecodable_characters_are_escaped_visibly():
    assert printable("evil\x1b[31mred\u202egnp.exe\tend\n") == "evil\\u001b[31mred\\u202egnp.exe\\u0009end\\u000a"
    assert printable(b"bad \xff byte".decode("utf-8", "surrogateescape")) == "bad \\xff byte"


def test_printable_text_is_unchanged():
    assert printable("Grüße, 東京 & spaces") == "Grüße, 東京 & spaces"


def test_emit_and_print_json_never_fail_on_the_terminal_encoding(monkeypatch):
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", out)
    emit("caf\u00e9")
    assert print_json({"name": "caf\u00e9"}) == 0
    out.flush()
    text = out.buffer.getvalue().decode("ascii")
    assert text.startswith("caf\\xe9\n")
    assert json.loads(text.partition("\n")[2]) == {"name": "caf\u00e9"}  # still JSON: \u00e9, not \xe9


def test_every_command_escapes_with_the_one_function():
    from inspector.cli import decode, discover, flow_output, history, profile

    for module in (decode, flow_output, history, profile):
        assert module.printable is printable
    assert "from inspector.cli.text import printable" in Path(discover.__file__).read_text()
