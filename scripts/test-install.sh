#!/usr/bin/env bash
# Installs Kaiseki's Linux packages on this machine and removes them again,
# then cross-builds the Windows installer:
#   1. builds the .deb and the tarball (scripts/package-deb.sh);
#   2. dpkg -i the .deb; checks the helper's owner, mode and capabilities,
#      the kaiseki group, --version, reading the bundled sample, that a
#      member of the group can capture on lo and that someone else cannot;
#      dpkg --purge; checks nothing of it remains;
#   3. the same with the tarball's install.sh/uninstall.sh in /usr/local;
#   4. builds the Windows binaries and installer (scripts/package-windows.sh)
#      and checks their PE headers.
# It must run as root on Debian/Ubuntu (CI does); it cleans up after itself
# even when a check fails, and a run killed half-way is cleaned up by the next.
#
# Usage: scripts/test-install.sh [--skip-windows]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:/usr/sbin:/sbin"
export LANG=en_US.UTF-8 # Fyne complains about LANG=C on every start
. packaging/lib.sh

skip_windows=""
[ "${1:-}" = --skip-windows ] && skip_windows=1
if [ "$(id -u)" -ne 0 ] || ! command -v dpkg >/dev/null 2>&1; then
  echo "test-install: needs root on Debian/Ubuntu (it installs packages and adds users)" >&2
  exit 1
fi

# One run at a time on a machine: runs share the group, dpkg and /usr/local.
exec 9>/run/lock/kaiseki-test-install.lock
if ! flock -n 9; then
  echo "test-install: another run is in progress; waiting for it" >&2
  flock 9
fi

version=$(kaiseki_version)
arch=$(dpkg --print-architecture)
deb=out/kaiseki_${version}_${arch}.deb
tgz=out/kaiseki-$version-linux-$(go env GOARCH).tar.gz
members=kaisekitest-in
outsider=kaisekitest-out
prefix=/usr/local
fail=0
work=""

ok() { echo "  ok   $*"; }
bad() { echo "  FAIL $*" >&2; fail=1; }
# check DESC CMD...: runs CMD, reports DESC.
check() { local d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }

