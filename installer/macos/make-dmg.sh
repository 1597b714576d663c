#!/usr/bin/env bash
# Pack Unclench.app into a compressed disk image with a link to /Applications beside it.
#   installer/macos/make-dmg.sh build/dist/Unclench.app build/out 0.1.0
# Needs macOS (hdiutil). Signing and notarization come first when the secrets are there:
# see installer/README.md ("macOS").
set -euo pipefail
app="$1"; out="$2"; version="$3"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
mkdir -p "$out"
dmg="$out/Unclench-$version.dmg"
rm -f "$dmg"
hdiutil create -volname "Unclench $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
echo "$dmg"
