package dissect

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestConversationKey checks that both directions of a conversation, under
// every link layer the dissector follows to IP, get one key, and that
// packets without IP get 0.
func TestConversationKey(t *testing.T) {
	a4, b4 := net.IP{10, 0, 0, 1}, net.IP{192, 168, 7, 9}
	a6, b6 := net.ParseIP("2001:db8::1"), net.ParseIP("fe80::2")
	ser := func(ls ...gopacket.SerializableLayer) []byte {
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, ls...); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	udp := &layers.UDP{SrcPort: 5353, DstPort: 53}
	ip4 := func(src, dst net.IP) []byte {
		return ser(&layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: src, DstIP: dst}, udp, gopacket.Payload("q"))
	}
	ip6 := func(src, dst net.IP) []byte {
		return ser(&layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: src, DstIP: dst}, udp, gopacket.Payload("q"))
	}
	mac := net.HardwareAddr{0, 1, 2, 3, 4, 5}
	eth := func(typ uint16, payload []byte) []byte {
		h := append(append(append([]byte{}, mac...), mac...), byte(typ>>8), byte(typ))
		return append(h, payload...)
	}
	vlan := func(typ uint16, payload []byte) []byte {
		return append([]byte{0, 7, byte(typ >> 8), byte(typ)}, payload...)
	}
	snap := func(payload []byte) []byte {
		llc := append([]byte{0xaa, 0xaa, 3, 0, 0, 0, 8, 0}, payload...)
		n := len(llc)
		return append(append(append(append([]byte{}, mac...), mac...), byte(n>>8), byte(n)), llc...)
	}
	sll := func(typ uint16, payload []byte) []byte {
		h := make([]byte, 16)
		binary.BigEndian.PutUint16(h[14:], typ)
		return append(h, payload...)
	}
	sll2 := func(typ uint16, payload []byte) []byte {
		h := make([]byte, 20)
		binary.BigEndian.PutUint16(h, typ)
		return append(h, payload...)
	}
	nullLE := func(fam uint32, payload []byte) []byte {
		return append(binary.LittleEndian.AppendUint32(nil, fam), payload...)
	}
	nullBE := func(fam uint32, payload []byte) []byte {
		return append(binary.BigEndian.AppendUint32(nil, fam), payload...)
	}
	type pkt struct {
		lt   uint16
		data []byte
	}
	forms := func(p []byte, typ uint16, fam uint32) []pkt {
		return []pkt{
			{1, eth(typ, p)}, {1, eth(0x8100, vlan(typ, p))}, {1, eth(0x88a8, vlan(0x8100, vlan(typ, p)))},
			{113, sll(typ, p)}, {113, sll(0x8100, vlan(typ, p))}, {276, sll2(typ, p)}, {276, sll2(0x8100, vlan(typ, p))},
			{0, nullLE(fam, p)}, {0, nullBE(fam, p)}, {108, nullBE(fam, p)}, {0, nullLE(uint32(typ), p)},
			{101, p}, {12, p}, {14, p},
		}
	}
	v4 := forms(ip4(a4, b4), 0x0800, 2)
	v4 = append(v4, forms(ip4(b4, a4), 0x0800, 2)...)
	v4 = append(v4, pkt{1, snap(ip4(b4, a4))}, pkt{228, ip4(a4, b4)})
	v6 := forms(ip6(a6, b6), 0x86dd, 24)
	v6 = append(v6, forms(ip6(b6, a6), 0x86dd, 30)...)
	v6 = append(v6, pkt{229, ip6(b6, a6)}, pkt{228, ip6(a6, b6)})
	for _, group := range [][]pkt{v4, v6} {
		want := ConversationKey(group[0].lt, group[0].data)
		if want == 0 {
			t.Fatalf("link type %d: no key", group[0].lt)
		}
		for i, p := range group {
			if got := ConversationKey(p.lt, p.data); got != want {
				t.Errorf("form %d (link type %d, % x...): key %x, want %x", i, p.lt, p.data[:min(24, len(p.data))], got, want)
			}
		}
	}
	if ConversationKey(1, eth(0x0800, ip4(a4, net.IP{10, 0, 0, 2}))) == ConversationKey(1, eth(0x0800, ip4(a4, b4))) {
		t.Error("two address pairs share a key")
	}
	arp := ser(&layers.Ethernet{SrcMAC: mac, DstMAC: mac, EthernetType: layers.EthernetTypeARP},
		&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
			Operation: 1, SourceHwAddress: mac, SourceProtAddress: a4.To4(), DstHwAddress: mac, DstProtAddress: b4.To4()})
	for _, p := range []pkt{
		{1, arp}, {1, eth(0x0800, ip4(a4, b4)[:19])}, {1, eth(0x86dd, ip6(a6, b6)[:39])}, {1, nil}, {1, mac},
		{1, eth(0x8100, nil)}, {147, ip4(a4, b4)}, {0, nullLE(7, ip4(a4, b4))},
	} {
		if k := ConversationKey(p.lt, p.data); k != 0 {
			t.Errorf("link type %d % x: key %x, want 0", p.lt, p.data[:min(20, len(p.data))], k)
		}
	}
}

