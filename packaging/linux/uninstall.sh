#!/bin/sh
# Removes a Kaiseki installed by install.sh: the files and folders listed in
# PREFIX/share/kaiseki/installed-files and, unless --keep-group, the
# "kaiseki" group when install.sh created it.
#
# Usage: sudo ./uninstall.sh [--prefix DIR] [--keep-group]
set -eu

PREFIX=/usr/local
keep_group=""
while [ $# -gt 0 ]; do
    case $1 in
        --prefix) PREFIX=${2:?--prefix needs a folder}; shift 2 ;;
        --prefix=*) PREFIX=${1#--prefix=}; shift ;;
        --keep-group) keep_group=1; shift ;;
        -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "uninstall.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done
PREFIX=${PREFIX%/}
manifest=$PREFIX/share/kaiseki/installed-files
if [ ! -f "$manifest" ]; then
    echo "uninstall.sh: no Kaiseki installation in $PREFIX ($manifest not found)" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "uninstall.sh: run it as root (sudo $0)" >&2
    exit 1
fi

# Read the whole list first: the list (and this script) are in it.
entries=$(cat "$manifest")
printf '%s\n' "$entries" | while IFS= read -r e; do
    case $e in "f "*) rm -f "${e#f }" ;; esac
done
# Deepest folders first; a folder someone else put files in stays.
printf '%s\n' "$entries" | sed -n 's/^d //p' | sort -r | while IFS= read -r d; do
    rmdir "$d" 2>/dev/null || true
done

if [ -f "$PREFIX/share/applications/mimeinfo.cache" ] && command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$PREFIX/share/applications" || true
fi
if [ -f "$PREFIX/share/mime/mime.cache" ] && command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$PREFIX/share/mime" || true
fi
if [ -f "$PREFIX/share/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$PREFIX/share/icons/hicolor" || true
fi

if [ -z "$keep_group" ] && printf '%s\n' "$entries" | grep -qx 'g kaiseki' && getent group kaiseki >/dev/null; then
    if command -v groupdel >/dev/null 2>&1; then
        groupdel kaiseki || echo "uninstall.sh: could not remove the kaiseki group" >&2
    else
        delgroup kaiseki || echo "uninstall.sh: could not remove the kaiseki group" >&2 # BusyBox
    fi
fi
[ -n "$keep_group" ] || echo "Kaiseki was removed from $PREFIX."
