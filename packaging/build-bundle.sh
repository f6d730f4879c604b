#!/usr/bin/env bash
# The self-contained Linux bundle, in one command:
#   dist/token-inspector/                              the app folder (run dist/token-inspector/token-inspector)
#   dist/token-inspector-VERSION-linux-x86_64.tar.gz   that folder plus install.sh / uninstall.sh
# Steps: the wheel (packaging/build-wheel.sh); the wheel and its pinned dependencies installed into
# build/tools; PyInstaller with packaging/token-inspector.spec; the tarball. Needs no display.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
wheel="$(bash "$root/packaging/build-wheel.sh" | tail -n 1)"
source "$root/packaging/build-tools.sh"
cd "$root"
version="$(PYTHONPATH="$root" "$tools_python" -c 'import inspector; print(inspector.__version__)')"

echo "build-bundle: installing $wheel and its dependencies into build/tools"
deps_digest="$(cat pyproject.toml packaging/constraints.txt | sha256sum | cut -c1-16)"
if [ "$(cat build/tools/.app-deps 2>/dev/null)" != "$deps_digest" ]; then
  "$tools_python" -m pip install -q -c packaging/constraints.txt "$wheel"
  echo "$deps_digest" > build/tools/.app-deps
fi
"$tools_python" -m pip install -q --force-reinstall --no-deps "$wheel"

echo "build-bundle: running PyInstaller (about a minute)"
rm -rf dist/token-inspector
# Run outside the source tree so the analysis imports the installed wheel, not ./inspector.
(cd build && "$tools_python" -m PyInstaller --noconfirm --clean \
  --distpath "$root/dist" --workpath "$root/build/pyinstaller" "$root/packaging/token-inspector.spec") \
  >build/bundle.log 2>&1 || { tail -n 40 build/bundle.log >&2; echo "build-bundle: PyInstaller failed; see build/bundle.log" >&2; exit 1; }
grep -h "token-inspector.spec:" build/bundle.log | sed 's/^[0-9]* INFO: /build-bundle: /' || true

# The launcher entry, AppStream data and icons travel inside the app folder (install.sh reads them there).
share=dist/token-inspector/share
mkdir -p "$share"
cp packaging/linux/*.desktop packaging/linux/*.metainfo.xml "$share/"
cp -a "$(PYTHONPATH="$root" "$tools_python" -c 'from inspector.resources import icon_svg; print(icon_svg().parent)')" "$share/icons"

stage="build/stage/token-inspector-$version"
rm -rf build/stage
mkdir -p "$stage"
cp -a dist/token-inspector "$stage/token-inspector"
install -m 0755 packaging/linux/install.sh packaging/linux/uninstall.sh "$stage/"
tarball="dist/token-inspector-$version-linux-x86_64.tar.gz"
tar -C build/stage -czf "$tarball" "token-inspector-$version"
echo "build-bundle: dist/token-inspector ($(du -sm dist/token-inspector | cut -f1) MB), $tarball ($(du -m "$tarball" | cut -f1) MB)"
