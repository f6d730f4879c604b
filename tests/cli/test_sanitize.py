"""``token-inspector sanitize``: the recording to standard output or atomically to -o, what was
removed on standard error or as JSON, IN never written (nor named as -o under any name), and every
unusable input a plain exit 2."""

import hashlib
import json
import os

import pytest

from inspector.cli import sanitize as sanitize_cli
from inspector.cli.main import build_parser, main
from tests.support.cli import run_cli
from tests.support.har_logins import Login, clean, recordings


@pytest.fixture
def recording():
    return clean(Login("firefox", "cli"))


@pytest.fixture
def har(tmp_path, recording):
    path = tmp_path / "login.har"
    path.write_bytes(recording.data)
    return path


def checksum(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_written_to_a_file_with_what_was_removed_on_standard_error(capsys, har, recording, tmp_path):
    out = tmp_path / "shared.har"
    assert main(["sanitize", str(har), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Removed" in err and "code_verifier" in err and f"Wrote {out}: 13 entries" in err
    text = out.read_text("ascii")
    assert len(json.loads(text)["log"]["entries"]) == 13
    assert not any(secret in text for secret in recording.secrets)
    if os.name == "posix":
        assert out.stat().st_mode & 0o077 == 0


def test_standard_output_by_default(har, recording):
    run = run_cli("sanitize", str(har), json_lines=False)
    assert run.returncode == 0 and "Removed" in run.stderr and "Traceback" not in run.stderr
    assert len(json.loads(run.stdout)["log"]["entries"]) == 13
    assert not any(secret in run.stdout for secret in recording.secrets)


def test_the_json_summary(capsys, har, tmp_path):
    out = tmp_path / "shared.har"
    assert main(["sanitize", str(har), "-o", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["output"] == str(out) and data["entries"] == 13 and data["bytes"] == out.stat().st_size
    assert data["removed"]["code"] >= 2 and list(data["removed"]) == sorted(data["removed"])


def test_json_needs_an_output_file(capsys, har):
    assert main(["sanitize", str(har), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "usage"


@pytest.mark.parametrize("name", ["same", "symlink", "hardlink"])
def test_the_input_is_never_the_output_under_any_name(capsys, har, tmp_path, name):
    before = checksum(har)
    target = {"same": har, "symlink": tmp_path / "link.har", "hardlink": tmp_path / "hard.har"}[name]
    if name == "symlink":
        target.symlink_to(har)
    elif name == "hardlink":
        os.link(har, target)
    assert main(["sanitize", str(har), "-o", str(target)]) == 2
    assert "is the input file" in capsys.readouterr().err
    assert checksum(har) == before and checksum(target) == before


def test_an_existing_output_is_replaced_whole(har, tmp_path):
    out = tmp_path / "shared.har"
    out.write_text("old")
    assert main(["sanitize", str(har), "-o", str(out)]) == 0
    assert json.loads(out.read_text())["log"]["entries"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_an_output_folder_that_does_not_exist(capsys, har, tmp_path):
    assert main(["sanitize", str(har), "-o", str(tmp_path / "missing" / "out.har")]) == 2
    assert "Cannot write" in capsys.readouterr().err


@pytest.fixture
def bad_inputs(tmp_path):
    files = {"not-json": b"<html>Sign in</html>", "not-a-har": b'{"log": {"version": "1.2"}}', "empty": b"",
             "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00", "truncated": b'{"log": {"entries": [{"request": '}
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    paths["folder"] = tmp_path / "folder"
    paths["folder"].mkdir()
    paths["fifo"] = tmp_path / "fifo"
    os.mkfifo(paths["fifo"])
    paths["missing"] = tmp_path / "missing.har"
    return paths


@pytest.mark.parametrize("kind", ["not-json", "not-a-har", "empty", "binary", "truncated", "folder", "fifo",
                                  "missing"])
def test_unusable_input_is_exit_2_with_a_plain_message(capsys, bad_inputs, tmp_path, kind):
    path = bad_inputs[kind]
    before = checksum(path) if path.is_file() else None
    assert main(["sanitize", str(path), "-o", str(tmp_path / "out.har"), "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "unusable_input" and error["message"]
    assert not (tmp_path / "out.har").exists()
    if before is not None:
        assert checksum(path) == before


def test_the_size_limit_is_checked_before_reading(capsys, har, tmp_path):
    before = checksum(har)
    args = build_parser("sanitize").parse_args([str(har), "-o", str(tmp_path / "out.har")])
    assert sanitize_cli.run(args, max_bytes=1024) == 2
    assert "too large to read" in capsys.readouterr().err and checksum(har) == before


def test_unusable_input_never_shows_a_traceback(bad_inputs):
    run = run_cli("sanitize", str(bad_inputs["not-a-har"]), json_lines=False)
    assert run.returncode == 2 and "not a HAR recording" in run.stderr and "Traceback" not in run.stderr


def test_personal_data_when_asked(capsys, tmp_path):
    har = tmp_path / "login.har"
    har.write_bytes(recordings("chrome")[0].data)
    out = tmp_path / "out.har"
    assert main(["sanitize", str(har), "-o", str(out), "--mask-personal"]) == 0
    assert b"jane@example.com" not in out.read_bytes()


def test_the_summary_when_nothing_was_found():
    from inspector.core.sanitize.har import removed_summary

    assert removed_summary({}) == "No secret was found to remove."
    assert removed_summary({"code": 1}) == "Removed 1 value: 1 code. They are now redacted-… markers."


def test_diagnose_finds_the_same_cause_in_the_sanitized_file(capsys, tmp_path):
    for recording in recordings("chrome"):
        source, out = tmp_path / f"{recording.name}.har", tmp_path / f"{recording.name}.sanitized.har"
        source.write_bytes(recording.data)
        assert main(["sanitize", str(source), "-o", str(out)]) == 0
        capsys.readouterr()
        causes = []
        for path in (source, out):
            main(["diagnose", str(path), "--json"])
            diagnoses = json.loads(capsys.readouterr().out)["diagnoses"]
            causes.append((diagnoses[0]["cause"], diagnoses[0]["confidence"]) if diagnoses else None)
        assert causes[0] == causes[1], recording.name