// FuzzConversationKey feeds arbitrary frames of every link type that
// ConversationKey reads: it must not panic, and a packet with its two
// addresses swapped must get the same key.
func FuzzConversationKey(f *testing.F) {
	f.Add(uint16(1), []byte("\x00\x01\x02\x03\x04\x05\x00\x01\x02\x03\x04\x05\x08\x00E\x00\x00\x1c\x00\x00\x00\x00@\x11\x00\x00\n\x00\x00\x01\xc0\xa8\x07\t"))
	f.Add(uint16(1), []byte("\x00\x01\x02\x03\x04\x05\x00\x01\x02\x03\x04\x05\x81\x00\x00\x07\x05\xdc\xaa\xaa\x03\x00\x00\x00\x08\x00"))
	f.Add(uint16(0), []byte("\x18\x00\x00\x00`"))
	f.Add(uint16(276), []byte("\x81\x00"))
	f.Fuzz(func(t *testing.T, lt uint16, data []byte) {
		k := ConversationKey(lt, data)
		off, ver := outerIP(lt, data)
		if k == 0 || off < 0 {
			return
		}
		sw := append([]byte(nil), data...)
		switch ver {
		case 4:
			copy(sw[off+12:], data[off+16:off+20])
			copy(sw[off+16:], data[off+12:off+16])
		case 6:
			copy(sw[off+8:], data[off+24:off+40])
			copy(sw[off+24:], data[off+8:off+24])
		default:
			t.Fatalf("key %x for IP version %d", k, ver)
		}
		if k2 := ConversationKey(lt, sw); k2 != k {
			t.Fatalf("addresses swapped: key %x, was %x", k2, k)
		}
	})
}

// hasProtocol dissects a packet on a fresh State and reports whether its
// tree has an item of protocol proto (a field named proto or proto.*).
func hasProtocol(lt uint16, data []byte, proto string) bool {
	d := NewDissector(NewState())
	tree, _ := d.Tree(&Packet{Num: 1, Data: data, OrigLen: len(data), LinkType: lt})
	found := false
	var walk func(n *Node)
	walk = func(n *Node) {
		if n.Field != nil && n.Field.Protocol() == proto {
			found = true
		}
		for _, k := range n.Kids {
			walk(k)
		}
	}
	for _, n := range tree.Nodes {
		walk(n)
	}
	return found
}

