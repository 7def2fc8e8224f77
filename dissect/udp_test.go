package dissect

import (
	"strings"
	"testing"
)

func TestUDPSummary(t *testing.T) {
	payload := []byte(strings.Repeat("z", 28))
	tests := []struct {
		name  string
		patch func(b []byte) []byte // edits the Ethernet/IPv4/UDP frame
		proto string
		info  string
	}{
		{"plain", nil, "UDP", "40001 → 40000 Len=28"},
		{"length beyond IP payload", func(b []byte) []byte { b[38], b[39] = 0, 44; return b }, "UDP",
			"40001 → 40000 [BAD UDP LENGTH 44 > IP PAYLOAD LENGTH] Len=36"},
		{"length below header", func(b []byte) []byte { b[38], b[39] = 0, 4; return b }, "UDP",
			"40001 → 40000 [BAD UDP LENGTH 4 < 8]"},
		{"shorter UDP length cuts the payload", func(b []byte) []byte { b[38], b[39] = 0, 12; return b }, "UDP",
			"40001 → 40000 Len=4"},
		{"header cut by the snaplen", func(b []byte) []byte { return b[:38] }, "UDP",
			"40001 → 40000[Packet size limited during capture]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := rawFrame(t, 40001, 40000, payload)
			orig := len(data)
			if tt.patch != nil {
				data = tt.patch(data)
			}
			d := NewDissector(nil)
			s := d.Summary(&Packet{Num: 1, Data: data, OrigLen: orig, LinkType: 1, Iface: -1})
			if string(s.Protocol) != tt.proto || string(s.Info) != tt.info {
				t.Errorf("got %s %q, want %s %q", s.Protocol, s.Info, tt.proto, tt.info)
			}
		})
	}
}

// TestUDPStreams checks that both directions share a stream index and that
// a later dissection shows what the first pass found.
func TestUDPStreams(t *testing.T) {
	a := rawFrame(t, 40000, 53, []byte{1}) // client → server
	b := rawFrame(t, 53, 40000, []byte{2}) // server → client
	c := rawFrame(t, 40002, 53, []byte{3}) // another client port
	want := []uint64{0, 0, 1}
	d := NewDissector(nil)
	var pkts []*Packet
	for i, data := range [][]byte{a, b, c} {
		p := &Packet{Num: i + 1, Data: data, OrigLen: len(data), LinkType: 1, Iface: -1}
		pkts = append(pkts, p)
		d.Summary(p)
	}
	sel := make([]bool, Fields().Len())
	sel[fUDPStream.ID()] = true
	for i, p := range pkts {
		items, _ := d.Fields(p, sel)
		if len(items) != 1 || items[0].Val.U != want[i] {
			t.Errorf("frame %d: udp.stream items %+v, want %d", i+1, items, want[i])
		}
	}
}
