package dissect

import (
	"bytes"
	"net"
	"slices"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// fieldValues dissects pkts in order (the first pass) and returns the
// `-T fields` texts of abbrev's items in the last packet, as a display
// filter or -e sees them on the fast path (Fields, no tree).
func fieldValues(t *testing.T, abbrev string, pkts ...*Packet) []string {
	t.Helper()
	f := Fields().Lookup(abbrev)
	if f == nil {
		t.Fatalf("field %s not registered", abbrev)
	}
	want := make([]bool, Fields().Len())
	want[f.ID()] = true
	d := NewDissector(nil)
	var items []Item
	for _, p := range pkts {
		items, _ = d.Fields(p, want)
	}
	var out []string
	for i := range items {
		if items[i].Field == f {
			out = append(out, string(FieldText(nil, &items[i])))
		}
	}
	return out
}

// seqPackets numbers frames 1..n as one capture of the given link type.
func seqPackets(lt uint16, frames ...[]byte) []*Packet {
	var ps []*Packet
	for i, b := range frames {
		ps = append(ps, &Packet{Num: i + 1, Data: b, OrigLen: len(b), LinkType: lt, Iface: 0, HasTime: true, TS: int64(i+1) * 1e6})
	}
	return ps
}

// sslv2ClientHello is an SSLv2-format ClientHello (2-byte record header)
// offering one cipher spec, as old clients send for compatibility.
func sslv2ClientHello() []byte {
	body := []byte{1, 0x03, 0x00, 0, 3, 0, 0, 0, 16, 0x01, 0x00, 0x80}
	body = append(body, make([]byte, 16)...)
	return append([]byte{0x80, byte(len(body))}, body...)
}

// TestFilterFields pins fields that display filters need on the fast path
// and that tshark 4.0 records (or not) as shown.
func TestFilterFields(t *testing.T) {
	dnsQuery := &layers.DNS{ID: 1, RD: true, Questions: []layers.DNSQuestion{{Name: []byte("a.example"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	nx := &layers.DNS{ID: 1, QR: true, RD: true, RA: true, ResponseCode: layers.DNSResponseCodeNXDomain, Questions: dnsQuery.Questions}
	data := seg{flags: "PA", seq: 101, ack: 501, win: 4218, payload: "hello"}
	handshakeThen := func(more ...seg) []*Packet {
		var fs [][]byte
		for _, s := range append(append([]seg(nil), handshake...), more...) {
			fs = append(fs, tcpFrame(t, 1234, s))
		}
		return seqPackets(1, fs...)
	}
	groupDst := serializeL(t, &layers.Ethernet{SrcMAC: net.HardwareAddr{0x02, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, EthernetType: layers.EthernetTypeARP},
		&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
			Operation: layers.ARPRequest, SourceHwAddress: macA, SourceProtAddress: net.IP{192, 168, 1, 10},
			DstHwAddress: make([]byte, 6), DstProtAddress: net.IP{192, 168, 1, 1}})
	pcap := seqPackets(1, udpFrame(t, 40000, 53, dnsQuery))
	ng := seqPackets(1, udpFrame(t, 40000, 53, dnsQuery))
	ng[0].PcapNG = true
	sll := seqPackets(113, append([]byte{0, 0, 0, 1, 0, 6, 0, 1, 2, 3, 4, 5, 0, 0, 0x08, 0x00}, udpFrame(t, 40000, 53, dnsQuery)[14:]...))

	tests := []struct {
		name   string
		abbrev string
		pkts   []*Packet
		want   []string
	}{
		// tshark records the response code of responses only.
		{"dns rcode of a query", "dns.flags.rcode", seqPackets(1, udpFrame(t, 40000, 53, dnsQuery)), nil},
		{"dns rcode of a response", "dns.flags.rcode", seqPackets(1, udpFrame(t, 53, 40000, nx)), []string{"3"}},
		{"dns query flag bits", "dns.flags.recdesired", seqPackets(1, udpFrame(t, 40000, 53, dnsQuery)), []string{"1"}},
		// An SSLv2 ClientHello's message type is tls.handshake.type.
		{"sslv2 client hello type", "tls.handshake.type",
			seqPackets(1, tcpFrame(t, 443, seg{flags: "PA", seq: 1, ack: 1, win: 100, payload: string(sslv2ClientHello())})), []string{"1"}},
		// A spurious retransmission is also a retransmission.
		{"spurious retransmission", "tcp.analysis.retransmission",
			handshakeThen(data, seg{fromServer: true, flags: "A", seq: 501, ack: 106, win: 5840}, data), []string{""}},
		{"spurious retransmission flag", "tcp.analysis.spurious_retransmission",
			handshakeThen(data, seg{fromServer: true, flags: "A", seq: 501, ack: 106, win: 5840}, data), []string{""}},
		{"plain retransmission", "tcp.analysis.retransmission", handshakeThen(data, data), []string{""}},
		{"no retransmission", "tcp.analysis.retransmission", handshakeThen(data), nil},
		// The LG/IG bits of both addresses, without a tree.
		{"eth.ig of broadcast and unicast", "eth.ig", seqPackets(1, groupDst), []string{"1", "0"}},
		{"eth.lg of broadcast and a local source", "eth.lg", seqPackets(1, groupDst), []string{"1", "1"}},
		{"eth.dst.ig", "eth.dst.ig", seqPackets(1, groupDst), []string{"1"}},
		{"eth.src.lg", "eth.src.lg", seqPackets(1, groupDst), []string{"1"}},
		// pcap records have no interface id; pcapng ones do.
		{"interface id of pcap", "frame.interface_id", pcap, nil},
		{"interface id of pcapng", "frame.interface_id", ng, []string{"0"}},
		// frame.encap_type is Wireshark's WTAP_ENCAP number.
		{"encap ethernet", "frame.encap_type", pcap, []string{"1"}},
		{"encap sll", "frame.encap_type", sll, []string{"25"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldValues(t, tc.abbrev, tc.pkts...); !slices.Equal(got, tc.want) {
				t.Errorf("%s = %q, want %q", tc.abbrev, got, tc.want)
			}
		})
	}
}

// TestProtocolValues: a protocol's filter value is its layer's data,
// payload included (`tcp contains "GET"`), with the length Wireshark gives
// len() and slices in U (see Value).
func TestProtocolValues(t *testing.T) {
	get := tcpFrame(t, 80, seg{flags: "PA", seq: 1, ack: 1, win: 100, payload: "GET / HTTP/1.1\r\n\r\n"})
	dnsQ := udpFrame(t, 40000, 53, &layers.DNS{ID: 1, Questions: []layers.DNSQuestion{{Name: []byte("a.example"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}})
	padded := append(append([]byte(nil), dnsQ...), 0, 0, 0, 0) // an Ethernet trailer is not IP's
	tests := []struct {
		name     string
		frame    []byte
		abbrev   string
		contains string
		start    int // offset of the value in the frame
		length   int // len() of the value
	}{
		{"tcp", get, "tcp", "GET", 34, len(get) - 34},
		{"ip", get, "ip", "GET", 14, 20},
		{"eth", get, "eth", "GET", 0, 14},
		{"udp", dnsQ, "udp", "example", 34, 8},
		{"ip without the link trailer", padded, "ip", "example", 14, 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := Fields().Lookup(tc.abbrev)
			want := make([]bool, Fields().Len())
			want[f.ID()] = true
			d := NewDissector(nil)
			items, _ := d.Fields(&Packet{Num: 1, Data: tc.frame, OrigLen: len(tc.frame), LinkType: 1, Iface: -1}, want)
			var it *Item
			for i := range items {
				if items[i].Field == f {
					it = &items[i]
				}
			}
			if it == nil {
				t.Fatalf("no %s item", tc.abbrev)
			}
			b := it.Val.B
			if !bytes.Contains(b, []byte(tc.contains)) {
				t.Errorf("%s value does not contain %q", tc.abbrev, tc.contains)
			}
			if len(b) == 0 || &b[0] != &tc.frame[tc.start] {
				t.Errorf("%s value does not start at frame offset %d", tc.abbrev, tc.start)
			}
			end := tc.start + len(b)
			if tc.name == "ip without the link trailer" && end != len(padded)-4 {
				t.Errorf("ip value ends at %d, want %d (before the trailer)", end, len(padded)-4)
			}
			n := len(b)
			if it.Val.U != 0 {
				n = int(it.Val.U - 1)
			}
			if n != tc.length {
				t.Errorf("len(%s) = %d, want %d", tc.abbrev, n, tc.length)
			}
		})
	}
}
