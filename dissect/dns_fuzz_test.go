package dissect

import (
	"net"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// FuzzDNS feeds arbitrary DNS messages (in UDP on ports 53, 5353 and 5355
// and in TCP-style length-prefixed form) to the dissector: it must never hit
// a dissector bug, must give the same summary on the fast path and when
// building a tree, and every item must lie inside the packet.
func FuzzDNS(f *testing.F) {
	q := layers.DNSQuestion{Name: []byte("www.example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}
	for _, m := range []*layers.DNS{
		{ID: 1, RD: true, Questions: []layers.DNSQuestion{q}},
		{ID: 2, QR: true, Questions: []layers.DNSQuestion{q}, Answers: []layers.DNSResourceRecord{
			{Name: q.Name, Type: layers.DNSTypeCNAME, Class: layers.DNSClassIN, TTL: 5, CNAME: []byte("a.example.net")},
			{Name: []byte("a.example.net"), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 5, IP: net.IP{1, 2, 3, 4}},
			{Name: q.Name, Type: layers.DNSTypeTXT, Class: layers.DNSClassIN, TTL: 5, TXTs: [][]byte{[]byte("hello"), []byte("world")}},
			{Name: q.Name, Type: layers.DNSTypeSRV, Class: layers.DNSClassIN, TTL: 5, SRV: layers.DNSSRV{Priority: 1, Weight: 1, Port: 80, Name: []byte("t.example")}},
		}},
	} {
		buf := gopacket.NewSerializeBuffer()
		if err := m.SerializeTo(buf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(0), buf.Bytes())
	}
	// Compression pointers, a loop and a reserved label type.
	f.Add(uint8(1), []byte{0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1, 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4, 1, 'b', 0xc0, 12})
	f.Add(uint8(2), []byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1})
	f.Add(uint8(3), []byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 1, 0, 1})
	ports := []uint16{53, 5353, 5355}
	want := make([]bool, Fields().Len())
	for i := range want {
		want[i] = true
	}
	f.Fuzz(func(t *testing.T, sel uint8, msg []byte) {
		if len(msg) > 4096 {
			return
		}
		data := rawFrame(t, ports[int(sel)%len(ports)], 40000, msg)
		p := &Packet{Num: 1, Data: data, OrigLen: len(data), LinkType: 1, Iface: -1}
		fast := NewDissector(nil).Summary(p)
		fastInfo := string(fast.Info)
		d := NewDissector(nil)
		tr, slow := d.Tree(p)
		if string(slow.Info) != fastInfo {
			t.Fatalf("tree pass Info %q differs from fast path %q", slow.Info, fastInfo)
		}
		tr.Walk(func(n *Node, _ int) {
			if strings.HasPrefix(n.Text, "[Dissector bug") {
				t.Fatalf("%s", n.Text)
			}
		})
		items, _ := NewDissector(nil).Fields(p, want)
		for _, it := range items {
			if it.Off < 0 || it.Len < 0 || it.Off+it.Len > len(data) {
				t.Fatalf("item %s at [%d,+%d) outside the %d-byte packet", it.Field.Abbrev, it.Off, it.Len, len(data))
			}
		}
	})
}
