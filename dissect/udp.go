package dissect

import (
	"fmt"
	"sort"
)

var (
	fUDP          = &Field{Abbrev: "udp", Name: "User Datagram Protocol", Type: FTProtocol}
	fUDPSrcPort   = &Field{Abbrev: "udp.srcport", Name: "Source Port", Type: FTUint, Bits: 16}
	fUDPDstPort   = &Field{Abbrev: "udp.dstport", Name: "Destination Port", Type: FTUint, Bits: 16}
	fUDPPort      = &Field{Abbrev: "udp.port", Name: "Source or Destination Port", Type: FTUint, Bits: 16, Hidden: true}
	fUDPLength    = &Field{Abbrev: "udp.length", Name: "Length", Type: FTUint, Bits: 16, Blurb: "Length in octets including this header and the data"}
	fUDPChecksum  = &Field{Abbrev: "udp.checksum", Name: "Checksum", Type: FTUint, Bits: 16, Base: BaseHex}
	fUDPCkStatus  = &Field{Abbrev: "udp.checksum.status", Name: "Checksum Status", Type: FTUint, Bits: 8, Base: BaseNone, Values: checksumStatusNames}
	fUDPStream    = &Field{Abbrev: "udp.stream", Name: "Stream index", Type: FTUint, Bits: 32, Global: true}
	fUDPTimeRel   = &Field{Abbrev: "udp.time_relative", Name: "Time since first frame", Type: FTRelTime, Blurb: "Time relative to first frame in this UDP stream"}
	fUDPTimeDelta = &Field{Abbrev: "udp.time_delta", Name: "Time since previous frame", Type: FTRelTime, Blurb: "Time delta from previous frame in this UDP stream"}
	fUDPPayload   = &Field{Abbrev: "udp.payload", Name: "Payload", Type: FTBytes}
)

// checksumStatusNames are Wireshark's proto_checksum_enum_e names.
var checksumStatusNames = vals(0, "Bad", 1, "Good", 2, "Unverified", 3, "Not present", 4, "Illegal")

func init() {
	register(fUDP, fUDPSrcPort, fUDPDstPort, fUDPPort, fUDPLength, fUDPChecksum, fUDPCkStatus, fUDPStream,
		fUDPTimeRel, fUDPTimeDelta, fUDPPayload)
	ipProtos[17] = dissectUDP
}

// udpKey identifies a UDP conversation in both directions: the endpoints
// are ordered so that a reply finds the request's stream.
type udpKey = flowKey

func makeUDPKey(ip *ipInfo, sport, dport uint16) udpKey {
	var v6 uint32
	if ip.v6 {
		v6 = 1
	}
	if endpointAfter(&ip.src, sport, &ip.dst, dport) {
		return makeFlowKey(&ip.dst, dport, &ip.src, sport, v6)
	}
	return makeFlowKey(&ip.src, sport, &ip.dst, dport, v6)
}

// udpStream is what the first pass learns about one UDP conversation: the
// frames it has (in order) and their timestamps, for udp.time_relative and
// udp.time_delta on any later dissection.
type udpStream struct {
	// The stream's frames and their times, in frame order: the first two
	// inline (most UDP conversations are a request and its answer, and a
	// capture may have hundreds of thousands), the rest in more.
	pk2  [2]udpPkt
	n    uint32
	more []udpPkt
	// conv is the protocol a dissector claimed the conversation for (as
	// Wireshark's conversation_set_dissector), from frame convFrom on.
	conv     udpConvProto
	convFrom uint32
}

// udpConvProto names a protocol that claims a whole UDP conversation once
// recognised (0: none).
type udpConvProto uint8

const (
	udpConvNone udpConvProto = iota
	udpConvGQUIC
)

// claim makes the current conversation belong to p from this frame on
// (first pass only; later passes see what the first one recorded).
func (u *udpTable) claim(c *Ctx, p udpConvProto) {
	if !c.first || c.inErr {
		return
	}
	if c.udpConv == 0 {
		return
	}
	if s := u.streams.at(int(c.udpConv - 1)); s.conv == udpConvNone {
		s.conv, s.convFrom = p, uint32(c.pkt.Num)
	}
}

