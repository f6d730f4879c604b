#!/usr/bin/env bash
# Removes what install.sh installed for the current user: the app in ~/.local/opt/token-inspector
# and every file listed in its installed-files (the command link, launcher entry, icons, AppStream
# data). Profiles, history and keyring entries stay: they are yours, not the app's.
# Usage: ~/.local/opt/token-inspector/uninstall.sh [--quiet]
set -euo pipefail

: "${HOME:?HOME is not set}"
opt="$HOME/.local/opt/token-inspector"
manifest="$opt/installed-files"
quiet=""; [ "${1:-}" = --quiet ] && quiet=1

if [ ! -d "$opt" ]; then
  [ -n "$quiet" ] || echo "Token Inspector is not installed in $opt."
  exit 0
fi
icon_dirs=()
if [ -f "$manifest" ]; then
  while IFS= read -r path; do
    [ -n "$path" ] || continue
    if [ "$(basename "$path")" = token-inspector ] && [ -L "$path" ]; then
      # The command link: only ours (a token-inspector installed some other way stays).
      [ "$(readlink "$path")" = "$opt/token-inspector" ] && rm -f "$path"
      continue
    fi
    rm -f "$path"
    case "$path" in */icons/hicolor/*) icon_dirs+=("${path%%/icons/hicolor/*}/icons/hicolor") ;; esac
  done < "$manifest"
fi
rm -rf "$opt"
if [ "${#icon_dirs[@]}" -gt 0 ] && [ -f "${icon_dirs[0]}/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null; then
  gtk-update-icon-cache -q -t -f "${icon_dirs[0]}" || true
fi
[ -n "$quiet" ] || echo "Removed Token Inspector (your profiles, history and keyring entries are kept)."
