# Shared by the screenshot scripts (sourced): a private X server and the
# wait for Kaiseki's window. The caller sets work (a scratch folder) and,
# before wait_window, app_pid (the running app); it kills xvfb_pid on exit.

# start_xvfb starts Xvfb on the first display number without a lock file
# and waits until it answers; it sets display and xvfb_pid.
start_xvfb() {
	local n=90
	while [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
	display=:$n
	Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
	xvfb_pid=$!
	for _ in $(seq 1 50); do
		xwininfo -display "$display" -root >/dev/null 2>&1 && break
		sleep 0.1
	done
}

# wait_window waits up to 30 s for the Kaiseki window and sets win; it
# exits with the app's log when the app dies first or no window appears.
wait_window() {
	win=
	for _ in $(seq 1 300); do
		if ! kill -0 "$app_pid" 2>/dev/null; then
			echo "$0: kaiseki exited before its window appeared:" >&2
			cat "$work/app.log" >&2
			exit 1
		fi
		win=$(xwininfo -display "$display" -root -tree 2>/dev/null | awk '/"[^"]*Kaiseki"/ && $2 != "(has" {print $1; exit}')
		[ -n "$win" ] && return
		sleep 0.1
	done
	echo "$0: the Kaiseki window never appeared" >&2
	cat "$work/app.log" >&2
	exit 1
}
