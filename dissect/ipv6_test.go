package dissect

import (
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

var (
	ip6A = net.ParseIP("2001:db8:1:2::1003")
	ip6B = net.ParseIP("2001:db8:1:2::1000")
)

func ethIPv6(t testing.TB, src, dst net.IP, ls ...gopacket.SerializableLayer) []byte {
	eth := &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv6}
	ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolICMPv6, SrcIP: src, DstIP: dst}
	for _, l := range ls {
		if c, ok := l.(*layers.ICMPv6); ok {
			_ = c.SetNetworkLayerForChecksum(ip)
		}
	}
	return serializeL(t, append([]gopacket.SerializableLayer{eth, ip}, ls...)...)
}

func icmp6(typ uint8) *layers.ICMPv6 {
	return &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(typ, 0)}
}

func TestICMPv6Info(t *testing.T) {
	ns := ethIPv6(t, ip6A, net.ParseIP("ff02::1:ff00:1000"), icmp6(135), &layers.ICMPv6NeighborSolicitation{
		TargetAddress: ip6B, Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: macA}}})
	na := ethIPv6(t, ip6B, ip6A, icmp6(136), &layers.ICMPv6NeighborAdvertisement{Flags: 0x60, TargetAddress: ip6B,
		Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptTargetAddress, Data: macB}}})
	dad := ethIPv6(t, net.IPv6zero, net.ParseIP("ff02::1:ff00:1000"), icmp6(135), &layers.ICMPv6NeighborSolicitation{TargetAddress: ip6B})
	rs := ethIPv6(t, ip6A, net.ParseIP("ff02::2"), icmp6(133), &layers.ICMPv6RouterSolicitation{
		Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: macA}}})
	ra := ethIPv6(t, ip6B, net.ParseIP("ff02::1"), icmp6(134), &layers.ICMPv6RouterAdvertisement{HopLimit: 64, Flags: 0x20, RouterLifetime: 15,
		Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptMTU, Data: []byte{0, 0, 0, 0, 0, 100}}, {Type: layers.ICMPv6OptSourceAddress, Data: macB}}})
	req := ethIPv6(t, ip6A, ip6B, icmp6(128), &layers.ICMPv6Echo{Identifier: 0xeaf5, SeqNumber: 2}, gopacket.Payload(make([]byte, 32)))
	rep := ethIPv6(t, ip6B, ip6A, icmp6(129), &layers.ICMPv6Echo{Identifier: 0xeaf5, SeqNumber: 2}, gopacket.Payload(make([]byte, 32)))
	unreach := ethIPv6(t, ip6B, ip6A, &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(1, 4)}, gopacket.Payload(make([]byte, 4)))

	pk := func(b []byte) linkPkt { return linkPkt{lt: 1, data: b} }
	s, _ := dissectSeq(t, pk(ns), pk(na), pk(dad), pk(rs), pk(ra), pk(req), pk(rep), pk(unreach))
	want := []string{
		"Neighbor Solicitation for 2001:db8:1:2::1000 from 00:11:22:33:44:55",
		"Neighbor Advertisement 2001:db8:1:2::1000 (sol, ovr) is at 66:77:88:99:aa:bb",
		"Neighbor Solicitation for 2001:db8:1:2::1000",
		"Router Solicitation from 00:11:22:33:44:55",
		"Router Advertisement from 66:77:88:99:aa:bb",
		"Echo (ping) request id=0xeaf5, seq=2, hop limit=64",
		"Echo (ping) reply id=0xeaf5, seq=2, hop limit=64 (request in 6)",
		"Destination Unreachable (port unreachable)",
	}
	for i, w := range want {
		if string(s[i].Info) != w || string(s[i].Protocol) != "ICMPv6" {
			t.Errorf("frame %d: got %q %q, want ICMPv6 %q", i+1, s[i].Protocol, s[i].Info, w)
		}
	}
}

