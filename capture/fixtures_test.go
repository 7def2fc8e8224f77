package capture_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/kaiseki-app/kaiseki/capture"
)

// The fx-* fixtures in ../testdata are made by this file, never by hand or by
// a capture tool, so they can be reviewed as code and rebuilt:
//
//	go test ./capture -run TestFixtures -update
var update = flag.Bool("update", false, "rewrite the generated fixtures in ../testdata")

const testdataDir = "../testdata"

// wantRec is what the reader must return for one record.
type wantRec struct {
	kind     capture.RecordKind
	hasTime  bool
	iface    int
	ts       int64 // ns since the epoch
	capLen   int
	origLen  int
	comments []string
	data     []byte
	pen      uint32 // custom blocks
	noCopy   bool
}

// fixture is a capture built by code with everything a reader must find in it.
type fixture struct {
	name   string
	data   []byte
	format capture.Format
	gz     bool
	links  []uint16 // link type per interface (numbered across sections)
	recs   []wantRec
	// resolutions per interface, TSResolution digits, when checked.
	tsres []int
	// exact says whether gopacket's readers give the same timestamps
	// (they scale binary resolutions with an inexact integer factor).
	exactForPcapgo bool
	// noPcapgo: gopacket's readers cannot read the file (custom blocks
	// listed as frames, several sections).
	noPcapgo bool
}

// pkt is one packet of a generated capture.
type pkt struct {
	ts       int64 // ns since the epoch
	data     []byte
	orig     int // 0: len(data)
	iface    int
	comments []string
}

func (p pkt) origLen() int {
	if p.orig == 0 {
		return len(p.data)
	}
	return p.orig
}

// baseTS is 2023-11-14T22:13:20.123456789Z.
const baseTS = int64(1700000000_123456789)

func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		t.Fatalf("serialize: %v", err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

var (
	macA = net.HardwareAddr{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}
	macB = net.HardwareAddr{0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc}
	ipA  = net.IP{192, 168, 1, 10}
	ipGW = net.IP{192, 168, 1, 1}
	ipW  = net.IP{93, 184, 216, 34}
	ip6A = net.ParseIP("fe80::211:22ff:fe33:4455")
	ip6B = net.ParseIP("fe80::1")
)

func eth(src, dst net.HardwareAddr, typ layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: typ}
}

func ip4(src, dst net.IP, proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Id: 0x1c46, Flags: layers.IPv4DontFragment, Protocol: proto, SrcIP: src, DstIP: dst}
}

