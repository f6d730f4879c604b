"""``token-inspector diagnose``: the JSON contract, exit codes (0 explained, 1 nothing wrong, 2
unusable), input from a string, a file or standard input, bounded reading, the keys it trusts,
and provider text escaped in the cards."""

import io
import json
import os
import stat

import pytest

from inspector.cli import diagnose as diagnose_cli
from inspector.cli.main import build_parser, main
from tests.support.diagnosis import (
    CLIENT, ISSUER, NOW, FakeIssuer, exchange, id_token, jwk, timeline,
)
from inspector.core.har.model import ExchangeKind
from tests.cli.test_hostile_arguments import HOSTILE, V, with_value

DIAGNOSIS_KEYS = {"cause", "confidence", "summary", "evidence", "fix"}


@pytest.fixture
def jwks_file(tmp_path):
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk()]}))
    return str(path)


def run_json(capsys, *args):
    code = main(["diagnose", *args, "--json", "--at", str(NOW)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "internal error" not in out.err, out.err
    return code, json.loads(out.out)


def test_json_contract_root_cause_first_exit_0(capsys, jwks_file):
    code, data = run_json(capsys, id_token(aud="mobile-app", exp=NOW - 7200, iat=NOW - 9000), "--jwks", jwks_file,
                          "--client-id", CLIENT, "--expect", "id_token")
    assert code == 0
    assert list(data) == ["diagnoses"]
    assert [d["cause"] for d in data["diagnoses"]] == ["token_expired", "wrong_audience"]
    for diagnosis in data["diagnoses"]:
        assert set(diagnosis) == DIAGNOSIS_KEYS
        assert diagnosis["confidence"] in ("certain", "likely", "possible")
        assert all(set(item) == {"kind", "name", "value", "where"} for item in diagnosis["evidence"])


def test_nothing_wrong_is_exit_1(capsys, jwks_file):
    code, data = run_json(capsys, id_token(), "--jwks", jwks_file, "--client-id", CLIENT)
    assert code == 1 and data == {"diagnoses": []}
    assert main(["diagnose", id_token(), "--jwks", jwks_file, "--at", str(NOW)]) == 1
    assert "Nothing wrong found in this token." in capsys.readouterr().out


def test_unusable_input_is_exit_2_with_the_error_object(capsys):
    code, data = run_json(capsys, '{"hello": "world"}')
    assert code == 2 and data["error"]["code"] == "unusable_input"
    assert "none of the known shapes" in data["error"]["message"]


def test_a_missing_file_name_is_unusable_not_a_token(capsys):
    code, data = run_json(capsys, "login.har")
    assert code == 2 and "There is no file 'login.har'" in data["error"]["message"]


@pytest.fixture
def bad_files(tmp_path):
    files = {
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "non-utf8": "error=invalid_grant&error_description=caf\xe9".encode("latin-1"),
        "unknown-json": b'{"foo": [1, 2, 3]}',
        "truncated-json": b'{"log": {"entries": [{"request": ',
        "json-array": b"[1, 2, 3]",
        "deep-json": b"[" * 100_000,
        "empty": b"",
        "lines-missing-fields": b'{"step": 1}\n{"status": "ok"}\n',
        "done-only": b'{"step": "done", "status": "error"}\n',
        "truncated-token": b"eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2xvZ2l",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    big = tmp_path / "huge"
    with open(big, "wb") as handle:  # 200 MB, sparse: refused by its size, never read
        handle.truncate(200_000_000)
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    return {name: str(tmp_path / name) for name in [*files, "huge", "dir", "fifo"]}


@pytest.mark.parametrize("kind", ["binary", "non-utf8", "unknown-json", "truncated-json", "json-array", "deep-json",
                                  "empty", "lines-missing-fields", "done-only", "huge", "dir", "fifo"])
def test_unusable_files_are_exit_2_never_a_traceback(capsys, bad_files, kind):
    code, data = run_json(capsys, bad_files[kind])
    assert code == 2 and data["error"]["code"] == "unusable_input", data


def test_a_truncated_token_file_is_a_finding_or_exit_2(capsys, bad_files):
    code, data = run_json(capsys, bad_files["truncated-token"])
    assert code in (0, 2)
    if code == 0:
        assert data["diagnoses"][0]["cause"] == "malformed_token"


def test_the_200_mb_file_is_refused_by_size_naming_the_limit(capsys, bad_files):
    _code, data = run_json(capsys, bad_files["huge"])
    assert "200 MB, more than the 150 MB" in data["error"]["message"]


def test_a_100_mb_binary_file_is_unusable_input(capsys, tmp_path):
    big = tmp_path / "recording.har"
    with open(big, "wb") as handle:  # sparse: NUL bytes
        handle.truncate(100_000_000)
    code, data = run_json(capsys, str(big))
    assert code == 2 and data["error"]["code"] == "unusable_input" and "binary" in data["error"]["message"]


def test_a_fifo_is_refused_without_waiting_for_a_writer(capsys, bad_files):
    _code, data = run_json(capsys, bad_files["fifo"])
    assert "not a regular file" in data["error"]["message"]


def test_standard_input_and_the_input_default(capsys, monkeypatch):
    answer = b'{"error": "invalid_client", "error_description": "client authentication failed"}'
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(answer)))
    code, data = run_json(capsys)
    assert code == 0 and data["diagnoses"][0]["cause"] == "invalid_client"


def test_standard_input_over_the_limit_is_refused(capsys, monkeypatch):
    monkeypatch.setattr("inspector.core.diagnosis.detect.MAX_ARTIFACT_BYTES", 1000)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"A" * 5000)))
    code, data = run_json(capsys, "-")
    assert code == 2 and "more than" in data["error"]["message"]


