#!/usr/bin/env bash
# The test command: prepares the machine, then runs the whole suite offscreen inside a private
# D-Bus session (the keyring integration tests start a real gnome-keyring on it).
# Extra arguments go to pytest, e.g. `bash packaging/run-tests.sh tests/core -q`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/packaging/bootstrap.sh" test
cd "$root"
export QT_QPA_PLATFORM=offscreen
exec dbus-run-session -- "$root/.venv/bin/python" -m pytest "$@"