func TestIPv6ExtensionHeaders(t *testing.T) {
	hbh := &layers.IPv6HopByHop{}
	hbh.NextHeader = layers.IPProtocolICMPv6
	hbh.Options = []*layers.IPv6HopByHopOption{{OptionType: 5, OptionData: []byte{0, 0}}, {OptionType: 1, OptionData: []byte{}}}
	eth := &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv6}
	ip := &layers.IPv6{Version: 6, HopLimit: 1, NextHeader: layers.IPProtocolIPv6HopByHop, SrcIP: ip6A, DstIP: net.ParseIP("ff02::16")}
	mld := icmp6(143)
	_ = mld.SetNetworkLayerForChecksum(ip)
	frame := serializeL(t, eth, ip, hbh, mld, gopacket.Payload([]byte{0, 0, 0, 0}))
	s, _ := dissectSeq(t, linkPkt{lt: 1, data: frame})
	if string(s[0].Protocols) != "eth:ethertype:ipv6:ipv6.hopopts:icmpv6" || string(s[0].Info) != "Multicast Listener Report Message v2" {
		t.Errorf("got %q %q", s[0].Protocols, s[0].Info)
	}
	d := NewDissector(nil)
	tr, _ := d.Tree(&Packet{Num: 1, Data: frame, OrigLen: len(frame), LinkType: 1})
	var ra string
	tr.Walk(func(n *Node, _ int) {
		if n.Abbrev() == "ipv6.opt.router_alert" {
			ra = n.Text
		}
	})
	if ra != "Router Alert: MLD (0)" {
		t.Errorf("router alert %q", ra)
	}
}

func TestIPv6Malformed(t *testing.T) {
	ok := ethIPv6(t, ip6A, ip6B, icmp6(128), &layers.ICMPv6Echo{Identifier: 1, SeqNumber: 1})
	tests := []struct {
		name         string
		frame        []byte
		orig         int
		info, protos string
	}{
		{"header of 39 bytes", ok[:14+39], 0, "Invalid IPv6 header (39 bytes, need exactly 40)[Malformed Packet]", "eth:ethertype:ipv6"},
		{"payload length zero", func() []byte {
			b := append([]byte(nil), ok...)
			b[18], b[19] = 0, 0
			return b
		}(), 0, "[Malformed Packet]", "eth:ethertype:ipv6:icmpv6"},
		{"bad version", func() []byte {
			b := append([]byte(nil), ok...)
			b[14] = 0x45
			return b
		}(), 0, "IPv6", "eth:ethertype:data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := dissectSeq(t, linkPkt{lt: 1, data: tc.frame, orig: tc.orig})
			if string(s[0].Info) != tc.info || string(s[0].Protocols) != tc.protos {
				t.Errorf("got %q %q, want %q %q", s[0].Info, s[0].Protocols, tc.info, tc.protos)
			}
		})
	}
	// An option of length zero ends option parsing without a panic.
	ns := ethIPv6(t, ip6A, ip6B, icmp6(135), &layers.ICMPv6NeighborSolicitation{TargetAddress: ip6B}, gopacket.Payload([]byte{1, 0, 0, 0, 0, 0, 0, 0}))
	if s, _ := dissectSeq(t, linkPkt{lt: 1, data: ns}); string(s[0].Info) != "Neighbor Solicitation for 2001:db8:1:2::1000" {
		t.Errorf("zero-length option: %q", s[0].Info)
	}
}

