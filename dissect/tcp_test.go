package dissect

import (
	"net"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// seg describes one TCP segment of a test conversation: client→server
// (10.0.0.1:5000 → 10.0.0.2:port) unless fromServer.
type seg struct {
	fromServer bool
	flags      string // S A P F R U
	seq, ack   uint32
	win        uint16
	payload    string
	opts       []layers.TCPOption
	ms         float64 // time in ms since the start
}

func tcpFrame(t testing.TB, port uint16, s seg) []byte {
	t.Helper()
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}
	tcp := &layers.TCP{SrcPort: 5000, DstPort: layers.TCPPort(port), Seq: s.seq, Ack: s.ack, Window: s.win, Options: s.opts}
	if s.fromServer {
		ip.SrcIP, ip.DstIP = ip.DstIP, ip.SrcIP
		tcp.SrcPort, tcp.DstPort = tcp.DstPort, tcp.SrcPort
	}
	for _, f := range s.flags {
		switch f {
		case 'S':
			tcp.SYN = true
		case 'A':
			tcp.ACK = true
		case 'P':
			tcp.PSH = true
		case 'F':
			tcp.FIN = true
		case 'R':
			tcp.RST = true
		case 'U':
			tcp.URG = true
		}
	}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{0, 1, 2, 3, 4, 5}, DstMAC: net.HardwareAddr{0, 1, 2, 3, 4, 6}, EthernetType: layers.EthernetTypeIPv4}
	buf := gopacket.NewSerializeBuffer()
	err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		eth, ip, tcp, gopacket.Payload([]byte(s.payload)))
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func mss(n uint16) layers.TCPOption {
	return layers.TCPOption{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{byte(n >> 8), byte(n)}}
}

func wscale(n uint8) layers.TCPOption {
	return layers.TCPOption{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{n}}
}

var (
	nop      = layers.TCPOption{OptionType: layers.TCPOptionKindNop}
	sackPerm = layers.TCPOption{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2}
)

// runConversation dissects the segments in order (the first pass), then
// again (re-dissection), and returns the Info and Protocol columns; it
// fails if the second pass differs from the first.
func runConversation(t *testing.T, port uint16, segs []seg) (infos, protos []string) {
	t.Helper()
	d := NewDissector(nil)
	pkts := make([]*Packet, len(segs))
	const t0 = int64(1_600_000_000_000_000_000)
	for i, s := range segs {
		data := tcpFrame(t, port, s)
		ts := t0 + int64(s.ms*1e6)
		if s.ms == 0 {
			ts = t0 + int64(i)*1e6
		}
		pkts[i] = &Packet{Num: i + 1, Data: data, OrigLen: len(data), LinkType: 1, Iface: -1, HasTime: true, TS: ts, FirstTS: t0}
		sum := d.Summary(pkts[i])
		infos = append(infos, string(sum.Info))
		protos = append(protos, string(sum.Protocol))
	}
	for i, p := range pkts {
		sum := d.Summary(p)
		if string(sum.Info) != infos[i] || string(sum.Protocol) != protos[i] {
			t.Errorf("frame %d re-dissected as %q %q, first pass %q %q", i+1, sum.Protocol, sum.Info, protos[i], infos[i])
		}
		if _, ts := d.Tree(p); string(ts.Info) != infos[i] {
			t.Errorf("frame %d tree Info %q, first pass %q", i+1, ts.Info, infos[i])
		}
	}
	return infos, protos
}

var handshake = []seg{
	{flags: "S", seq: 100, win: 8192, opts: []layers.TCPOption{mss(1460), nop, wscale(2), nop, nop, sackPerm}},
	{fromServer: true, flags: "SA", seq: 500, ack: 101, win: 5840, opts: []layers.TCPOption{mss(1400), sackPerm, nop, wscale(7)}},
	{flags: "A", seq: 101, ack: 501, win: 4218},
}

