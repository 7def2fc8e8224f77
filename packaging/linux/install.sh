#!/bin/sh
# Installs Kaiseki from this tarball under PREFIX (default /usr/local) and
# does what the .deb's postinst does: a "kaiseki" system group, the capture
# helper owned by root:kaiseki with mode 0750, and the capabilities
# cap_net_raw,cap_net_admin on it. Every file, folder and the group it
# creates is listed in PREFIX/share/kaiseki/installed-files so that
# uninstall.sh removes exactly those and nothing else.
#
# Usage: sudo ./install.sh [--prefix DIR]
set -eu

PREFIX=/usr/local
GROUP=kaiseki
while [ $# -gt 0 ]; do
    case $1 in
        --prefix) PREFIX=${2:?--prefix needs a folder}; shift 2 ;;
        --prefix=*) PREFIX=${1#--prefix=}; shift ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done
case $PREFIX in /*) ;; *) echo "install.sh: --prefix must be an absolute path" >&2; exit 2 ;; esac
PREFIX=${PREFIX%/}
if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run it as root (sudo ./install.sh): it creates the kaiseki group and sets the helper's capabilities" >&2
    exit 1
fi
here=$(cd "$(dirname "$0")" && pwd)
state=$PREFIX/share/kaiseki
manifest=$state/installed-files
umask 022

# An earlier installation in this prefix is removed first, keeping the
# group (and so its members) when that installation had created it.
had_group=""
if [ -f "$manifest" ]; then
    echo "install.sh: replacing the Kaiseki installed in $PREFIX"
    grep -qx "g $GROUP" "$manifest" && had_group=1
    sh "$state/uninstall.sh" --prefix "$PREFIX" --keep-group
fi

new=$(mktemp)
trap 'rm -f "$new"' EXIT

# mkd DIR creates DIR and its missing parents, recording each one created.
mkd() {
    _d=$1 _todo=""
    while [ ! -d "$_d" ]; do
        _todo="$_d
$_todo"
        _d=$(dirname "$_d")
    done
    printf '%s' "$_todo" | while IFS= read -r _m; do
        [ -n "$_m" ] || continue
        mkdir -m 0755 "$_m"
        echo "d $_m" >>"$new"
    done
}

# put SRC DEST MODE copies one file, recording it.
put() {
    mkd "$(dirname "$2")"
    cp "$1" "$2.kaiseki-new"
    chmod "$3" "$2.kaiseki-new"
    mv -f "$2.kaiseki-new" "$2"
    echo "f $2" >>"$new"
}

put "$here/bin/kaiseki" "$PREFIX/bin/kaiseki" 0755
put "$here/bin/kaiseki-capture" "$PREFIX/bin/kaiseki-capture" 0750
for f in applications/kaiseki.desktop icons/hicolor/scalable/apps/kaiseki.svg \
    icons/hicolor/512x512/apps/kaiseki.png mime/packages/kaiseki.xml doc/kaiseki/README.capture; do
    put "$here/share/$f" "$PREFIX/share/$f" 0644
done
# The menu entry starts this installation's kaiseki even when PREFIX/bin is
# not in the desktop session's PATH.
sed -i "s|^Exec=kaiseki |Exec=$PREFIX/bin/kaiseki |" "$PREFIX/share/applications/kaiseki.desktop"
put "$here/uninstall.sh" "$state/uninstall.sh" 0755

if [ -n "$had_group" ] || ! getent group "$GROUP" >/dev/null; then
    if ! getent group "$GROUP" >/dev/null; then
        if command -v groupadd >/dev/null 2>&1; then
            groupadd --system "$GROUP"
        else
            addgroup -S "$GROUP" # BusyBox
        fi
    fi
    echo "g $GROUP" >>"$new"
fi
helper=$PREFIX/bin/kaiseki-capture
# chown clears file capabilities, so it comes before setcap.
chown "root:$GROUP" "$helper"
chmod 0750 "$helper"
capsok=""
if command -v setcap >/dev/null 2>&1; then
    setcap cap_net_raw,cap_net_admin=eip "$helper" && capsok=1
else
    echo "install.sh: setcap not found: install it (Debian/Ubuntu: libcap2-bin; Fedora, Arch: libcap; openSUSE: libcap-progs) and run this again" >&2
fi
[ -n "$capsok" ] || echo "install.sh: the capture helper has no capabilities: live capture needs root until 'setcap cap_net_raw,cap_net_admin=eip $helper' succeeds" >&2

# Refresh the desktop caches that already exist in this prefix; creating
# new ones would leave files behind that uninstall.sh did not install.
refresh_caches() {
    if [ -f "$PREFIX/share/applications/mimeinfo.cache" ] && command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$PREFIX/share/applications" || true
    fi
    if [ -f "$PREFIX/share/mime/mime.cache" ] && command -v update-mime-database >/dev/null 2>&1; then
        update-mime-database "$PREFIX/share/mime" || true
    fi
    if [ -f "$PREFIX/share/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$PREFIX/share/icons/hicolor" || true
    fi
}
refresh_caches

echo "f $manifest" >>"$new"
mkd "$state"
cp "$new" "$manifest"
chmod 0644 "$manifest"

cat <<MSG
Kaiseki is installed in $PREFIX (run $PREFIX/bin/kaiseki, or find it in the applications menu).
Live capture is allowed to members of the "$GROUP" group. Join it with:
    sudo usermod -aG $GROUP \$USER
then log out and back in. Remove Kaiseki with: sudo $state/uninstall.sh --prefix $PREFIX
MSG
