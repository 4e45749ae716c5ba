#!/usr/bin/env bash
# macOS (Apple silicon): Tramontane.app with llama.cpp built for Metal, in a signed and
# notarized disk image, build/Tramontane-<version>-macos-arm64.dmg.
#
#   bash installers/build-macos.sh
#   SIGN_IDENTITY="Developer ID Application: Name (TEAMID)" NOTARY_PROFILE=tramontane \
#     bash installers/build-macos.sh
#
# llama-cpp-python is rebuilt with CMAKE_ARGS="-DGGML_METAL=on -DGGML_METAL_EMBED_LIBRARY=on"
# (the Metal shaders are compiled into the library, so the bundle needs no .metal file).
# Without SIGN_IDENTITY the app is signed ad hoc (it runs on this Mac; Gatekeeper refuses it
# elsewhere). NOTARY_PROFILE names credentials stored once with
#   xcrun notarytool store-credentials tramontane --apple-id ... --team-id ... --password ...
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(uname -s)" = Darwin ] && [ "$(uname -m)" = arm64 ] || { echo "run on an Apple silicon Mac" >&2; exit 2; }
PYTHON=${PYTHON:-.venv/bin/python}
VERSION=$("$PYTHON" -c "import importlib.metadata as m; print(m.version('tramontane'))")
APP=build/dist/Tramontane.app
DMG="build/Tramontane-$VERSION-macos-arm64.dmg"

CMAKE_ARGS="-DGGML_METAL=on -DGGML_METAL_EMBED_LIBRARY=on" "$PYTHON" -m pip install \
  --force-reinstall --no-cache-dir --no-deps "llama-cpp-python==0.3.36"
"$PYTHON" -m pip install -q -e '.[bundle]'
"$PYTHON" installers/make_icons.py
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath build/dist --workpath build/pyinstaller installers/tramontane.spec

# Sign inside out with the hardened runtime (notarization requires it); the entitlements let
# llama.cpp's and Python's native code load as they do outside the bundle.
IDENTITY=${SIGN_IDENTITY:--}
codesign --force --deep --timestamp --options runtime \
  --entitlements installers/macos/entitlements.plist --sign "$IDENTITY" "$APP"
codesign --verify --deep --strict --verbose=2 "$APP"

"$APP/Contents/MacOS/Tramontane" --self-test

rm -f "$DMG"
STAGE=$(mktemp -d)
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname Tramontane -srcfolder "$STAGE" -format UDZO -ov "$DMG"
rm -rf "$STAGE"
if [ "$IDENTITY" != "-" ]; then
  codesign --force --timestamp --sign "$IDENTITY" "$DMG"
fi
if [ -n "${NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
  spctl --assess --type open --context context:primary-signature --verbose "$DMG"
fi
echo "built $DMG ($(du -h "$DMG" | cut -f1))"
