package dissect

// Link layers other than Ethernet: Linux cooked captures (SLL v1 and v2),
// BSD loopback (NULL and OpenBSD LOOP) and the raw IP link types.

var (
	fSLL        = &Field{Abbrev: "sll", Name: "Linux cooked capture v1", Type: FTProtocol}
	fSLLPktType = &Field{Abbrev: "sll.pkttype", Name: "Packet type", Type: FTUint, Bits: 16, Values: sllPktTypes}
	fSLLHAType  = &Field{Abbrev: "sll.hatype", Name: "Link-layer address type", Type: FTUint, Bits: 16, Values: arphrdNames}
	fSLLHALen   = &Field{Abbrev: "sll.halen", Name: "Link-layer address length", Type: FTUint, Bits: 16}
	fSLLSrcEth  = &Field{Abbrev: "sll.src.eth", Name: "Source", Type: FTEther, Blurb: "Source link-layer address"}
	fSLLSrcIPv4 = &Field{Abbrev: "sll.src.ipv4", Name: "Source", Type: FTIPv4, Blurb: "Source link-layer address"}
	fSLLSrcOth  = &Field{Abbrev: "sll.src.other", Name: "Source", Type: FTBytes, Blurb: "Source link-layer address"}
	fSLLUnused  = &Field{Abbrev: "sll.unused", Name: "Unused", Type: FTBytes, Blurb: "Unused bytes"}
	fSLLLType   = &Field{Abbrev: "sll.ltype", Name: "Protocol", Type: FTUint, Bits: 16, Base: BaseHex, Values: vals(1, "Raw 802.3", 4, "802.2 LLC", 7, "PPP (HDLC)", 0x000c, "CAN", 0x000d, "CAN FD")}
	fSLLEType   = &Field{Abbrev: "sll.etype", Name: "Protocol", Type: FTUint, Bits: 16, Base: BaseHex, Values: etherTypeNames}
	fSLLTrailer = &Field{Abbrev: "sll.trailer", Name: "Trailer", Type: FTBytes}
	fSLLIfIndex = &Field{Abbrev: "sll.ifindex", Name: "Interface index", Type: FTUint, Bits: 32}

	fNull       = &Field{Abbrev: "null", Name: "Null/Loopback", Type: FTProtocol}
	fNullFamily = &Field{Abbrev: "null.family", Name: "Family", Type: FTUint, Bits: 32, Values: bsdFamilies}
	fNullType   = &Field{Abbrev: "null.type", Name: "Type", Type: FTUint, Bits: 16, Base: BaseHex, Values: etherTypeNames}

	fRaw = &Field{Abbrev: "raw", Name: "Raw packet data", Type: FTProtocol}
)

var sllPktTypes = vals(0, "Unicast to us", 1, "Broadcast", 2, "Multicast", 3, "Unicast to another host",
	4, "Sent by us", 5, "Sent by us (loopback)", 6, "Sent by us (user)")

// arphrdNames names Linux ARPHRD_ hardware types.
var arphrdNames = vals(0, "NET/ROM", 1, "Ethernet", 2, "Experimental Ethernet", 3, "AX.25", 4, "ProNET",
	5, "Chaos", 6, "IEEE 802", 7, "ARCNET", 8, "Hyperchannel", 15, "Frame Relay", 19, "ATM", 23, "Metricom",
	24, "IEEE 1394", 32, "InfiniBand", 256, "SLIP", 512, "PPP", 768, "IPIP Tunnel", 769, "IPv6-in-IPv6",
	772, "Loopback", 774, "FDDI", 776, "IPv6-in-IPv4", 778, "GRE over IP", 800, "IEEE 802.11",
	801, "IEEE 802.11 + Prism header", 803, "IEEE 802.11 + radiotap header", 804, "IEEE 802.15.4",
	820, "Netlink", 65534, "None", 65535, "Void")

// bsdFamilies names the BSD AF_ values of NULL/LOOP headers.
var bsdFamilies = vals(2, "IP", 7, "OSI", 16, "Apple Talk", 23, "Netware IPX/SPX", 24, "IPv6", 28, "IPv6",
	30, "IPv6", 10, "IPv6")

