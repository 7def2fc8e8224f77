#!/usr/bin/env bash
# Installs what is missing, builds Kaiseki and opens the bundled sample
# capture: in the window when there is a display, else on the command line
# (tshark-style summary lines). Extra arguments go to kaiseki.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
export PATH="$PATH:/usr/local/go/bin"
go build -o kaiseki ./app
go build -o kaiseki-capture ./app/kaiseki-capture
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ $# -eq 0 ]; then
  exec ./kaiseki testdata/sample.pcapng
fi
exec ./kaiseki -r testdata/sample.pcapng "$@"
