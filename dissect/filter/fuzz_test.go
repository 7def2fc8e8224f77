package filter

import (
	"slices"
	"testing"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// fuzzSeeds are filters covering every construct; they run as a normal
// test too.
var fuzzSeeds = []string{
	"", "tcp", "!tcp", "tcp.port == 80", "tcp.port in {80, 443, 8000..8080}", "ip.addr == 10.0.0.0/8",
	"eth.src[0:3] == 00:11:22", "frame[-4:] contains 00", "frame[1,3-5,9:] == 01:03:04:05:09",
	`dns.qry.name contains "example"`, `http.host matches "(?-i)Google\\.com$"`, "tcp.flags & 0x12 == 0x12",
	"len(http.host) > 16", "count(ip.addr) == 2", `upper(http.host) == "X"`, "all tcp.port > 1024",
	"any ip.addr != 1.1.1.1", "ip.addr ~= 1.2.3.4", "ip.addr === 1.2.3.4", "a xor b ^^ c", "not (a or b) and c",
	"ipv6.addr == 2001:db8::/32", "frame.len > '\\n'", `a == r"\d"`, `a == "\x41\101\u00e9"`, "tcp.port not in {80}",
	"tcp && && udp", "(tcp", "ip.ttl == 300", "ip.srcc", "frame[-4--1] == 1.2.3.4", "ip.src == ip.dst",
	`frame.time > "2020-01-01 00:00:00"`, "frame.time_delta in {0.1 .. 0.5}", "ip.ttl == -1",
}

// FuzzParse checks that parsing never panics and that String() is a fixed
// point: the canonical text parses to a tree printing the same text.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := Parse(src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse(%q): error %T, want *Error", src, err)
			}
			e := err.(*Error)
			if e.Pos < 0 || e.Pos > len(src) || e.Len < 0 {
				t.Fatalf("Parse(%q): error span {%d %d} outside the filter", src, e.Pos, e.Len)
			}
			return
		}
		if n == nil {
			return
		}
		s1 := n.String()
		n2, err := Parse(s1)
		if err != nil {
			t.Fatalf("Parse(%q) printed %q, which does not parse: %v", src, s1, err)
		}
		if s2 := n2.String(); s2 != s1 {
			t.Fatalf("Parse(%q): String() not stable:\n %q\n %q", src, s1, s2)
		}
	})
}

// FuzzCompile checks that checking and evaluating never panic, that a
// compiled filter's String() compiles to the same String(), and that
// errors point inside the filter.
func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		flt, err := Compile(src, testReg)
		if err != nil {
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("Compile(%q): error %T, want *Error", src, err)
			}
			if e.Pos < 0 || e.Pos > len(src) || e.Len < 0 {
				t.Fatalf("Compile(%q): error span {%d %d} outside the filter", src, e.Pos, e.Len)
			}
			return
		}
		req := flt.Requires()
		for _, p := range packets {
			// A packet the filter matches has an item of a field it
			// requires (filter.Requires, which lets readers skip packets).
			if flt.MatchFrame(p.items, p.data) && req != nil && !slices.ContainsFunc(p.items, func(it dissect.Item) bool {
				return slices.Contains(req, it.Field)
			}) {
				t.Fatalf("%q matches a packet without any field it requires (%v)", src, req)
			}
			if ports := flt.TCPPorts(); ports != nil && flt.MatchFrame(p.items, p.data) && !slices.ContainsFunc(p.items, func(it dissect.Item) bool {
				switch it.Field.Abbrev {
				case "tcp.port", "tcp.srcport", "tcp.dstport":
					return slices.ContainsFunc(ports, func(r [2]uint16) bool { return it.Val.U >= uint64(r[0]) && it.Val.U <= uint64(r[1]) })
				}
				return false
			}) {
				t.Fatalf("%q matches a packet without a TCP port in %v", src, ports)
			}
		}
		s1 := flt.String()
		flt2, err := Compile(s1, testReg)
		if err != nil {
			t.Fatalf("Compile(%q) printed %q, which does not compile: %v", src, s1, err)
		}
		if s2 := flt2.String(); s2 != s1 {
			t.Fatalf("Compile(%q): String() not stable:\n %q\n %q", src, s1, s2)
		}
		for _, p := range packets {
			if flt.MatchFrame(p.items, p.data) != flt2.MatchFrame(p.items, p.data) {
				t.Fatalf("%q and its String() %q disagree on a packet", src, s1)
			}
		}
	})
}
