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

# best CMD...: the fastest of $REPEAT runs of a command whose output goes
# to /dev/null, as "wall cpu" seconds (cpu = user + system). The machine may
# be shared: the CPU time is the steadier of the two.
best() {
	local bw="" bc="" out w c
	for _ in $(seq "$REPEAT"); do
		/usr/bin/time -o "$bindir/time" -f '%e %U %S' "$@" >/dev/null 2>&1 || true
		out=$(tail -1 "$bindir/time")
		w=$(echo "$out" | awk '{print $1}')
		c=$(echo "$out" | awk '{print $2 + $3}')
		if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc -l)" = 1 ]; then bw=$w; fi
		if [ -z "$bc" ] || [ "$(echo "$c < $bc" | bc -l)" = 1 ]; then bc=$c; fi
	done
	echo "$bw $bc"
}

files=("$BIG")
[ -f "$SHARED/many-protocols.pcap" ] && files+=("$SHARED/many-protocols.pcap")

printf '\n%-22s %-8s %8s %8s %8s %8s %12s %12s %8s %8s\n' file mode ts_wall k_wall ts_cpu k_cpu ts_pkt/s k_pkt/s x_wall x_cpu
for f in "${files[@]}"; do
	pkts=$("$bin" -r "$f" -T fields -e frame.number 2>/dev/null | wc -l)
	for mode in summary fields tcp80 dns; do
		args=(-r "$f")
		case $mode in
		fields) args+=(-T fields -e frame.number -e ip.src) ;;
		tcp80) args+=(-Y 'tcp.port == 80') ;;
		dns) args+=(-Y 'dns.qry.name contains "example"') ;;
		esac
		read -r kw kc < <(best "$bin" "${args[@]}")
		if [ "$have_tshark" = 1 ]; then
			read -r tw tc < <(best tshark "${args[@]}")
		else
			tw=0 tc=0
		fi
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