// samplePackets is a small but realistic Ethernet conversation: ARP, DNS,
// a TCP connection with an HTTP request, ICMP echo, ICMPv6 NDP, a VLAN tag
// and a packet cut by the snapshot length.
func samplePackets(t testing.TB) []pkt {
	t.Helper()
	var ps []pkt
	ts := baseTS
	add := func(data []byte, comments ...string) {
		ps = append(ps, pkt{ts: ts, data: data, comments: comments})
		ts += 1_234_567 // 1.234567 ms, so µs files round differently from ns ones
	}
	bcast := net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	add(serialize(t, eth(macA, bcast, layers.EthernetTypeARP), &layers.ARP{
		AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: layers.ARPRequest, SourceHwAddress: macA, SourceProtAddress: ipA,
		DstHwAddress: make([]byte, 6), DstProtAddress: ipGW,
	}))
	add(serialize(t, eth(macB, macA, layers.EthernetTypeARP), &layers.ARP{
		AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: layers.ARPReply, SourceHwAddress: macB, SourceProtAddress: ipGW,
		DstHwAddress: macA, DstProtAddress: ipA,
	}))
	dnsQ := &layers.DNS{ID: 0x1a2b, RD: true, Questions: []layers.DNSQuestion{{Name: []byte("example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	{
		ip, udp := ip4(ipA, ipGW, layers.IPProtocolUDP), &layers.UDP{SrcPort: 53000, DstPort: 53}
		_ = udp.SetNetworkLayerForChecksum(ip)
		add(serialize(t, eth(macA, macB, layers.EthernetTypeIPv4), ip, udp, dnsQ))
	}
	{
		ans := *dnsQ
		ans.QR, ans.RA = true, true
		ans.Answers = []layers.DNSResourceRecord{{Name: []byte("example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 3600, IP: ipW}}
		ip, udp := ip4(ipGW, ipA, layers.IPProtocolUDP), &layers.UDP{SrcPort: 53, DstPort: 53000}
		_ = udp.SetNetworkLayerForChecksum(ip)
		add(serialize(t, eth(macB, macA, layers.EthernetTypeIPv4), ip, udp, &ans))
	}
	tcp := func(src, dst net.IP, sport, dport layers.TCPPort, seq, ack uint32, flags string, payload []byte) []byte {
		ip := ip4(src, dst, layers.IPProtocolTCP)
		tc := &layers.TCP{SrcPort: sport, DstPort: dport, Seq: seq, Ack: ack, Window: 64240}
		for _, f := range flags {
			switch f {
			case 'S':
				tc.SYN = true
				tc.Options = []layers.TCPOption{
					{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0x05, 0xb4}},
					{OptionType: layers.TCPOptionKindNop, OptionLength: 1},
					{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{7}},
				}
			case 'A':
				tc.ACK = true
			case 'P':
				tc.PSH = true
			case 'F':
				tc.FIN = true
			}
		}
		_ = tc.SetNetworkLayerForChecksum(ip)
		srcMAC, dstMAC := macA, macB
		if src.Equal(ipW) {
			srcMAC, dstMAC = macB, macA
		}
		return serialize(t, eth(srcMAC, dstMAC, layers.EthernetTypeIPv4), ip, tc, gopacket.Payload(payload))
	}
	get := []byte("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: kaiseki-fixture\r\n\r\n")
	add(tcp(ipA, ipW, 51234, 80, 1000, 0, "S", nil))
	add(tcp(ipW, ipA, 80, 51234, 5000, 1001, "SA", nil))
	add(tcp(ipA, ipW, 51234, 80, 1001, 5001, "A", nil))
	add(tcp(ipA, ipW, 51234, 80, 1001, 5001, "PA", get), "HTTP request", "second comment")
	add(tcp(ipW, ipA, 80, 51234, 5001, 1001+uint32(len(get)), "A", nil))
	{
		ip := ip4(ipA, net.IP{8, 8, 8, 8}, layers.IPProtocolICMPv4)
		add(serialize(t, eth(macA, macB, layers.EthernetTypeIPv4), ip,
			&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeEchoRequest, 0), Id: 3, Seq: 1},
			gopacket.Payload("abcdefghijklmnopqrstuvwabcdefghi")))
		ip = ip4(net.IP{8, 8, 8, 8}, ipA, layers.IPProtocolICMPv4)
		add(serialize(t, eth(macB, macA, layers.EthernetTypeIPv4), ip,
			&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeEchoReply, 0), Id: 3, Seq: 1},
			gopacket.Payload("abcdefghijklmnopqrstuvwabcdefghi")))
	}
	{
		ip6 := &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolICMPv6, SrcIP: ip6A, DstIP: net.ParseIP("ff02::1:ff00:1")}
		icmp := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(layers.ICMPv6TypeNeighborSolicitation, 0)}
		_ = icmp.SetNetworkLayerForChecksum(ip6)
		ns := &layers.ICMPv6NeighborSolicitation{TargetAddress: ip6B, Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: macA}}}
		add(serialize(t, eth(macA, net.HardwareAddr{0x33, 0x33, 0xff, 0, 0, 1}, layers.EthernetTypeIPv6), ip6, icmp, ns))
	}
	{
		ip, udp := ip4(ipA, ipGW, layers.IPProtocolUDP), &layers.UDP{SrcPort: 53001, DstPort: 53}
		_ = udp.SetNetworkLayerForChecksum(ip)
		q := *dnsQ
		q.ID = 0x1a2c
		add(serialize(t, eth(macA, macB, layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 10, Type: layers.EthernetTypeIPv4}, ip, udp, &q))
	}
	add(tcp(ipA, ipW, 51234, 80, 1001+uint32(len(get)), 5001, "FA", nil))
	{
		// Port unreachable for the DNS query: two IPv4 headers, so ip.src
		// occurs twice.
		quoted := ps[2].data[14 : 14+28]
		ip := ip4(ipGW, ipA, layers.IPProtocolICMPv4)
		add(serialize(t, eth(macB, macA, layers.EthernetTypeIPv4), ip,
			&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4CodePort)},
			gopacket.Payload(quoted)))
	}
	// A big packet cut by a 96-byte snapshot length.
	big := tcp(ipW, ipA, 80, 51234, 5001, 1002+uint32(len(get)), "PA", bytes.Repeat([]byte("0123456789abcdef"), 80))
	ps = append(ps, pkt{ts: ts, data: big[:96], orig: len(big)})
	return ps
}