func TestTCPInfo(t *testing.T) {
	tests := []struct {
		name  string
		port  uint16
		segs  []seg
		infos []string
	}{
		{
			name: "handshake, relative numbers, options and window scaling",
			port: 1234,
			segs: handshake,
			infos: []string{
				"5000 → 1234 [SYN] Seq=0 Win=8192 Len=0 MSS=1460 WS=4 SACK_PERM",
				"1234 → 5000 [SYN, ACK] Seq=0 Ack=1 Win=5840 Len=0 MSS=1400 SACK_PERM WS=128",
				"5000 → 1234 [ACK] Seq=1 Ack=1 Win=16872 Len=0",
			},
		},
		{
			name: "no handshake: window scale unknown, bases from the first segments",
			port: 1234,
			segs: []seg{
				{flags: "PA", seq: 1000, ack: 7000, win: 300, payload: "hello"},
				{fromServer: true, flags: "A", seq: 7000, ack: 1005, win: 200},
				{flags: "FA", seq: 1005, ack: 7000, win: 300},
				{fromServer: true, flags: "RA", seq: 7000, ack: 1006, win: 0},
			},
			infos: []string{
				"5000 → 1234 [PSH, ACK] Seq=1 Ack=1 Win=300 Len=5",
				"1234 → 5000 [ACK] Seq=1 Ack=6 Win=200 Len=0",
				"5000 → 1234 [FIN, ACK] Seq=6 Ack=1 Win=300 Len=0",
				"1234 → 5000 [RST, ACK] Seq=1 Ack=7 Win=0 Len=0",
			},
		},
		{
			name: "retransmission, duplicate ACKs, fast retransmission",
			port: 1234,
			segs: append(append([]seg(nil), handshake...),
				seg{flags: "PA", seq: 101, ack: 501, win: 4218, payload: "0123456789", ms: 10},
				seg{flags: "PA", seq: 101, ack: 501, win: 4218, payload: "0123456789", ms: 300},
				seg{fromServer: true, flags: "A", seq: 501, ack: 111, win: 50, ms: 301},
				seg{fromServer: true, flags: "A", seq: 501, ack: 111, win: 50, ms: 302},
				seg{fromServer: true, flags: "A", seq: 501, ack: 111, win: 50, ms: 303},
				seg{flags: "A", seq: 111, ack: 501, win: 0, ms: 304},
			),
			infos: []string{
				"", "", "",
				"5000 → 1234 [PSH, ACK] Seq=1 Ack=1 Win=16872 Len=10",
				"[TCP Retransmission] 5000 → 1234 [PSH, ACK] Seq=1 Ack=1 Win=16872 Len=10",
				"1234 → 5000 [ACK] Seq=1 Ack=11 Win=6400 Len=0",
				"[TCP Dup ACK 6#1] 1234 → 5000 [ACK] Seq=1 Ack=11 Win=6400 Len=0",
				"[TCP Dup ACK 6#2] 1234 → 5000 [ACK] Seq=1 Ack=11 Win=6400 Len=0",
				"[TCP ZeroWindow] 5000 → 1234 [ACK] Seq=11 Ack=1 Win=0 Len=0",
			},
		},
		{
			name: "keep-alive, window update, lost segment",
			port: 1234,
			segs: append(append([]seg(nil), handshake...),
				seg{flags: "A", seq: 100, ack: 501, win: 4218},
				seg{fromServer: true, flags: "A", seq: 501, ack: 101, win: 5840},
				seg{fromServer: true, flags: "A", seq: 501, ack: 101, win: 50},
				seg{flags: "PA", seq: 201, ack: 501, win: 4218, payload: "late"},
			),
			infos: []string{
				"", "", "",
				"[TCP Keep-Alive] 5000 → 1234 [ACK] Seq=0 Ack=1 Win=16872 Len=0",
				"[TCP Keep-Alive ACK] 1234 → 5000 [ACK] Seq=1 Ack=1 Win=747520 Len=0",
				"[TCP Window Update] 1234 → 5000 [ACK] Seq=1 Ack=1 Win=6400 Len=0",
				"[TCP Previous segment not captured] 5000 → 1234 [PSH, ACK] Seq=101 Ack=1 Win=16872 Len=4",
			},
		},
		{
			name: "port reuse: a SYN with a new ISN starts a new stream",
			port: 1234,
			segs: append(append([]seg(nil), handshake...),
				seg{flags: "RA", seq: 101, ack: 501, win: 0},
				seg{flags: "S", seq: 9000, win: 8192},
			),
			infos: []string{"", "", "",
				"5000 → 1234 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0",
				"[TCP Port numbers reused] 5000 → 1234 [SYN] Seq=0 Win=8192 Len=0",
			},
		},
		{
			name: "HTTP response in two segments",
			port: 80,
			segs: append(append([]seg(nil), handshake...),
				seg{flags: "PA", seq: 101, ack: 501, win: 4218, payload: "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
				seg{fromServer: true, flags: "A", seq: 501, ack: 128, win: 50, payload: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10\r\n\r\n<ht"},
				seg{fromServer: true, flags: "PA", seq: 568, ack: 128, win: 50, payload: "ml>12"},
				seg{fromServer: true, flags: "PA", seq: 573, ack: 128, win: 50, payload: "34"},
			),
			infos: []string{"", "", "",
				"GET / HTTP/1.1 ",
				"HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]",
				"80 → 5000 [PSH, ACK] Seq=68 Ack=28 Win=6400 Len=5 [TCP segment of a reassembled PDU]",
				"HTTP/1.1 200 OK  (text/html)",
			},
		},
		{
			name: "TLS records across segments",
			port: 443,
			segs: append(append([]seg(nil), handshake...),
				seg{fromServer: true, flags: "A", seq: 501, ack: 101, win: 50, payload: "\x17\x03\x03\x00\x02ab\x17\x03\x03\x00\x08abc"},
				seg{fromServer: true, flags: "A", seq: 516, ack: 101, win: 50, payload: "defgh\x17\x03\x03\x00\x08ab"},
				seg{fromServer: true, flags: "A", seq: 528, ack: 101, win: 50, payload: "cdefgh"},
			),
			infos: []string{"", "", "",
				"Application Data",
				"Application Data",
				"Application Data",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			infos, _ := runConversation(t, tc.port, tc.segs)
			for i, want := range tc.infos {
				if want != "" && infos[i] != want {
					t.Errorf("frame %d Info\n got %q\nwant %q", i+1, infos[i], want)
				}
			}
		})
	}
}

func TestTCPProtocolColumn(t *testing.T) {
	segs := append(append([]seg(nil), handshake...),
		seg{fromServer: true, flags: "A", seq: 501, ack: 101, win: 50, payload: "\x16\x03\x03\x00\x04\x0e\x00\x00\x00\x17\x03\x03\x00\x10abc"},
		seg{fromServer: true, flags: "A", seq: 518, ack: 101, win: 50, payload: "defghijklmnop"},
	)
	infos, protos := runConversation(t, 443, segs)
	if protos[3] != "TLSv1.2" || infos[3] != "Server Hello Done" {
		t.Errorf("frame 4: %q %q, want TLSv1.2 Server Hello Done", protos[3], infos[3])
	}
	if protos[4] != "TLSv1.2" || infos[4] != "Application Data" {
		t.Errorf("frame 5: %q %q, want TLSv1.2 Application Data", protos[4], infos[4])
	}
	// A record that starts a segment and continues: TCP, bare marker.
	segs = append(append([]seg(nil), handshake...),
		seg{fromServer: true, flags: "A", seq: 501, ack: 101, win: 50, payload: "\x17\x03\x03\x00\x10abc"},
	)
	infos, protos = runConversation(t, 443, segs)
	if protos[3] != "TCP" || infos[3] != tcpSegmentMarker {
		t.Errorf("partial record: %q %q", protos[3], infos[3])
	}
}

func TestTCPMalformed(t *testing.T) {
	// Only the ports of the header are captured, as in
	// malformed/tcp_header_heapoverflow.pcap.
	full := tcpFrame(t, 12336, seg{flags: "A", seq: 1, ack: 1, win: 1})
	full[34], full[35], full[36], full[37] = 0x30, 0x30, 0x30, 0x30
	cut := full[:14+20+4]
	d := NewDissector(nil)
	s := d.Summary(&Packet{Num: 1, Data: cut, OrigLen: len(full), LinkType: 1, Iface: -1})
	if got, want := string(s.Info), "12336 → 12336[Packet size limited during capture]"; got != want {
		t.Errorf("Info %q, want %q", got, want)
	}
	// A header length below 20 bytes.
	bad := tcpFrame(t, 80, seg{flags: "A", seq: 1, ack: 1, win: 1})
	bad[14+20+12] = 0x40
	s = NewDissector(nil).Summary(&Packet{Num: 1, Data: bad, OrigLen: len(bad), LinkType: 1, Iface: -1})
	if !strings.Contains(string(s.Info), "BOGUS HEADER LENGTH") {
		t.Errorf("bogus header length: Info %q", s.Info)
	}
}

func TestTCPTreeFields(t *testing.T) {
	d := NewDissector(nil)
	var last *Tree
	for i, s := range handshake {
		data := tcpFrame(t, 1234, s)
		last, _ = d.Tree(&Packet{Num: i + 1, Data: data, OrigLen: len(data), LinkType: 1, Iface: -1})
	}
	want := map[string]string{
		"tcp.stream": "0", "tcp.seq": "1", "tcp.ack": "1", "tcp.seq_raw": "101", "tcp.window_size": "16872",
		"tcp.window_size_scalefactor": "4", "tcp.flags.str": "·······A····", "tcp.hdr_len": "5",
	}
	got := map[string]string{}
	last.Walk(func(n *Node, _ int) {
		if n.Field != nil {
			it := Item{Field: n.Field, Val: n.Value}
			got[n.Abbrev()] = string(FieldText(nil, &it))
		}
	})
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// TestTCPSummaryAllocs: summarising a TCP packet again allocates nothing.
func TestTCPSummaryAllocs(t *testing.T) {
	d := NewDissector(nil)
	var pkts []*Packet
	for i, s := range handshake {
		data := tcpFrame(t, 1234, s)
		pkts = append(pkts, &Packet{Num: i + 1, Data: data, OrigLen: len(data), LinkType: 1, Iface: -1, HasTime: true, TS: int64(i)})
		d.Summary(pkts[i])
	}
	n := testing.AllocsPerRun(100, func() {
		for _, p := range pkts {
			d.Summary(p)
		}
	})
	// The layers below TCP are measured on the same frames with an IP
	// protocol nobody claims, so that this pins TCP's own cost (zero) even
	// while a lower layer still allocates (IPv4's ipInfo escapes through
	// the ipProtos call).
	d2 := NewDissector(nil)
	var plain []*Packet
	for i, p := range pkts {
		data := append([]byte(nil), p.Data...)
		data[14+9] = 253 // experimental protocol number
		plain = append(plain, &Packet{Num: i + 1, Data: data, OrigLen: len(data), LinkType: 1, Iface: -1, HasTime: true, TS: int64(i)})
		d2.Summary(plain[i])
	}
	base := testing.AllocsPerRun(100, func() {
		for _, p := range plain {
			d2.Summary(p)
		}
	})
	if n > base {
		t.Errorf("Summary of %d TCP packets allocates %.1f times per run (%.1f below TCP), want no more than below", len(pkts), n, base)
	}
}

// FuzzTCP feeds arbitrary TCP headers and payloads through the dissector:
// only bounds errors (Wireshark's exceptions) may stop it.
func FuzzTCP(f *testing.F) {
	f.Add(tcpFrame(f, 80, seg{flags: "PA", seq: 1, ack: 1, win: 1, payload: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab"})[34:])
	f.Add(tcpFrame(f, 443, seg{flags: "A", seq: 1, ack: 1, win: 1, payload: "\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00"})[34:])
	f.Add(tcpFrame(f, 1234, seg{flags: "S", seq: 1, win: 1, opts: []layers.TCPOption{mss(1), wscale(20), sackPerm}})[34:])
	f.Fuzz(func(t *testing.T, seg []byte) {
		hdr := tcpFrame(t, 80, seg0)[:34]
		data := append(append([]byte(nil), hdr...), seg...)
		tot := 20 + len(seg)
		data[16], data[17] = byte(tot>>8), byte(tot)
		d := NewDissector(nil)
		d.NoRecover = true
		for i := 1; i <= 2; i++ {
			func() {
				defer func() {
					if r := recover(); r != nil {
						if _, ok := r.(boundsErr); !ok {
							t.Fatalf("panic: %v", r)
						}
					}
				}()
				d.Tree(&Packet{Num: i, Data: data, OrigLen: len(data), LinkType: 1, Iface: -1})
			}()
		}
	})
}

var seg0 = seg{flags: "A", seq: 1, ack: 1, win: 1}
