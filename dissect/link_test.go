package dissect

import (
	"net"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// serializeL builds a packet from gopacket layers with lengths and
// checksums fixed up.
func serializeL(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatalf("serialize: %v", err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// linkPkt is one packet of a test capture: link type and bytes, with an
// optional reported length (0: the captured length).
type linkPkt struct {
	lt   uint16
	data []byte
	orig int
}

// dissectSeq dissects packets in order against one State (first pass) and
// returns their summaries, copied.
func dissectSeq(t testing.TB, pkts ...linkPkt) ([]Summary, *State) {
	t.Helper()
	d := NewDissector(nil)
	var out []Summary
	for i, p := range pkts {
		orig := p.orig
		if orig == 0 {
			orig = len(p.data)
		}
		s := d.Summary(&Packet{Num: i + 1, Data: p.data, OrigLen: orig, LinkType: p.lt, Iface: 0, HasTime: true, TS: int64(i+1) * 1e6})
		out = append(out, Summary{Protocol: clone(s.Protocol), Info: clone(s.Info), Src: clone(s.Src), Dst: clone(s.Dst),
			Protocols: clone(s.Protocols), Malformed: s.Malformed, Short: s.Short})
	}
	return out, d.State()
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

var (
	macA = net.HardwareAddr{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}
	macB = net.HardwareAddr{0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb}
	ipA  = net.IP{192, 168, 1, 1}
	ipB  = net.IP{192, 168, 1, 2}
)

func udpOverIPv4(t testing.TB) []byte {
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ipA, DstIP: ipB}
	udp := &layers.UDP{SrcPort: 1234, DstPort: 9999}
	_ = udp.SetNetworkLayerForChecksum(ip)
	return serializeL(t, ip, udp, gopacket.Payload([]byte("hello")))
}

func TestLinkTypes(t *testing.T) {
	v4 := udpOverIPv4(t)
	ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: net.ParseIP("2001:db8::1"), DstIP: net.ParseIP("2001:db8::2")}
	udp6 := &layers.UDP{SrcPort: 1234, DstPort: 9999}
	_ = udp6.SetNetworkLayerForChecksum(ip6)
	v6 := serializeL(t, ip6, udp6, gopacket.Payload([]byte("hello")))

	sll := append([]byte{0, 4, 0, 1, 0, 6, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0, 0x08, 0x00}, v4...)
	sll2 := append([]byte{0x86, 0xdd, 0, 0, 0, 0, 0, 1, 0, 1, 4, 6, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0}, v6...)
	nullLE := append([]byte{2, 0, 0, 0}, v4...)
	nullBE6 := append([]byte{0, 0, 0, 30}, v6...)
	nullEtype := append([]byte{0x0f, 0x00, 0x08, 0x00}, v4...) // an Ethertype in the header
	loop := append([]byte{0, 0, 0, 2}, v4...)

	tests := []struct {
		name   string
		lt     uint16
		data   []byte
		protos string
		src    string
	}{
		{"sll", 113, sll, "sll:ethertype:ip:udp", "192.168.1.1"},
		{"sll2", 276, sll2, "sll:ethertype:ipv6:udp", "2001:db8::1"},
		{"null little-endian", 0, nullLE, "null:ip:udp", "192.168.1.1"},
		{"null darwin ipv6", 0, nullBE6, "null:ipv6:udp", "2001:db8::1"},
		{"null ethertype", 0, nullEtype, "null:ip:udp", "192.168.1.1"},
		{"openbsd loop", 108, loop, "null:ip:udp", "192.168.1.1"},
		{"raw ipv4", 101, v4, "raw:ip:udp", "192.168.1.1"},
		{"raw ipv6", 12, v6, "raw:ipv6:udp", "2001:db8::1"},
		{"linktype ipv4", 228, v4, "ip:udp", "192.168.1.1"},
		{"linktype ipv4 holding ipv6", 228, v6, "ip:ipv6:udp", "2001:db8::1"},
		{"linktype ipv6", 229, v6, "ipv6:udp", "2001:db8::1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := dissectSeq(t, linkPkt{lt: tc.lt, data: tc.data})
			got := string(s[0].Protocols)
			// Upper layers (udp's payload) belong to others: compare the prefix.
			if !strings.HasPrefix(got, tc.protos) {
				t.Errorf("protocols = %q, want prefix %q", got, tc.protos)
			}
			if string(s[0].Src) != tc.src {
				t.Errorf("src = %q, want %q", s[0].Src, tc.src)
			}
			if s[0].Malformed {
				t.Errorf("unexpected malformed")
			}
		})
	}
}

func TestVLANAndTrailer(t *testing.T) {
	arp := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: layers.ARPRequest, SourceHwAddress: macA, SourceProtAddress: ipA, DstHwAddress: make([]byte, 6), DstProtAddress: ipB}
	qinq := serializeL(t,
		&layers.Ethernet{SrcMAC: macA, DstMAC: layers.EthernetBroadcast, EthernetType: layers.EthernetTypeQinQ},
		&layers.Dot1Q{VLANIdentifier: 200, Type: layers.EthernetTypeDot1Q},
		&layers.Dot1Q{VLANIdentifier: 2001, Type: layers.EthernetTypeARP},
		arp)
	// Pad to 60 bytes with zeros and add 4 bytes of trailer.
	frame := append(append(qinq, make([]byte, 60-len(qinq))...), 1, 2, 3, 4)
	s, _ := dissectSeq(t, linkPkt{lt: 1, data: frame})
	if got, want := string(s[0].Protocols), "eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:arp"; got != want {
		t.Errorf("protocols = %q, want %q", got, want)
	}
	d := NewDissector(nil)
	tr, _ := d.Tree(&Packet{Num: 1, Data: frame, OrigLen: len(frame), LinkType: 1})
	var pad, trailer, vid string
	tr.Walk(func(n *Node, _ int) {
		switch n.Abbrev() {
		case "eth.padding":
			pad = n.Text
		case "vlan.trailer":
			trailer = n.Text
		case "vlan.id":
			vid = n.Text
		}
	})
	if pad != "Padding: 00000000000000000000" || trailer != "Trailer: 01020304" {
		t.Errorf("padding %q trailer %q", pad, trailer)
	}
	if vid != ".... 0111 1101 0001 = ID: 2001" {
		t.Errorf("vlan.id = %q", vid)
	}
}

