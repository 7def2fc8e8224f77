#!/usr/bin/env bash
# Capture throughput on loopback: Kaiseki (kaiseki -i → helper → spool file)
# next to tcpdump -w, on the same traffic in the same run. Needs root (or the
# helper's capabilities) and tcpdump. Prints, per rate: sent, captured,
# kernel drops. Usage: scripts/bench-capture.sh [N] [RATES...]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300000}; shift || true
rates=("${@:-100000 200000 400000}")
rates=(${rates[@]})
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/kaiseki" ./app
go build -o "$tmp/kaiseki-capture" ./app/kaiseki-capture
go build -o "$tmp/udpflood" ./scripts/udpflood
count() { "$tmp/kaiseki" -r "$1" -T fields -e frame.number 2>/dev/null | wc -l; }
printf '%-8s %-9s %-12s %-28s %-28s\n' rate sent "achieved/s" "kaiseki captured (drops)" "tcpdump captured (drops)"
for rate in "${rates[@]}"; do
  "$tmp/kaiseki" -i lo -f "udp dst port 9999" -w "$tmp/k.pcapng" 2>"$tmp/k.err" &
  kp=$!
  sleep 1
  ach=$("$tmp/udpflood" -n "$n" -rate "$rate" | sed -n 's/.*(\([0-9]*\)\/s)/\1/p')
  sleep 1; kill -INT $kp; wait $kp || true
  kd=$(sed -n 's/.*captured, \([0-9]*\) dropped by the kernel.*/\1/p' "$tmp/k.err")
  tcpdump -i lo -B 16384 -w "$tmp/t.pcap" "udp dst port 9999" 2>"$tmp/t.err" &
  tp=$!
  sleep 1
  "$tmp/udpflood" -n "$n" -rate "$rate" >/dev/null
  sleep 1; kill -INT $tp; wait $tp || true
  td=$(grep -o '[0-9]* packets dropped by kernel' "$tmp/t.err" | grep -o '^[0-9]*' || echo 0)
 printf '%-8s %-9s %-12s %-28s %-28s\n' "$rate" "$n" "$ach" "$(count "$tmp/k.pcapng") (${kd:-0})" "$(count "$tmp/t.pcap") (${td:-0})"
done
