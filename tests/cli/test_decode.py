"""``token-inspector decode``: the JSON contract, readable text, and never a traceback."""

import io
import json
import os
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import given, settings

from inspector.cli.main import main
from tests.support.fuzz import any_bytes, any_text
from tests.support.dpop import VECTORS
from tests.support.jose import compact, segment

ROOT = Path(__file__).resolve().parents[2]
CONSOLE_SCRIPT = ROOT / ".venv" / "bin" / "token-inspector"
NOW = 1_800_000_000
HEADER = {"alg": "RS256", "typ": "JWT", "kid": "k1"}
CLAIMS = {"iss": "https://issuer.example", "sub": "alice", "exp": NOW - 180, "iat": NOW - 63 * 60,
          "oid": "00000000-0000", "favourite": "blue"}


def decode_json(capsys, *args):
    code = main(["decode", *args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_json_contract(capsys):
    token = compact(HEADER, CLAIMS)
    code, data = decode_json(capsys, f'  "Bearer {token}" ')
    assert code == 0
    assert data == {"format": "jws", "header": HEADER, "claims": CLAIMS, "findings": []}


def test_opaque_token(capsys):
    code, data = decode_json(capsys, "2YotnFZFEjr1zCsicMWpAA")
    assert code == 0 and data["format"] == "opaque" and data["header"] is None and data["claims"] is None
    assert [f["code"] for f in data["findings"]] == ["opaque"]


def test_jwe_shows_header_and_encrypted_payload(capsys):
    jwe = ".".join([segment({"alg": "RSA-OAEP", "enc": "A256GCM"}), "YQ", "Yg", "Yw", "ZA"])
    code, data = decode_json(capsys, jwe)
    assert code == 0 and data["format"] == "jwe" and data["header"]["enc"] == "A256GCM" and data["claims"] is None
    main(["decode", jwe])
    assert "Payload: encrypted" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("token", "part"),
    [(compact(HEADER, CLAIMS, "bad+signature"), "header"), (compact(HEADER, b"\xff\xfe"), "header"),
     (compact(HEADER, b"not json"), "header"), (compact(HEADER, b"[" * 50_000), "header")],
)
def test_broken_tokens_still_show_what_they_can(capsys, token, part):
    code, data = decode_json(capsys, token)
    assert code == 0 and data[part] == HEADER
    assert data["findings"][0]["code"] == "malformed" and data["findings"][0]["severity"] == "error"


@pytest.mark.parametrize("text", ["", "a.b.c", "a.b.c.d", "not a token", "\u00e9\u00e9"])
def test_unparseable_input_exits_2_with_error_json(capsys, text):
    code, data = decode_json(capsys, text)
    assert code == 2 and data["error"]["code"] == "malformed" and data["error"]["message"]


def test_unparseable_input_without_json_goes_to_stderr(capsys):
    assert main(["decode", "a.b.c"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Nothing in this token could be read" in captured.err


def test_human_output_explains_claims_and_times(capsys):
    assert main(["decode", compact(HEADER, CLAIMS), "--now", str(NOW)]) == 0
    out = capsys.readouterr().out
    assert "Header" in out and "Claims" in out
    assert "Issuer: who created and signed this token." in out
    assert "2027-01-15 07:57:00 UTC" in out and "expired 3 minutes ago" in out
    assert "issued 63 minutes ago" in out
    assert "[Microsoft] Object ID" in out and "(custom claim)" in out
    assert "nothing was verified" in out


def test_human_output_shows_findings_and_undecodable_payload(capsys):
    main(["decode", compact(HEADER, b"hello", b"")])
    out = capsys.readouterr().out
    assert "Payload (not a JSON object)" in out and "hello" in out
    assert "Findings" in out and "malformed" in out and "unsigned" in out


def test_human_output_neutralises_terminal_escapes(capsys):
    main(["decode", compact(HEADER, {"name": "\x1b[2J\u202eevil", "\x1b]0;x": 1})])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\\u001b[2J" in out


def test_lone_surrogates_in_claims_never_crash(capsys):
    token = compact(HEADER, b'{"sub": "\\ud800"}')
    assert main(["decode", token]) == 0
    assert "\\ud800" in capsys.readouterr().out
    code, data = decode_json(capsys, token)
    assert code == 0 and data["claims"] == {"sub": "\ud800"}


def test_a_dpop_proof_is_checked_with_its_own_key(capsys):
    case = VECTORS["rfc9449_resource_request"]
    code, data = decode_json(capsys, case["proof"], "--now", str(case["iat"] + 5))
    assert code == 0 and data["header"]["typ"] == "dpop+jwt"
    assert data["dpop_proof"] == {"valid": True, "jkt": case["jkt"], "signature_valid": True,
                                  "resource_request": True}
    assert [f["code"] for f in data["findings"]] == ["signature_valid", "dpop_proof_age", "dpop_resource_proof",
                                                     "dpop_jkt"]


def test_a_broken_dpop_proof_says_why_in_text(capsys):
    head, payload, _signature = VECTORS["rfc9449_token_request"]["proof"].split(".")
    assert main(["decode", f"{head}.{payload}.{'A' * 86}", "--now", "1562262616"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("DPoP proof (RFC 9449)") and "bad_signature" in out
    assert "HTTP method of the request the proof goes with" in out and "Checked as a DPoP proof" in out
    assert "nothing was verified" not in out


def test_another_token_with_a_header_jwk_is_only_decoded(capsys):
    code, data = decode_json(capsys, compact({"alg": "ES256", "typ": "JWT", "jwk": {"kty": "EC"}}, CLAIMS))
    assert code == 0 and "dpop_proof" not in data and data["findings"] == []


def run_console_script(*args, stdin=""):
    return subprocess.run([str(CONSOLE_SCRIPT), *args], input=stdin.encode() if isinstance(stdin, str) else stdin,
                          capture_output=True, timeout=60, env={**os.environ, "TZ": "UTC"})


@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="needs `pip install -e .` (bootstrap.sh does it)")
def test_console_script_reads_a_200_kb_token_from_stdin():
    token = compact(HEADER, {"blob": "x" * 200_000})
    result = run_console_script("decode", "-", "--json", stdin=f"Bearer {token}\n")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["claims"]["blob"]) == 200_000


@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="needs `pip install -e .` (bootstrap.sh does it)")
def test_console_script_non_utf8_stdin_is_a_clean_error():
    result = run_console_script("decode", "--json", stdin=b"\xff\xfe.\x80\x81.zz")
    assert result.returncode == 2 and result.stderr == b""
    assert json.loads(result.stdout)["error"]["code"] == "malformed"


@settings(max_examples=200, deadline=None)
@given((any_text | any_bytes).filter(lambda text: text != "-"))  # '-' reads stdin: tested by subprocess
def test_decode_cli_property_only_documented_outcomes(text):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["decode", "--json", "--", text])
    data = json.loads(out.getvalue())
    assert err.getvalue() == ""
    if code == 0:
        extra = {"decrypted"} if data["format"] == "jwe" else set()  # a JWE says whether it was decrypted
        assert set(data) - {"dpop_proof"} == {"format", "header", "claims", "findings", *extra}
        assert data["format"] in ("jws", "jwe", "opaque")
    else:
        assert code == 2 and data["error"]["code"] == "malformed"


def test_render_token_uses_the_injected_time_zone():
    from datetime import timedelta, timezone

    from inspector.cli.decode import render_token
    from inspector.core.jose.parse import decode

    lines = render_token(decode(compact(HEADER, CLAIMS)), NOW, timezone(timedelta(hours=1), "CET"))
    assert any("2027-01-15 07:57:00 UTC | 2027-01-15 08:57:00 CET (+0100) | expired 3 minutes ago" in line
               for line in lines)


@pytest.mark.parametrize("command", [["decode"], ["verify", "--secret", "s"]], ids=["decode", "verify"])
def test_exp_of_10_to_309_says_the_date_is_out_of_range(capsys, command):
    """OverflowError from math.isfinite(10**309) ended both as an 'unexpected internal error'."""
    token = compact(HEADER, {"sub": "a", "exp": 10**309})
    code = main([command[0], token, *command[1:]])
    out = capsys.readouterr().out
    assert code == (0 if command == ["decode"] else 1)
    assert "out of range: too far from today to be a real date" in out
    if command != ["decode"]:
        assert "date_out_of_range" in out and "exp is a number of about 310 digits" in out
