#!/usr/bin/env bash
# Builds Kaiseki.app and a .dmg on macOS (a GitHub macOS runner: see
# .github/workflows/release.yml; it cannot run on Linux):
#   out/Kaiseki.app                                  universal (arm64 + x86_64), ad-hoc signed
#   out/kaiseki-VERSION-macos-universal.dmg          Kaiseki.app, a link to /Applications, and
#                                                    "Capture permissions" (ChmodBPF launch daemon)
# Needs Xcode's command line tools (clang, lipo, codesign, hdiutil) and
# fyne.io/tools/cmd/fyne in PATH.
#
# Usage: packaging/macos/package.sh   (from anywhere)
set -euo pipefail
cd "$(dirname "$0")/../.."
. packaging/lib.sh

version=$(kaiseki_version)
commit=$(kaiseki_commit)
kaiseki_icons
ldflags=$(kaiseki_ldflags "$version" "$commit")
out=out
bin=$out/build/darwin
mkdir -p "$bin/universal"

# One binary per architecture (the go command passes -arch to clang), then
# lipo makes them one. The system libpcap is in the SDK.
for arch in arm64 amd64; do
  echo "== build for darwin/$arch"
  CGO_ENABLED=1 GOOS=darwin GOARCH=$arch MACOSX_DEPLOYMENT_TARGET=11.0 \
    go build -ldflags "$ldflags" -o "$bin/kaiseki-$arch" ./app
  CGO_ENABLED=1 GOOS=darwin GOARCH=$arch MACOSX_DEPLOYMENT_TARGET=11.0 \
    go build -ldflags "$ldflags" -o "$bin/kaiseki-capture-$arch" ./app/kaiseki-capture
done
lipo -create -output "$bin/universal/kaiseki" "$bin/kaiseki-arm64" "$bin/kaiseki-amd64"
lipo -create -output "$bin/universal/kaiseki-capture" "$bin/kaiseki-capture-arm64" "$bin/kaiseki-capture-amd64"

# fyne writes Info.plist (from FyneApp.toml: name, id, version) and the
# .icns; it bumps FyneApp.toml's Build number, which we put back.
cp FyneApp.toml "$bin/FyneApp.toml.orig"
rm -rf Kaiseki.app "$out/Kaiseki.app"
fyne package --os darwin --executable "$bin/universal/kaiseki" --name Kaiseki \
  --app-id app.kaiseki.kaiseki --app-version "$version" --icon "$ICON_PNG"
cp "$bin/FyneApp.toml.orig" FyneApp.toml
mv Kaiseki.app "$out/Kaiseki.app"
# The helper goes beside the app's executable, where capture.FindHelper looks.
cp "$bin/universal/kaiseki-capture" "$out/Kaiseki.app/Contents/MacOS/kaiseki-capture"
# Ad-hoc signature: Apple silicon runs nothing unsigned. (A Developer ID
# signature and notarisation need the project's Apple account.)
codesign --force --deep --sign - "$out/Kaiseki.app"
codesign --verify --deep --strict "$out/Kaiseki.app"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$out/Kaiseki.app" "$stage/"
ln -s /Applications "$stage/Applications"
mkdir "$stage/Capture permissions"
cp packaging/macos/ChmodBPF packaging/macos/app.kaiseki.ChmodBPF.plist \
  packaging/macos/install-capture-permissions.command packaging/macos/uninstall-capture-permissions.command \
  "$stage/Capture permissions/"
dmg=$out/kaiseki-$version-macos-universal.dmg
rm -f "$dmg"
hdiutil create -volname "Kaiseki $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
for f in "$out/Kaiseki.app" "$dmg"; do
  echo "$f: $(du -sh "$f" | cut -f1)"
done