func init() {
	register(fSLL, fSLLPktType, fSLLHAType, fSLLHALen, fSLLSrcEth, fSLLSrcIPv4, fSLLSrcOth, fSLLUnused,
		fSLLLType, fSLLEType, fSLLTrailer, fSLLIfIndex, fNull, fNullFamily, fNullType, fRaw, fEthFCSStatus)
	linkTypes[113] = func(c *Ctx, t tvb) { dissectSLL(c, t) }
	linkTypes[276] = func(c *Ctx, t tvb) { dissectSLL2(c, t) }
	linkTypes[0] = func(c *Ctx, t tvb) { dissectNull(c, t, false) }
	linkTypes[108] = func(c *Ctx, t tvb) { dissectNull(c, t, true) }
	raw := func(c *Ctx, t tvb) { dissectRawIP(c, t) }
	linkTypes[101] = raw
	linkTypes[12] = raw
	linkTypes[14] = raw
	linkTypes[228] = func(c *Ctx, t tvb) { dissectIPAny(c, t) }
	linkTypes[229] = func(c *Ctx, t tvb) { dissectIPv6(c, t) }
}

// sllAddr shows the link-layer source address of an SLL header and sets
// the Source column from it.
func sllAddr(c *Ctx, t tvb, off, halen int) {
	switch halen {
	case 4:
		a := c.u32(t, off)
		c.addU(fSLLSrcIPv4, t.off+off, 4, uint64(a))
		c.src = appendIPv4(c.src[:0], a)
	case 6:
		b := c.bytes(t, off, 6)
		c.addB(fSLLSrcEth, t.off+off, 6)
		c.src = appendMAC(c.src[:0], b)
	case 0:
	default:
		c.check(t, off, min(halen, 8))
		c.addB(fSLLSrcOth, t.off+off, min(halen, 8))
	}
	if halen < 8 {
		c.check(t, off+halen, 8-halen)
		c.addB(fSLLUnused, t.off+off+halen, 8-halen)
	}
}

func dissectSLL(c *Ctx, t tvb) int {
	c.setProto("SLL")
	c.clearInfo()
	s := c.pushT(fSLL, t, 16)
	pkt := c.u16(t, 0)
	c.addU(fSLLPktType, t.off, 2, uint64(pkt))
	hat := c.u16(t, 2)
	c.addU(fSLLHAType, t.off+2, 2, uint64(hat))
	hal := c.u16(t, 4)
	c.addU(fSLLHALen, t.off+4, 2, uint64(hal))
	c.dst = c.dst[:0]
	sllAddr(c, t, 6, int(hal))
	proto := c.u16(t, 14)
	return sllPayload(c, t, 16, 14, hat, proto, s)
}

func dissectSLL2(c *Ctx, t tvb) int {
	c.setProto("SLL")
	c.clearInfo()
	s := c.pushT(fSLL, t, 20)
	c.label(s, "Linux cooked capture v2")
	proto := c.u16(t, 0)
	if proto > 1536 {
		c.addU(fSLLEType, t.off, 2, uint64(proto))
	} else {
		c.addU(fSLLLType, t.off, 2, uint64(proto))
	}
	c.addU(fSLLIfIndex, t.off+4, 4, uint64(c.u32(t, 4)))
	hat := c.u16(t, 8)
	c.addU(fSLLHAType, t.off+8, 2, uint64(hat))
	c.addU(fSLLPktType, t.off+10, 1, uint64(c.u8(t, 10)))
	hal := c.u8(t, 11)
	c.addU(fSLLHALen, t.off+11, 1, uint64(hal))
	c.dst = c.dst[:0]
	sllAddr(c, t, 12, int(hal))
	return sllPayload(c, t, 20, -1, hat, proto, s)
}

// sllPayload dispatches the payload of an SLL header of hlen bytes whose
// protocol field is proto; protoOff is where the field is, or -1 when the
// caller has shown it already.
func sllPayload(c *Ctx, t tvb, hlen, protoOff int, hatype, proto uint16, s int) int {
	payload := t.sub(hlen)
	if proto <= 1536 {
		if protoOff >= 0 {
			c.addU(fSLLLType, t.off+protoOff, 2, uint64(proto))
		}
		c.pop(s)
		if proto == 4 && llcDissector != nil {
			llcDissector(c, payload)
			return t.len()
		}
		dissectData(c, payload)
		return t.len()
	}
	if protoOff >= 0 {
		c.addU(fSLLEType, t.off+protoOff, 2, uint64(proto))
	}
	c.pop(s)
	used := hlen + dispatchEtherType(c, payload, proto, s)
	linkTrailer(c, t, used, s, fSLLTrailer, 0)
	return t.len()
}

// nullHeader turns a NULL header read little-endian into the capturing
// host's value: its byte order is the host's, and Wireshark guesses it.
func nullHeader(h uint32) uint32 {
	if h&0xffff0000 != 0 {
		if h&0xff000000 == 0 && h&0x00ff0000 < 0x00060000 {
			return h >> 16
		}
		return h>>24 | h>>8&0xff00 | h<<8&0xff0000 | h<<24
	}
	if h&0xff == 0 && h&0xff00 < 0x0600 {
		return (h&0xff)<<8 | h>>8&0xff
	}
	return h
}

