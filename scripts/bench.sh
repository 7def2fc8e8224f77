#!/usr/bin/env bash
# Times kaiseki against tshark on the same files in the same run:
#   kaiseki -r F > /dev/null              vs  tshark -r F > /dev/null
#   kaiseki -r F -T fields -e frame.number -e ip.src   vs the same with tshark
# on a 1M-packet file made by ../shared/tools/gencap (never committed: it
# goes to $KAISEKI_BIG, /tmp/kaiseki-big.pcap by default) and on the largest
# shared capture, printing packets/s and the speed-up. Then runs the Go
# benchmarks of reading and summary dissection on the same files.
#
#   scripts/bench.sh            # best of 3 runs each
#   REPEAT=5 scripts/bench.sh   # best of 5
#   NOGO=1 scripts/bench.sh     # skip the go test -bench part
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

BIG=${KAISEKI_BIG:-/tmp/kaiseki-big.pcap}
N=${KAISEKI_BIG_N:-1000000}
REPEAT=${REPEAT:-3}
SHARED=../shared/captures

if [ ! -s "$BIG" ]; then
	echo "== generating $BIG ($N packets) with gencap"
	(cd ../shared/tools/gencap && go run . -n "$N" -o "$BIG" -q)
fi

bindir=$(mktemp -d)
trap 'rm -rf "$bindir"' EXIT
bin="$bindir/kaiseki"
echo "== building kaiseki"
go build -o "$bin" ./app

have_tshark=1
command -v tshark >/dev/null 2>&1 || { have_tshark=0; echo "tshark not found: timing kaiseki only"; }

# best SECONDS... : the fastest of $REPEAT wall-clock runs of a command
# whose output goes to /dev/null.
best() {
	local b="" t
	for _ in $(seq "$REPEAT"); do
		local s e
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || true
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}

files=("$BIG")
[ -f "$SHARED/many-protocols.pcap" ] && files+=("$SHARED/many-protocols.pcap")

printf '\n%-22s %-8s %9s %9s %12s %12s %7s\n' file mode tshark_s kaiseki_s tshark_pkt/s kaiseki_pkt/s speedup
for f in "${files[@]}"; do
	pkts=$("$bin" -r "$f" -T fields -e frame.number | wc -l)
	for mode in summary fields; do
		args=(-r "$f")
		[ "$mode" = fields ] && args+=(-T fields -e frame.number -e ip.src)
		k=$(best "$bin" "${args[@]}")
		if [ "$have_tshark" = 1 ]; then
			ts=$(best tshark "${args[@]}")
		else
			ts=0
		fi
		printf '%-22s %-8s %9.3f %9.3f %12.0f %12.0f %6.1fx\n' "$(basename "$f")" "$mode" "$ts" "$k" \
			"$(echo "if ($ts > 0) $pkts / $ts else 0" | bc -l)" "$(echo "$pkts / $k" | bc -l)" \
			"$(echo "if ($k > 0) $ts / $k else 0" | bc -l)"
	done
done

if [ -z "${NOGO:-}" ]; then
	echo
	echo "== go test -bench (KAISEKI_BIG=$BIG)"
	KAISEKI_BIG="$BIG" go test -run XXX -bench 'BenchmarkRead|BenchmarkSummary|BenchmarkCLI' -benchtime 3x ./capture ./app/cli
fi
