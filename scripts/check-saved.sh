#!/usr/bin/env bash
# check-saved.sh: do files Kaiseki saves read back in Wireshark's tools as
# the source reads?
#
# For every capture in ../shared/captures (and malformed/) that tshark reads
# without error, save it with `kaiseki -r F -w OUT -F pcapng` and `-F pcap`,
# then check that capinfos reads OUT and that
#   tshark -r OUT -T fields -e frame.time_epoch -e frame.len
# equals the same on the source. pcap keeps timestamps at the pcap file's
# resolution (microseconds unless nanosecond magic), so the source's times
# are cut to that resolution before comparing. Rows tshark shows for pcapng
# custom blocks (not packets, never saved) are left out of the source's list;
# packets without a timestamp (Simple Packet Blocks) stay so in pcapng and
# are at the epoch in pcap, which cannot say "no timestamp".
#
# Usage: scripts/check-saved.sh [CAPTURE_DIR]   (prints a summary table)
set -u
cd "$(dirname "$0")/.."
dir=${1:-../shared/captures}
if [ ! -d "$dir" ]; then
	echo "check-saved: $dir not found" >&2
	exit 2
fi
for t in tshark capinfos; do
	command -v "$t" >/dev/null || { echo "check-saved: $t not installed" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The command line needs no GUI: build without cgo (no Fyne).
CGO_ENABLED=0 go build -o "$tmp/kaiseki" ./app || exit 2

# times FILE: "epoch<TAB>len" per packet row (custom-block rows dropped).
times() {
	tshark -r "$1" -T fields -e frame.time_epoch -e frame.len -e _ws.col.Protocol 2>/dev/null |
		awk -F'\t' '$3 != "PCAPNG" { print $1 "\t" $2 }'
}

# cut6: cut nine-decimal epochs to microseconds (pcap's resolution), the
# way the pcap writer does (truncation).
cut6() { awk -F'\t' '{ if ($1 ~ /\./) { split($1, a, "."); $1 = a[1] "." substr(a[2], 1, 6) "000" } print $1 "\t" $2 }' OFS='\t'; }

ok=0 bad=0 skipped=0
badlist=() skiplist=()
printf '%-44s %-22s %-34s\n' FILE PCAPNG PCAP
for f in "$dir"/*.pcap "$dir"/*.pcapng "$dir"/*.cap "$dir"/*.gz "$dir"/malformed/*; do
	[ -f "$f" ] || continue
	name=${f#"$dir"/}
	if ! tshark -r "$f" -c 1 >/dev/null 2>&1 || ! tshark -r "$f" >/dev/null 2>&1; then
		skipped=$((skipped + 1))
		skiplist+=("$name")
		continue
	fi
	times "$f" >"$tmp/src.txt"
	res=()
	fileok=1
	for fmt in pcapng pcap; do
		out="$tmp/out.$fmt"
		rm -f "$out"
		if ! "$tmp/kaiseki" -r "$f" -w "$out" -F "$fmt" >/dev/null 2>"$tmp/err.txt"; then
			if grep -q "one link type" "$tmp/err.txt"; then
				res+=("refused: several link types")
			else
				res+=("SAVE FAILED: $(head -c 60 "$tmp/err.txt")")
				fileok=0
			fi
			continue
		fi
		if ! capinfos "$out" >"$tmp/cap.txt" 2>&1; then
			res+=("CAPINFOS FAILED")
			fileok=0
			continue
		fi
		n=$(awk -F': *' '/^Number of packets/ { print $2 }' "$tmp/cap.txt")
		times "$out" >"$tmp/out.txt"
		want="$tmp/src.txt"
		if [ "$fmt" = pcap ]; then
			# pcap cannot say "no timestamp" (pcapng Simple Packet Blocks):
			# such packets are written at the epoch.
			awk -F'\t' '$1 == "" { $1 = "0.000000000" } { print }' OFS='\t' "$tmp/src.txt" >"$tmp/srcp.txt"
			want="$tmp/srcp.txt"
			if [ "$(od -An -tx1 -N4 "$out" | tr -d ' ')" = d4c3b2a1 ]; then
				cut6 <"$tmp/srcp.txt" >"$tmp/src6.txt"
				want="$tmp/src6.txt"
			fi
		fi
		if cmp -s "$want" "$tmp/out.txt"; then
			res+=("ok ($n pkts)")
		else
			d=$(diff "$want" "$tmp/out.txt" | grep -c '^[<>]')
			res+=("DIFFERS ($d lines)")
			fileok=0
		fi
	done
	printf '%-44s %-22s %-34s\n' "$name" "${res[0]}" "${res[1]}"
	if [ $fileok = 1 ]; then ok=$((ok + 1)); else bad=$((bad + 1)); badlist+=("$name"); fi
done
echo
echo "files ok: $ok · differing: $bad · not read by tshark (skipped): $skipped"
[ $bad -gt 0 ] && echo "differing: ${badlist[*]}"
[ $skipped -gt 0 ] && echo "skipped: ${skiplist[*]}"
[ $bad -eq 0 ]
