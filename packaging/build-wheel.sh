#!/usr/bin/env bash
# The wheel and sdist: dist/token_inspector-VERSION-py3-none-any.whl and .tar.gz (`python -m build`,
# the wheel built from the sdist, so both carry the run-time resources).
# Without build isolation: the build backend is the pinned setuptools of build/tools.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/packaging/build-tools.sh"
cd "$root"
version="$(PYTHONPATH="$root" "$tools_python" -c 'import inspector; print(inspector.__version__)')"
rm -f "dist/token_inspector-$version-py3-none-any.whl" "dist/token_inspector-$version.tar.gz"
"$tools_python" -m build --no-isolation --outdir dist . >build/wheel.log 2>&1 || { cat build/wheel.log >&2; exit 1; }
echo "dist/token_inspector-$version-py3-none-any.whl"