// claimed returns the protocol that claimed the current conversation, if
// it did so at or before this frame.
func (u *udpTable) claimed(c *Ctx) udpConvProto {
	if c.udpConv == 0 {
		return udpConvNone
	}
	s := u.streams.at(int(c.udpConv - 1))
	if s.conv != udpConvNone && s.convFrom <= uint32(c.pkt.Num) {
		return s.conv
	}
	return udpConvNone
}

// udpTable holds the UDP conversations of a capture; it is filled on the
// first pass (under State's write lock) and only read afterwards.
type udpTable struct {
	ids     flowMap
	streams bigSlice[udpStream]
}

// stream returns the conversation index of k, creating it on the first pass
// (ok is false when a later pass meets an unknown conversation, which only
// happens for packets outside the capture's sequence).
func (u *udpTable) stream(c *Ctx, k udpKey) (id uint32, ok bool) {
	if id, ok = u.ids.get(&k); ok || !c.first {
		return id, ok
	}
	id = uint32(u.streams.len())
	u.ids.put(&k, id)
	u.streams.push(udpStream{})
	return id, true
}

// times records (first pass) or looks up this frame in stream id and
// returns the time since the stream's first frame and since its previous one.
func (u *udpTable) times(c *Ctx, id uint32) (rel, delta int64, ok bool) {
	s := u.streams.at(int(id))
	num, ts := uint32(c.pkt.Num), c.pkt.TS
	n := int(s.n)
	if c.first && (n == 0 || s.pkt(n-1).frame < num) {
		if n < len(s.pk2) {
			s.pk2[n] = udpPkt{num, ts}
		} else {
			s.more = append(s.more, udpPkt{num, ts})
		}
		s.n++
		n++
	}
	i := n - 1 // the first pass: this frame is the last one
	if i < 0 || s.pkt(i).frame != num {
		i = sort.Search(n, func(i int) bool { return s.pkt(i).frame >= num })
	}
	if i == n || s.pkt(i).frame != num {
		return 0, 0, false
	}
	prev := s.pk2[0].ts
	if i > 0 {
		prev = s.pkt(i - 1).ts
	}
	return ts - s.pk2[0].ts, ts - prev, true
}

// pkt returns the stream's i-th frame (i < n).
func (s *udpStream) pkt(i int) udpPkt {
	if i < len(s.pk2) {
		return s.pk2[i]
	}
	return s.more[i-len(s.pk2)]
}

// udpPkt is one frame of a UDP stream and its time.
type udpPkt struct {
	frame uint32
	ts    int64
}

