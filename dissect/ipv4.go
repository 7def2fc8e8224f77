package dissect

import "fmt"

var (
	fIP          = &Field{Abbrev: "ip", Name: "Internet Protocol Version 4", Type: FTProtocol}
	fIPVersion   = &Field{Abbrev: "ip.version", Name: "Version", Type: FTUint, Bits: 8, Mask: 0xf0}
	fIPHdrLen    = &Field{Abbrev: "ip.hdr_len", Name: "Header Length", Type: FTUint, Bits: 8, Mask: 0x0f}
	fIPDSField   = &Field{Abbrev: "ip.dsfield", Name: "Differentiated Services Field", Type: FTUint, Bits: 8, Base: BaseHex}
	fIPDSCP      = &Field{Abbrev: "ip.dsfield.dscp", Name: "Differentiated Services Codepoint", Type: FTUint, Bits: 8, Mask: 0xfc, Values: dscpNames}
	fIPECN       = &Field{Abbrev: "ip.dsfield.ecn", Name: "Explicit Congestion Notification", Type: FTUint, Bits: 8, Mask: 0x03, Values: ecnNames}
	fIPLen       = &Field{Abbrev: "ip.len", Name: "Total Length", Type: FTUint, Bits: 16}
	fIPID        = &Field{Abbrev: "ip.id", Name: "Identification", Type: FTUint, Bits: 16, Base: BaseHexDec}
	fIPFlags     = &Field{Abbrev: "ip.flags", Name: "Flags", Type: FTUint, Bits: 8, Base: BaseHex, Mask: 0xe0}
	fIPFlagRB    = &Field{Abbrev: "ip.flags.rb", Name: "Reserved bit", Type: FTBool, Bits: 8, Mask: 0x80}
	fIPFlagDF    = &Field{Abbrev: "ip.flags.df", Name: "Don't fragment", Type: FTBool, Bits: 8, Mask: 0x40}
	fIPFlagMF    = &Field{Abbrev: "ip.flags.mf", Name: "More fragments", Type: FTBool, Bits: 8, Mask: 0x20}
	fIPFragOff   = &Field{Abbrev: "ip.frag_offset", Name: "Fragment Offset", Type: FTUint, Bits: 16, Mask: 0x1fff}
	fIPTTL       = &Field{Abbrev: "ip.ttl", Name: "Time to Live", Type: FTUint, Bits: 8}
	fIPProto     = &Field{Abbrev: "ip.proto", Name: "Protocol", Type: FTUint, Bits: 8, Values: ipProtoNames}
	fIPChecksum  = &Field{Abbrev: "ip.checksum", Name: "Header Checksum", Type: FTUint, Bits: 16, Base: BaseHex}
	fIPCkStatus  = &Field{Abbrev: "ip.checksum.status", Name: "Header checksum status", Type: FTUint, Bits: 8, Base: BaseNone, Values: vals(0, "Bad", 1, "Good", 2, "Unverified")}
	fIPSrc       = &Field{Abbrev: "ip.src", Name: "Source Address", Type: FTIPv4}
	fIPDst       = &Field{Abbrev: "ip.dst", Name: "Destination Address", Type: FTIPv4}
	fIPAddr      = &Field{Abbrev: "ip.addr", Name: "Source or Destination Address", Type: FTIPv4, Hidden: true}
	fIPOptions   = &Field{Abbrev: "ip.options", Name: "Options", Type: FTBytes}
	fIPFragment  = &Field{Abbrev: "ip.fragment", Name: "IPv4 Fragment", Type: FTFrameNum}
	fIPFragments = &Field{Abbrev: "ip.fragments", Name: "IPv4 Fragments", Type: FTBytes}
	fIPReasmIn   = &Field{Abbrev: "ip.reassembled_in", Name: "Reassembled IPv4 in frame", Type: FTFrameNum}
	fIPReasmLen  = &Field{Abbrev: "ip.reassembled.length", Name: "Reassembled IPv4 length", Type: FTUint, Bits: 32}
)

var dscpNames = vals(0, "Default", 8, "Class Selector 1", 10, "Assured Forwarding 11", 12, "Assured Forwarding 12",
	14, "Assured Forwarding 13", 16, "Class Selector 2", 18, "Assured Forwarding 21", 20, "Assured Forwarding 22",
	22, "Assured Forwarding 23", 24, "Class Selector 3", 26, "Assured Forwarding 31", 28, "Assured Forwarding 32",
	30, "Assured Forwarding 33", 32, "Class Selector 4", 34, "Assured Forwarding 41", 36, "Assured Forwarding 42",
	38, "Assured Forwarding 43", 40, "Class Selector 5", 44, "Voice Admit", 46, "Expedited Forwarding",
	48, "Class Selector 6", 56, "Class Selector 7")

