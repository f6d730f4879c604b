"""Every subcommand meets hostile input with a clear message and exit 0, 1 or 2: never a traceback,
never the last-resort 'unexpected internal error'. Nothing here waits on the network: URLs that
parse point at closed ports on loopback (refused at once), or are refused before any request."""

from __future__ import annotations

import io
import os
import stat
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.cli.inputs import MAX_INPUT_BYTES
from inspector.cli.main import main

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"
CLOSED = "http://127.0.0.1:1"  # port 1: nothing listens, the connection is refused at once

#: Values no option expects. A non-UTF-8 command-line byte reaches Python as a lone surrogate.
HOSTILE = {
    "empty": "",
    "huge": "A" * 200_000,
    "nul": "bad\0value",
    "surrogate": "\udcff\udcfe",
    "dash": "-x",
    "emoji": "🙂",
    "file-scheme": "file:///etc/passwd",
    "javascript": "javascript:alert(1)",
    "ftp": "ftp://127.0.0.1:1/x",
    "ipv6": "http://[::1]:1/",
    "ipv6-broken": "http://[::1",
    "port-too-big": "http://127.0.0.1:99999/",
    "port-negative": "http://127.0.0.1:-1/",
    "credentials": "http://user:pw@127.0.0.1:1/?client_secret=s3",
    "huge-number": "9.3e9",
}

#: Command templates; ``V`` is replaced by the hostile value (or a hostile path, see PATHS).
V = object()
FLOW = ["--client-id", "c", "--timeout", "5", "--no-history"]
TEMPLATES = {
    "decode": ["decode", V],
    "decode-now": ["decode", TOKEN, "--now", V],
    "verify": ["verify", V, "--secret", "s"],
    "verify-jwks": ["verify", TOKEN, "--jwks", V, "--timeout", "5"],
    "verify-key": ["verify", TOKEN, "--key", V],
    "verify-issuer": ["verify", TOKEN, "--issuer", V, "--timeout", "5"],
    "verify-alg": ["verify", TOKEN, "--secret", "s", "--alg", V],
    "verify-aud": ["verify", TOKEN, "--secret", "s", "--aud", V, "--client-id", V, "--nonce", V],
    "verify-leeway": ["verify", TOKEN, "--secret", "s", "--leeway", V],
    "verify-timeout": ["verify", TOKEN, "--issuer", CLOSED, "--timeout", V],
    "discover": ["discover", V, "--timeout", "5"],
    "discover-ca": ["discover", CLOSED, "--ca-bundle", V],
    "discover-timeout": ["discover", CLOSED, "--timeout", V],
    "introspect-token": ["introspect", V, "--issuer", CLOSED, *FLOW[:4]],
    "introspect-issuer": ["introspect", TOKEN, "--issuer", V, *FLOW[:4]],
    "revoke-endpoint": ["revoke", TOKEN, "--revocation-endpoint", V, *FLOW[:4]],
    "userinfo-endpoint": ["userinfo", TOKEN, "--userinfo-endpoint", V, *FLOW[:4]],
    "userinfo-profile": ["userinfo", TOKEN, "--profile", V],
    "cc-issuer": ["flow", "client-credentials", "--issuer", V, "--client-secret", "s", *FLOW],
    "cc-key": ["flow", "client-credentials", "--issuer", CLOSED, "--key", V, *FLOW],
    "cc-secret-env": ["flow", "client-credentials", "--issuer", CLOSED, "--client-secret-env", V, *FLOW],
    "cc-secret-file": ["flow", "client-credentials", "--issuer", CLOSED, "--client-secret-file", V, *FLOW],
    "verify-secret-env": ["verify", TOKEN, "--secret-env", V],
    "verify-secret-file": ["verify", TOKEN, "--secret-file", V],
    "cc-param": ["flow", "client-credentials", "--issuer", CLOSED, "--client-secret", "s", "--param", V, *FLOW],
    "cc-scope": ["flow", "client-credentials", "--issuer", CLOSED, "--client-secret", "s", "--scope", V, *FLOW],
    "cc-timeout": ["flow", "client-credentials", "--issuer", CLOSED, "--client-id", "c", "--client-secret", "s",
                   "--no-history", "--timeout", V],
    "cc-token-endpoint": ["flow", "client-credentials", "--token-endpoint", V, "--client-secret", "s", *FLOW],
    "auth-code-issuer": ["flow", "auth-code", "--issuer", V, "--no-browser", *FLOW],
    "auth-code-port": ["flow", "auth-code", "--issuer", CLOSED, "--redirect-port", V, "--no-browser", *FLOW],
    "auth-code-path": ["flow", "auth-code", "--issuer", CLOSED, "--redirect-path", V, "--no-browser", *FLOW],
    "device-endpoint": ["flow", "device", "--device-authorization-endpoint", V, "--token-endpoint", V, *FLOW],
    "refresh-token": ["flow", "refresh", "--issuer", CLOSED, "--refresh-token", V, *FLOW],
    "profile-add": ["profile", "add", V],
    "profile-add-issuer": ["profile", "add", "p", "--issuer", V],
    "profile-add-port": ["profile", "add", "p", "--issuer", "https://op.example", "--redirect-port", V],
    "profile-add-param": ["profile", "add", "p", "--issuer", "https://op.example", "--param", V],
    "profile-add-key": ["profile", "add", "p", "--issuer", "https://op.example", "--private-key-file", V],
    "profile-show": ["profile", "show", V],
    "profile-edit": ["profile", "edit", V, "--notes", V],
    "profile-remove": ["profile", "remove", V],
    "profile-import": ["profile", "import", V],
    "profile-export": ["profile", "export", "--output", V],
    "history-show": ["history", "show", V],
    "history-delete": ["history", "delete", V],
    "history-search": ["history", "list", "--search", V],
    "history-retention": ["history", "retention", V],
}


