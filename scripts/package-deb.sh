#!/usr/bin/env bash
# Builds the Linux packages from our own packaging files (packaging/deb,
# packaging/linux):
#   out/kaiseki_VERSION_ARCH.deb               dpkg-deb, for Debian and Ubuntu
#   out/kaiseki-VERSION-linux-ARCH.tar.gz      install.sh/uninstall.sh, for other distributions
# Both install kaiseki and the capture helper side by side in bin/ (where
# capture.FindHelper looks first), the desktop entry, icons and MIME types;
# their install steps give the helper its capabilities for the kaiseki group.
#
# Usage: scripts/package-deb.sh [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
umask 022
. packaging/lib.sh

out=out
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    *) echo "usage: scripts/package-deb.sh [--out DIR]" >&2; exit 2 ;;
  esac
done

tmp=()
trap 'rm -rf "${tmp[@]}"' EXIT
version=$(kaiseki_version)
commit=$(kaiseki_commit)
kaiseki_icons
goarch=$(go env GOARCH)
case $goarch in
  386) arch=i386 ;; arm) arch=armhf ;; *) arch=$goarch ;;
esac

# The window needs cgo (GL, X11) and the helper libpcap: deps.sh installs
# both, and dpkg-deb comes with dpkg itself.
scripts/deps.sh

bin=$out/build/linux-$goarch
mkdir -p "$bin"
echo "== build kaiseki $version (commit $commit) for linux/$goarch"
CGO_ENABLED=1 go build -ldflags "$(kaiseki_ldflags "$version" "$commit")" -o "$bin/kaiseki" ./app
CGO_ENABLED=1 go build -ldflags "$(kaiseki_ldflags "$version" "$commit")" -o "$bin/kaiseki-capture" ./app/kaiseki-capture

# The tarball's programs link libpcap statically: Debian calls its library
# libpcap.so.0.8 where Fedora, Arch and the rest ship libpcap.so.1. A folder
# holding only libpcap.a, searched first, makes gopacket's -lpcap pick it;
# libdbus-1.so.3 (which libpcap uses) has the same name everywhere.
portable=$out/build/linux-$goarch-portable
static=$(mktemp -d)
tmp+=("$static")
libpcap_a=$(gcc -print-file-name=libpcap.a)
if [ ! -f "$libpcap_a" ]; then
  echo "package-deb: $libpcap_a not found (libpcap-dev)" >&2
  exit 1
fi
ln -s "$libpcap_a" "$static/libpcap.a"
mkdir -p "$portable"
for p in kaiseki:./app kaiseki-capture:./app/kaiseki-capture; do
  CGO_ENABLED=1 CGO_LDFLAGS="-L$static -ldbus-1" go build -ldflags "$(kaiseki_ldflags "$version" "$commit")" \
    -o "$portable/${p%%:*}" "${p#*:}"
done
if readelf -d "$portable/kaiseki-capture" "$portable/kaiseki" | grep -q 'NEEDED.*libpcap'; then
  echo "package-deb: the tarball's programs still need libpcap.so" >&2
  exit 1
fi

# stage P BIN lays out the files of an installation with prefix P (a
# folder), taking the programs from the folder BIN.
stage() {
  local p=$1 b=$2
  install -D -m 0755 "$b/kaiseki" "$p/bin/kaiseki"
  # Installed 0755 and without capabilities; postinst/install.sh restrict
  # it to root:kaiseki 0750 before giving it any.
  install -D -m 0755 "$b/kaiseki-capture" "$p/bin/kaiseki-capture"
  install -D -m 0644 packaging/linux/kaiseki.desktop "$p/share/applications/kaiseki.desktop"
  install -D -m 0644 "$ICON_SVG" "$p/share/icons/hicolor/scalable/apps/kaiseki.svg"
  install -D -m 0644 "$ICON_PNG" "$p/share/icons/hicolor/512x512/apps/kaiseki.png"
  install -D -m 0644 packaging/linux/kaiseki-mime.xml "$p/share/mime/packages/kaiseki.xml"
  install -D -m 0644 packaging/linux/README.capture "$p/share/doc/kaiseki/README.capture"
}

# ---- .deb
deb=$out/kaiseki_${version}_${arch}.deb
root=$(mktemp -d)
tmp+=("$root")
chmod 0755 "$root" # it is the package's "./"
stage "$root/usr" "$bin"
mkdir -p "$root/DEBIAN"
install -m 0755 packaging/deb/postinst packaging/deb/postrm "$root/DEBIAN/"

# Linked libraries as Debian computes them (dpkg-dev), else those the two
# programs link on Debian 12 and Ubuntu 22.04+. GLFW dlopen()s the other X11
# libraries, which control.in lists by hand.
depends="libc6, libgl1, libx11-6, libpcap0.8"
if command -v dpkg-shlibdeps >/dev/null 2>&1; then
  mkdir -p "$root/debian"
  printf 'Source: kaiseki\n\nPackage: kaiseki\nArchitecture: any\n' >"$root/debian/control"
  if d=$(cd "$root" && dpkg-shlibdeps -O -eusr/bin/kaiseki -eusr/bin/kaiseki-capture 2>/dev/null); then
    depends=${d#shlibs:Depends=}
  fi
  rm -rf "$root/debian"
fi
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
  packaging/deb/control.in >"$root/DEBIAN/control"
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"
mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb: $(du -h "$deb" | cut -f1)"

# ---- tarball: the same files under a relocatable prefix, plus the scripts
# that do what the .deb's maintainer scripts do.
name=kaiseki-$version-linux-$goarch
rm -rf "${root:?}"/*
stage "$root/$name" "$portable"
install -m 0755 packaging/linux/install.sh packaging/linux/uninstall.sh "$root/$name/"
install -m 0644 packaging/linux/README.capture "$root/$name/README.capture"
tgz=$out/$name.tar.gz
tar -C "$root" --owner=0 --group=0 --numeric-owner --sort=name -czf "$tgz" "$name"
echo "$tgz: $(du -h "$tgz" | cut -f1)"
