#!/usr/bin/env bash
# Installs what is missing, then runs Kaiseki on the bundled sample capture.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
export PATH="$PATH:/usr/local/go/bin"
go build -o kaiseki ./app
exec ./kaiseki "$@" -r testdata/sample.pcapng
