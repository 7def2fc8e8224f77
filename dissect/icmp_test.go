package dissect

import (
	"net"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func ethIPv4(t testing.TB, src, dst net.IP, ttl uint8, id uint16, ls ...gopacket.SerializableLayer) []byte {
	eth := &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: ttl, Id: id, Protocol: layers.IPProtocolICMPv4, SrcIP: src, DstIP: dst}
	return serializeL(t, append([]gopacket.SerializableLayer{eth, ip}, ls...)...)
}

func echo(typ uint8, id, seq uint16) *layers.ICMPv4 {
	return &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: id, Seq: seq}
}

func TestICMPInfo(t *testing.T) {
	pl := gopacket.Payload([]byte("abcdefghijklmnopqrstuvwabcdefghi"))
	req := ethIPv4(t, ipA, ipB, 128, 1, echo(8, 0x0500, 0x3400), pl)
	rep := ethIPv4(t, ipB, ipA, 255, 2, echo(0, 0x0500, 0x3400), pl)
	orphan := ethIPv4(t, ipB, ipA, 255, 3, echo(0, 0x0500, 0x3500), pl)
	// A port unreachable quoting a UDP datagram.
	inner := udpOverIPv4(t)
	unreach := ethIPv4(t, ipB, ipA, 64, 4, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(3, 3)}, gopacket.Payload(inner[:28]))
	ttlx := ethIPv4(t, ipB, ipA, 64, 5, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(11, 0)}, gopacket.Payload(inner[:28]))

	s, _ := dissectSeq(t, linkPkt{lt: 1, data: req}, linkPkt{lt: 1, data: rep}, linkPkt{lt: 1, data: orphan},
		linkPkt{lt: 1, data: unreach}, linkPkt{lt: 1, data: ttlx})
	want := []struct{ proto, info string }{
		{"ICMP", "Echo (ping) request  id=0x0500, seq=13312/52, ttl=128"},
		{"ICMP", "Echo (ping) reply    id=0x0500, seq=13312/52, ttl=255 (request in 1)"},
		{"ICMP", "Echo (ping) reply    id=0x0500, seq=13568/53, ttl=255"},
		{"ICMP", "Destination unreachable (Port unreachable)"},
		{"ICMP", "Time-to-live exceeded (Time to live exceeded in transit)"},
	}
	for i, w := range want {
		if string(s[i].Protocol) != w.proto || string(s[i].Info) != w.info {
			t.Errorf("frame %d: got %q %q, want %q %q", i+1, s[i].Protocol, s[i].Info, w.proto, w.info)
		}
	}
	if !strings.Contains(string(s[3].Protocols), "icmp:ip:udp") {
		t.Errorf("embedded datagram not dissected: %q", s[3].Protocols)
	}
}

// TestICMPRedissect checks that a later dissection (tree) of a reply shows
// what the first pass found, and that a reply is matched once only.
func TestICMPRedissect(t *testing.T) {
	pl := gopacket.Payload(make([]byte, 32))
	req := ethIPv4(t, ipA, ipB, 64, 1, echo(8, 7, 1), pl)
	rep := ethIPv4(t, ipB, ipA, 64, 2, echo(0, 7, 1), pl)
	_, st := dissectSeq(t, linkPkt{lt: 1, data: req}, linkPkt{lt: 1, data: rep}, linkPkt{lt: 1, data: rep})
	d := NewDissector(st)
	for num, want := range map[int]string{2: " (request in 1)", 3: ""} {
		tr, sum := d.Tree(&Packet{Num: num, Data: rep, OrigLen: len(rep), LinkType: 1})
		if got := string(sum.Info); !strings.HasSuffix(got, "ttl=64"+want) {
			t.Errorf("frame %d redissected: Info %q, want suffix %q", num, got, "ttl=64"+want)
		}
		reqIn := false
		tr.Walk(func(n *Node, _ int) { reqIn = reqIn || n.Abbrev() == "icmp.resp_to" })
		if reqIn != (want != "") {
			t.Errorf("frame %d: icmp.resp_to present=%v", num, reqIn)
		}
	}
}

