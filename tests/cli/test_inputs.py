"""Local files named on the command line that cannot be used are usage errors (exit 2) in every
command family, with a message naming the file and the problem, before any request is made."""

import io
import json
import os

import pytest

from inspector.cli.inputs import read_file, secret_from_file
from inspector.cli.main import main
from inspector.core.errors import InspectorError

ISSUER = "https://op.example"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "not-a-bundle.pem").write_text("hello\n")
    (tmp_path / "not-a-key.pem").write_text("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")
    return tmp_path


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


FLOW = ("flow", "client-credentials", "--issuer", ISSUER, "--client-id", "c", "--client-secret", "s")


@pytest.mark.parametrize("argv", [FLOW, ("introspect", "tok", "--issuer", ISSUER, "--client-id", "c"),
                                  ("userinfo", "tok", "--issuer", ISSUER), ("discover", ISSUER),
                                  ("verify", TOKEN, "--secret", "s" * 32)],
                         ids=["flow", "introspect", "userinfo", "discover", "verify"])
def test_a_missing_ca_bundle_is_a_usage_error_naming_it(capsys, files, argv):
    missing = str(files / "missing.pem")
    code, text = run(capsys, *argv, "--ca-bundle", missing)
    assert code == 2, text
    assert f"Cannot read the CA bundle '{missing}': it is not a file (no such file or directory)." in text


@pytest.mark.parametrize("argv", [FLOW, ("discover", ISSUER), ("profile", "add", "p", "--issuer", ISSUER)],
                         ids=["flow", "discover", "profile"])
def test_a_ca_bundle_without_certificates_is_a_usage_error(capsys, files, argv):
    code, text = run(capsys, *argv, "--ca-bundle", str(files / "not-a-bundle.pem"))
    assert code == 2, text
    assert "The CA bundle" in text and "not-a-bundle.pem' holds no usable PEM CA certificate" in text


def test_a_flow_key_that_is_not_a_private_key_is_a_usage_error(capsys, files):
    code, text = run(capsys, "flow", "client-credentials", "--issuer", ISSUER, "--client-id", "c",
                     "--key", str(files / "not-a-key.pem"))
    assert code == 2, text
    assert "The key file" in text and "not-a-key.pem' cannot be used" in text


def test_a_profile_private_key_that_is_not_a_private_key_is_refused_before_it_reaches_the_keyring(capsys, files):
    code, text = run(capsys, "profile", "add", "p", "--issuer", ISSUER, "--private-key-file",
                     str(files / "not-a-key.pem"))
    assert code == 2 and "not-a-key.pem' cannot be used" in text


def test_a_missing_profile_import_file_is_a_usage_error(capsys, files):
    code, text = run(capsys, "profile", "import", str(files / "export.json"))
    assert code == 2 and "Cannot read the import file" in text and "export.json" in text


def test_a_missing_jwks_file_for_verify_is_exit_2_with_its_key_source_code(capsys, files):
    code, text = run(capsys, "verify", TOKEN, "--jwks", str(files / "keys.json"), "--json")
    error = json.loads(text)["error"]
    assert code == 2 and error["code"] == "key_source" and "keys.json': it is not a file" in error["message"]


NUMBER_OPTIONS = [
    ("decode", TOKEN, "--now"),
    ("verify", TOKEN, "--secret", "s", "--now"),
    ("verify", TOKEN, "--secret", "s", "--leeway"),
    ("verify", TOKEN, "--issuer", ISSUER, "--timeout"),
    ("discover", ISSUER, "--timeout"),
    ("introspect", "tok", "--issuer", ISSUER, "--client-id", "c", "--timeout"),
    (*FLOW, "--timeout"),
]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999"])
@pytest.mark.parametrize("argv", NUMBER_OPTIONS, ids=lambda argv: f"{argv[0]}{argv[-1]}")
def test_non_finite_numbers_are_usage_errors_not_internal_errors(capsys, argv, value):
    """float() accepts nan and inf; they used to reach httpx (ValueError), datetime (OverflowError)
    or int() (cannot convert NaN) and end as 'unexpected internal error'."""
    code, output = run(capsys, *argv[:-1], f"{argv[-1]}={value}")
    assert code == 2
    assert f"argument {argv[-1]}" in output and ("finite" in output or "outside the dates" in output)
    assert "internal error" not in output


@pytest.mark.parametrize("argv", [("discover", ISSUER, "--timeout=-1"), ("verify", TOKEN, "--secret", "s", "--leeway=-5"),
                                  ("decode", TOKEN, "--now=1e17")])
def test_out_of_range_numbers_are_usage_errors(capsys, argv):
    code, output = run(capsys, *argv)
    assert code == 2 and "usage:" in output and "internal error" not in output


def test_flow_settings_refuse_a_nan_timeout_given_by_a_caller_other_than_the_cli():
    from inspector.core.flows.settings import FlowSettings

    settings = FlowSettings(issuer=ISSUER, client_id="c", client_secret="s", timeout=float("nan"))
    assert any("timeout" in problem for problem in settings.problems())


@pytest.mark.parametrize("argv", [("profile", "import", "bad\0name"), ("verify", TOKEN, "--key", "bad\0name"),
                                  (*FLOW, "--ca-bundle", "bad\0name"), (*FLOW, "--key", "bad\0name")])
def test_a_file_name_with_a_nul_byte_is_a_usage_error_not_an_internal_error(capsys, argv):
    """Path.read_bytes raises ValueError (not OSError) for an embedded NUL byte."""
    code, output = run(capsys, *argv)
    assert code == 2 and "NUL byte" in output and "internal error" not in output