func dissectNull(c *Ctx, t tvb, loop bool) int {
	c.setProto("N/A")
	c.setInfo("Null/Loopback")
	n := c.pushT(fNull, t, 4)
	var h uint32
	if loop {
		h = c.u32(t, 0) // OpenBSD LOOP: network byte order
	} else {
		// A NULL header is in the capturing host's byte order; Wireshark
		// reads it in its own (little-endian here) and then guesses.
		h = nullHeader(c.le32(t, 0))
	}
	payload := t.sub(4)
	if !loop && h > 1500 {
		// An Ethertype, handed straight to the Ethertype's dissector.
		c.addU(fNullType, t.off, 4, uint64(uint16(h)))
		c.pop(n)
		if fn := etherTypes[uint16(h)]; fn != nil && fn(c, payload) >= 0 {
			return t.len()
		}
		dissectData(c, payload)
		return t.len()
	}
	c.addU(fNullFamily, t.off, 4, uint64(h))
	c.pop(n)
	switch h {
	case 2:
		dissectIPv4(c, payload)
	case 10, 24, 28, 30:
		if dissectIPv6(c, payload) < 0 {
			dissectData(c, payload)
		}
	default:
		dissectData(c, payload)
	}
	return t.len()
}

func dissectRawIP(c *Ctx, t tvb) int {
	c.setProto("Raw")
	c.setInfo("Raw packet data")
	r := c.push(fRaw, t.off, 0)
	c.pop(r)
	if !c.has(t, 0, 1) {
		c.text(t.off, 0, "No link information available")
		return 0
	}
	switch c.u8(t, 0) >> 4 {
	case 4:
		dissectIPv4(c, t)
	case 6:
		dissectIPv6(c, t)
	default:
		dissectData(c, t)
	}
	return t.len()
}

// dissectIPAny is Wireshark's "ip" dissector entry as used for
// LINKTYPE_IPV4: a version-6 packet is handed to IPv6 after "ip" has been
// entered in frame.protocols.
func dissectIPAny(c *Ctx, t tvb) int {
	if c.has(t, 0, 1) && c.u8(t, 0)>>4 == 6 {
		c.addProtoName("ip")
		return dissectIPv6(c, t)
	}
	return dissectIPv4(c, t)
}

// linkTrailer shows the bytes after a payload as Wireshark's
// add_ethernet_trailer does: padding (zeros filling the frame to
// Ethernet's 60-byte minimum, computed from the frame length), trailer, and
// for fcsLen -1 ("maybe") or 4 a frame check sequence in the last 4 bytes
// of frames of 64 bytes or more. Reading a check sequence that was not
// captured raises "packet size limited", as in Wireshark.
func linkTrailer(c *Ctx, t tvb, used int, parent int, trailer *Field, fcsLen int) {
	if used <= 0 || used >= t.rep || used >= t.len() {
		return
	}
	saved := c.parent
	if parent >= 0 {
		c.parent = parent
	}
	defer func() { c.parent = saved }()
	tr := t.sub(used)
	trLen, trRep := tr.len(), tr.rep
	pktLen := c.pkt.OrigLen
	pad := 0
	if pktLen >= 60 && pktLen-trRep < 60 {
		pad = 60 - (pktLen - trRep)
		for i := 0; i < pad; i++ {
			if c.u8(tr, i) != 0 {
				pad = 0
				break
			}
		}
		if pad > 0 {
			c.addB(fEthPadding, tr.off, pad)
			trLen -= pad
			trRep -= pad
		}
	}
	fcs := false
	if fcsLen != 0 && (fcsLen == 4 || (t.rep >= 64 && trRep >= 4)) {
		if trLen < trRep {
			// Not all captured: the FCS is cut from the reported end.
			trLen = min(trLen, trRep-4)
		} else {
			trLen -= 4
		}
		fcs = true
	}
	if trLen > 0 {
		c.addB(trailer, tr.off+pad, trLen)
	}
	if fcs {
		v := c.u32(tr, pad+trLen)
		i := c.addU(fEthFCS, tr.off+pad+trLen, 4, uint64(v))
		if c.tree {
			c.labelf(i, "Frame check sequence: 0x%08x [unverified]", v)
		}
		c.addStatus(fEthFCSStatus, 2)
	}
}

var fEthFCSStatus = &Field{Abbrev: "eth.fcs.status", Name: "FCS Status", Type: FTUint, Bits: 8, Base: BaseNone, Values: vals(0, "Bad", 1, "Good", 2, "Unverified")}
