#!/usr/bin/env bash
# Times kaiseki against tshark on the same files in the same run:
#   kaiseki -r F > /dev/null              vs  tshark -r F > /dev/null
#   kaiseki -r F -T fields -e frame.number -e ip.src   vs the same with tshark
#   kaiseki -r F -Y 'tcp.port == 80'  and  -Y 'dns.qry.name contains "example"'
# on a 1M-packet file made by ../shared/tools/gencap (never committed: it
# goes to $KAISEKI_BIG, /tmp/kaiseki-big.pcap by default) and on the largest
# shared capture, printing packets/s and the speed-up. Then runs the Go
# benchmarks of reading and summary dissection on the same files.
#
#   scripts/bench.sh            # best of 3 runs each
#   REPEAT=5 scripts/bench.sh   # best of 5
#   NOGO=1 scripts/bench.sh     # skip the go test -bench part
#   MODES="tcp80 dns" scripts/bench.sh   # only these of summary fields tcp80 dns
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
[ -x /usr/bin/time ] || { echo "bench.sh needs /usr/bin/time (apt-get install time)"; exit 1; }

# run1 CMD...: one run of a command whose output goes to /dev/null, as
# "wall cpu" seconds (cpu = user + system).
run1() {
	/usr/bin/time -o "$bindir/time" -f '%e %U %S' "$@" >/dev/null 2>&1 || true
	tail -1 "$bindir/time" | awk '{print $1, $2 + $3}'
}

# lower A B: the smaller of two numbers ("" counts as none).
lower() {
	if [ -z "$2" ] || [ "$(echo "$1 < $2" | bc -l)" = 1 ]; then echo "$1"; else echo "$2"; fi
}

files=("$BIG")
[ -f "$SHARED/many-protocols.pcap" ] && files+=("$SHARED/many-protocols.pcap")

printf '\n%-22s %-8s %8s %8s %8s %8s %12s %12s %8s %8s\n' file mode ts_wall k_wall ts_cpu k_cpu ts_pkt/s k_pkt/s x_wall x_cpu
for f in "${files[@]}"; do
	pkts=$("$bin" -r "$f" -T fields -e frame.number 2>/dev/null | wc -l)
	for mode in ${MODES:-summary fields tcp80 dns}; do
		args=(-r "$f")
		case $mode in
		fields) args+=(-T fields -e frame.number -e ip.src) ;;
		tcp80) args+=(-Y 'tcp.port == 80') ;;
		dns) args+=(-Y 'dns.qry.name contains "example"') ;;
		esac
		# Best of $REPEAT, kaiseki and tshark alternating: this kind of
		# machine is shared, and its speed drifts by a third over
		# minutes; alternating exposes both to the same drift.
		kw="" kc="" tw=0 tc=0
		[ "$have_tshark" = 1 ] && tw="" tc=""
		for _ in $(seq "$REPEAT"); do
			read -r w c < <(run1 "$bin" "${args[@]}")
			kw=$(lower "$w" "$kw") kc=$(lower "$c" "$kc")
			if [ "$have_tshark" = 1 ]; then
				read -r w c < <(run1 tshark "${args[@]}")
				tw=$(lower "$w" "$tw") tc=$(lower "$c" "$tc")
			fi
		done
		printf '%-22s %-8s %8.2f %8.2f %8.2f %8.2f %12.0f %12.0f %7.1fx %7.1fx\n' "$(basename "$f")" "$mode" \
			"$tw" "$kw" "$tc" "$kc" \
			"$(echo "if ($tw > 0) $pkts / $tw else 0" | bc -l)" "$(echo "$pkts / $kw" | bc -l)" \
			"$(echo "if ($kw > 0) $tw / $kw else 0" | bc -l)" "$(echo "if ($kc > 0) $tc / $kc else 0" | bc -l)"
	done
done

if [ -z "${NOGO:-}" ]; then
	echo
	echo "== go test -bench (KAISEKI_BIG=$BIG)"
	KAISEKI_BIG="$BIG" go test -run XXX -bench 'BenchmarkRead|BenchmarkSummary|BenchmarkCLI' -benchtime 3x ./capture ./app/cli
fi
