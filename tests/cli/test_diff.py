"""``token-inspector diff A B``: exit codes as diff(1), the JSON shape, escaped text, history ids."""

import io
import json

import pytest

from inspector.cli.diff import SHOWN_CHARS
from inspector.cli.main import main
from tests.support.memory_keyring import MemoryKeyring
from tests.support.storage import fake_jwt, memory_storage, run_cli

EXP = 1_796_637_600  # 2026-12-07 10:00:00 UTC
WORKS = fake_jwt({"iss": "https://idp.example", "sub": "alice", "aud": "api", "exp": EXP}, signature=b"s" * 64)
FAILS = fake_jwt({"iss": "https://idp.example", "sub": "alice", "aud": "web", "exp": EXP + 3600, "nonce": "n"},
                 signature=b"t" * 64)  # fmt: skip


def diff(capsys, *args):
    code = main(["diff", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_same_token_exits_0(capsys):
    code, out, _ = diff(capsys, WORKS, f"Bearer {WORKS}")
    assert code == 0 and "The tokens are the same." in out


def test_different_tokens_exit_1_and_list_only_what_differs(capsys):
    code, out, _ = diff(capsys, WORKS, FAILS)
    assert code == 1
    assert '~ aud    "api" → "web"' in out
    assert "~ exp    2026-12-07 10:00:00 UTC → 2026-12-07 11:00:00 UTC  (1 hour later)" in out
    assert '+ nonce  "n"  (only in B)' in out
    assert "sub" not in out.split("Payload")[1].split("Signature")[0]  # the same: only with --all
    assert "The tokens differ: 3 changed, 1 added" in out and "--all lists them" in out
    assert "nothing was verified" in out


def test_all_lists_the_same_ones_too(capsys):
    _, out, _ = diff(capsys, WORKS, FAILS, "--all")
    assert '= sub    "alice"' in out and '= alg  "RS256"' in out and '= format  "jws"' in out


@pytest.mark.parametrize(("a", "b", "message"), [
    ("not a token at all", WORKS, "not a token"),
    ("a.b.c.d", WORKS, "4 dot-separated parts"),
    (WORKS, "2YotnFZFEjr1zCsicMWpAA", "Token B is opaque"),
    ("-", "-", "Only one of A and B"),
])
def test_trouble_exits_2_with_a_clear_message(capsys, a, b, message):
    code, out, err = diff(capsys, a, b)
    assert code == 2 and message in err and out == "" and "Traceback" not in err


def test_trouble_in_json_is_an_error_object(capsys):
    code, out, _ = diff(capsys, WORKS, "2YotnFZFEjr1zCsicMWpAA", "--json")
    assert code == 2 and json.loads(out)["error"]["code"] == "not_comparable"


def test_json_shape(capsys):
    code, out, _ = diff(capsys, WORKS, FAILS, "--json")
    data = json.loads(out)
    assert code == 1 and data["identical"] is False
    assert data["counts"] == {"added": 1, "removed": 0, "changed": 3, "same": 6}
    assert data["a"]["format"] == "jws" and data["b"]["alg"] == "RS256"
    kinds = {(e["part"], e["claim"]): e["kind"] for e in data["entries"]}
    assert kinds[("payload", "sub")] == "same" and kinds[("signature", "signature")] == "changed"
    exp = next(e for e in data["entries"] if e["claim"] == "exp")
    assert exp["note"] == "1 hour later" and exp["old_date"] == "2026-12-07 10:00:00 UTC"


def test_two_opaque_tokens_differ_by_length_and_prefix_never_printed_whole(capsys):
    a, b = "2YotnFZFEjr1zCsicMWpAA-refresh-one", "2YotnFZFEjr1zCsicMWpAA-refresh-two"
    for extra in ((), ("--json",)):
        code, out, _ = diff(capsys, a, b, *extra)
        assert code == 1 and a not in out and b not in out and a[:10] not in out
        assert "the first 31 characters are the same" in out


def test_signatures_are_never_printed_whole(capsys):
    signature = WORKS.split(".")[2]
    for extra in ((), ("--json",), ("--all",)):
        _, out, _ = diff(capsys, WORKS, FAILS, *extra)
        assert signature not in out and signature[:12] not in out


def test_hostile_claims_are_escaped_in_text_and_json(capsys):
    hostile = fake_jwt({"sub": "\x1b]0;owned\x07", "\u202egnp.exe": "\x1b[2J"})
    for extra in ((), ("--json",)):
        _, out, _ = diff(capsys, WORKS, hostile, *extra)
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    _, out, _ = diff(capsys, WORKS, hostile)
    assert "\\u001b]0;owned\\u0007" in out and "\\u202egnp.exe" in out


def test_a_long_value_is_cut_in_text_but_whole_in_json(capsys):
    long = fake_jwt({"sub": "alice", "blob": "x" * 5000})
    _, out, _ = diff(capsys, WORKS, long)
    assert "x" * (SHOWN_CHARS - 1) in out and "x" * SHOWN_CHARS not in out and "(5002 chars)" in out
    _, out, _ = diff(capsys, WORKS, long, "--json")
    assert "x" * 5000 in out


def test_one_token_from_standard_input(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(f"{FAILS}\n".encode())))
    code, out, _ = diff(capsys, WORKS, "-")
    assert code == 1 and "(1 hour later)" in out


def test_history_ids_name_saved_tokens(tmp_path):
    storage = memory_storage(tmp_path, MemoryKeyring())
    first = storage.history.add(WORKS, source="pasted")
    second = storage.history.add(FAILS, source="pasted")
    result = run_cli(storage, "diff", first.id, second.id[:6])
    assert result.code == 1 and "(1 hour later)" in result.out
    assert run_cli(storage, "diff", first.id, WORKS).code == 0


def test_an_unknown_history_id_exits_2(tmp_path):
    result = run_cli(memory_storage(tmp_path, MemoryKeyring()), "diff", "abcd1234", WORKS)
    assert result.code == 2 and "No history entry has the id 'abcd1234'" in result.err