def run(capsys, argv):
    code = main(argv)
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert code in (0, 1, 2), output
    assert "Traceback" not in output and "internal error" not in output, output
    return code, output


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Each test its own app home (profiles, history) and in-memory keyring."""
    monkeypatch.setenv("TOKEN_INSPECTOR_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)  # profile export --output writes relative names here
    return tmp_path / "home"


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("template", TEMPLATES.values(), ids=TEMPLATES.keys())
def test_hostile_values_get_a_message_and_exit_0_1_or_2(capsys, template, value):
    run(capsys, with_value(template, value))


def with_value(template, value):
    """``template`` with ``value`` in place of V, attached to its option (``--opt=value``) so a
    value that begins with '-' is still a value."""
    argv = []
    for arg in template:
        if arg is V and argv and argv[-1].startswith("--"):
            argv[-1] = f"{argv[-1]}={value}"
        else:
            argv.append(value if arg is V else arg)
    return argv


@pytest.fixture
def paths(tmp_path):
    """Files no command can use: a directory, an unreadable file, binary bytes, an empty file, a
    FIFO (reading one blocks until a writer comes), a device without end, a file past the cap."""
    unreadable = tmp_path / "unreadable"
    unreadable.write_text("secret")
    unreadable.chmod(0)
    (tmp_path / "binary").write_bytes(b"\xff\xfe\x00\x01garbage\x80")
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    with open(tmp_path / "huge", "wb") as huge:
        huge.truncate(MAX_INPUT_BYTES + 1)  # sparse: takes no disk
    kinds = ("unreadable", "binary", "empty", "dir", "missing", "fifo", "huge")
    yield {**{name: str(tmp_path / name) for name in kinds}, "device": "/dev/zero"}
    unreadable.chmod(stat.S_IRUSR | stat.S_IWUSR)


FILE_OPTIONS = {
    "verify-key": ["verify", TOKEN, "--key", V],
    "verify-jwks": ["verify", TOKEN, "--jwks", V],
    "verify-ca": ["verify", TOKEN, "--issuer", CLOSED, "--ca-bundle", V],
    "discover-ca": ["discover", CLOSED, "--ca-bundle", V],
    "flow-key": ["flow", "client-credentials", "--issuer", CLOSED, "--key", V, *FLOW],
    "flow-ca": ["flow", "client-credentials", "--issuer", CLOSED, "--client-secret", "s", "--ca-bundle", V, *FLOW],
    "revoke-key": ["revoke", TOKEN, "--issuer", CLOSED, "--client-id", "c", "--key", V],
    "profile-key": ["profile", "add", "p", "--issuer", "https://op.example", "--private-key-file", V],
    "profile-ca": ["profile", "add", "p", "--issuer", "https://op.example", "--ca-bundle", V],
    "profile-import": ["profile", "import", V],
    "verify-secret-file": ["verify", TOKEN, "--secret-file", V],
    "flow-secret-file": ["flow", "client-credentials", "--issuer", CLOSED, "--client-secret-file", V, *FLOW],
    "profile-secret-file": ["profile", "add", "p", "--issuer", "https://op.example", "--client-secret-file", V],
}


@pytest.mark.parametrize("kind", ["unreadable", "binary", "empty", "dir", "missing", "fifo", "device", "huge"])
@pytest.mark.parametrize("template", FILE_OPTIONS.values(), ids=FILE_OPTIONS.keys())
def test_unusable_files_are_usage_errors(capsys, paths, template, kind):
    if kind == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode")
    code, output = run(capsys, [paths[kind] if a is V else a for a in template])
    assert code == 2, output


def test_dev_zero_as_jwks_file_is_a_usage_error(capsys):
    """/dev/zero was read until memory ran out (MemoryError: 'unexpected internal error')."""
    code, output = run(capsys, ["verify", TOKEN, "--jwks", "/dev/zero"])
    assert code == 2 and "Cannot read the key file '/dev/zero': it is a device, not a regular file." in output


def test_a_file_past_the_size_cap_is_a_usage_error_that_says_so(capsys, paths):
    code, output = run(capsys, ["profile", "import", paths["huge"]])
    assert code == 2 and "more than the 8,388,608" in output


@pytest.mark.parametrize("template", [["verify", TOKEN, "--key", V], FILE_OPTIONS["flow-key"],
                                      FILE_OPTIONS["profile-import"], FILE_OPTIONS["discover-ca"]],
                         ids=["verify-key", "flow-key", "profile-import", "discover-ca"])
def test_fifo_as_key_file_does_not_block(capsys, paths, template):
    """Opening a FIFO for reading waits for a writer: the command hung for ever."""
    outcome = []
    thread = threading.Thread(target=lambda: outcome.append(main([paths["fifo"] if a is V else a for a in template])),
                              daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():  # blocked on the FIFO: release it so the thread ends
        os.close(os.open(paths["fifo"], os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
    output = capsys.readouterr().err
    assert outcome == [2] and "it is a FIFO (named pipe), not a regular file." in output


def test_deeply_nested_json_in_a_profiles_import_is_a_message(capsys, tmp_path):
    """json.loads raised RecursionError out of the profiles parser: 'unexpected internal error'."""
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    code, output = run(capsys, ["profile", "import", str(nested)])
    assert code == 2 and "nested too deeply" in output


def test_huge_timeout_is_a_usage_error(capsys):
    """--timeout 9.3e9 passed the finite check and overflowed the OS's timers (OverflowError)."""
    code, output = run(capsys, ["discover", CLOSED, "--timeout", "9.3e9"])
    assert code == 2 and "at most 86400 seconds (a day)" in output


