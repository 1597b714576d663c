#!/usr/bin/env bash
# Wrap the PyInstaller bundle (installer/build.py --no-package) in an AppImage.
#   installer/linux/appimage/make-appimage.sh build/dist/unclench build/icons build/out 0.1.0
# Needs appimagetool on PATH (https://github.com/AppImage/appimagetool: one file, not in
# Debian), which the project's machines cannot download; the CI workflow fetches it.
set -euo pipefail
bundle="$1"; icons="$2"; out="$3"; version="$4"
here="$(cd "$(dirname "$0")" && pwd)"
linux="$here/.."
appdir="$(mktemp -d)/Unclench.AppDir"
trap 'rm -rf "$(dirname "$appdir")"' EXIT
id=io.github.unclench.Unclench
mkdir -p "$appdir/usr/lib" "$appdir/usr/share/applications" "$appdir/usr/share/metainfo"
cp -a "$bundle" "$appdir/usr/lib/unclench"
mkdir -p "$appdir/usr/share/icons"
cp -a "$icons/hicolor" "$appdir/usr/share/icons/"
install -m755 "$here/AppRun" "$appdir/AppRun"
install -m644 "$linux/$id.desktop" "$appdir/usr/share/applications/$id.desktop"
install -m644 "$linux/$id.metainfo.xml" "$appdir/usr/share/metainfo/$id.appdata.xml"
# appimagetool wants the entry and its icon at the top of the AppDir too.
cp "$appdir/usr/share/applications/$id.desktop" "$appdir/$id.desktop"
cp "$icons/hicolor/256x256/apps/unclench.png" "$appdir/unclench.png"
ln -s unclench.png "$appdir/.DirIcon"
mkdir -p "$out"
ARCH="$(uname -m)" VERSION="$version" appimagetool "$appdir" "$out/Unclench-$version-$(uname -m).AppImage"
