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

if [ -x scripts/screenshot.sh ] && grep -q 'fyne.io/fyne/v2/app' app/*.go 2>/dev/null; then
  echo "== window under Xvfb"
  out=$(mktemp -d)
  scripts/screenshot.sh testdata/sample.pcapng "$out/window.png"
  echo "screenshot: $out/window.png"
fi
