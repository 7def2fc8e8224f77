#!/usr/bin/env bash
# Starts the real Kaiseki window under Xvfb on a capture, selects a packet
# (and a field), and writes a screenshot of the window.
#
#   scripts/screenshot.sh FILE OUT.png [light|dark]
#
# KAISEKI_SELECT (default 5) picks the packet, KAISEKI_FIELD (default ip.src)
# the field highlighted in the bytes pane; KAISEKI_SETTLE the seconds to wait
# after the window appears (default 3). Fails when the window never appears.
# Needs: go, a C toolchain with the GL/X11 headers, Xvfb, xwininfo, imagemagick.
set -euo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 FILE OUT.png [light|dark]" >&2
	exit 2
fi
file=$(realpath "$1")
out=$2
variant=${3:-light}
case $variant in light | dark) ;; *)
	echo "$0: theme must be light or dark" >&2
	exit 2
	;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/xwindow.sh"

work=$(mktemp -d)
xvfb_pid=
app_pid=
cleanup() {
	[ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
	[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
	# Let them exit (the app writes its preferences into $work as it
	# closes) before the folder goes.
	wait 2>/dev/null || true
	rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

(cd "$root" && go build -o "$work/kaiseki" ./app)

start_xvfb

# A private config dir keeps the user's recent files out of it (and theirs
# out of the picture).
mkdir -p "$work/config"
DISPLAY=$display LANG=en_US.UTF-8 XDG_CONFIG_HOME=$work/config FYNE_THEME=$variant FYNE_SCALE=1 \
	KAISEKI_SELECT=${KAISEKI_SELECT:-5} KAISEKI_FIELD=${KAISEKI_FIELD:-ip.src} \
	"$work/kaiseki" "$file" >"$work/app.log" 2>&1 &
app_pid=$!

wait_window
sleep "${KAISEKI_SETTLE:-3}"
import -display "$display" -window "$win" "$out"
echo "wrote $out (window $win, $variant theme)"