// dissectUDP dissects a UDP header and hands the payload on, as Wireshark's
// packet-udp.c does (for IPv4 and IPv6 alike: ip carries the addresses).
func dissectUDP(c *Ctx, t tvb, ip *ipInfo) int {
	c.ip = *ip
	c.setProto("UDP")
	c.clearInfo()
	sport := c.u16(t, 0)
	dport := c.u16(t, 2)
	if !c.noCols {
		c.info = appendUint(c.info, uint64(sport))
		c.info = append(c.info, " → "...)
		c.info = appendUint(c.info, uint64(dport))
	}
	c.sport, c.dport = sport, dport

	u := c.pushT(fUDP, t, 8)
	if c.tree {
		c.labelf(u, "User Datagram Protocol, Src Port: %d, Dst Port: %d", sport, dport)
	}
	c.addU(fUDPSrcPort, t.off, 2, uint64(sport))
	c.addU(fUDPDstPort, t.off+2, 2, uint64(dport))
	c.addU(fUDPPort, t.off, 2, uint64(sport))
	c.addU(fUDPPort, t.off+2, 2, uint64(dport))

	ulen := int(c.u16(t, 4))
	li := c.addU(fUDPLength, t.off+4, 2, uint64(ulen))
	jumbo := false
	if ulen == 0 && ip.v6 {
		// RFC 2675 jumbogram: the length comes from the IPv6 layer.
		ulen, jumbo = t.rep, true
	}
	if ulen < 8 {
		if c.tree {
			c.labelf(li, "Length: %d (bogus, must be >= 8)", ulen)
		}
		c.info = append(c.info, " [BAD UDP LENGTH "...)
		c.info = appendUint(c.info, uint64(ulen))
		c.info = append(c.info, " < 8]"...)
		c.pop(u)
		return t.len()
	}
	if ulen > t.rep && !c.inErr {
		if c.tree {
			c.labelf(li, "Length: %d (bogus, payload length %d)", ulen, t.rep)
		}
		c.info = append(c.info, " [BAD UDP LENGTH "...)
		c.info = appendUint(c.info, uint64(ulen))
		c.info = append(c.info, " > IP PAYLOAD LENGTH]"...)
	}
	if !c.noCols {
		c.info = append(c.info, " Len="...)
		c.info = appendUint(c.info, uint64(ulen-8))
	}
	if jumbo {
		c.info = append(c.info, " [Jumbogram]"...)
	}

	sum := c.u16(t, 6)
	ci := c.addU(fUDPChecksum, t.off+6, 2, uint64(sum))
	if sum == 0 {
		status := uint64(3) // not present: IPv4 allows a zero checksum
		if ip.v6 && !c.inErr {
			status = 4
			c.labelf(ci, "Checksum: 0x0000 [zero-value illegal]")
			c.appendInfo(" [ILLEGAL CHECKSUM (0)]")
		} else {
			c.labelf(ci, "Checksum: 0x0000 [zero-value ignored]")
		}
		saved := c.parent
		if ci >= 0 {
			c.parent = ci
		}
		udpCkStatus(c, status)
		c.parent = saved
	} else {
		if c.tree {
			c.labelf(ci, "Checksum: 0x%04x [unverified]", sum)
		}
		udpCkStatus(c, 2)
	}

	sid, haveStream := c.st.udp.stream(c, makeUDPKey(ip, sport, dport))
	c.udpConv = 0
	if haveStream {
		c.udpConv = sid + 1
	}
	if haveStream {
		c.addGen(fUDPStream, Value{U: uint64(sid)})
	}
	if ulen == 8 {
		c.pop(u)
		return t.len()
	}
	if haveStream && !c.inErr {
		if rel, delta, ok := c.st.udp.times(c, sid); ok && (c.tree || c.wants(fUDPTimeRel) || c.wants(fUDPTimeDelta)) {
			ts := c.pushLabel(t.off, 0, "[Timestamps]")
			c.addGen(fUDPTimeRel, Value{U: uint64(rel)})
			c.addGen(fUDPTimeDelta, Value{U: uint64(delta)})
			c.pop(ts)
		}
	}

	// The payload is what the UDP length says, unless the IP layer
	// delivered less.
	payload := t.sub(8)
	if ulen-8 < payload.rep {
		payload = t.subLen(8, ulen-8)
	}
	pi := c.addB(fUDPPayload, payload.off, payload.len())
	if c.tree {
		n := payload.len()
		if n == 1 {
			c.label(pi, "UDP payload (1 byte)")
		} else {
			c.label(pi, fmt.Sprintf("UDP payload (%d bytes)", n))
		}
	}
	c.pop(u)
	if c.inErr && payload.len() == 0 {
		return t.len()
	}
	decodeUDPPorts(c, payload, sport, dport)
	return t.len()
}

// udpCkStatus adds udp.checksum.status, shown (as a BASE_NONE field) by
// its name alone.
func udpCkStatus(c *Ctx, status uint64) {
	i := c.addGen(fUDPCkStatus, Value{U: status})
	if c.tree {
		c.label(i, "[Checksum Status: "+checksumStatusNames[status]+"]")
	}
}

// udpConvDissectors are the dissectors of the protocols that claim
// conversations, tried before the ports (try_conversation_dissector).
var udpConvDissectors [256]dissector

// decodeUDPPorts hands a UDP payload to the protocol registered on the
// lower port, then the higher one, then to the heuristics, and finally to
// data, as Wireshark's decode_udp_ports does (port 0 is never tried).
func decodeUDPPorts(c *Ctx, t tvb, sport, dport uint16) {
	if fn := udpConvDissectors[c.st.udp.claimed(c)]; fn != nil && fn(c, t) > 0 {
		return
	}
	low, high := sport, dport
	if low > high {
		low, high = high, low
	}
	if low != 0 {
		if fn := udpPorts[low]; fn != nil && fn(c, t) > 0 {
			return
		}
	}
	if high != 0 && high != low {
		if fn := udpPorts[high]; fn != nil && fn(c, t) > 0 {
			return
		}
	}
	for _, h := range udpHeuristics {
		if h(c, t) {
			return
		}
	}
	dissectData(c, t)
}