def test_a_file_holding_a_callback_url(capsys, tmp_path):
    path = tmp_path / "callback.txt"
    path.write_text("https://app.example.com/cb?error=consent_required&state=abc\n")
    code, data = run_json(capsys, str(path))
    assert code == 0 and data["diagnoses"][0]["cause"] == "consent_required"


@pytest.mark.parametrize("how", ["--secret", "--secret-env", "--secret-file"])
def test_the_shared_secret_three_ways(capsys, monkeypatch, tmp_path, how):
    from tests.support.jose import sign

    secret = "0123456789abcdef0123456789abcdef"
    token = sign({"iss": ISSUER, "sub": "x", "aud": "other", "exp": NOW + 60}, secret, "HS256")
    value = secret
    if how == "--secret-env":
        monkeypatch.setenv("TI_SECRET", secret)
        value = "TI_SECRET"
    elif how == "--secret-file":
        (tmp_path / "secret").write_text(secret + "\n")
        value = str(tmp_path / "secret")
    code, data = run_json(capsys, token, how, value, "--client-id", CLIENT)
    assert code == 0 and [d["cause"] for d in data["diagnoses"]] == ["wrong_audience"]
    assert secret not in json.dumps(data)


def test_an_unset_secret_variable_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.delenv("TI_NOPE", raising=False)
    code, data = run_json(capsys, id_token(), "--secret-env", "TI_NOPE")
    assert code == 2 and data["error"]["code"] == "usage"


def test_the_issuer_is_fetched_for_its_current_keys(capsys, jwks_file):
    provider = FakeIssuer(jwks={"keys": [jwk(3, "k2"), jwk()]})
    args = build_parser("diagnose").parse_args([id_token(index=3, kid="k2"), "--jwks", jwks_file, "--issuer", ISSUER,
                                                "--at", str(NOW), "--json"])
    assert diagnose_cli.run(args, transport=provider.transport()) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["diagnoses"][0]["cause"] == "signing_key_rotated"
    assert data["diagnoses"][0]["confidence"] == "certain"


def test_plain_http_jwks_off_loopback_is_refused_before_any_request(capsys):
    code, data = run_json(capsys, id_token(), "--jwks", "http://keys.example.com/jwks")
    assert code == 2 and data["error"]["code"] == "key_source"


def test_a_har_file_goes_through_the_har_reader(capsys, tmp_path):
    path = tmp_path / "login.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": []}}))
    seen = []

    def reader(text):
        seen.append(json.loads(text)["log"]["version"])
        return timeline(exchange(0, ExchangeKind.CALLBACK, "https://app.example.com/cb",
                                 callback={"error": "access_denied", "state": "s"}))

    args = build_parser("diagnose").parse_args([str(path), "--json"])
    assert diagnose_cli.run(args, har_reader=reader) == 0
    assert seen == ["1.2"]
    assert json.loads(capsys.readouterr().out)["diagnoses"][0]["cause"] == "access_denied"


