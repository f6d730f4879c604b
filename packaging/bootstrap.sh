#!/usr/bin/env bash
# Prepares a machine for Token Inspector: system libraries, a virtualenv in .venv, and (for tests)
# the test identity provider. Idempotent and quick when everything is already in place.
# Usage: source packaging/bootstrap.sh app|test|build
# (build: only the system packages a bundle build needs; packaging/build-tools.sh makes its venv.)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
purpose="${1:-app}"

# Qt's runtime libraries (offscreen, xcb and wayland), a real font, and the D-Bus/Secret Service
# pieces. Qt's wayland plugin needs libwayland-cursor0 and libwayland-egl1; without them a session
# with no X server cannot open the window at all.
qt_packages=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 fonts-dejavu-core
  libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1 libxcb-xinerama0
  libwayland-cursor0 libwayland-egl1)
test_packages=(dbus dbus-x11 gnome-keyring xvfb xauth)

want=("${qt_packages[@]}")
[ "$purpose" = test ] && want+=("${test_packages[@]}")
# PyInstaller reads shared libraries' dependencies with objdump; the bundle's tests check the
# desktop entry and AppStream file with the distribution's validators.
[ "$purpose" = app ] || want+=(binutils desktop-file-utils appstream)
# PyInstaller bundles the shared libpython; Debian's own python3 has it in a separate package.
if [ "$purpose" = build ] && [ "$(command -v python3)" = /usr/bin/python3 ]; then
  want+=("lib$(python3 -c 'import sys; print(f"python{sys.version_info[0]}.{sys.version_info[1]}")')")
fi
# pip and npm download over TLS; a minimal Debian has no CA bundle until something pulls it in.
want+=(ca-certificates)
command -v python3 >/dev/null || want+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || want+=(python3-venv)
if [ "$purpose" = test ] && ! command -v node >/dev/null; then want+=(nodejs npm); fi

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bootstrap: installing system packages: ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "$purpose" = build ] && return 0

venv="$root/.venv"
stamp="$venv/.bootstrap-$purpose"
digest="$(cat "$root/pyproject.toml" "$root/packaging/constraints.txt" | sha256sum | cut -c1-16)"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# The test install is a superset of the app's, so after run-tests.sh the app needs no pip run.
if [ "$purpose" = app ] && [ "$(cat "$venv/.bootstrap-test" 2>/dev/null)" = "$digest" ]; then
  stamp="$venv/.bootstrap-test"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
  echo "bootstrap: installing Python packages into .venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  extra=""; [ "$purpose" = test ] && extra="[test]"
  "$venv/bin/python" -m pip install -q -c "$root/packaging/constraints.txt" -e "$root$extra"
  echo "$digest" > "$stamp"
fi

provider="$root/tests/e2e/provider"
if [ "$purpose" = test ] && [ -f "$provider/package-lock.json" ]; then
  lock_digest="$(sha256sum "$provider/package-lock.json" | cut -c1-16)"
  if [ "$(cat "$provider/node_modules/.bootstrap" 2>/dev/null)" != "$lock_digest" ]; then
    echo "bootstrap: installing the test identity provider (npm ci)"
    (cd "$provider" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_digest" > "$provider/node_modules/.bootstrap"
  fi
fi
