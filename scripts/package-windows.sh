#!/usr/bin/env bash
# Cross-compiles Kaiseki for 64-bit Windows with MinGW-w64 and builds its
# NSIS installer:
#   out/build/windows-amd64/kaiseki.exe          the window and the CLI (GUI subsystem, with icon)
#   out/build/windows-amd64/kaiseki-capture.exe  the capture helper (console); it loads Npcap's
#                                                wpcap.dll at run time, so no Npcap SDK is needed
#   out/kaiseki-VERSION-windows-amd64-setup.exe  the installer (packaging/windows/kaiseki.nsi)
# Installs gcc-mingw-w64-x86-64 and nsis when they are missing.
#
# Usage: scripts/package-windows.sh [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
umask 022
. packaging/lib.sh

out=out
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    *) echo "usage: scripts/package-windows.sh [--out DIR]" >&2; exit 2 ;;
  esac
done

version=$(kaiseki_version)
commit=$(kaiseki_commit)
kaiseki_icons
# Windows version resources want four numbers: 0.1.0 → 0.1.0.0.
IFS=.- read -r v1 v2 v3 _ <<<"$version"
viversion="${v1:-0}.${v2:-0}.${v3:-0}.0"
if ! [[ $viversion =~ ^[0-9]+\.[0-9]+\.[0-9]+\.0$ ]]; then
  echo "package-windows: FyneApp.toml's Version $version does not start with X.Y.Z" >&2
  exit 1
fi

kaiseki_need_pkgs gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis imagemagick

bin=$out/build/windows-amd64
mkdir -p "$bin"
convert "$ICON_PNG" -define icon:auto-resize=256,128,64,48,32,16 "$bin/kaiseki.ico"

# The exe's icon and version come from a resource object (.syso) that the
# go command links when it sits in the package's folder. Rather than put a
# generated file into app/, build a copy of the main package from a folder
# that `./...` skips (a leading underscore), inside the module so imports
# and the build cache are shared.
src=$out/_windows/app
rm -rf "$src"
mkdir -p "$src"
find app -maxdepth 1 -type f -exec cp {} "$src/" \;
cp "$bin/kaiseki.ico" "$src/kaiseki.ico"
cat >"$src/kaiseki.rc" <<EOF
1 ICON "kaiseki.ico"
1 VERSIONINFO
FILEVERSION ${viversion//./,}
PRODUCTVERSION ${viversion//./,}
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904B0"
    BEGIN
      VALUE "CompanyName", "Kaiseki developers"
      VALUE "FileDescription", "Kaiseki packet analyzer"
      VALUE "FileVersion", "$version"
      VALUE "InternalName", "kaiseki"
      VALUE "OriginalFilename", "kaiseki.exe"
      VALUE "ProductName", "Kaiseki"
      VALUE "ProductVersion", "$version (commit $commit)"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
EOF
(cd "$src" && x86_64-w64-mingw32-windres -O coff -i kaiseki.rc -o rsrc_windows_amd64.syso)
rm -f "$src/kaiseki.rc" "$src/kaiseki.ico"

export CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc
ldflags=$(kaiseki_ldflags "$version" "$commit")
echo "== build kaiseki $version (commit $commit) for windows/amd64"
go build -ldflags "$ldflags -H=windowsgui" -o "$bin/kaiseki.exe" "./$src"
go build -ldflags "$ldflags" -o "$bin/kaiseki-capture.exe" ./app/kaiseki-capture
rm -rf "$out/_windows"

setup=$out/kaiseki-$version-windows-amd64-setup.exe
makensis -V2 -NOCD -DVERSION="$version" -DVIVERSION="$viversion" -DBUILD="$bin" -DOUTFILE="$setup" \
  packaging/windows/kaiseki.nsi
for f in "$bin/kaiseki.exe" "$bin/kaiseki-capture.exe" "$setup"; do
  echo "$f: $(du -h "$f" | cut -f1)"
done
