package dissect

import (
	"net"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// udpFrame serialises Ethernet/IPv4/UDP around payload with gopacket. The
// client is 192.168.0.2, the server (the side with the lower port) .1.
func udpFrame(t testing.TB, sport, dport uint16, payload gopacket.SerializableLayer) []byte {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{0, 0x0b, 0x82, 1, 0xfc, 0x42}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, EthernetType: layers.EthernetTypeIPv4}
	src, dst := net.IP{192, 168, 0, 2}, net.IP{192, 168, 0, 1}
	if sport < dport {
		src, dst = dst, src
	}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: src, DstIP: dst}
	udp := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, payload); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rawFrame wraps raw UDP payload bytes.
func rawFrame(t testing.TB, sport, dport uint16, payload []byte) []byte {
	return udpFrame(t, sport, dport, gopacket.Payload(payload))
}

func summarize(data []byte) Summary {
	d := NewDissector(nil)
	return d.Summary(&Packet{Num: 1, Data: data, OrigLen: len(data), LinkType: 1, Iface: -1})
}

// treeText renders a tree one node per line; string values are unquoted so
// that expectations read like Wireshark's output.
func treeText(tr *Tree) string {
	var b strings.Builder
	tr.Walk(func(n *Node, depth int) {
		b.WriteString(strings.Repeat("  ", depth))
		text := n.Text
		if n.Field != nil && n.Field.Type == FTString {
			text = strings.Replace(strings.TrimSuffix(text, `"`), `: "`, ": ", 1)
		}
		b.WriteString(text)
		b.WriteByte('\n')
	})
	return b.String()
}

