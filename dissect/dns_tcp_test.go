package dissect

import (
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// dnsTCPMessage serialises a DNS query for name with its two-byte TCP
// length prefix.
func dnsTCPMessage(t *testing.T, id uint16, name string) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	q := &layers.DNS{ID: id, RD: true, Questions: []layers.DNSQuestion{{Name: []byte(name), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	if err := q.SerializeTo(buf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
		t.Fatal(err)
	}
	m := buf.Bytes()
	return append([]byte{byte(len(m) >> 8), byte(len(m))}, m...)
}

// TestDNSOverTCP: a DNS message over TCP is measured by its length prefix
// (plus the prefix itself), whatever bits the length has.
func TestDNSOverTCP(t *testing.T) {
	tests := []struct {
		name  string
		qname string // message lengths 17+len(qname)+1: odd, even, bit 1 set or clear
		split int    // >0: send the message in two segments, cut here
	}{
		{"length with bit 1 set", "ripe.net", 0}, // 26 bytes, as in dns_tcp.pcapng
		{"length with bit 1 clear", "ab.ripe.net", 0},
		{"odd length", "a.ripe.net", 0},
		{"long name", strings.Repeat("x", 60) + ".example", 0},
		{"two segments", "ripe.net", 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := dnsTCPMessage(t, 0xb4c3, tc.qname)
			segs := append([]seg(nil), handshake...)
			if tc.split > 0 {
				segs = append(segs, seg{flags: "PA", seq: 101, ack: 501, win: 4218, payload: string(msg[:tc.split])},
					seg{flags: "PA", seq: 101 + uint32(tc.split), ack: 501, win: 4218, payload: string(msg[tc.split:])})
			} else {
				segs = append(segs, seg{flags: "PA", seq: 101, ack: 501, win: 4218, payload: string(msg)})
			}
			infos, protos := runConversation(t, 53, segs)
			last := len(segs) - 1
			want := "Standard query 0xb4c3 A " + tc.qname
			if infos[last] != want || protos[last] != "DNS" {
				t.Errorf("last segment: %s %q, want DNS %q", protos[last], infos[last], want)
			}
		})
	}
}
