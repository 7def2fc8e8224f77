package filter

import (
	"testing"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// A protocol item's value is its layer with the payload (what contains
// searches), but len() and slices see only the header when the dissector
// says so (Value.U = header length + 1), as in Wireshark: len(ip) == 20.
func TestProtocolValueLength(t *testing.T) {
	ipf := &dissect.Field{Abbrev: "ip", Name: "Internet Protocol Version 4", Type: dissect.FTProtocol}
	reg := dissect.NewRegistry(ipf)
	layer := make([]byte, 60) // 20-byte header + 40 bytes of payload
	layer[0], layer[1] = 0x45, 0x00
	copy(layer[40:], "GET /x")
	items := []dissect.Item{{Field: ipf, Off: 14, Len: 20, Parent: -1, Val: dissect.Value{B: layer, U: 21}}}
	whole := []dissect.Item{{Field: ipf, Off: 14, Len: 60, Parent: -1, Val: dissect.Value{B: layer}}}
	tests := []struct {
		src   string
		items []dissect.Item
		want  bool
	}{
		{`len(ip) == 20`, items, true},
		{`len(ip) == 60`, items, false},
		{`ip[0:2] == 45:00`, items, true},
		{`ip[19:2] == 00:00`, items, false}, // beyond the header: no value
		{`ip contains "GET"`, items, true},  // contains sees the payload
		{`len(ip) == 60`, whole, true},      // U == 0: the whole value
	}
	for _, tc := range tests {
		f, err := Compile(tc.src, reg)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if got := f.MatchFrame(tc.items, make([]byte, 74)); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.src, got, tc.want)
		}
	}
}