cleanup() {
  set +e
  for u in "$members" "$outsider"; do
    getent passwd "$u" >/dev/null && userdel "$u" 2>/dev/null
  done
  if dpkg-query -W -f='${Status}' kaiseki 2>/dev/null | grep -q installed; then
    dpkg --purge kaiseki >/dev/null 2>&1
  fi
  [ -f "$prefix/share/kaiseki/installed-files" ] && sh "$prefix/share/kaiseki/uninstall.sh" --prefix "$prefix" >/dev/null 2>&1
  [ -z "$work" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT # so that the EXIT trap cleans up on these too
trap 'exit 143' TERM
cleanup # what a killed run left behind
work=$(mktemp -d /tmp/kaiseki-install-test.XXXXXX)
chmod 0755 "$work"
if getent group kaiseki >/dev/null; then
  echo "test-install: a kaiseki group exists that no Kaiseki installation owns; remove it (groupdel kaiseki) first" >&2
  exit 1
fi
if [ -e "$prefix/bin/kaiseki" ] || [ -e /usr/bin/kaiseki ]; then
  echo "test-install: a kaiseki not installed by a package is in the way ($prefix/bin or /usr/bin)" >&2
  exit 1
fi
cp testdata/sample.pcapng "$work/sample.pcapng"
chmod 0644 "$work/sample.pcapng"

t0=$SECONDS
echo "== test-install: build the .deb and the tarball"
scripts/package-deb.sh >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
grep -E '^out/' "$work/build.log"
echo "   ($((SECONDS - t0)) s)"

# snapshot NAME DIR...: the file names under the folders, the kaiseki group
# and dpkg's records, to compare before installing and after removing.
snapshot() {
  local name=$1; shift
  {
    find "$@" 2>/dev/null
    getent group kaiseki
    find /var/lib/dpkg/info -name 'kaiseki[.:]*'
    dpkg-statoverride --list | grep -i kaiseki
  } | sort >"$work/$name"
}

# users adds a member of the kaiseki group and a user outside it, with
# homes in the work folder (the live capture spools under the user's cache).
users() {
  useradd --system --no-create-home --home-dir "$work/$members" --shell /usr/sbin/nologin -G kaiseki "$members"
  useradd --system --no-create-home --home-dir "$work/$outsider" --shell /usr/sbin/nologin "$outsider"
  install -d -o "$members" "$work/$members"
  install -d -o "$outsider" "$work/$outsider"
}

# as USER CMD... runs CMD as USER in a clean environment with that user's
# HOME (the live capture spools under the user's cache folder).
as() { local u=$1; shift; runuser -u "$u" -- env -i PATH="$PATH" LANG="$LANG" HOME="$work/$u" "$@"; }

# checks BINDIR: what a working installation must do, whichever the package.
checks() {
  local b=$1 helper=$1/kaiseki-capture out
  users
  check "helper capabilities: $(getcap "$helper")" \
    sh -c "getcap '$helper' | grep -q 'cap_net_admin,cap_net_raw=eip'"
  check "helper owner and mode: $(stat -c '%U:%G %a' "$helper")" \
    test "$(stat -c '%U:%G %a' "$helper")" = "root:kaiseki 750"
  check "group kaiseki exists" sh -c "getent group kaiseki >/dev/null"
  out=$("$b/kaiseki" --version)
  check "kaiseki --version: $out" \
    grep -Eqx "Kaiseki $version \(commit ([0-9a-f]{7,}(-dirty)?|unknown)\)" <<<"$out"
  out=$("$helper" --version)
  check "kaiseki-capture --version: $out" \
    grep -Eqx "kaiseki-capture $version \(commit ([0-9a-f]{7,}(-dirty)?|unknown)\)" <<<"$out"
  out=$(as "$outsider" "$b/kaiseki" -r "$work/sample.pcapng" -c 3)
  check "kaiseki -r sample.pcapng -c 3 (any user) prints 3 packets" test "$(wc -l <<<"$out")" -eq 3
  check "desktop entry starts this kaiseki" \
    grep -Eq "^Exec=($b/)?kaiseki %f$" "$(dirname "$b")/share/applications/kaiseki.desktop"

  check "a member of kaiseki may open lo (kaiseki-capture -i lo -d)" as "$members" "$helper" -i lo -d
  # A real capture through the installed helper: kaiseki -i starts it.
  (for _ in $(seq 200); do echo x >/dev/udp/127.0.0.1/39999 2>/dev/null; sleep 0.05; done) &
  local sender=$!
  out=$(as "$members" timeout 20 "$b/kaiseki" -i lo -f "udp port 39999" -c 3 2>"$work/live.err") || true
  kill "$sender" 2>/dev/null; wait "$sender" 2>/dev/null || true
  check "a member captures 3 UDP packets on lo with kaiseki -i lo -f 'udp port 39999' -c 3" \
    test "$(grep -c ' UDP ' <<<"$out")" -eq 3
  check "someone outside the group may not run the helper" \
    sh -c "! runuser -u '$outsider' -- '$helper' -i lo -d 2>/dev/null"
  local rc=0
  out=$(as "$outsider" timeout 20 "$b/kaiseki" -i lo -c 1 2>&1) || rc=$?
  check "kaiseki -i lo by someone outside the group fails (exit $rc): ${out//$'\n'/ | }" \
    test "$rc" -ne 0 -a "$rc" -ne 124
  check "and says how to join the kaiseki group" grep -q "usermod -aG kaiseki" <<<"$out"
  userdel "$members"; userdel "$outsider"
}

t0=$SECONDS
echo "== test-install: .deb"
snapshot deb-before /usr/bin /usr/lib/kaiseki /usr/share/applications /usr/share/icons/hicolor /usr/share/mime /usr/share/doc/kaiseki
if ! dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq >>"$work/dpkg.log" 2>&1 || true
fi
if dpkg-query -W -f='${Status}' kaiseki 2>/dev/null | grep -q "install ok installed"; then
  ok "dpkg -i $deb"
  check "postinst says how to join the group" grep -q "sudo usermod -aG kaiseki" "$work/dpkg.log"
  dpkg -L kaiseki >"$work/deb-files"
  checks /usr/bin
  dpkg --purge kaiseki >/dev/null
  check "dpkg --purge removed every file it listed" \
    sh -c "! while read -r f; do [ -f \"\$f\" ] && echo \"left: \$f\"; done <'$work/deb-files' | grep ."
else
  cat "$work/dpkg.log" >&2
  bad "dpkg -i $deb"
fi
snapshot deb-after /usr/bin /usr/lib/kaiseki /usr/share/applications /usr/share/icons/hicolor /usr/share/mime /usr/share/doc/kaiseki
check "nothing remains after purge (files, group, dpkg records)" diff "$work/deb-before" "$work/deb-after"
echo "   ($((SECONDS - t0)) s)"

t0=$SECONDS
echo "== test-install: tarball in $prefix"
snapshot tgz-before "$prefix"
mkdir "$work/tgz"
tar -C "$work/tgz" -xzf "$tgz"
inst=$(echo "$work"/tgz/kaiseki-*/install.sh)
if "$inst" --prefix "$prefix" >"$work/install.log" 2>&1; then
  ok "install.sh --prefix $prefix"
  check "install.sh says how to join the group" grep -q "sudo usermod -aG kaiseki" "$work/install.log"
  checks "$prefix/bin"
  "$inst" --prefix "$prefix" >/dev/null 2>&1
  check "install.sh over an installation keeps one installation" \
    test "$(grep -c . "$prefix/share/kaiseki/installed-files")" -eq "$(sort -u "$prefix/share/kaiseki/installed-files" | grep -c .)"
  check "uninstall.sh" sh "$prefix/share/kaiseki/uninstall.sh" --prefix "$prefix"
else
  cat "$work/install.log" >&2
  bad "install.sh --prefix $prefix"
fi
snapshot tgz-after "$prefix"
check "nothing remains after uninstall.sh (files, folders, group)" diff "$work/tgz-before" "$work/tgz-after"
echo "   ($((SECONDS - t0)) s)"

if [ -z "$skip_windows" ]; then
  t0=$SECONDS
  echo "== test-install: Windows build and installer"
  if scripts/package-windows.sh >"$work/win.log" 2>&1; then
    grep -E '^out/' "$work/win.log"
    w=out/build/windows-amd64
    # file 5.44 (Debian 12) prints "PE32+ executable (GUI) x86-64, for MS
    # Windows"; newer ones put the subsystem version in between.
    check "kaiseki.exe: $(file -b "$w/kaiseki.exe" | cut -d, -f1)" \
      sh -c "file -b '$w/kaiseki.exe' | grep -Eq '^PE32\+ executable.*\(GUI\).*x86-64'"
    check "kaiseki-capture.exe: $(file -b "$w/kaiseki-capture.exe" | cut -d, -f1)" \
      sh -c "file -b '$w/kaiseki-capture.exe' | grep -Eq '^PE32\+ executable.*\(console\).*x86-64'"
    check "kaiseki.exe carries its icon and version (.rsrc)" \
      sh -c "x86_64-w64-mingw32-objdump -h '$w/kaiseki.exe' | grep -q '\.rsrc'"
    # Npcap is loaded at run time: neither program may import it, or they
    # would not start at all where Npcap is missing.
    for f in kaiseki.exe kaiseki-capture.exe; do
      check "$f does not import wpcap.dll or Packet.dll" \
        sh -c "! x86_64-w64-mingw32-objdump -p '$w/$f' | grep -iE 'DLL Name: (wpcap|packet)\.dll'"
    done
    check "installer: $(file -b out/kaiseki-"$version"-windows-amd64-setup.exe | cut -c1-60)" \
      sh -c "file -b 'out/kaiseki-$version-windows-amd64-setup.exe' | grep -q 'Nullsoft Installer'"
  else
    cat "$work/win.log" >&2
    bad "scripts/package-windows.sh"
  fi
  echo "   ($((SECONDS - t0)) s)"
fi

if [ "$fail" -ne 0 ]; then
  echo "test-install: FAILED" >&2
  exit 1
fi
echo "test-install: all checks passed"
