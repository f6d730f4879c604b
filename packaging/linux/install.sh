#!/usr/bin/env bash
# Installs Token Inspector for the current user, without root:
#   ~/.local/opt/token-inspector/           the app (this folder's token-inspector/)
#   ~/.local/bin/token-inspector            a link to its executable (the command line)
#   $XDG_DATA_HOME/applications/, icons/hicolor/, metainfo/   the launcher entry, icon and AppStream data
# ($XDG_DATA_HOME defaults to ~/.local/share.) Running it again replaces an earlier install.
# Undo with ~/.local/opt/token-inspector/uninstall.sh (it removes exactly what this wrote).
set -euo pipefail

app_id="io.github.tokeninspector.TokenInspector"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${HOME:?HOME is not set}"
data_home="${XDG_DATA_HOME:-}"
# The XDG Base Directory spec: a relative path in XDG_DATA_HOME is invalid and ignored.
[[ "$data_home" == /* ]] || data_home="$HOME/.local/share"
opt="$HOME/.local/opt/token-inspector"
bin="$HOME/.local/bin"
source_dir="$here/token-inspector"

if [ ! -x "$source_dir/token-inspector" ]; then
  echo "install.sh: $source_dir/token-inspector is missing; run this script from the unpacked tarball." >&2
  exit 2
fi
case "$opt" in
  *[\"\`\$\\]*) echo "install.sh: the home folder's path ($HOME) has a character a launcher entry cannot hold." >&2; exit 2 ;;
esac

if [ -x "$opt/uninstall.sh" ]; then
  "$opt/uninstall.sh" --quiet
fi
rm -rf "$opt" "$opt.partial"
mkdir -p "$HOME/.local/opt" "$bin" "$data_home/applications" "$data_home/metainfo"
cp -a "$source_dir" "$opt.partial"
mv "$opt.partial" "$opt"
install -m 0755 "$here/uninstall.sh" "$opt/uninstall.sh"

manifest="$opt/installed-files"
: > "$manifest"
ln -sfn "$opt/token-inspector" "$bin/token-inspector"
echo "$bin/token-inspector" >> "$manifest"

desktop="$data_home/applications/$app_id.desktop"
sed -e "s|^Exec=.*|Exec=\"$opt/token-inspector\"|" -e "s|^TryExec=.*|TryExec=$opt/token-inspector|" \
  "$opt/share/$app_id.desktop" > "$desktop"
echo "$desktop" >> "$manifest"
install -m 0644 "$opt/share/$app_id.metainfo.xml" "$data_home/metainfo/$app_id.metainfo.xml"
echo "$data_home/metainfo/$app_id.metainfo.xml" >> "$manifest"

icons="$data_home/icons/hicolor"
for png in "$opt"/share/icons/token-inspector-*.png; do
  size="${png##*-}"; size="${size%.png}"
  install -D -m 0644 "$png" "$icons/${size}x${size}/apps/$app_id.png"
  echo "$icons/${size}x${size}/apps/$app_id.png" >> "$manifest"
done
install -D -m 0644 "$opt/share/icons/token-inspector.svg" "$icons/scalable/apps/$app_id.svg"
echo "$icons/scalable/apps/$app_id.svg" >> "$manifest"
# A stale icon cache in the user's theme folder hides new icons from GTK; refresh one if present.
if [ -f "$icons/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null; then
  gtk-update-icon-cache -q -t -f "$icons" || true
fi

echo "Installed Token Inspector in $opt."
echo "Open it from your applications menu, or run: token-inspector"
case ":$PATH:" in
  *":$bin:"*) ;;
  *) echo "Note: $bin is not on your PATH; add it to run token-inspector from a terminal." ;;
esac
