#!/usr/bin/env bash
# Runs the whole test suite: formatting, vet, the cgo-free build of every
# package but app/, all tests with the race detector (fuzz seed corpora
# included), and the real window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:$(go env GOPATH 2>/dev/null || echo ~/go)/bin"
export LANG=en_US.UTF-8

echo "== gofmt"
bad=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$bad" ]; then echo "gofmt would change: $bad"; exit 1; fi

echo "== go vet"
go vet ./...

echo "== cgo-free build of capture, dissect, ui"
CGO_ENABLED=0 go build ./capture/... ./dissect/... ./ui/... ./app/cli/...

echo "== staticcheck"
command -v staticcheck >/dev/null 2>&1 || go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
staticcheck ./...

echo "== go test -race"
go test -race -timeout 20m ./...
echo "== the Store without the race detector (its index chunks leave the Go heap then)"
go test -count=1 -run 'TestStore' ./capture

if [ -x scripts/screenshot.sh ] && grep -q 'fyne.io/fyne/v2/app' app/*.go 2>/dev/null; then
  echo "== window under Xvfb"
  out=$(mktemp -d)
  scripts/screenshot.sh testdata/sample.pcapng "$out/window.png"
  echo "screenshot: $out/window.png"
fi

# Packages: build the .deb, the tarball and the Windows installer, install
# and remove the Linux ones. It installs packages and adds users and a group,
# so it runs only as root on Debian/Ubuntu, as CI does (KAISEKI_SKIP_INSTALL_TEST=1
# skips it there too).
if [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ] && [ -z "${KAISEKI_SKIP_INSTALL_TEST:-}" ]; then
  echo "== packages (scripts/test-install.sh)"
  scripts/test-install.sh
else
  echo "== packages: skipped (needs root on Debian/Ubuntu: sudo scripts/test-install.sh)"
fi
