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
