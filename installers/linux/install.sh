#!/usr/bin/env bash
# Install the unpacked bundle for this user: the program in ~/.local/lib/tramontane, a
# `tramontane` command in ~/.local/bin, the menu entry and the icons.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${PREFIX:-$HOME/.local}"
rm -rf "$PREFIX/lib/tramontane"
mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/icons"
cp -a "$HERE/Tramontane" "$PREFIX/lib/tramontane"
ln -sf "$PREFIX/lib/tramontane/Tramontane" "$PREFIX/bin/tramontane"
cp -a "$HERE/icons/." "$PREFIX/share/icons/"
sed "s|^Exec=tramontane|Exec=$PREFIX/bin/tramontane|" "$HERE/tramontane.desktop" \
  > "$PREFIX/share/applications/tramontane.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$PREFIX/share/applications" || true
echo "Installed. Start Tramontane from the menu, or run: $PREFIX/bin/tramontane"