func TestDNSInfo(t *testing.T) {
	q := layers.DNSQuestion{Name: []byte("example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}
	tests := []struct {
		name      string
		dns       *layers.DNS
		port      uint16
		proto     string
		info      string
		treeLines []string
	}{
		{
			name:  "query",
			dns:   &layers.DNS{ID: 0x1a2b, RD: true, QDCount: 1, Questions: []layers.DNSQuestion{q}},
			port:  53,
			proto: "DNS",
			info:  "Standard query 0x1a2b A example.com",
			treeLines: []string{"Domain Name System (query)", "Flags: 0x0100 Standard query",
				"example.com: type A, class IN", "[Name Length: 11]", "[Label Count: 2]",
				"Type: A (Host Address) (1)", "Class: IN (0x0001)"},
		},
		{
			name: "response with several record types",
			dns: &layers.DNS{ID: 0x7d9e, QR: true, RD: true, RA: true, Questions: []layers.DNSQuestion{q},
				Answers: []layers.DNSResourceRecord{
					{Name: []byte("example.com"), Type: layers.DNSTypeCNAME, Class: layers.DNSClassIN, TTL: 225, CNAME: []byte("www.example.net")},
					{Name: []byte("www.example.net"), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 3600, IP: net.IP{129, 111, 30, 27}},
					{Name: []byte("www.example.net"), Type: layers.DNSTypeAAAA, Class: layers.DNSClassIN, TTL: 60, IP: net.ParseIP("2001:db8::1")},
					{Name: []byte("example.com"), Type: layers.DNSTypeMX, Class: layers.DNSClassIN, TTL: 60, MX: layers.DNSMX{Preference: 10, Name: []byte("mail.example.com")}},
					{Name: []byte("example.com"), Type: layers.DNSTypeTXT, Class: layers.DNSClassIN, TTL: 60, TXTs: [][]byte{[]byte("v=spf1 -all")}},
				},
				Authorities: []layers.DNSResourceRecord{
					{Name: []byte("example.com"), Type: layers.DNSTypeNS, Class: layers.DNSClassIN, TTL: 86400, NS: []byte("ns1.example.com")},
					{Name: []byte("example.com"), Type: layers.DNSTypeSOA, Class: layers.DNSClassIN, TTL: 86400, SOA: layers.DNSSOA{MName: []byte("ns1.example.com"), RName: []byte("hostmaster.example.com"), Serial: 7, Refresh: 3600, Retry: 600, Expire: 86400, Minimum: 60}},
				},
				Additionals: []layers.DNSResourceRecord{
					{Name: []byte("_sip._udp.example.com"), Type: layers.DNSTypeSRV, Class: layers.DNSClassIN, TTL: 60, SRV: layers.DNSSRV{Priority: 1, Weight: 2, Port: 5060, Name: []byte("sip.example.com")}},
					{Name: []byte("4.3.2.1.in-addr.arpa"), Type: layers.DNSTypePTR, Class: layers.DNSClassIN, TTL: 60, PTR: []byte("host.example.com")},
				},
			},
			port:  53,
			proto: "DNS",
			info: "Standard query response 0x7d9e A example.com CNAME www.example.net A 129.111.30.27 " +
				"AAAA 2001:db8::1 MX 10 mail.example.com TXT NS ns1.example.com SOA ns1.example.com " +
				"SRV 1 2 5060 sip.example.com PTR host.example.com",
			treeLines: []string{"Domain Name System (response)", "Flags: 0x8180 Standard query response, No error",
				"example.com: type CNAME, class IN, cname www.example.net", "Time to live: 225 (3 minutes, 45 seconds)",
				"www.example.net: type A, class IN, addr 129.111.30.27", "Address: 129.111.30.27",
				"AAAA Address: 2001:db8::1", "TXT: v=spf1 -all", "Responsible authority's mailbox: hostmaster.example.com",
				"Refresh Interval: 3600 (1 hour)", "Service: _sip", "Protocol: _udp", "Target: sip.example.com",
				"4.3.2.1.in-addr.arpa: type PTR, class IN, host.example.com", "[Unsolicited: True]"},
		},
		{
			name:  "no such name",
			dns:   &layers.DNS{ID: 0x0b61, QR: true, RD: true, RA: true, ResponseCode: layers.DNSResponseCodeNXDomain, Questions: []layers.DNSQuestion{{Name: []byte("wpad.HOME"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}},
			port:  53,
			proto: "DNS",
			info:  "Standard query response 0x0b61 No such name A wpad.HOME",
		},
		{
			name:  "mdns query",
			dns:   &layers.DNS{Questions: []layers.DNSQuestion{{Name: []byte("_sane-port._tcp.local"), Type: layers.DNSTypePTR, Class: layers.DNSClassIN}}},
			port:  5353,
			proto: "MDNS",
			info:  `Standard query 0x0000 PTR _sane-port._tcp.local, "QM" question`,
		},
		{
			name:  "llmnr query",
			dns:   &layers.DNS{ID: 0xa706, Questions: []layers.DNSQuestion{{Name: []byte("wpad"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}},
			port:  5355,
			proto: "LLMNR",
			info:  "Standard query 0xa706 A wpad",
			treeLines: []string{"Link-local Multicast Name Resolution (query)", ".... .0.. .... .... = Conflict: None",
				".... ...0 .... .... = Tentative: Not tentative"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := udpFrame(t, 40000, tt.port, tt.dns)
			s := summarize(data)
			if string(s.Protocol) != tt.proto || string(s.Info) != tt.info {
				t.Errorf("got %s %q\nwant %s %q", s.Protocol, s.Info, tt.proto, tt.info)
			}
			d := NewDissector(nil)
			tr, s2 := d.Tree(&Packet{Num: 1, Data: data, OrigLen: len(data), LinkType: 1, Iface: -1})
			if string(s2.Info) != tt.info {
				t.Errorf("tree pass Info %q, want %q", s2.Info, tt.info)
			}
			text := treeText(tr)
			for _, l := range tt.treeLines {
				if !strings.Contains(text, l) {
					t.Errorf("tree lacks %q:\n%s", l, text)
				}
			}
		})
	}
}

// TestDNSNames checks that compression pointers (which gopacket does
// not write) are followed, and that loops and long names are caught.
func TestDNSNames(t *testing.T) {
	hdr := func(flags uint16, qd, an uint16) []byte {
		return []byte{0x12, 0x34, byte(flags >> 8), byte(flags), 0, byte(qd), 0, byte(an), 0, 0, 0, 0}
	}
	label := func(s ...string) []byte {
		var b []byte
		for _, l := range s {
			b = append(b, byte(len(l)))
			b = append(b, l...)
		}
		return append(b, 0)
	}
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	long := make([]string, 5)
	for i := range long {
		long[i] = strings.Repeat("x", 60)
	}
	tests := []struct {
		name    string
		payload []byte
		info    string
	}{
		{"compressed answer", cat(hdr(0x8180, 1, 1), label("a", "example", "com"), []byte{0, 1, 0, 1},
			[]byte{0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4, 1, 'b', 0xc0, 14}),
			"Standard query response 0x1234 A a.example.com CNAME b.example.com"},
		{"pointer loop", cat(hdr(0x0100, 1, 0), []byte{0xc0, 12, 0, 1, 0, 1}),
			"Standard query 0x1234 A <Name contains a pointer that loops>"},
		{"name too long", cat(hdr(0x0100, 1, 0), label(long...), []byte{0, 1, 0, 1}),
			"Standard query 0x1234 A <Name too long>"},
		{"root", cat(hdr(0x0100, 1, 0), []byte{0, 0, 2, 0, 1}), "Standard query 0x1234 NS <Root>"},
		{"escaped bytes", cat(hdr(0x0100, 1, 0), label("a\x01b"), []byte{0, 1, 0, 1}), `Standard query 0x1234 A a\001b`},
		{"reserved label type", cat(hdr(0x0100, 1, 0), []byte{0x80, 0, 0, 1, 0, 1}), "Standard query 0x1234[Malformed Packet]"},
		{"truncated record", cat(hdr(0x8180, 1, 1), label("a"), []byte{0, 1, 0, 1}, []byte{0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10}),
			"Standard query response 0x1234 A a A[Malformed Packet]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := summarize(rawFrame(t, 53, 40000, tt.payload))
			if string(s.Info) != tt.info {
				t.Errorf("Info %q, want %q", s.Info, tt.info)
			}
		})
	}
}

// TestDNSRequestResponse checks request/response matching across passes.
func TestDNSRequestResponse(t *testing.T) {
	q := layers.DNSQuestion{Name: []byte("example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}
	req := udpFrame(t, 40000, 53, &layers.DNS{ID: 7, Questions: []layers.DNSQuestion{q}})
	resp := udpFrame(t, 53, 40000, &layers.DNS{ID: 7, QR: true, Questions: []layers.DNSQuestion{q}})
	d := NewDissector(nil)
	pkts := []*Packet{
		{Num: 1, Data: req, OrigLen: len(req), LinkType: 1, Iface: -1, HasTime: true, TS: 1e9},
		{Num: 2, Data: resp, OrigLen: len(resp), LinkType: 1, Iface: -1, HasTime: true, TS: 1e9 + 5e6},
	}
	for _, p := range pkts {
		d.Summary(p)
	}
	tr, _ := d.Tree(pkts[0])
	if txt := treeText(tr); !strings.Contains(txt, "[Response In: 2]") {
		t.Errorf("request tree lacks the response link:\n%s", txt)
	}
	tr, _ = d.Tree(pkts[1])
	txt := treeText(tr)
	for _, want := range []string{"[Request In: 1]", "[Time: 0.005000000 seconds]", "[Stream index: 0]"} {
		if !strings.Contains(txt, want) {
			t.Errorf("response tree lacks %q:\n%s", want, txt)
		}
	}
}

// TestDNSSummaryAllocs proves the fast path allocates nothing per packet.
func TestDNSSummaryAllocs(t *testing.T) {
	dns := &layers.DNS{ID: 0x7d9e, QR: true, RD: true, RA: true,
		Questions: []layers.DNSQuestion{{Name: []byte("picard.uthscsa.edu"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}},
		Answers: []layers.DNSResourceRecord{
			{Name: []byte("picard.uthscsa.edu"), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 60, IP: net.IP{129, 111, 30, 27}},
			{Name: []byte("picard.uthscsa.edu"), Type: layers.DNSTypeAAAA, Class: layers.DNSClassIN, TTL: 60, IP: net.ParseIP("2001:db8::1")},
		},
		Authorities: []layers.DNSResourceRecord{{Name: []byte("uthscsa.edu"), Type: layers.DNSTypeNS, Class: layers.DNSClassIN, TTL: 60, NS: []byte("kenobi.uthscsa.edu")}},
		Additionals: []layers.DNSResourceRecord{{Name: []byte(""), Type: layers.DNSTypeOPT, Class: 4096}},
	}
	data := udpFrame(t, 53, 40000, dns)
	d := NewDissector(nil)
	p := &Packet{Num: 1, Data: data, OrigLen: len(data), LinkType: 1, Iface: -1}
	s := d.Summary(p)
	want := "Standard query response 0x7d9e A picard.uthscsa.edu A 129.111.30.27 AAAA 2001:db8::1 NS kenobi.uthscsa.edu OPT"
	if string(s.Info) != want {
		t.Fatalf("Info %q, want %q", s.Info, want)
	}
	// The layers below DNS are measured on the same datagram sent to a port
	// nobody claims, so that this test pins DNS's own cost (zero) even while
	// a lower layer still allocates.
	plain := udpFrame(t, 40001, 40000, dns)
	pp := &Packet{Num: 1, Data: plain, OrigLen: len(plain), LinkType: 1, Iface: -1}
	d2 := NewDissector(nil)
	d2.Summary(pp)
	base := testing.AllocsPerRun(100, func() { d2.Summary(pp) })
	if n := testing.AllocsPerRun(100, func() { d.Summary(p) }); n > base {
		t.Errorf("Summary allocates %.1f times per DNS response, %.1f for the same bytes as plain UDP data: DNS must add none", n, base)
	}
	if base != 0 {
		t.Logf("note: the Ethernet/IPv4/UDP path allocates %.1f times per packet", base)
	}
}
