package filter

import (
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// packet is a synthetic dissected packet: its items and bytes.
type packet struct {
	items []dissect.Item
	data  []byte
}

func u(f *dissect.Field, v uint64) dissect.Item {
	return dissect.Item{Field: f, Val: dissect.Value{U: v}, Parent: -1}
}
func b(f *dissect.Field, v []byte) dissect.Item {
	return dissect.Item{Field: f, Val: dissect.Value{B: v}, Parent: -1}
}
func s(f *dissect.Field, v string) dissect.Item { return b(f, []byte(v)) }
func proto(f *dissect.Field, off, n int) dissect.Item {
	return dissect.Item{Field: f, Off: off, Len: n, Parent: -1}
}

func ip4(s string) uint64 {
	a := netip.MustParseAddr(s).As4()
	return uint64(a[0])<<24 | uint64(a[1])<<16 | uint64(a[2])<<8 | uint64(a[3])
}

func ip6(s string) []byte {
	a := netip.MustParseAddr(s).As16()
	return a[:]
}

// tcpPacket is an Ethernet/IPv4/TCP packet with a 4-byte payload "GET ".
func tcpPacket(src, dst string, sport, dport uint64, flags uint64, ttl uint64) packet {
	data := make([]byte, 58)
	copy(data[0:6], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	copy(data[6:12], []byte{0x00, 0x21, 0x6a, 0xc7, 0x1a, 0x3e})
	copy(data[54:], "GET ")
	return packet{data: data, items: []dissect.Item{
		proto(tFrame, 0, 58), u(tFrameNum, 1), u(tFrameLen, 58),
		u(tFrameTime, uint64(time.Date(2020, 7, 4, 12, 0, 0, 0, time.UTC).UnixNano())), u(tFrameDelta, 250_000_000),
		proto(tEth, 0, 14), b(tEthDst, data[0:6]), b(tEthSrc, data[6:12]),
		proto(tIP, 14, 20), u(tIPTTL, ttl), u(tIPProto, 6), u(tIPDF, 1),
		u(tIPSrc, ip4(src)), u(tIPAddr, ip4(src)), u(tIPDst, ip4(dst)), u(tIPAddr, ip4(dst)),
		proto(tTCP, 34, 24), u(tTCPSrc, sport), u(tTCPPort, sport), u(tTCPDst, dport), u(tTCPPort, dport),
		u(tTCPFlags, flags), u(tTCPSyn, flags>>1&1), b(tTCPPayload, data[54:58]), u(tTCPOffset, uint64(0xfb)), // -5 as an 8-bit value
		u(tScore, math.Float64bits(2.5)),
	}}
}

func dnsPacket(names ...string) packet {
	p := packet{data: make([]byte, 60), items: []dissect.Item{proto(tFrame, 0, 60), u(tFrameNum, 2)}}
	p.items = append(p.items, u(tIPAddr, ip4("10.1.2.3")), u(tIPAddr, ip4("8.8.8.8")))
	for _, n := range names {
		p.items = append(p.items, s(tDNSName, n))
	}
	return p
}

func v6Packet() packet {
	return packet{data: make([]byte, 70), items: []dissect.Item{
		proto(tFrame, 0, 70), u(tFrameNum, 3), b(tIPv6Addr, ip6("2001:db8::1")), b(tIPv6Addr, ip6("fe80::2")),
		u(tICMPv6Type, 135), s(tHTTPHost, "www.Google.com"), dissect.Item{Field: tLabel, Parent: -1},
	}}
}

var (
	pSyn    = tcpPacket("192.168.1.2", "10.0.0.1", 51000, 80, 0x002, 64)
	pSynAck = tcpPacket("10.0.0.1", "192.168.1.2", 80, 51000, 0x012, 128)
	pHTTPS  = tcpPacket("192.168.1.2", "172.16.0.9", 8080, 443, 0x010, 1)
	pDNS    = dnsPacket("www.example.com", "mail.google.com")
	pV6     = v6Packet()
	packets = []packet{pSyn, pSynAck, pHTTPS, pDNS, pV6}
)

// TestMatch evaluates filters over the synthetic packets; want lists which
// of them (indexes into packets) match.
func TestMatch(t *testing.T) {
	tests := []struct {
		filter string
		want   []int
	}{
		{"", []int{0, 1, 2, 3, 4}},
		{"tcp", []int{0, 1, 2}},
		{"!tcp", []int{3, 4}},
		{"not tcp and frame", []int{3, 4}},
		{"tcp.port == 80", []int{0, 1}},
		{"tcp.port eq 443 or tcp.port == 80", []int{0, 1, 2}},
		{"tcp.port in {80, 443}", []int{0, 1, 2}},
		{"tcp.port in {400..500}", []int{2}},
		{"tcp.dstport in {8000..8080, 1..100}", []int{0}},
		{"tcp.port not in {80}", []int{2, 3, 4}}, // not (tcp.port in {80}), as tshark 4.0
		// tshark 4.0 reads "all x in {a, b}" as "all x == a or all x == b".
		{"all tcp.port in {80, 51000}", nil},
		{"all tcp.port in {1..60000}", []int{0, 1, 2}},
		{"all tcp.port in {80, 1..10000}", []int{2}},
		// != is "all not equal" (Wireshark 4): a packet with port 80 on
		// either side does not match; ~= and !== are "any not equal".
		{"tcp.port != 80", []int{2}},
		{"tcp.port ~= 80", []int{0, 1, 2}},
		{"tcp.port !== 80", []int{0, 1, 2}},
		{"not tcp.port == 80", []int{2, 3, 4}},
		{"tcp.port === 80", nil},
		{"all tcp.port >= 443", []int{2}},
		{"any tcp.port > 50000", []int{0, 1}},
		{"tcp.srcport > tcp.dstport", []int{0, 2}},
		{"tcp.srcport == tcp.dstport", nil},
		{"ip.src == 192.168.1.2", []int{0, 2}},
		{"ip.addr == 10.0.0.0/8", []int{0, 1, 3}},
		{"ip.addr == 10.0.0.5/31", nil},
		{"ip.addr == 10.0.0.1/31", []int{0, 1}},
		{"ip.addr == 0.0.0.0/0", []int{0, 1, 2, 3}},
		{"ip.src > 100.0.0.0", []int{0, 2}},
		{"ip.addr in {10.0.0.0 .. 10.0.0.9}", []int{0, 1}},
		{"ip.addr != 10.0.0.1", []int{2, 3}},
		{"ip.ttl == 64", []int{0}},
		{"ip.ttl >= 64 && ip.ttl le 128", []int{0, 1}},
		{"ip.ttl == -1", nil},
		{"ip.ttl != -1", []int{0, 1, 2}},
		{"ip.ttl > -1", nil},
		{"ip.proto == TCP", []int{0, 1, 2}},
		{`ip.proto == "tcp"`, []int{0, 1, 2}},
		{"ip.flags.df == True", []int{0, 1, 2}},
		{"tcp.flags.syn == 1", []int{0, 1}},
		{"tcp.flags.syn == 2", []int{0, 1}},
		{"tcp.flags.syn == 0", []int{2}},
		{"tcp.flags.syn == Set", []int{0, 1}},
		{`tcp.flags.syn == "Not set"`, []int{2}},
		{"tcp.flags.syn", []int{0, 1, 2}},
		{"tcp.flags & 0x12 == 0x12", []int{1}},
		{"tcp.flags & 0x02", []int{0, 1}},
		{"tcp.flags & 0x02 && !(tcp.flags & 0x10)", []int{0}},
		{"tcp.time_offset == -5", []int{0, 1, 2}},
		{"tcp.time_offset < 0", []int{0, 1, 2}},
		{"eth.src == 00:21:6a:c7:1a:3e", []int{0, 1, 2}},
		{"eth.src == 00-21-6a-c7-1a-3e", []int{0, 1, 2}},
		{"eth.src == 0021.6ac7.1a3e", []int{0, 1, 2}},
		{"eth.dst == ff:ff:ff:ff:ff:ff", []int{0, 1, 2}},
		{"eth.src[0:3] == 00:21:6a", []int{0, 1, 2}},
		{"eth.src[:3] == 00216a", []int{0, 1, 2}},
		{"eth.src[1-2] == 21:6a", []int{0, 1, 2}},
		{"eth.src[-1] == 3e", []int{0, 1, 2}},
		{"eth.src[-1] == 0x3e", []int{0, 1, 2}},
		{"eth.src[4:] == 1a:3e", []int{0, 1, 2}},
		{"eth.src[5:2] == 3e", nil}, // past the end: no value
		{"eth.src[0,5] == 00:3e", []int{0, 1, 2}},
		{"eth.src[0:2] & ff:00 == 00:00", []int{0, 1, 2}},
		{"frame[6:3] == 00:21:6a", []int{0, 1, 2}},
		{"frame[0] == 0", []int{3, 4}},
		{`frame contains "GET"`, []int{0, 1, 2}},
		{`tcp contains 47:45:54`, []int{0, 1, 2}},
		{`tcp matches "get"`, []int{0, 1, 2}},
		{`tcp matches "(?-i)get"`, nil},
		{`tcp.payload == "GET "`, []int{0, 1, 2}},
		{`tcp.payload contains 0x47`, []int{0, 1, 2}},
		{"len(frame) > 60", []int{4}},
		{"len(tcp.payload) == 4", []int{0, 1, 2}},
		{`dns.qry.name == "www.example.com"`, []int{3}},
		{`dns.qry.name contains "example"`, []int{3}},
		{`dns.qry.name contains "EXAMPLE"`, nil},
		{`dns.qry.name matches "^MAIL\\."`, []int{3}},
		{`dns.qry.name matches r"\.com$"`, []int{3}},
		{`dns.qry.name != "www.example.com"`, nil},
		{`dns.qry.name ~= "www.example.com"`, []int{3}},
		{`dns.qry.name === "www.example.com"`, nil},
		{`dns.qry.name > "n"`, []int{3}},
		{`dns.qry.name in {"mail.google.com", "x"}`, []int{3}},
		{"count(dns.qry.name) == 2", []int{3}},
		{"count(ip.addr) == 2", []int{0, 1, 2, 3}},
		{"count(ip.addr) == 0", nil}, // count implies the field exists
		{`upper(http.host) == "WWW.GOOGLE.COM"`, []int{4}},
		{`lower(http.host) contains "google"`, []int{4}},
		{"len(http.host) > 10", []int{4}},
		{"ipv6.addr == 2001:db8::1", []int{4}},
		{"ipv6.addr == 2001:db8::/32", []int{4}},
		{"ipv6.addr == fe80::/10", []int{4}},
		{"ipv6.addr == fec0::/10", nil},
		{"icmpv6.type == 135", []int{4}},
		{`icmpv6.type == "neighbor solicitation"`, []int{4}},
		{"_ws.label", []int{4}},
		{"frame.len >= '\\x3a'", []int{0, 1, 2}},
		{"frame.len > ':'", nil},
		{"frame.number in {1, 3}", []int{0, 1, 2, 4}},
		{`frame.time == "2020-07-04T12:00:00Z"`, []int{0, 1, 2}},
		{`frame.time > "Jul  4, 2020 11:59:59 UTC"`, []int{0, 1, 2}},
		{"frame.time == 1593864000", []int{0, 1, 2}},
		{"frame.time < 1593864000.5", []int{0, 1, 2}},
		{"frame.time_delta == 0.25", []int{0, 1, 2}},
		{"frame.time_delta < 0.2", nil},
		{"test.score > 2", []int{0, 1, 2}},
		{"tcp xor dns.qry.name", []int{0, 1, 2, 3}},
		{"tcp ^^ frame", []int{3, 4}},
		{"(tcp.port == 80 or dns.qry.name) and not ip.ttl == 64", []int{1, 3}},
	}
	for _, tt := range tests {
		f, err := Compile(tt.filter, testReg)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.filter, err)
			continue
		}
		var got []int
		for i, p := range packets {
			if f.MatchFrame(p.items, p.data) {
				got = append(got, i)
			}
		}
		if !sameInts(got, tt.want) {
			t.Errorf("%q matches packets %v, want %v", tt.filter, got, tt.want)
		}
	}
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestMatchWithoutData checks that Match (no packet bytes) still handles
// protocol existence but gives protocols no value.
func TestMatchWithoutData(t *testing.T) {
	for _, tt := range []struct {
		filter string
		want   bool
	}{
		{"tcp", true},
		{`tcp contains "GET"`, false},
		{`tcp.payload contains "GET"`, true},
	} {
		f, err := Compile(tt.filter, testReg)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Match(pSyn.items); got != tt.want {
			t.Errorf("Match(%q) = %v, want %v", tt.filter, got, tt.want)
		}
	}
}

// TestMatchAllocs checks that evaluation allocates nothing per packet,
// including filters that need scratch space.
func TestMatchAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	for _, src := range []string{
		"tcp.port == 80", `dns.qry.name contains "example"`, `dns.qry.name matches "exa.ple"`,
		"ip.addr == 10.0.0.0/8 && tcp.port in {80, 443, 8000..8080}", `upper(http.host) contains "GOOGLE"`,
		"eth.src[0,5] == 00:3e", "tcp.flags & 0x12 == 0x12",
	} {
		f, err := Compile(src, testReg)
		if err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(200, func() {
			for _, p := range packets {
				f.MatchFrame(p.items, p.data)
			}
		})
		if allocs != 0 {
			t.Errorf("%q: %.1f allocations per run, want 0", src, allocs)
		}
	}
}