def test_cards_escape_what_the_provider_wrote(capsys):
    hostile = '{"error": "invalid_scope", "error_description": "\\u001b]0;owned\\u0007\\u202escope"}'
    assert main(["diagnose", hostile]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "\\u001b]0;owned" in out
    assert out.startswith("1. invalid_scope (certain)")
    assert "   Fix: " in out


def test_a_possible_note_alone_is_exit_1(capsys, tmp_path):
    """A flow whose callback never came: the redirect URI is only a possibility."""
    lines = [{"step": "authorize", "status": "ok", "url": f"{ISSUER}/auth?redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb",
              "redirect_uri": "http://127.0.0.1/cb", "findings": []},
             {"step": "callback", "status": "error", "findings": [
                 {"code": "timeout", "severity": "error", "message": "No authorization response reached it."}]},
             {"step": "done", "status": "error", "flow": "auth_code", "findings": []}]
    path = tmp_path / "flow.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    code, data = run_json(capsys, str(path))
    assert code == 1 and [(d["cause"], d["confidence"]) for d in data["diagnoses"]] == [
        ("redirect_uri_mismatch", "possible")]
    assert main(["diagnose", str(path)]) == 1
    assert "the notes above are worth checking" in capsys.readouterr().out


def test_unreadable_file_is_exit_2(capsys, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode")
    path = tmp_path / "secret.har"
    path.write_text("{}")
    path.chmod(0)
    try:
        code, data = run_json(capsys, str(path))
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert code == 2 and data["error"]["code"] == "unusable_input"


TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"
CLOSED = "http://127.0.0.1:1"
HOSTILE_TEMPLATES = {
    "input": ["diagnose", V],
    "issuer": ["diagnose", TOKEN, "--issuer", V, "--timeout", "5"],
    "jwks": ["diagnose", TOKEN, "--jwks", V, "--timeout", "5"],
    "key": ["diagnose", TOKEN, "--key", V],
    "secret": ["diagnose", TOKEN, "--secret", V, "--client-id", V, "--nonce", V, "--aud", V],
    "secret-file": ["diagnose", TOKEN, "--secret-file", V],
    "secret-env": ["diagnose", TOKEN, "--secret-env", V],
    "at": ["diagnose", TOKEN, "--at", V],
    "expect": ["diagnose", TOKEN, "--expect", V],
    "ca": ["diagnose", TOKEN, "--issuer", CLOSED, "--ca-bundle", V],
}


@pytest.mark.parametrize("template", HOSTILE_TEMPLATES.values(), ids=HOSTILE_TEMPLATES.keys())
def test_hostile_option_values_get_a_message_and_exit_0_1_or_2(capsys, tmp_path, monkeypatch, template):
    monkeypatch.chdir(tmp_path)
    for value in HOSTILE.values():
        code = main(with_value(template, value))
        captured = capsys.readouterr()
        output = captured.out + captured.err
        assert code in (0, 1, 2), (value, output)
        assert "Traceback" not in output and "internal error" not in output, (value, output)


@pytest.mark.parametrize("stdin", [b"", b"\xff\xfe\x00", b"A" * 300_000, b"  \n\t ", b"{" * 300_000],
                         ids=["empty", "binary", "huge-token", "blank", "deep"])
def test_hostile_standard_input(capsys, monkeypatch, stdin):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="strict"))
    code = main(["diagnose", "-"])
    output = "".join(capsys.readouterr())
    assert code in (1, 2) and "Traceback" not in output and "internal error" not in output, output


def test_regression_a_secret_with_bytes_not_utf8_is_used_as_typed(capsys):
    """A non-UTF-8 command-line byte arrives as a lone surrogate: encoding it strictly was an
    internal UnicodeEncodeError; the bytes as typed are the secret."""
    from tests.support.jose import sign

    secret = b"\xff\xfe" + b"k" * 30
    token = sign({"iss": ISSUER, "sub": "x", "aud": "other", "exp": NOW + 60}, secret, "HS256")
    code, data = run_json(capsys, token, "--secret", secret.decode("utf-8", "surrogateescape"), "--client-id", CLIENT)
    assert code == 0 and [d["cause"] for d in data["diagnoses"]] == ["wrong_audience"]


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_regression_diagnose_never_prints_a_client_secret_the_token_endpoint_echoed(capsys, tmp_path, as_json):
    from tests.core.sanitize.test_har import secret_forms
    from tests.support.echo import BASIC, SECRET, echoing_har

    path = tmp_path / "echo.har"
    path.write_bytes(echoing_har())
    assert main(["diagnose", str(path), *(["--json"] if as_json else [])]) == 0
    out = capsys.readouterr()
    assert "invalid_client" in out.out
    assert [form for form in secret_forms(SECRET) | {BASIC} if form in out.out + out.err] == []
