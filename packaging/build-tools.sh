#!/usr/bin/env bash
# The release tools' own venv, build/tools: PyInstaller, `build` and setuptools, pinned in
# packaging/build-constraints.txt, never in the development .venv. Idempotent and quick when the
# pins have not changed. Usage: source packaging/build-tools.sh   (then use "$tools_python")
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/packaging/bootstrap.sh" build

tools="$root/build/tools"
tools_python="$tools/bin/python"
tools_digest="$(cat "$root/packaging/build-constraints.txt" | sha256sum | cut -c1-16)"
if [ ! -x "$tools_python" ]; then
  python3 -m venv "$tools"
fi
if [ "$(cat "$tools/.tools" 2>/dev/null)" != "$tools_digest" ]; then
  echo "build-tools: installing PyInstaller, build and setuptools into build/tools"
  "$tools_python" -m pip install -q --upgrade pip
  "$tools_python" -m pip install -q -c "$root/packaging/build-constraints.txt" build pyinstaller setuptools
  echo "$tools_digest" > "$tools/.tools"
fi
