package dissect

import (
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// tlsClientHello is a minimal TLS 1.2 ClientHello record (one cipher suite,
// no extensions).
func tlsClientHello() []byte {
	hello := []byte{0x03, 0x03}                // client version
	hello = append(hello, make([]byte, 32)...) // random
	hello = append(hello, 0)                   // session id length
	hello = append(hello, 0, 2, 0xc0, 0x2f)    // cipher suites
	hello = append(hello, 1, 0)                // compression methods
	hello = append(hello, 0, 0)                // extensions length
	hs := append([]byte{1, 0, byte(len(hello) >> 8), byte(len(hello))}, hello...)
	return append([]byte{0x16, 0x03, 0x01, byte(len(hs) >> 8), byte(len(hs))}, hs...)
}

// allocPackets is a small capture exercising the common protocols: each
// entry is one frame, dissected in order.
func allocPackets(t testing.TB) (names []string, frames [][]byte) {
	add := func(name string, b []byte) {
		names = append(names, name)
		frames = append(frames, b)
	}
	for i, s := range handshake {
		add("tcp handshake "+string(rune('1'+i)), tcpFrame(t, 1234, s))
	}
	add("tcp data", tcpFrame(t, 1234, seg{flags: "PA", seq: 101, ack: 501, win: 4218, payload: "hello"}))
	add("tcp ack", tcpFrame(t, 1234, seg{fromServer: true, flags: "A", seq: 501, ack: 106, win: 5840}))
	add("http request", tcpFrame(t, 80, seg{flags: "PA", seq: 1, ack: 1, win: 100, payload: "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"}))
	add("http response", tcpFrame(t, 80, seg{fromServer: true, flags: "PA", seq: 1, ack: 38, win: 100,
		payload: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"}))
	add("tls client hello", tcpFrame(t, 443, seg{flags: "PA", seq: 1, ack: 1, win: 100, payload: string(tlsClientHello())}))
	q := &layers.DNS{ID: 0x1234, RD: true,
		Questions: []layers.DNSQuestion{{Name: []byte("www.example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	r := &layers.DNS{ID: 0x1234, QR: true, RD: true, RA: true, Questions: q.Questions,
		Answers: []layers.DNSResourceRecord{{Name: []byte("www.example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 60, IP: net.IP{93, 184, 216, 34}}}}
	add("dns query", udpFrame(t, 40000, 53, q))
	add("dns response", udpFrame(t, 53, 40000, r))
	add("arp", serializeL(t, &layers.Ethernet{SrcMAC: macA, DstMAC: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, EthernetType: layers.EthernetTypeARP},
		&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
			Operation: layers.ARPRequest, SourceHwAddress: macA, SourceProtAddress: net.IP{192, 168, 1, 10},
			DstHwAddress: make([]byte, 6), DstProtAddress: net.IP{192, 168, 1, 1}}))
	pl := gopacket.Payload([]byte("abcdefghijklmnopqrstuvwabcdefghi"))
	add("icmp echo request", ethIPv4(t, ipA, ipB, 64, 1, echo(8, 7, 1), pl))
	add("icmp echo reply", ethIPv4(t, ipB, ipA, 64, 2, echo(0, 7, 1), pl))
	add("icmpv6 neighbor solicitation", ethIPv6(t, ip6A, net.ParseIP("ff02::1:ff00:1000"), icmp6(135), &layers.ICMPv6NeighborSolicitation{
		TargetAddress: ip6B, Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: macA}}}))
	vip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ipA, DstIP: ipB}
	vudp := &layers.UDP{SrcPort: 40000, DstPort: 9999}
	_ = vudp.SetNetworkLayerForChecksum(vip)
	add("vlan udp", serializeL(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeDot1Q},
		&layers.Dot1Q{VLANIdentifier: 10, Type: layers.EthernetTypeIPv4}, vip, vudp, gopacket.Payload([]byte("data"))))
	ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolTCP, SrcIP: ip6A, DstIP: ip6B}
	tcp6 := &layers.TCP{SrcPort: 5000, DstPort: 22222, Seq: 1, SYN: true, Window: 1000}
	_ = tcp6.SetNetworkLayerForChecksum(ip6)
	add("ipv6 tcp", serializeL(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv6}, ip6, tcp6))
	return names, frames
}

// TestFastPathAllocs: once a capture had its first pass, summarising its
// packets again (scrolling the packet list) and evaluating a few fields
// (a display filter) allocate nothing, packet by packet.
func TestFastPathAllocs(t *testing.T) {
	names, frames := allocPackets(t)
	d := NewDissector(nil)
	pkts := make([]*Packet, len(frames))
	for i, b := range frames {
		pkts[i] = &Packet{Num: i + 1, Data: b, OrigLen: len(b), LinkType: 1, Iface: -1, HasTime: true, TS: int64(i) * 1e6}
		if s := d.Summary(pkts[i]); s.Malformed {
			t.Fatalf("%s: malformed: %s", names[i], s.Info)
		}
	}
	want := make([]bool, Fields().Len())
	for _, a := range []string{"ip.src", "tcp.port", "dns.qry.name", "frame.protocols", "eth.lg", "tcp.analysis.retransmission"} {
		f := Fields().Lookup(a)
		if f == nil {
			t.Fatalf("field %s not registered", a)
		}
		want[f.ID()] = true
	}
	tests := []struct {
		name string
		run  func(p *Packet)
	}{
		{"Summary", func(p *Packet) { d.Summary(p) }},
		{"Fields", func(p *Packet) { d.Fields(p, want) }},
	}
	for _, tc := range tests {
		for i, p := range pkts {
			tc.run(p) // warm up the Dissector's buffers
			if n := testing.AllocsPerRun(50, func() { tc.run(p) }); n != 0 {
				t.Errorf("%s of %s (frame %d) allocates %.1f times per packet, want 0", tc.name, names[i], p.Num, n)
			}
		}
	}
}
