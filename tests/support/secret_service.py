"""A real, unlocked Secret Service (gnome-keyring) for the keyring integration tests.

Needs a D-Bus session bus (``packaging/run-tests.sh`` runs pytest under ``dbus-run-session``).
The daemon runs in the foreground with a fresh ``XDG_DATA_HOME`` (an existing login keyring with
another password would stay locked) and is ended by its pid: a backgrounded daemon would outlive
the bus. Readiness is awaited on the bus itself — the ``NameOwnerChanged`` signal for
``org.freedesktop.secrets`` — and then one Secret Service call, all within a deadline.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator

SECRETS_NAME = "org.freedesktop.secrets"
PASSWORD = b"integration-test-password"


@contextmanager
def running_secret_service(workdir: Path, timeout: float = 30.0) -> Iterator[dict[str, str]]:
    """Start gnome-keyring's secrets component; yield the environment for client processes."""
    daemon = shutil.which("gnome-keyring-daemon")
    if daemon is None:
        raise RuntimeError("gnome-keyring-daemon is not installed (packaging/bootstrap.sh test installs it)")
    data_home, runtime = workdir / "xdg-data", workdir / "xdg-runtime"
    for folder in (data_home, runtime):
        folder.mkdir(mode=0o700, parents=True)
    env = dict(os.environ, XDG_DATA_HOME=str(data_home), XDG_RUNTIME_DIR=str(runtime))
    log = (workdir / "gnome-keyring.log").open("wb")
    process = subprocess.Popen(
        [daemon, "--foreground", "--replace", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    try:
        process.stdin.write(PASSWORD)  # --unlock reads the login keyring's password from stdin
        process.stdin.close()
        _wait_until_ready(process, time.monotonic() + timeout, workdir / "gnome-keyring.log")
        yield env
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_ready(process: subprocess.Popen, deadline: float, log_path: Path) -> None:
    from jeepney import MatchRule, message_bus
    from jeepney.io.blocking import open_dbus_connection

    with closing(open_dbus_connection(bus="SESSION")) as bus:
        rule = MatchRule(type="signal", sender=message_bus.bus_name, interface=message_bus.interface,
                         member="NameOwnerChanged", path=message_bus.object_path)  # fmt: skip
        rule.add_arg_condition(0, SECRETS_NAME)
        # Unlock prompts must fail at once, never open a window and wait: no display for them.
        bus.send_and_get_reply(message_bus.UpdateActivationEnvironment({"DISPLAY": "", "WAYLAND_DISPLAY": ""}))
        with bus.filter(rule) as signals:
            bus.send_and_get_reply(message_bus.AddMatch(rule))
            owned = bus.send_and_get_reply(message_bus.NameHasOwner(SECRETS_NAME)).body[0]
            while not owned:
                _check_alive(process, log_path)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"gnome-keyring did not claim {SECRETS_NAME}: {log_path.read_text(errors='replace')}")
                try:
                    bus.recv_until_filtered(signals, timeout=min(remaining, 1.0))
                except TimeoutError:
                    continue
                owned = bus.send_and_get_reply(message_bus.NameHasOwner(SECRETS_NAME)).body[0]
    _wait_for_unlocked_collection(process, deadline, log_path)


def _wait_for_unlocked_collection(process: subprocess.Popen, deadline: float, log_path: Path) -> None:
    """The name can be claimed a moment before the login collection is unlocked: ask until it is."""
    import secretstorage

    while True:
        _check_alive(process, log_path)
        try:
            with closing(secretstorage.dbus_init()) as connection:
                if not secretstorage.Collection(connection).is_locked():  # never creates (no prompt)
                    return
        except secretstorage.exceptions.SecretStorageException:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"gnome-keyring's login collection stayed locked: {log_path.read_text(errors='replace')}")


def _check_alive(process: subprocess.Popen, log_path: Path) -> None:
    if process.poll() is not None:
        raise RuntimeError(f"gnome-keyring-daemon exited ({process.returncode}): {log_path.read_text(errors='replace')}")