// cannotContainPackets are Ethernet frames for TestCannotContain, built
// by gopacket.
func cannotContainPackets(t testing.TB) map[string][]byte {
	ser := func(ls ...gopacket.SerializableLayer) []byte {
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, ls...); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	mac := net.HardwareAddr{0, 1, 2, 3, 4, 5}
	eth4 := &layers.Ethernet{SrcMAC: mac, DstMAC: mac, EthernetType: layers.EthernetTypeIPv4}
	eth6 := &layers.Ethernet{SrcMAC: mac, DstMAC: mac, EthernetType: layers.EthernetTypeIPv6}
	a, b := net.IP{10, 0, 0, 1}, net.IP{10, 0, 0, 2}
	ip4 := func(p layers.IPProtocol) *layers.IPv4 {
		return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: p, SrcIP: a, DstIP: b}
	}
	ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: net.ParseIP("2001:db8::1"), DstIP: net.ParseIP("2001:db8::2")}
	icmp6 := &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolICMPv6, SrcIP: ip6.SrcIP, DstIP: ip6.DstIP}
	tcp := func(sp, dp layers.TCPPort) *layers.TCP {
		return &layers.TCP{SrcPort: sp, DstPort: dp, Seq: 1, Window: 100, ACK: true, Ack: 1}
	}
	dnsQ := &layers.DNS{ID: 7, RD: true, Questions: []layers.DNSQuestion{{Name: []byte("example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	inner := ser(eth4, ip4(layers.IPProtocolTCP), tcp(1234, 80), gopacket.Payload("GET / HTTP/1.1\r\n\r\n"))
	frag := ip4(layers.IPProtocolUDP)
	frag.Flags = layers.IPv4MoreFragments
	icmpErr := ser(ip4(layers.IPProtocolTCP), tcp(1234, 80))[:28]
	return map[string][]byte{
		"udp dns":      ser(eth4, ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 5000, DstPort: 53}, dnsQ),
		"udp6 dns":     ser(eth6, ip6, &layers.UDP{SrcPort: 5000, DstPort: 53}, dnsQ),
		"udp vxlan":    ser(eth4, ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 5000, DstPort: 4789}, gopacket.Payload(append([]byte{8, 0, 0, 0, 0, 0, 1, 0}, inner...))),
		"udp fragment": ser(eth4, frag, &layers.UDP{SrcPort: 5000, DstPort: 53}, dnsQ),
		"tcp http":     ser(eth4, ip4(layers.IPProtocolTCP), tcp(1234, 80), gopacket.Payload("GET / HTTP/1.1\r\n\r\n")),
		"tcp dns":      ser(eth4, ip4(layers.IPProtocolTCP), tcp(1234, 53), gopacket.Payload(append([]byte{0, 29}, ser(dnsQ)...))),
		"icmp error":   ser(eth4, ip4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(3, 3)}, gopacket.Payload(icmpErr)),
		"icmp echo":    ser(eth4, ip4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 1, Seq: 1}, gopacket.Payload("ping")),
		"icmpv6 ns":    ser(eth6, icmp6, &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(135, 0)}, gopacket.Payload(make([]byte, 20))),
		"icmpv6 error": ser(eth6, icmp6, &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(1, 4)}, gopacket.Payload(append(make([]byte, 4), ser(ip6, &layers.UDP{SrcPort: 5000, DstPort: 53}, dnsQ)...))),
		"arp":          ser(&layers.Ethernet{SrcMAC: mac, DstMAC: mac, EthernetType: layers.EthernetTypeARP}, &layers.ARP{AddrType: 1, Protocol: 0x800, HwAddressSize: 6, ProtAddressSize: 4, Operation: 1, SourceHwAddress: mac, SourceProtAddress: a, DstHwAddress: mac, DstProtAddress: b}),
	}
}

// TestCannotContain: which packets a filter requiring TCP, UDP or DNS may
// skip, and that none of them has the protocol it is skipped for.
func TestCannotContain(t *testing.T) {
	pkts := cannotContainPackets(t)
	for _, tc := range []struct {
		pkt                 string
		noTCP, noUDP, noDNS bool
	}{
		{pkt: "udp dns", noTCP: true},
		{pkt: "udp6 dns", noTCP: true},
		{pkt: "udp vxlan"},    // TCP inside
		{pkt: "udp fragment"}, // its other fragments have no UDP header
		{pkt: "tcp http", noUDP: true, noDNS: true},
		{pkt: "tcp dns", noUDP: true},
		{pkt: "icmp error"},   // quotes a TCP header
		{pkt: "icmpv6 error"}, // quotes a UDP datagram
		{pkt: "icmp echo", noTCP: true, noUDP: true, noDNS: true},
		{pkt: "icmpv6 ns", noTCP: true, noUDP: true, noDNS: true},
		{pkt: "arp", noTCP: true, noUDP: true, noDNS: true},
	} {
		data := pkts[tc.pkt]
		for _, c := range []struct {
			proto string
			want  bool
		}{{"tcp", tc.noTCP}, {"udp", tc.noUDP}, {"dns", tc.noDNS}, {"ip", false}, {"http", false}} {
			if got := OutlineOf(1, data).CannotContain(c.proto); got != c.want {
				t.Errorf("%s: CannotContain(%q) = %v, want %v", tc.pkt, c.proto, got, c.want)
			}
			if c.want && hasProtocol(1, data, c.proto) {
				t.Errorf("%s: skipped for %s, but has %s items", tc.pkt, c.proto, c.proto)
			}
		}
	}
	if !hasProtocol(1, pkts["udp vxlan"], "tcp") || !hasProtocol(1, pkts["icmp error"], "tcp") ||
		!hasProtocol(1, pkts["icmpv6 error"], "udp") || !hasProtocol(1, pkts["tcp dns"], "dns") {
		t.Error("the fixtures that must not be skipped do not have the protocol they are kept for")
	}
}