var ecnNames = vals(0, "Not ECN-Capable Transport", 1, "ECN-Capable Transport codepoint '01'",
	2, "ECN-Capable Transport codepoint '10'", 3, "Congestion Experienced")

var ipProtoNames = vals(0, "IPv6 Hop-by-Hop Option", 1, "ICMP", 2, "IGMP", 4, "IPIP", 6, "TCP", 17, "UDP",
	41, "IPv6", 43, "Routing Header for IPv6", 44, "Fragment Header for IPv6", 47, "Generic Routing Encapsulation", 50, "Encap Security Payload",
	51, "Authentication Header", 58, "ICMPv6", 59, "No Next Header for IPv6", 60, "Destination Options for IPv6",
	89, "OSPF IGP", 103, "PIM", 112, "Virtual Router Redundancy Protocol", 132, "SCTP", 136, "UDPLite")

func init() {
	register(fIP, fIPVersion, fIPHdrLen, fIPDSField, fIPDSCP, fIPECN, fIPLen, fIPID, fIPFlags, fIPFlagRB, fIPFlagDF,
		fIPFlagMF, fIPFragOff, fIPTTL, fIPProto, fIPChecksum, fIPCkStatus, fIPSrc, fIPDst, fIPAddr, fIPOptions,
		fIPFragment, fIPFragments, fIPReasmIn, fIPReasmLen)
	etherTypes[0x0800] = dissectIPv4
}

// ipInfo is what transport dissectors need from the network layer: the
// addresses (for flow keys, pseudo-headers and columns) and the hop limit.
type ipInfo struct {
	v6       bool
	src, dst [16]byte // IPv4 uses the first 4 bytes
	ttl      uint8
	proto    uint8
	// payloadOff is where the transport header starts in the frame.
	payloadOff int
}

// ipProtos maps IP protocol numbers to transport dissectors (shared by
// IPv4 and IPv6); filled by init functions and read-only afterwards.
var ipProtos [256]func(c *Ctx, t tvb, ip *ipInfo) int