func TestEthFCSAndUnknownEthertype(t *testing.T) {
	frame := serializeL(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: 0xf1ff}, gopacket.Payload(make([]byte, 46)))
	s, _ := dissectSeq(t, linkPkt{lt: 1, data: frame})
	if string(s[0].Protocol) != "0xf1ff" || string(s[0].Info) != "Ethernet II" {
		t.Errorf("unknown ethertype: %q %q", s[0].Protocol, s[0].Info)
	}
	frame = serializeL(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: 0x86dd}, gopacket.Payload(append([]byte{0x45}, make([]byte, 45)...)))
	s, _ = dissectSeq(t, linkPkt{lt: 1, data: frame})
	if string(s[0].Protocol) != "0x86dd" || string(s[0].Info) != "IPv6" || string(s[0].Protocols) != "eth:ethertype:data" {
		t.Errorf("bad IPv6 version: %q %q %q", s[0].Protocol, s[0].Info, s[0].Protocols)
	}
	// A 64-byte frame with a 4-byte trailer: Wireshark takes it as an FCS.
	v4 := udpOverIPv4(t)
	frame = serializeL(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}, gopacket.Payload(v4))
	frame = append(append(frame, make([]byte, 60-len(frame))...), 0xde, 0xad, 0xbe, 0xef)
	d := NewDissector(nil)
	tr, _ := d.Tree(&Packet{Num: 1, Data: frame, OrigLen: len(frame), LinkType: 1})
	found := false
	tr.Walk(func(n *Node, _ int) {
		if n.Abbrev() == "eth.fcs" {
			found = n.Text == "Frame check sequence: 0xdeadbeef [unverified]"
		}
	})
	if !found {
		t.Errorf("no eth.fcs 0xdeadbeef in tree")
	}
}

// TestTruncatedLinks feeds every prefix of some frames and checks that
// nothing panics and that cut frames are marked.
func TestTruncatedLinks(t *testing.T) {
	v4 := udpOverIPv4(t)
	frames := []linkPkt{
		{lt: 113, data: append([]byte{0, 4, 0, 1, 0, 6, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0, 8, 0}, v4...)},
		{lt: 276, data: append([]byte{8, 0, 0, 0, 0, 0, 0, 1, 0, 1, 4, 6, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0}, v4...)},
		{lt: 0, data: append([]byte{2, 0, 0, 0}, v4...)},
		{lt: 101, data: v4},
	}
	for _, f := range frames {
		for n := 0; n < len(f.data); n++ {
			d := NewDissector(nil)
			d.NoRecover = false
			s := d.Summary(&Packet{Num: 1, Data: f.data[:n], OrigLen: len(f.data), LinkType: f.lt})
			if n > 0 && !s.Short && !s.Malformed && !strings.Contains(string(s.Protocols), "udp") {
				t.Errorf("linktype %d cut at %d: not marked (%q, %q)", f.lt, n, s.Protocols, s.Info)
			}
		}
	}
}
