#!/usr/bin/env bash
# Sign Unclench.app with a Developer ID, rebuild the DMG, notarise it and staple the ticket.
#   installer/macos/sign-and-notarise.sh build/dist/Unclench.app build/out
# Reads MACOS_SIGN_IDENTITY ("Developer ID Application: Name (TEAMID)"), MACOS_CERTIFICATE_P12
# (base64) and MACOS_CERTIFICATE_PASSWORD, and NOTARY_APPLE_ID, NOTARY_TEAM_ID and
# NOTARY_PASSWORD (an app-specific password). Never run on the project's own machines.
set -euo pipefail
app="$1"; out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
version="$(/usr/libexec/PlistBuddy -c 'Print CFBundleShortVersionString' "$app/Contents/Info.plist")"

keychain="$RUNNER_TEMP/signing.keychain-db"
security create-keychain -p "" "$keychain"
security set-keychain-settings "$keychain"
security unlock-keychain -p "" "$keychain"
echo "$MACOS_CERTIFICATE_P12" | base64 --decode > "$RUNNER_TEMP/cert.p12"
security import "$RUNNER_TEMP/cert.p12" -k "$keychain" -P "$MACOS_CERTIFICATE_PASSWORD" -T /usr/bin/codesign
security list-keychains -d user -s "$keychain"
security set-key-partition-list -S apple-tool:,apple: -s -k "" "$keychain" >/dev/null

# Hardened runtime (required for notarisation), inside out: every library, then the app.
codesign --force --options runtime --timestamp --entitlements "$here/entitlements.plist" \
  --sign "$MACOS_SIGN_IDENTITY" --deep "$app"
codesign --verify --strict --verbose=2 "$app"

bash "$here/make-dmg.sh" "$app" "$out" "$version"
dmg="$out/Unclench-$version.dmg"
codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
xcrun notarytool submit "$dmg" --apple-id "$NOTARY_APPLE_ID" --team-id "$NOTARY_TEAM_ID" \
  --password "$NOTARY_PASSWORD" --wait
xcrun stapler staple "$dmg"
spctl --assess --type open --context context:primary-signature --verbose "$dmg"
