"""Running the real CLI as a subprocess and reading its JSON lines as they are flushed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CliRun:
    returncode: int
    lines: list[dict] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""

    def step(self, name: str) -> dict:
        return next(line for line in self.lines if line["step"] == name)

    @property
    def done(self) -> dict:
        return self.lines[-1]


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "inspector.cli.main", *args]


def run_cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
            on_line: Callable[[dict], None] | None = None, json_lines: bool = True,
            timeout: float = 60) -> CliRun:
    """Run ``token-inspector ARGS``; with ``--json`` each line is parsed as it arrives and handed
    to ``on_line`` (e.g. the user agent signs in when the ``authorize`` line appears)."""
    process = subprocess.Popen(cli_command(*args), cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    try:
        if stdin is not None:
            process.stdin.write(stdin)
        process.stdin.close()
        lines, raw = [], []
        for text in process.stdout:
            raw.append(text)
            if json_lines and "--json" in args:
                line = json.loads(text)
                lines.append(line)
                if on_line is not None:
                    on_line(line)
        stderr = process.stderr.read()
        returncode = process.wait(timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    return CliRun(returncode, lines, "".join(raw), stderr)


def invoke_with_provider(module, name: str, provider, *args: str) -> tuple[int, list[dict], str]:
    """Run subcommand ``name`` (its ``module``) in-process against a FakeProvider's transport;
    returns the exit code, the JSON lines (with --json) and the raw output."""
    import io

    from inspector.cli.main import build_parser
    from inspector.core.flows.context import FlowEnvironment

    out = io.StringIO()
    code = module.run(build_parser(name).parse_args(list(args)), env=FlowEnvironment(transport=provider.transport()),
                      out=out)
    text = out.getvalue()
    return code, [json.loads(line) for line in text.splitlines()] if "--json" in args else [], text