// truncTS truncates ns to the given number of decimal digits of a second.
func truncTS(ns int64, digits int) int64 {
	unit := int64(1)
	for i := digits; i < 9; i++ {
		unit *= 10
	}
	return ns / unit * unit
}

// wantFromPkts lists the records a file written from ps must give; pcap
// files (ng false) cannot keep comments.
func wantFromPkts(ps []pkt, digits int, ng bool) []wantRec {
	out := make([]wantRec, len(ps))
	for i, p := range ps {
		out[i] = wantRec{
			kind: capture.KindPacket, hasTime: true, iface: p.iface, ts: truncTS(p.ts, digits),
			capLen: len(p.data), origLen: p.origLen(), data: p.data,
		}
		if ng {
			out[i].comments = p.comments
		}
	}
	return out
}

func writePcapgo(t testing.TB, ps []pkt, nanos bool, link layers.LinkType) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if nanos {
		w = pcapgo.NewWriterNanos(&buf)
	}
	if err := w.WriteFileHeader(65535, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(0, p.ts), CaptureLength: len(p.data), Length: p.origLen()}
		if err := w.WritePacket(ci, p.data); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// loopback prefixes an IP packet with the BSD null header (host order).
func loopback(family uint32, ip []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, family)
	return append(b, ip...)
}

// sampleNG is the sample conversation on two interfaces (Ethernet and BSD
// loopback) written by gopacket's pcapng writer, with packet comments.
func sampleNG(t testing.TB) ([]byte, []pkt) {
	t.Helper()
	ps := samplePackets(t)
	// Two loopback packets in the middle, on interface 1.
	ip := ip4(net.IP{127, 0, 0, 1}, net.IP{127, 0, 0, 1}, layers.IPProtocolUDP)
	udp := &layers.UDP{SrcPort: 40000, DstPort: 9}
	_ = udp.SetNetworkLayerForChecksum(ip)
	lo := loopback(2, serialize(t, ip, udp, gopacket.Payload("discard me")))
	mid := len(ps) / 2
	extra := []pkt{{ts: ps[mid].ts + 1, data: lo, iface: 1}, {ts: ps[mid].ts + 2, data: lo, iface: 1, comments: []string{"on lo0"}}}
	ps = append(ps[:mid:mid], append(extra, ps[mid:]...)...)

	var buf bytes.Buffer
	opts := pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{Hardware: "any", OS: "any", Application: "kaiseki fixtures"}}
	w, err := pcapgo.NewNgWriterInterface(&buf, pcapgo.NgInterface{Name: "eth0", LinkType: layers.LinkTypeEthernet, SnapLength: 65535}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddInterface(pcapgo.NgInterface{Name: "lo0", Description: "loopback", LinkType: layers.LinkTypeNull}); err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(0, p.ts), CaptureLength: len(p.data), Length: p.origLen(), InterfaceIndex: p.iface}
		if err := w.WritePacketWithOptions(ci, p.data, pcapgo.NgPacketOptions{Comments: p.comments}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), ps
}

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.ModTime = time.Unix(0, 0) // deterministic output
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// order is a byte order that can also append.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// pcapBuilder writes classic pcap by hand, in either byte order.
type pcapBuilder struct {
	bo   order
	nano bool
	b    []byte
}