@pytest.mark.parametrize("argv", [("introspect", "-", "--issuer", ISSUER, "--client-id", "c"),
                                  ("flow", "refresh", "--issuer", ISSUER, "--client-id", "c", "--refresh-token", "-"),
                                  ("profile", "import", "-"),
                                  ("profile", "add", "p", "--issuer", ISSUER, "--client-secret-stdin")])
def test_standard_input_that_is_not_utf8_is_a_usage_error_under_a_strict_locale(capsys, monkeypatch, argv):
    """Under a UTF-8 locale sys.stdin decodes strictly: reading it as text raised
    UnicodeDecodeError, an 'unexpected internal error'."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfe{"), encoding="utf-8", errors="strict"))
    code, output = run(capsys, *argv)
    assert code == 2 and "not UTF-8 text (byte 0xff at offset 0)" in output and "internal error" not in output


# --- bounded reading: a device or FIFO named as a file never hangs the command ---------------------

needs_fifos = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


@needs_fifos
def test_a_fifo_nobody_writes_to_does_not_block_forever(tmp_path):
    """Opening a FIFO for reading blocks until a writer comes; reading it used to hang for ever."""
    fifo = tmp_path / "secret.fifo"
    os.mkfifo(fifo)
    with pytest.raises(InspectorError, match="nothing arrived within 0.05 seconds") as caught:
        read_file(str(fifo), "the secret file", streams=True, wait=0.05)
    assert caught.value.code == "usage"


@needs_fifos
def test_a_pipe_like_process_substitution_is_read_to_its_end(tmp_path):
    """``--secret-file <(pass show x)`` names a pipe such as /dev/fd/63."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"from-a-pipe\n")
        os.close(write_end)
        assert secret_from_file(f"/dev/fd/{read_end}", "the secret file") == "from-a-pipe"
    finally:
        os.close(read_end)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_stops_at_the_limit():
    with pytest.raises(InspectorError, match="more than the 1,000 bytes"):
        read_file("/dev/zero", "the key file", limit=1000, streams=True)


def test_a_regular_file_over_the_limit_is_refused_unread(tmp_path):
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(InspectorError, match="it is too large to read: 2,000 bytes, more than the 1,000 bytes"):
        read_file(str(big), "the key file", limit=1000)


@pytest.mark.parametrize(("content", "message"), [(b"", "is empty"), (b"\r\n", "is empty"),
                                                  (b"\xff\xfe", "is not text")])
def test_an_empty_or_binary_secret_file_is_a_usage_error(tmp_path, content, message):
    path = tmp_path / "secret"
    path.write_bytes(content)
    with pytest.raises(InspectorError, match=message) as caught:
        secret_from_file(str(path), "the secret file")
    assert caught.value.code == "usage"


@needs_fifos
def test_a_ca_bundle_must_be_a_regular_file_since_connections_read_it_again(capsys, tmp_path):
    fifo = tmp_path / "ca.fifo"
    os.mkfifo(fifo)
    code, text = run(capsys, "discover", ISSUER, "--ca-bundle", str(fifo))
    assert code == 2 and "it is a FIFO (named pipe), not a regular file" in text


def test_flow_and_profile_take_the_client_secret_from_a_file(tmp_path):
    from inspector.cli.flow_settings import resolve_settings
    from inspector.cli.main import build_parser

    secret = tmp_path / "client-secret"
    secret.write_text("file-Secret-123\n")
    parser = build_parser("flow")
    args = parser.parse_args(["client-credentials", "--issuer", ISSUER, "--client-id", "c",
                              "--client-secret-file", str(secret)])
    assert resolve_settings(args).client_secret == "file-Secret-123"


@pytest.mark.parametrize("command", ["flow", "introspect", "revoke", "userinfo"])
def test_commands_that_take_a_client_secret_say_the_option_is_visible_and_offer_env_and_file(capsys, command):
    assert main([command, "client-credentials", "--help"] if command == "flow" else [command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Visible to other users of this machine (ps)" in text
    assert "--client-secret-env VAR" in text and "--client-secret-file FILE" in text


def test_flow_settings_refuse_a_timeout_past_a_day_given_by_a_caller_other_than_the_cli():
    """A GUI or profile timeout of 1e10 s overflowed the socket timers (OverflowError)."""
    from inspector.core.flows.settings import FlowSettings

    settings = FlowSettings(issuer=ISSUER, client_id="c", client_secret="s", timeout=1e10)
    assert any("at most 86400" in problem for problem in settings.problems())
    assert FlowSettings(issuer=ISSUER, client_id="c", client_secret="s", timeout=86_400).problems() == []



class _VanishedTerminal(io.TextIOWrapper):
    """Standard input whose terminal went away: reading fails with EIO."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO())

    @property
    def buffer(self):
        class Broken:
            def read(self, size):
                raise OSError(5, "Input/output error")
        return Broken()


def _closed() -> io.StringIO:
    stream = io.StringIO()
    stream.close()
    return stream


@pytest.mark.parametrize("stdin", [_closed, _VanishedTerminal], ids=["closed", "io-error"])
def test_standard_input_that_cannot_be_read_is_a_usage_error_not_an_internal_error(capsys, monkeypatch, stdin):
    monkeypatch.setattr("sys.stdin", stdin())
    code, out = run(capsys, "introspect", "-", "--issuer", ISSUER, "--client-id", "c")
    assert code == 2 and "Standard input could not be read for" in out and "internal" not in out
