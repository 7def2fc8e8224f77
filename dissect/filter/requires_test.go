package filter

import (
	"fmt"
	"strings"
	"testing"
)

// TestRequires: the fields a filter's matches must have, from which a
// reader decides which packets it may skip; "" when the filter gives none.
func TestRequires(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", ""},
		{"tcp", "tcp"},
		{"tcp.port == 80", "tcp.port"},
		{"tcp.port != 80", "tcp.port"}, // all not equal: false without a port
		{"tcp.port ~= 80", "tcp.port"},
		{"tcp.port in {80, 443}", "tcp.port"},
		{"tcp.port not in {80, 443}", ""},
		{"!(tcp.port == 80)", ""},
		{"not tcp", ""},
		{"tcp.port == 80 and udp", "tcp.port"},
		{"tcp.port == 80 or udp", "tcp.port udp"},
		{"tcp.port == 80 or not udp", ""},
		{"tcp.port == 80 xor udp", ""},
		{`dns.qry.name contains "example"`, "dns.qry.name"},
		{`dns.qry.name matches "^ex"`, "dns.qry.name"},
		{"len(dns.qry.name) > 3", "dns.qry.name"},
		{"count(dns.qry.name) == 1", "dns.qry.name"},
		{`upper(dns.qry.name) == "A"`, "dns.qry.name"},
		{"tcp.flags & 0x02", "tcp.flags"},
		{"eth.src[0:3] == 00:11:22", "eth.src"},
		{"(tcp or udp) and frame.len > 60", "frame.len"},
		{"(tcp or udp) and (ip or ipv6)", "tcp udp"},
	} {
		f, err := Compile(tc.src, nil)
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		var got []string
		for _, fl := range f.Requires() {
			got = append(got, fl.Abbrev)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%q requires %q, want %q", tc.src, got, tc.want)
		}
	}
}

// TestTCPPorts: the TCP port ranges every match has a port in.
func TestTCPPorts(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want string
	}{
		{"tcp.port == 80", "[[80 80]]"},
		{"tcp.dstport == 443", "[[443 443]]"},
		{"all tcp.port == 80", "[[80 80]]"},
		{"tcp.port in {80, 443, 8000..8080}", "[[80 80] [443 443] [8000 8080]]"},
		{"tcp.port == 80 or tcp.srcport == 22", "[[80 80] [22 22]]"},
		{"tcp.port == 80 and ip.src == 10.0.0.1", "[[80 80]]"},
		{"tcp.port == 80 or udp", "[]"},
		{"tcp.port != 80", "[]"},
		{"tcp.port > 80", "[]"},
		{"tcp.port not in {80}", "[]"},
		{"udp.port == 53", "[]"},
		{"not tcp.port == 80", "[]"},
		{"tcp", "[]"},
	} {
		f, err := Compile(tc.src, nil)
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		got := fmt.Sprint(f.TCPPorts())
		if got != tc.want {
			t.Errorf("%q: TCP ports %s, want %s", tc.src, got, tc.want)
		}
	}
}
