#!/usr/bin/env bash
# The app command: prepares the machine, then opens Token Inspector (needs a display).
# Arguments go to `token-inspector`, e.g. `bash packaging/run-app.sh decode -`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/packaging/bootstrap.sh" app
exec "$root/.venv/bin/token-inspector" "$@"
