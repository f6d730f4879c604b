#!/usr/bin/env bash
# The test command: prepares the machine, then runs the whole suite offscreen inside a private
# D-Bus session (the keyring integration tests start a real gnome-keyring on it).
# Extra arguments go to pytest, e.g. `bash packaging/run-tests.sh tests/core -q`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/packaging/bootstrap.sh" test
cd "$root"
export QT_QPA_PLATFORM=offscreen
# Qt warns (and qt_log_level_fail turns the warning into a failure) under a non-UTF-8 locale such
# as a CI runner's LC_ALL=C; C.UTF-8 is built into Debian's libc, so the suite runs the same anywhere.
export LC_ALL=C.UTF-8
exec dbus-run-session -- "$root/.venv/bin/python" -m pytest "$@"