func newPcap(bo order, nano bool, snap uint32, link uint32) *pcapBuilder {
	p := &pcapBuilder{bo: bo, nano: nano}
	magic := uint32(0xa1b2c3d4)
	if nano {
		magic = 0xa1b23c4d
	}
	p.b = bo.AppendUint32(p.b, magic)
	p.b = bo.AppendUint16(p.b, 2)
	p.b = bo.AppendUint16(p.b, 4)
	p.b = bo.AppendUint32(p.b, 0) // thiszone
	p.b = bo.AppendUint32(p.b, 0) // sigfigs
	p.b = bo.AppendUint32(p.b, snap)
	p.b = bo.AppendUint32(p.b, link)
	return p
}

func (p *pcapBuilder) packet(ns int64, data []byte, orig int) {
	frac := ns % 1e9
	if !p.nano {
		frac /= 1000
	}
	p.b = p.bo.AppendUint32(p.b, uint32(ns/1e9))
	p.b = p.bo.AppendUint32(p.b, uint32(frac))
	p.b = p.bo.AppendUint32(p.b, uint32(len(data)))
	p.b = p.bo.AppendUint32(p.b, uint32(orig))
	p.b = append(p.b, data...)
}

// ngBuilder writes pcapng blocks by hand, in the byte order of the current
// section.
type ngBuilder struct {
	bo order
	b  []byte
}

func (w *ngBuilder) block(typ uint32, body []byte) {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	total := uint32(12 + len(body))
	w.b = w.bo.AppendUint32(w.b, typ)
	w.b = w.bo.AppendUint32(w.b, total)
	w.b = append(w.b, body...)
	w.b = w.bo.AppendUint32(w.b, total)
}