STATE_COMMANDS = {
    "profile-list": ["profile", "list"],
    "profile-add": ["profile", "add", "p", "--issuer", "https://op.example"],
    "profile-export": ["profile", "export"],
    "flow-profile": ["flow", "client-credentials", "--profile", "p", "--client-secret", "s", "--timeout", "5"],
    "history-list": ["history", "list"],
    "history-retention": ["history", "retention", "5"],
    "history-clear": ["history", "clear", "--yes"],
    "decode-save": ["decode", TOKEN, "--save"],
    "flow-records": ["flow", "client-credentials", "--issuer", CLOSED, "--client-id", "c", "--client-secret", "s"],
}
CORRUPTIONS = {
    "profiles-not-json": ("config/profiles.json", b"{"),
    "profiles-binary": ("config/profiles.json", b"\xff\xfe\x00\x80"),
    "profiles-bad-field": ("config/profiles.json", b'{"version": 2, "profiles": [{"name": "p", "issuer": '
                                                   b'"https://op.example", "scopes": 7}]}'),
    "history-garbage": ("data/history.bin", b"garbage"),
    "history-empty": ("data/history.bin", b""),
    "profiles-is-a-dir": ("config/profiles.json/x", b""),
    "history-is-a-dir": ("data/history.bin/x", b""),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
@pytest.mark.parametrize("argv", STATE_COMMANDS.values(), ids=STATE_COMMANDS.keys())
def test_a_damaged_profiles_or_history_file_is_a_message_and_is_left_untouched(capsys, home, argv, corruption):
    relative, content = corruption
    path = home / relative
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    code, _output = run(capsys, argv)
    if argv[:2] == ["history", "clear"] and relative == "data/history.bin":  # the documented way to start over
        assert path.read_bytes() != content and run(capsys, ["history", "list"])[0] == 0
    else:
        assert path.read_bytes() == content


@pytest.mark.parametrize("argv", STATE_COMMANDS.values(), ids=STATE_COMMANDS.keys())
def test_an_app_home_that_cannot_be_created_is_a_message(capsys, tmp_path, monkeypatch, argv):
    """TOKEN_INSPECTOR_HOME under a regular file: no folder can be made there, not even by root."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("TOKEN_INSPECTOR_HOME", str(blocker / "home"))
    run(capsys, argv)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
@pytest.mark.parametrize("argv", STATE_COMMANDS.values(), ids=STATE_COMMANDS.keys())
def test_a_read_only_app_home_is_a_message(capsys, home, argv):
    home.mkdir()
    home.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        run(capsys, argv)
    finally:
        home.chmod(stat.S_IRWXU)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.text(max_size=40), min_size=4, max_size=4))
def test_arbitrary_text_in_a_token_command_never_escapes(capsys, values):
    token, client_id, scope, param = values
    argv = ["introspect", f"--client-id={client_id}", f"--scope={scope}", f"--param={param}",
            "--introspection-endpoint", f"{CLOSED}/introspect", "--timeout", "5", "--", token]
    run(capsys, argv)


@pytest.mark.parametrize("stdin", [b"", b"\xff\xfe\x00", b"A" * 300_000, b"  \n\t "])
@pytest.mark.parametrize("argv", [["decode", "-"], ["verify", "-", "--secret", "s"],
                                  ["introspect", "-", "--issuer", CLOSED, "--client-id", "c"],
                                  ["profile", "import", "-"],
                                  ["profile", "add", "p", "--issuer", "https://op.example", "--client-secret-stdin"]],
                         ids=["decode", "verify", "introspect", "profile-import", "secret-stdin"])
def test_hostile_standard_input(capsys, monkeypatch, argv, stdin):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="strict"))
    run(capsys, argv)


class _Zeros(io.RawIOBase):
    """Standard input from /dev/zero: bytes without end."""

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = bytes(len(buffer))
        return len(buffer)


@pytest.mark.parametrize("argv", [["decode", "-"], ["verify", "-", "--secret", "s"], ["profile", "import", "-"]],
                         ids=["decode", "verify", "profile-import"])
def test_endless_standard_input_is_refused_at_the_cap(capsys, monkeypatch, argv):
    """``< /dev/zero`` was read until memory ran out."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(_Zeros()), encoding="utf-8"))
    code, output = run(capsys, argv)
    assert code == 2 and "larger than 8 MiB" in output