func TestIPv4Reassembly(t *testing.T) {
	// A 3000-byte ICMP echo in three fragments.
	payload := make([]byte, 3000)
	for i := range payload {
		payload[i] = byte('a' + i%23)
	}
	whole := serializeL(t, echo(8, 1, 57), gopacket.Payload(payload))
	frag := func(off int, data []byte, mf bool) []byte {
		flags := layers.IPv4Flag(0)
		if mf {
			flags = layers.IPv4MoreFragments
		}
		eth := &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 128, Id: 0x7474, Flags: flags, FragOffset: uint16(off / 8),
			Protocol: layers.IPProtocolICMPv4, SrcIP: ipA, DstIP: ipB}
		return serializeL(t, eth, ip, gopacket.Payload(data))
	}
	f1 := frag(0, whole[:1480], true)
	f2 := frag(1480, whole[1480:2960], true)
	f3 := frag(2960, whole[2960:], false)
	s, st := dissectSeq(t, linkPkt{lt: 1, data: f1}, linkPkt{lt: 1, data: f2}, linkPkt{lt: 1, data: f3})
	want := []string{
		"Fragmented IP protocol (proto=ICMP 1, off=0, ID=7474)",
		"Fragmented IP protocol (proto=ICMP 1, off=1480, ID=7474)",
		"Echo (ping) request  id=0x0001, seq=57/14592, ttl=128",
	}
	for i, w := range want {
		if string(s[i].Info) != w {
			t.Errorf("frame %d: Info %q, want %q", i+1, s[i].Info, w)
		}
	}
	// Re-dissecting the last fragment alone gives the same answer.
	d := NewDissector(st)
	tr, sum := d.Tree(&Packet{Num: 3, Data: f3, OrigLen: len(f3), LinkType: 1})
	if string(sum.Info) != want[2] {
		t.Errorf("redissected: %q", sum.Info)
	}
	var frags string
	tr.Walk(func(n *Node, _ int) {
		if n.Abbrev() == "ip.fragments" {
			frags = n.Text
		}
	})
	if frags != "[3 IPv4 Fragments (3008 bytes): #1(1480), #2(1480), #3(48)]" {
		t.Errorf("fragments node %q", frags)
	}
	if len(tr.Data) != len(f3) {
		t.Errorf("tree data %d bytes, want the frame's %d", len(tr.Data), len(f3))
	}
}

func TestICMPMalformed(t *testing.T) {
	// ICMP cut by the IP total length (3 bytes) in a frame claiming more
	// than was captured: Wireshark's "[Malformed Packet]" from ICMP, then
	// the unread frame check sequence makes it "packet size limited".
	eth := serializeL(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4})[:14]
	ip := serializeL(t, &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: ipA, DstIP: ipB}, gopacket.Payload([]byte{8, 0, 0}))
	frame := append(append(eth, ip...), make([]byte, 64-len(eth)-len(ip))...)
	frame[14+19] = 0x55 // non-zero: no padding
	s, _ := dissectSeq(t, linkPkt{lt: 1, data: frame, orig: 65570})
	if string(s[0].Info) != "[Malformed Packet][Packet size limited during capture]" || string(s[0].Protocols) != "eth:ethertype:ip:icmp" {
		t.Errorf("got %q %q", s[0].Info, s[0].Protocols)
	}
	// Every cut of an echo request: no panic, marked.
	req := ethIPv4(t, ipA, ipB, 64, 1, echo(8, 1, 1), gopacket.Payload(make([]byte, 40)))
	for n := 14; n < len(req); n++ {
		d := NewDissector(nil)
		sum := d.Summary(&Packet{Num: 1, Data: req[:n], OrigLen: len(req), LinkType: 1})
		if !sum.Short && !sum.Malformed && n < 42 {
			t.Errorf("cut at %d not marked: %q", n, sum.Info)
		}
	}
}