func dissectIPv4(c *Ctx, t tvb) int {
	c.setProto("IPv4")
	c.clearInfo()
	vhl := c.u8(t, 0)
	hlen := int(vhl&0x0f) * 4
	ipt := c.push(fIP, t.off, max(hlen, 1))
	c.addU(fIPVersion, t.off, 1, uint64(vhl>>4))
	hi := c.addU(fIPHdrLen, t.off, 1, uint64(vhl&0x0f))
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(hi, "%sHeader Length: %d bytes (%d)", appendBitPattern(nil, 0x0f, uint64(vhl&0x0f), 8), hlen, vhl&0x0f)
	}
	if vhl>>4 != 4 {
		c.setInfo(fmt.Sprintf("Bogus IPv4 version (%d, must be 4)", vhl>>4))
		c.pop(ipt)
		return t.len()
	}
	if hlen < 20 {
		c.setInfo(fmt.Sprintf("Bogus IP header length (%d, must be at least 20)", hlen))
		c.pop(ipt)
		return t.len()
	}
	ds := c.u8(t, 1)
	dsi := c.addU(fIPDSField, t.off+1, 1, uint64(ds))
	if c.tree {
		c.labelf(dsi, "Differentiated Services Field: 0x%02x (DSCP: %s, ECN: %s)", ds, dscpShort(ds>>2), ecnShort(ds&3))
		saved := c.parent
		c.parent = dsi
		c.addU(fIPDSCP, t.off+1, 1, uint64(ds>>2))
		c.addU(fIPECN, t.off+1, 1, uint64(ds&3))
		c.parent = saved
	} else {
		c.addU(fIPDSCP, t.off+1, 1, uint64(ds>>2))
		c.addU(fIPECN, t.off+1, 1, uint64(ds&3))
	}
	total := int(c.u16(t, 2))
	li := c.addU(fIPLen, t.off+2, 2, uint64(total))
	if total < hlen {
		if c.tree { // formatting arguments allocate: keep the fast path free
			c.labelf(li, "Total Length: %d (bogus, must be at least %d)", total, hlen)
		}
		c.setInfo(fmt.Sprintf("Bogus IP length (%d, less than header length %d)", total, hlen))
		c.pop(ipt)
		return t.len()
	}
	id := c.u16(t, 4)
	c.addU(fIPID, t.off+4, 2, uint64(id))
	ff := c.u16(t, 6)
	flags := uint8(ff >> 8)
	fi := c.addU(fIPFlags, t.off+6, 1, uint64(flags>>5))
	if c.tree {
		desc := ""
		switch {
		case flags&0x40 != 0:
			desc = ", Don't fragment"
		case flags&0x20 != 0:
			desc = ", More fragments"
		}
		c.labelf(fi, "%sFlags: 0x%x%s", appendBitPattern(nil, 0xe0, uint64(flags>>5), 8), flags>>5, desc)
		saved := c.parent
		c.parent = fi
		c.addU(fIPFlagRB, t.off+6, 1, uint64(flags>>7&1))
		c.addU(fIPFlagDF, t.off+6, 1, uint64(flags>>6&1))
		c.addU(fIPFlagMF, t.off+6, 1, uint64(flags>>5&1))
		c.parent = saved
	} else {
		c.addU(fIPFlagRB, t.off+6, 1, uint64(flags>>7&1))
		c.addU(fIPFlagDF, t.off+6, 1, uint64(flags>>6&1))
		c.addU(fIPFlagMF, t.off+6, 1, uint64(flags>>5&1))
	}
	fragOff := int(ff&0x1fff) * 8
	c.addU(fIPFragOff, t.off+6, 2, uint64(ff&0x1fff))
	if c.tree {
		c.items[len(c.items)-1].Label = fmt.Sprintf("%sFragment Offset: %d", appendBitPattern(nil, 0x1fff, uint64(ff&0x1fff), 16), fragOff)
	}
	ttl := c.u8(t, 8)
	c.addU(fIPTTL, t.off+8, 1, uint64(ttl))
	proto := c.u8(t, 9)
	c.addU(fIPProto, t.off+9, 1, uint64(proto))
	ck := c.u16(t, 10)
	ci := c.addU(fIPChecksum, t.off+10, 2, uint64(ck))
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(ci, "Header Checksum: 0x%04x [validation disabled]", ck)
	}
	c.addGen(fIPCkStatus, Value{U: 2})
	// Read and show one address at a time, so that a header cut short
	// still shows the source address (as Wireshark does).
	src := c.u32(t, 12)
	c.addU(fIPSrc, t.off+12, 4, uint64(src))
	c.addU(fIPAddr, t.off+12, 4, uint64(src))
	dst := c.u32(t, 16)
	c.addU(fIPDst, t.off+16, 4, uint64(dst))
	c.addU(fIPAddr, t.off+16, 4, uint64(dst))
	if hlen > 20 {
		c.addB(fIPOptions, t.off+20, min(hlen-20, max(t.len()-20, 0)))
		c.check(t, 20, hlen-20)
	}
	if !c.noCols {
		c.src = appendIPv4(c.src[:0], src)
		c.dst = appendIPv4(c.dst[:0], dst)
	}
	if c.tree {
		c.labelf(ipt, "Internet Protocol Version 4, Src: %s, Dst: %s", appendIPv4(nil, src), appendIPv4(nil, dst))
	}
	c.setLen(ipt, hlen)
	if ipt >= 0 { // the datagram, for `ip contains` (see Value)
		c.items[ipt].Val = protoValue(c.data, t.subLen(0, total), hlen)
	}
	c.pop(ipt)

	// The context's storage, not a local: a pointer to a local escapes
	// through the ipProtos call and would allocate once per packet.
	ip := &c.ip
	*ip = ipInfo{ttl: ttl, proto: proto, payloadOff: t.off + hlen}
	putU32(ip.src[:], src)
	putU32(ip.dst[:], dst)
	// The payload is what Total Length says, not what the link delivered:
	// the rest of the frame is the link layer's padding or trailer.
	payload := t.subLen(hlen, total-hlen)
	if t.rep < total {
		// Claimed longer than what arrived: the IP layer reports what it has.
		payload.rep = max(t.rep-hlen, 0)
	}
	mf := flags&0x20 != 0
	if mf || fragOff != 0 {
		if ipFragment(c, payload, ip, id, fragOff, mf, ipt) {
			return total
		}
	}
	dispatchIPProto(c, payload, ip)
	return total
}

func putU32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}

// dispatchIPProto hands an IP payload to its transport dissector.
func dispatchIPProto(c *Ctx, t tvb, ip *ipInfo) {
	if fn := ipProtos[ip.proto]; fn != nil {
		fn(c, t, ip)
		return
	}
	dissectData(c, t)
}

func dscpShort(d uint8) string {
	switch d {
	case 0:
		return "CS0"
	case 8, 16, 24, 32, 40, 48, 56:
		return fmt.Sprintf("CS%d", d/8)
	case 46:
		return "EF"
	case 44:
		return "VOICE-ADMIT"
	}
	if d%2 == 0 && d >= 10 && d <= 38 {
		return fmt.Sprintf("AF%d%d", d/8, (d%8)/2)
	}
	return fmt.Sprintf("Unknown (%d)", d)
}

func ecnShort(e uint8) string {
	return [...]string{"Not-ECT", "ECT(1)", "ECT(0)", "CE"}[e&3]
}

// ipFragment handles a fragment: it records it for reassembly and shows it
// as "Fragmented IP protocol", returning true; or, for the fragment that
// completes a datagram, it dissects the reassembled payload and returns true.
// Implemented in ipfrag.go.
var _ = ipFragment
