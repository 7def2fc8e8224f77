#!/usr/bin/env bash
# Starts the real Kaiseki window under Xvfb capturing live on an interface
# (KAISEKI_CAPTURE, as if double-clicked on the start page), makes loopback
# traffic (HTTP requests to a local server and UDP datagrams), and takes
# two screenshots a couple of seconds apart, so the rows arriving and the
# counters moving can be seen; the capture stops by itself after
# KAISEKI_CAPTURE_SECONDS (default 9, a capture option) and a third
# screenshot shows what stays.
#
#   scripts/screenshot-live.sh OUT-PREFIX [light|dark]
#
# writes OUT-PREFIX-1.png, -2.png (capturing) and -3.png (stopped).
# IFACE (default lo) is the interface; KAISEKI_FILTER, when set, is applied
# as a display filter. Capturing needs root (or the helper's capabilities).
# Needs: go, a C toolchain with the GL/X11 and libpcap headers, Xvfb,
# xwininfo, imagemagick, python3, curl.
set -euo pipefail

if [ $# -lt 1 ]; then
	echo "usage: $0 OUT-PREFIX [light|dark]" >&2
	exit 2
fi
out=$1
variant=${2:-light}
case $variant in light | dark) ;; *)
	echo "$0: theme must be light or dark" >&2
	exit 2
	;;
esac
iface=${IFACE:-lo}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/xwindow.sh"

work=$(mktemp -d)
xvfb_pid=
app_pid=
srv_pid=
cleanup() {
	[ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null || true
	[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
	# Let them exit (the app writes its preferences into $work as it
	# closes) before the folder goes.
	wait 2>/dev/null || true
	rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

# The helper goes beside kaiseki, where the window looks for it.
(cd "$root" && go build -o "$work/kaiseki" ./app && go build -o "$work/kaiseki-capture" ./app/kaiseki-capture)

start_xvfb

# A local web server for the traffic, on a free port.
mkdir -p "$work/www"
echo "hello from kaiseki's screenshot" >"$work/www/index.html"
port=$((20000 + RANDOM % 20000))
# It also receives the UDP datagrams, so the kernel sends no ICMP errors.
cat >"$work/serve.py" <<'PY'
import functools, http.server, socket, sys, threading
port, root = int(sys.argv[1]), sys.argv[2]
for p in (9999, 12345):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", p))
    threading.Thread(target=lambda s=s: [s.recv(2048) for _ in iter(int, 1)], daemon=True).start()
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
http.server.ThreadingHTTPServer(("127.0.0.1", port), h).serve_forever()
PY
python3 "$work/serve.py" "$port" "$work/www" >"$work/http.log" 2>&1 &
srv_pid=$!

# Private config and cache dirs: no recent files, no spools of other runs.
mkdir -p "$work/config" "$work/cache"
DISPLAY=$display LANG=en_US.UTF-8 XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache \
	FYNE_THEME=$variant FYNE_SCALE=1 KAISEKI_CAPTURE=$iface KAISEKI_CAPTURE_SECONDS=${KAISEKI_CAPTURE_SECONDS:-9} \
	"$work/kaiseki" >"$work/app.log" 2>&1 &
app_pid=$!

wait_window

# Traffic in the background: an HTTP request and a few UDP datagrams
# every 100 ms.
traffic() {
	for i in $(seq 1 400); do
		curl -s -o /dev/null "http://127.0.0.1:$port/" || true
		for p in 9999 12345; do
			echo "kaiseki datagram $i" >"/dev/udp/127.0.0.1/$p" 2>/dev/null || true
		done
		sleep 0.1
	done
}
traffic &
traffic_pid=$!

sleep "${KAISEKI_SETTLE:-4}"
import -display "$display" -window "$win" "$out-1.png"
sleep 2
import -display "$display" -window "$win" "$out-2.png"
# The capture stops after KAISEKI_CAPTURE_SECONDS; what was captured stays.
sleep $((${KAISEKI_CAPTURE_SECONDS:-9} - ${KAISEKI_SETTLE:-4}))
kill "$traffic_pid" 2>/dev/null || true
import -display "$display" -window "$win" "$out-3.png"
echo "wrote $out-1.png $out-2.png $out-3.png (window $win, $variant theme, interface $iface)"
grep -i "error\|panic" "$work/app.log" >&2 || true