// FuzzCannotContain: CannotContain and PortsOutside never panic, and a
// packet they say has no TCP, UDP or DNS, or no TCP port 80 or 8000-8080,
// indeed has none once dissected.
func FuzzCannotContain(f *testing.F) {
	for _, data := range cannotContainPackets(f) {
		f.Add(uint16(1), data)
	}
	f.Add(uint16(101), []byte("E\x00\x00\x1c\x00\x00\x00\x00@\x11\x00\x00\n\x00\x00\x01\n\x00\x00\x02\x13\x88\x00\x35\x00\x08\x00\x00"))
	f.Fuzz(func(t *testing.T, lt uint16, data []byte) {
		for _, proto := range []string{"tcp", "udp", "dns"} {
			if OutlineOf(lt, data).CannotContain(proto) && hasProtocol(lt, data, proto) {
				t.Fatalf("link type %d: CannotContain(%q), but the dissection has %s items", lt, proto, proto)
			}
		}
		ranges := [][2]uint16{{80, 80}, {8000, 8080}}
		if OutlineOf(lt, data).PortsOutside(ranges) && hasTCPPortIn(lt, data, ranges) {
			t.Fatalf("link type %d: PortsOutside(%v), but the dissection has such a TCP port", lt, ranges)
		}
	})
}

// hasTCPPortIn dissects a packet on a fresh State and reports whether it
// has a tcp.port item in one of the inclusive ranges.
func hasTCPPortIn(lt uint16, data []byte, ranges [][2]uint16) bool {
	port := Fields().Lookup("tcp.port")
	want := make([]bool, Fields().Len())
	want[port.ID()] = true
	items, _ := NewDissector(NewState()).Fields(&Packet{Num: 1, Data: data, OrigLen: len(data), LinkType: lt}, want)
	for _, it := range items {
		for _, r := range ranges {
			if it.Field == port && it.Val.U >= uint64(r[0]) && it.Val.U <= uint64(r[1]) {
				return true
			}
		}
	}
	return false
}

// TestPortsOutside: a plain TCP segment is skipped for ports it does not
// have; anything that might hold other TCP ports is not.
func TestPortsOutside(t *testing.T) {
	pkts := cannotContainPackets(t)
	for _, tc := range []struct {
		pkt    string
		ranges [][2]uint16
		want   bool
	}{
		{"tcp http", [][2]uint16{{80, 80}}, false},
		{"tcp http", [][2]uint16{{1000, 2000}}, false}, // source port 1234
		{"tcp http", [][2]uint16{{443, 443}, {8000, 8080}}, true},
		{"tcp dns", [][2]uint16{{80, 80}}, true},
		{"udp dns", [][2]uint16{{53, 53}}, true}, // UDP: no TCP at all
		{"udp vxlan", [][2]uint16{{443, 443}}, false},
		{"icmp error", [][2]uint16{{443, 443}}, false},
		{"udp fragment", [][2]uint16{{443, 443}}, false},
		{"arp", [][2]uint16{{80, 80}}, true},
	} {
		if got := OutlineOf(1, pkts[tc.pkt]).PortsOutside(tc.ranges); got != tc.want {
			t.Errorf("%s: PortsOutside(%v) = %v, want %v", tc.pkt, tc.ranges, got, tc.want)
		}
		if tc.want && hasTCPPortIn(1, pkts[tc.pkt], tc.ranges) {
			t.Errorf("%s: skipped for %v, but has such a TCP port", tc.pkt, tc.ranges)
		}
	}
	if !hasTCPPortIn(1, pkts["udp vxlan"], [][2]uint16{{80, 80}}) {
		t.Error("the VXLAN fixture has no inner TCP port 80")
	}
}
