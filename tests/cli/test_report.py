"""``token-inspector report``: from a HAR file, a flow record file, a history entry or a token; Markdown
to standard output or a file (HTML when the file says .html), written atomically, never over the
input; what cannot be reported on is exit 2 with a plain message, and no secret reaches the report."""

import hashlib
import json

import pytest

from inspector.cli.main import main
from tests.core.diagnosis.test_flow_record import NONCE, dated, provider, run
from tests.support.flows import json_lines
from tests.core.sanitize.test_har import secret_forms
from tests.support.cli import run_cli as run_process
from tests.support.diagnosis import id_token
from tests.support.fake_provider import ISSUER
from tests.support.har_logins import Login, pkce_mismatch
from tests.support.storage import memory_storage, run_cli


@pytest.fixture
def recording():
    return pkce_mismatch(Login("chrome", "report"))


@pytest.fixture
def har(tmp_path, recording):
    path = tmp_path / "login.har"
    path.write_bytes(recording.data)
    return path


def no_secret(text, secrets):
    return not [form for secret in secrets for form in secret_forms(secret) if form in text]


def test_a_har_as_markdown_on_standard_output(capsys, har, recording):
    assert main(["report", str(har)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Token Inspector support report") and "pkce\\_mismatch" in out
    assert no_secret(out, recording.secrets)


def test_an_html_file_by_its_name_and_a_format_over_it(capsys, har, tmp_path, recording):
    page = tmp_path / "report.html"
    assert main(["report", str(har), "-o", str(page)]) == 0
    assert page.read_text().startswith("<!DOCTYPE html>") and no_secret(page.read_text(), recording.secrets)
    assert f"Wrote {page}: the report of login.har in HTML (1 diagnosis" in capsys.readouterr().err
    assert main(["report", str(har), "-o", str(page), "--format", "md"]) == 0
    assert page.read_text().startswith("# Token Inspector")


def test_a_flow_record_file(capsys, tmp_path):
    fake = provider()
    fake.on("/token", dated(fake, {"access_token": "opaque-access-" + "a" * 30, "token_type": "Bearer",
                                   "id_token": id_token(iss=ISSUER, aud="app", nonce=NONCE)}))
    record = tmp_path / "record.jsonl"
    record.write_text(json_lines(run(fake)))
    assert main(["report", str(record), "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert "a flow record (auth_code)" in out and "opaque-access-" not in out


def test_a_history_entry(tmp_path, keyring):
    storage = memory_storage(tmp_path / "home", keyring)
    token = id_token()
    entry = storage.history.add(token, kind="id")
    result = run_cli(storage, "report", entry.id[:6])
    assert result.code == 0, result.err
    assert f"history entry {entry.id}: a signed JWT (RS256)" in result.out and token.split(".")[2] not in result.out
    missing = run_cli(storage, "report", "abcdef")
    assert missing.code == 2 and "No history entry has the id 'abcdef'" in missing.err


def test_a_token_given_on_the_command_line(capsys):
    token = id_token()
    assert main(["report", token]) == 0
    out = capsys.readouterr().out
    assert "the token given: a signed JWT (RS256)" in out and token.split(".")[2] not in out


@pytest.mark.parametrize("argument, words", [
    ("missing.har", "There is no file 'missing.har'"),
    ("https://app.example/cb?error=access_denied&state=s1", "a callback URL"),
    ("two words", "an error message"),
])
def test_what_a_report_cannot_be_made_from(capsys, argument, words):
    assert main(["report", argument]) == 2
    assert words in capsys.readouterr().err


def test_the_input_is_never_the_output(capsys, har):
    before = hashlib.sha256(har.read_bytes()).hexdigest()
    assert main(["report", str(har), "-o", str(har)]) == 2
    assert "is the input file" in capsys.readouterr().err and hashlib.sha256(har.read_bytes()).hexdigest() == before


def test_an_unusable_file_is_exit_2_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.har"
    bad.write_text(json.dumps({"log": {"version": "1.2"}}))
    result = run_process("report", str(bad), json_lines=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.startswith("token-inspector:")


def test_standard_input(har, recording):
    result = run_process("report", "-", stdin=har.read_text(), json_lines=False)
    assert result.returncode == 0 and "standard input: a HAR recording" in result.stdout
    assert no_secret(result.stdout, recording.secrets)


@pytest.mark.parametrize("form", ["md", "html"])
def test_regression_report_never_holds_a_client_secret_the_token_endpoint_echoed(capsys, tmp_path, form):
    from tests.support.echo import BASIC, SECRET, echoing_har

    path = tmp_path / "echo.har"
    path.write_bytes(echoing_har())
    assert main(["report", str(path), "--format", form]) == 0
    out = capsys.readouterr()
    assert "invalid" in out.out and no_secret(out.out + out.err, [SECRET]) and BASIC not in out.out
