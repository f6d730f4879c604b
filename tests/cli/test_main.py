"""The entry point's process-wide behaviour, checked in fresh interpreters."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln"


def frozen_at_exit(argv: list[str]) -> bool:
    """Run main(argv) and report whether gc.freeze ran at exit: a hook registered before main()
    runs after the handlers main() registers (atexit is last in, first out)."""
    script = (
        "import atexit, contextlib, gc, io\n"
        "atexit.register(lambda: print('frozen' if gc.get_freeze_count() else 'not frozen'))\n"
        "from inspector.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    main({argv!r})\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] == "frozen"


def test_every_subcommand_skips_the_final_garbage_collection():
    assert frozen_at_exit(["decode", TOKEN])
    assert frozen_at_exit(["discover", "--help"])
    assert frozen_at_exit(["no-such-command"])


def test_nothing_is_frozen_before_exit():
    script = ("import gc\nfrom inspector.cli.main import main\n"
              f"main(['decode', {TOKEN!r}, '--json'])\nprint(gc.get_freeze_count())\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "0"


def test_last_resort_handler_redacts_tokens(monkeypatch, capsys):
    from inspector.cli import decode
    from inspector.cli.main import main

    secret_token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz"

    def broken(args):
        raise RuntimeError(f"bad {secret_token} from https://svc:hunter2-password@op.example/t "
                           f"with Authorization: Basic d2ViOnNlY3JldC12YWx1ZQ==\x1b[2J")

    monkeypatch.setattr(decode, "run", broken)
    assert main(["decode", TOKEN]) == 1
    err = capsys.readouterr().err
    assert "unexpected internal error (RuntimeError: bad eyJhbG…" in err
    assert secret_token not in err and "hunter2-password" not in err and "d2ViOnNlY3JldC12YWx1ZQ" not in err
    assert "\x1b" not in err and len(err.splitlines()) == 1


def test_ctrl_c_while_the_command_loads_is_interrupted_not_a_traceback(monkeypatch, capsys):
    from inspector.cli import main as cli_main

    def interrupted(name):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_main, "build_parser", interrupted)
    assert cli_main.main(["decode", TOKEN]) == 130
    assert capsys.readouterr().err == "Interrupted.\n"