// opts encodes pcapng options (code, value pairs) with the end marker.
func (w *ngBuilder) opts(kv ...any) []byte {
	var b []byte
	for i := 0; i < len(kv); i += 2 {
		code := uint16(kv[i].(int))
		var v []byte
		switch x := kv[i+1].(type) {
		case string:
			v = []byte(x)
		case []byte:
			v = x
		case uint64:
			v = w.bo.AppendUint64(nil, x)
		}
		b = w.bo.AppendUint16(b, code)
		b = w.bo.AppendUint16(b, uint16(len(v)))
		b = append(b, v...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	if len(b) > 0 {
		b = append(b, 0, 0, 0, 0)
	}
	return b
}

func (w *ngBuilder) shb(bo order, kv ...any) {
	w.bo = bo
	body := bo.AppendUint32(nil, 0x1A2B3C4D)
	body = bo.AppendUint16(body, 1)
	body = bo.AppendUint16(body, 0)
	body = bo.AppendUint64(body, ^uint64(0)) // section length unknown
	w.block(0x0A0D0D0A, append(body, w.opts(kv...)...))
}

func (w *ngBuilder) idb(link uint16, snap uint32, kv ...any) {
	body := w.bo.AppendUint16(nil, link)
	body = w.bo.AppendUint16(body, 0)
	body = w.bo.AppendUint32(body, snap)
	w.block(1, append(body, w.opts(kv...)...))
}

func (w *ngBuilder) epb(iface uint32, units uint64, data []byte, orig int, comments ...string) {
	body := w.bo.AppendUint32(nil, iface)
	body = w.bo.AppendUint32(body, uint32(units>>32))
	body = w.bo.AppendUint32(body, uint32(units))
	body = w.bo.AppendUint32(body, uint32(len(data)))
	body = w.bo.AppendUint32(body, uint32(orig))
	body = append(body, data...)
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	var kv []any
	for _, c := range comments {
		kv = append(kv, 1, c)
	}
	w.block(6, append(body, w.opts(kv...)...))
}

func (w *ngBuilder) opb(iface uint16, units uint64, data []byte, orig int) {
	body := w.bo.AppendUint16(nil, iface)
	body = w.bo.AppendUint16(body, 0) // drops
	body = w.bo.AppendUint32(body, uint32(units>>32))
	body = w.bo.AppendUint32(body, uint32(units))
	body = w.bo.AppendUint32(body, uint32(len(data)))
	body = w.bo.AppendUint32(body, uint32(orig))
	w.block(2, append(body, data...))
}

func (w *ngBuilder) spb(orig int, data []byte) {
	w.block(3, append(w.bo.AppendUint32(nil, uint32(orig)), data...))
}

// custom writes a Custom Block (0xBAD, or 0x40000BAD "do not copy") and
// returns its body after the PEN, which tshark shows as the frame's bytes.
func (w *ngBuilder) custom(typ uint32, pen uint32, data []byte) []byte {
	body := append(w.bo.AppendUint32(nil, pen), data...)
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	w.block(typ, body)
	return body[4:]
}

func (w *ngBuilder) isb(iface uint32) {
	body := w.bo.AppendUint32(nil, iface)
	body = w.bo.AppendUint64(body, 0)
	w.block(5, append(body, w.opts(4, uint64(10), 5, uint64(1))...))
}

func (w *ngBuilder) nrb() {
	rec := w.bo.AppendUint16(nil, 1) // IPv4 record
	rec = w.bo.AppendUint16(rec, 4+12)
	rec = append(rec, 192, 168, 1, 1)
	rec = append(rec, "gateway.lan\x00"...)
	rec = append(rec, 0, 0, 0, 0) // end of records
	w.block(4, rec)
}

// multiSection builds a pcapng file with three sections of alternating byte
// order, interfaces of several link types and timestamp resolutions
// (10^-6, 2^-20, 10^-9, 10^-3 with an offset), EPB, OPB and SPB packets,
// comments, custom blocks, and NRB/ISB blocks that carry no packets.
func multiSection(t testing.TB) fixture {
	t.Helper()
	ps := samplePackets(t)
	ipOnly := ps[2].data[14:] // the DNS query without its Ethernet header
	sll := append([]byte{0, 0, 0, 1, 0, 6, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0, 0x08, 0x00}, ipOnly...)
	w := &ngBuilder{}
	f := fixture{name: "fx-sections.pcapng", format: capture.FormatPcapNG, noPcapgo: true}

	// Section 1, big-endian.
	w.shb(binary.BigEndian, 4, "kaiseki fixtures")
	w.idb(1, 0, 2, "eth0", 9, []byte{6})        // iface 0: Ethernet, µs
	w.idb(0, 0, 2, "lo0", 9, []byte{0x80 | 20}) // iface 1: null, 2^-20 s
	arp := ps[0].data[:42]                      // the ARP request without its padding, as if cut by a 42-byte snaplen
	w.epb(0, 1700000000_123456, arp, 60)
	w.nrb()
	w.epb(1, 1700000000<<20|1<<19, loopback(2, ipOnly), len(ipOnly)+4)
	w.epb(1, 1700000000<<20|3, loopback(2, ipOnly), len(ipOnly)+4, "2^-20 s", "two comments")
	cb := w.custom(0xBAD, 32473, []byte("custom data"))
	w.isb(0)
	f.links = append(f.links, 1, 0)
	f.tsres = append(f.tsres, 6, 9)
	f.recs = append(f.recs,
		wantRec{kind: capture.KindPacket, hasTime: true, iface: 0, ts: 1700000000_123456000, capLen: 42, origLen: 60, data: arp},
		wantRec{kind: capture.KindPacket, hasTime: true, iface: 1, ts: 1700000000_500000000, capLen: len(ipOnly) + 4, origLen: len(ipOnly) + 4, data: loopback(2, ipOnly)},
		// 3/2^20 s = 2861.02... ns, truncated like Wireshark.
		wantRec{kind: capture.KindPacket, hasTime: true, iface: 1, ts: 1700000000_000002861, capLen: len(ipOnly) + 4, origLen: len(ipOnly) + 4, data: loopback(2, ipOnly), comments: []string{"2^-20 s", "two comments"}},
		wantRec{kind: capture.KindCustom, iface: -1, capLen: len(cb), origLen: len(cb), data: cb, pen: 32473},
	)

	// Section 2, little-endian: interface numbering restarts at 0.
	w.shb(binary.LittleEndian)
	w.idb(101, 96, 2, "raw0", 9, []byte{9}) // iface 2: raw IP, ns, snaplen 96
	long := ps[len(ps)-1].data              // 96 bytes of a longer packet
	w.spb(len(long)+100, long)
	w.epb(0, uint64(baseTS), ipOnly, len(ipOnly))
	w.opb(0, uint64(baseTS)+1000, ipOnly, len(ipOnly))
	dcb := w.custom(0x40000BAD, 36724, []byte("no copy"))
	f.links = append(f.links, 101)
	f.tsres = append(f.tsres, 9)
	f.recs = append(f.recs,
		wantRec{kind: capture.KindPacket, iface: 2, capLen: 96, origLen: 196, data: long},
		wantRec{kind: capture.KindPacket, hasTime: true, iface: 2, ts: baseTS, capLen: len(ipOnly), origLen: len(ipOnly), data: ipOnly},
		wantRec{kind: capture.KindPacket, hasTime: true, iface: 2, ts: baseTS + 1000, capLen: len(ipOnly), origLen: len(ipOnly), data: ipOnly},
		wantRec{kind: capture.KindCustom, iface: -1, capLen: len(dcb), origLen: len(dcb), data: dcb, pen: 36724, noCopy: true},
	)

	// Section 3, big-endian again: ms resolution with a 100 s offset, and
	// an empty packet.
	w.shb(binary.BigEndian)
	w.idb(113, 0, 9, []byte{3}, 14, uint64(100)) // iface 3: Linux SLL, ms
	w.epb(0, 1700000000_123, sll, len(sll))
	w.epb(0, 1700000000_124, nil, 60)
	f.links = append(f.links, 113)
	f.tsres = append(f.tsres, 3)
	f.recs = append(f.recs,
		wantRec{kind: capture.KindPacket, hasTime: true, iface: 3, ts: 1700000100_123000000, capLen: len(sll), origLen: len(sll), data: sll},
		wantRec{kind: capture.KindPacket, hasTime: true, iface: 3, ts: 1700000100_124000000, capLen: 0, origLen: 60, data: []byte{}},
	)
	f.data = w.b
	return f
}

// bigEndianNG is a single big-endian section with two interfaces of
// different link types, readable by gopacket too.
func bigEndianNG(t testing.TB) fixture {
	t.Helper()
	ps := samplePackets(t)
	w := &ngBuilder{}
	w.shb(binary.BigEndian)
	w.idb(1, 65535, 2, "en0")
	w.idb(0, 65535, 2, "lo0", 9, []byte{9})
	f := fixture{name: "fx-be.pcapng", format: capture.FormatPcapNG, links: []uint16{1, 0}, tsres: []int{6, 9}, exactForPcapgo: true}
	for i, p := range ps[:6] {
		if i%3 == 2 {
			lo := loopback(30, p.data[14:]) // AF_INET6 on BSD: any value is data here
			w.epb(1, uint64(p.ts), lo, len(lo))
			f.recs = append(f.recs, wantRec{kind: capture.KindPacket, hasTime: true, iface: 1, ts: p.ts, capLen: len(lo), origLen: len(lo), data: lo})
			continue
		}
		w.epb(0, uint64(p.ts/1000), p.data, p.origLen())
		f.recs = append(f.recs, wantRec{kind: capture.KindPacket, hasTime: true, iface: 0, ts: truncTS(p.ts, 6), capLen: len(p.data), origLen: p.origLen(), data: p.data})
	}
	f.data = w.b
	return f
}

// fixtures returns every generated capture with what a reader must find.
func fixtures(t testing.TB) []fixture {
	t.Helper()
	ps := samplePackets(t)
	var fs []fixture
	for _, c := range []struct {
		name  string
		nanos bool
	}{{"fx-sample.pcap", false}, {"fx-sample-ns.pcap", true}} {
		digits := 6
		if c.nanos {
			digits = 9
		}
		fs = append(fs, fixture{
			name: c.name, data: writePcapgo(t, ps, c.nanos, layers.LinkTypeEthernet), format: capture.FormatPcap,
			links: []uint16{1}, tsres: []int{digits}, recs: wantFromPkts(ps, digits, false), exactForPcapgo: true,
		})
	}
	ng, nps := sampleNG(t)
	fs = append(fs, fixture{
		name: "fx-sample.pcapng", data: ng, format: capture.FormatPcapNG, links: []uint16{1, 0}, tsres: []int{9, 9},
		recs: wantFromPkts(nps, 9, true), exactForPcapgo: true,
	})
	fs = append(fs, fixture{
		name: "fx-sample.pcapng.gz", data: gzipped(t, ng), gz: true, format: capture.FormatPcapNG, links: []uint16{1, 0}, tsres: []int{9, 9},
		recs: wantFromPkts(nps, 9, true), exactForPcapgo: true,
	})
	for _, c := range []struct {
		name string
		nano bool
		link uint32
	}{
		{"fx-be.pcap", false, 1},
		// The F bit with an FCS length of 0 in the upper bits of the link
		// type (as tcpdump's bootp_asan.pcap has): the link stays Ethernet.
		{"fx-be-ns.pcap", true, 0x04000001},
	} {
		digits := 6
		if c.nano {
			digits = 9
		}
		b := newPcap(binary.BigEndian, c.nano, 262144, c.link)
		for _, p := range ps {
			b.packet(p.ts, p.data, p.origLen())
		}
		fs = append(fs, fixture{
			name: c.name, data: b.b, format: capture.FormatPcap, links: []uint16{1}, tsres: []int{digits},
			recs: wantFromPkts(ps, digits, false), exactForPcapgo: true,
		})
	}
	fs = append(fs, bigEndianNG(t), multiSection(t))
	// The sample cut in the middle of its last packet, for tests of the
	// truncation warning.
	cut := writePcapgo(t, ps, false, layers.LinkTypeEthernet)
	cut = cut[:len(cut)-40]
	fs = append(fs, fixture{
		name: "fx-sample-cut.pcap", data: cut, format: capture.FormatPcap, links: []uint16{1}, tsres: []int{6},
		recs: wantFromPkts(ps[:len(ps)-1], 6, false), noPcapgo: true,
	})
	return fs
}

// TestFixtures keeps ../testdata equal to what the generators make.
func TestFixtures(t *testing.T) {
	for _, f := range fixtures(t) {
		path := filepath.Join(testdataDir, f.name)
		if *update {
			if err := os.WriteFile(path, f.data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v (run: go test ./capture -run TestFixtures -update)", err)
			continue
		}
		if !bytes.Equal(got, f.data) {
			t.Errorf("%s differs from its generator (run: go test ./capture -run TestFixtures -update)", path)
		}
	}
}