// TestString checks that a compiled filter prints canonically.
func TestFilterString(t *testing.T) {
	f, err := Compile("tcp.port==80&&!udp.port", dissect.NewRegistry(
		&dissect.Field{Abbrev: "tcp.port", Type: dissect.FTUint, Bits: 16},
		&dissect.Field{Abbrev: "udp.port", Type: dissect.FTUint, Bits: 16}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.String(), "tcp.port == 80 and not udp.port"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// BenchmarkFilter measures evaluation over a synthetic packet set.
func BenchmarkFilter(b *testing.B) {
	set := make([]packet, 0, 1000)
	for i := 0; i < 1000; i++ {
		switch i % 4 {
		case 0:
			set = append(set, tcpPacket("192.168.1.2", "10.0.0.1", uint64(40000+i), 80, 0x018, 64))
		case 1:
			set = append(set, tcpPacket("10.0.0.1", "192.168.1.2", 443, uint64(40000+i), 0x010, 64))
		case 2:
			set = append(set, dnsPacket("host.example.com"))
		default:
			set = append(set, dnsPacket("www.wireshark.org", "a.b.c"))
		}
	}
	for _, src := range []string{"tcp.port == 80", `dns.qry.name contains "example"`} {
		f, err := Compile(src, testReg)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(src, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for i := 0; i < b.N; i++ {
				p := &set[i%len(set)]
				if f.MatchFrame(p.items, p.data) {
					n++
				}
			}
			if n == 0 && b.N >= 4 {
				b.Fatal("no packet matched")
			}
		})
	}
}