func TestARPInfo(t *testing.T) {
	arp := func(op uint16, sha net.HardwareAddr, spa net.IP, tha net.HardwareAddr, tpa net.IP) []byte {
		return serializeL(t, &layers.Ethernet{SrcMAC: macA, DstMAC: layers.EthernetBroadcast, EthernetType: layers.EthernetTypeARP},
			&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
				Operation: op, SourceHwAddress: sha, SourceProtAddress: spa, DstHwAddress: tha, DstProtAddress: tpa})
	}
	zero := make(net.HardwareAddr, 6)
	tests := []struct {
		frame       []byte
		proto, info string
	}{
		{arp(1, macA, ipA, zero, ipB), "ARP", "Who has 192.168.1.2? Tell 192.168.1.1"},
		{arp(2, macB, ipB, macA, ipA), "ARP", "192.168.1.2 is at 66:77:88:99:aa:bb"},
		{arp(1, macA, ipA, zero, ipA), "ARP", "ARP Announcement for 192.168.1.1"},
		{arp(1, macA, ipA, macB, ipA), "ARP", "Gratuitous ARP for 192.168.1.1 (Request)"},
		{arp(2, macA, ipA, macB, ipA), "ARP", "Gratuitous ARP for 192.168.1.1 (Reply)"},
		{arp(1, macA, net.IPv4zero.To4(), zero, ipB), "ARP", "Who has 192.168.1.2? (ARP Probe)"},
		{arp(3, macA, ipA, macB, ipB), "RARP", "Who is 66:77:88:99:aa:bb? Tell 00:11:22:33:44:55"},
		{arp(4, macA, ipA, macB, ipB), "RARP", "66:77:88:99:aa:bb is at 192.168.1.2"},
	}
	for i, tc := range tests {
		s, _ := dissectSeq(t, linkPkt{lt: 1, data: tc.frame})
		if string(s[0].Protocol) != tc.proto || string(s[0].Info) != tc.info {
			t.Errorf("%d: got %q %q, want %q %q", i, s[0].Protocol, s[0].Info, tc.proto, tc.info)
		}
	}
	// Zero-length addresses, as in a fuzzed RARP reply.
	short := []byte{0, 0x0c, 0xff, 0x7f, 0x96, 0x77, 0xc0, 0xc1, 0xc0, 0xa0, 0, 0x64, 0x80, 0x35, 0xff, 0, 0x8b, 1, 0, 0, 0, 4}
	s, _ := dissectSeq(t, linkPkt{lt: 1, data: short, orig: 65570})
	if string(s[0].Protocol) != "RARP" || string(s[0].Info) != "<No address> is at <No address>" || s[0].Malformed || s[0].Short {
		t.Errorf("no-address RARP: %q %q", s[0].Protocol, s[0].Info)
	}
	// Every cut of a request is marked and does not panic.
	req := tests[0].frame
	for n := 14; n < 42; n++ {
		s, _ := dissectSeq(t, linkPkt{lt: 1, data: req[:n], orig: len(req)})
		if !s[0].Short {
			t.Errorf("cut at %d not marked: %q", n, s[0].Info)
		}
	}
}

// FuzzLinkLayers runs arbitrary bytes through every link type handled
// here; any panic other than the bounds errors is a bug.
func FuzzLinkLayers(f *testing.F) {
	for _, lt := range []uint16{0, 1, 12, 101, 108, 113, 228, 229, 276} {
		f.Add(lt, []byte{0x45, 0, 0, 28, 0, 1, 0x20, 0, 64, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 0, 0, 0, 0, 1, 0, 1})
		f.Add(lt, []byte{0x60, 0, 0, 0, 0, 8, 58, 64, 32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 135, 0, 0, 0, 0, 0, 0, 0})
	}
	f.Add(uint16(1), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3, 4, 5, 0x81, 0, 0, 1, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1})
	f.Fuzz(func(t *testing.T, lt uint16, data []byte) {
		d := NewDissector(nil)
		d.NoRecover = true
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(boundsErr); !ok {
					t.Fatalf("panic: %v", r)
				}
			}
		}()
		d.Summary(&Packet{Num: 1, Data: data, OrigLen: len(data) + 10, LinkType: lt})
		d.Tree(&Packet{Num: 1, Data: data, OrigLen: len(data), LinkType: lt})
	})
}
