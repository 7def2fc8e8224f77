package dissect

// Dispatch tables from transport ports to application dissectors. They are
// filled by init functions and read-only afterwards.

// udpPorts maps a UDP port to the dissector of the protocol registered on it.
// The UDP dissector tries the lower port first, then the higher one, as
// Wireshark's decode_udp_ports does. The dispatch tables are arrays rather
// than maps: they are read several times per packet.
var udpPorts [1 << 16]dissector

// udpHeuristic tries to recognise a protocol from a UDP payload; it returns
// false, having added nothing, when the payload is not its protocol.
type udpHeuristic func(c *Ctx, t tvb) bool

// udpHeuristics are tried in order when no port matched (or the port's
// dissector declined).
var udpHeuristics []udpHeuristic

// tcpApp describes an application protocol carried over TCP, so the TCP
// dissector can tell where its PDUs start and end across segments (the
// "[TCP segment of a reassembled PDU]" logic of Wireshark's desegmentation).
type tcpApp struct {
	// pduLen returns the length of the PDU that starts at b (b holds the
	// first bytes of it, maybe not all): >0 the full length, 0 when more
	// bytes are needed to tell, -1 when b does not start a PDU of this
	// protocol.
	pduLen func(b []byte) int
	// dissect dissects one complete PDU in t; it returns bytes used.
	dissect dissector
	// multi: dissect takes several complete PDUs at once (as Wireshark's
	// TLS and HTTP dissectors loop over records and messages themselves).
	multi bool
	// partial, if set, is called on a segment that starts a PDU which
	// continues in later segments (HTTP shows the first line, TLS adds its
	// tree item) before TCP marks it "[TCP segment of a reassembled PDU]".
	partial func(c *Ctx, t tvb)
	// keep returns how many bytes of a PDU's start (b holds at least the
	// part seen so far) dissect needs to show it again after reassembly;
	// nil keeps up to 64 KiB.
	keep func(b []byte) int
}

// tcpPorts maps a TCP port to the application protocol registered on it.
var tcpPorts [1 << 16]*tcpApp

// tcpHeuristics recognise application protocols over TCP by content (tried
// when no port matched); each returns nil when b is not its protocol.
var tcpHeuristics []func(b []byte) *tcpApp
