package dissect

import "fmt"

var (
	fIPv6          = &Field{Abbrev: "ipv6", Name: "Internet Protocol Version 6", Type: FTProtocol}
	fIPv6Version   = &Field{Abbrev: "ipv6.version", Name: "Version", Type: FTUint, Bits: 8, Mask: 0xf0}
	fIPv6TClass    = &Field{Abbrev: "ipv6.tclass", Name: "Traffic Class", Type: FTUint, Bits: 32, Base: BaseHex, Mask: 0x0ff00000}
	fIPv6DSCP      = &Field{Abbrev: "ipv6.tclass.dscp", Name: "Differentiated Services Codepoint", Type: FTUint, Bits: 32, Mask: 0x0fc00000, Values: dscpNames}
	fIPv6ECN       = &Field{Abbrev: "ipv6.tclass.ecn", Name: "Explicit Congestion Notification", Type: FTUint, Bits: 32, Mask: 0x00300000, Values: ecnNames}
	fIPv6Flow      = &Field{Abbrev: "ipv6.flow", Name: "Flow Label", Type: FTUint, Bits: 24, Base: BaseHex, Mask: 0xfffff}
	fIPv6PLen      = &Field{Abbrev: "ipv6.plen", Name: "Payload Length", Type: FTUint, Bits: 16}
	fIPv6Nxt       = &Field{Abbrev: "ipv6.nxt", Name: "Next Header", Type: FTUint, Bits: 8, Values: ipProtoNames}
	fIPv6HLim      = &Field{Abbrev: "ipv6.hlim", Name: "Hop Limit", Type: FTUint, Bits: 8}
	fIPv6Src       = &Field{Abbrev: "ipv6.src", Name: "Source Address", Type: FTIPv6}
	fIPv6Dst       = &Field{Abbrev: "ipv6.dst", Name: "Destination Address", Type: FTIPv6}
	fIPv6Addr      = &Field{Abbrev: "ipv6.addr", Name: "Source or Destination Address", Type: FTIPv6, Hidden: true}
	fIPv6SrcSLAAC  = &Field{Abbrev: "ipv6.src_slaac_mac", Name: "Source SLAAC MAC", Type: FTEther}
	fIPv6DstSLAAC  = &Field{Abbrev: "ipv6.dst_slaac_mac", Name: "Destination SLAAC MAC", Type: FTEther}
	fIPv6SLAAC     = &Field{Abbrev: "ipv6.slaac_mac", Name: "SLAAC MAC", Type: FTEther, Hidden: true}
	fIPv6Src6to4   = &Field{Abbrev: "ipv6.src_6to4_gw_ipv4", Name: "Source 6to4 Gateway IPv4", Type: FTIPv4}
	fIPv6Dst6to4   = &Field{Abbrev: "ipv6.dst_6to4_gw_ipv4", Name: "Destination 6to4 Gateway IPv4", Type: FTIPv4}
	fIPv6SrcSLA    = &Field{Abbrev: "ipv6.src_6to4_sla_id", Name: "Source 6to4 SLA ID", Type: FTUint, Bits: 16}
	fIPv6DstSLA    = &Field{Abbrev: "ipv6.dst_6to4_sla_id", Name: "Destination 6to4 SLA ID", Type: FTUint, Bits: 16}
	fIPv6PLenZero  = &Field{Abbrev: "ipv6.plen_zero", Name: "IPv6 payload length equals 0 (maybe because of \"TCP segmentation offload\" (TSO))", Type: FTNone}
	fIPv6PLenLarge = &Field{Abbrev: "ipv6.plen_exceeds_framing", Name: "IPv6 payload length does not match expected framing length", Type: FTNone}

	fIPv6HopOpts   = &Field{Abbrev: "ipv6.hopopts", Name: "IPv6 Hop-by-Hop Option", Type: FTProtocol}
	fIPv6HopNxt    = &Field{Abbrev: "ipv6.hopopts.nxt", Name: "Next Header", Type: FTUint, Bits: 8, Values: ipProtoNames}
	fIPv6HopLen    = &Field{Abbrev: "ipv6.hopopts.len", Name: "Length", Type: FTUint, Bits: 8}
	fIPv6HopLenOct = &Field{Abbrev: "ipv6.hopopts.len_oct", Name: "Length", Type: FTUint, Bits: 16}
	fIPv6DstOpts   = &Field{Abbrev: "ipv6.dstopts", Name: "Destination Options for IPv6", Type: FTProtocol}
	fIPv6DstNxt    = &Field{Abbrev: "ipv6.dstopts.nxt", Name: "Next Header", Type: FTUint, Bits: 8, Values: ipProtoNames}
	fIPv6DstLen    = &Field{Abbrev: "ipv6.dstopts.len", Name: "Length", Type: FTUint, Bits: 8}
	fIPv6DstLenOct = &Field{Abbrev: "ipv6.dstopts.len_oct", Name: "Length", Type: FTUint, Bits: 16}
	fIPv6Opt       = &Field{Abbrev: "ipv6.opt", Name: "IPv6 Option", Type: FTNone}
	fIPv6OptType   = &Field{Abbrev: "ipv6.opt.type", Name: "Type", Type: FTUint, Bits: 8, Base: BaseHex, Values: ipv6OptNames}
	fIPv6OptAction = &Field{Abbrev: "ipv6.opt.type.action", Name: "Action", Type: FTUint, Bits: 8, Mask: 0xc0, Values: vals(0, "Skip and continue", 1, "Discard and continue", 2, "Discard and send ICMP Parameter Problem", 3, "Discard and send ICMP if not multicast")}
	fIPv6OptChange = &Field{Abbrev: "ipv6.opt.type.change", Name: "May Change", Type: FTBool, Bits: 8, Mask: 0x20, TrueFalse: &[2]string{"Yes", "No"}}
	fIPv6OptRest   = &Field{Abbrev: "ipv6.opt.type.rest", Name: "Low-Order Bits", Type: FTUint, Bits: 8, Base: BaseHex, Mask: 0x1f}
	fIPv6OptLen    = &Field{Abbrev: "ipv6.opt.length", Name: "Length", Type: FTUint, Bits: 8}
	fIPv6OptPad1   = &Field{Abbrev: "ipv6.opt.pad1", Name: "Pad1", Type: FTNone}
	fIPv6OptPadN   = &Field{Abbrev: "ipv6.opt.padn", Name: "PadN", Type: FTBytes}
	fIPv6OptRA     = &Field{Abbrev: "ipv6.opt.router_alert", Name: "Router Alert", Type: FTUint, Bits: 16, Values: vals(0, "MLD", 1, "RSVP", 2, "Active Networks")}
	fIPv6OptJumbo  = &Field{Abbrev: "ipv6.opt.jumbo", Name: "Payload Length", Type: FTUint, Bits: 32}
	fIPv6OptData   = &Field{Abbrev: "ipv6.opt_unknown_data", Name: "Unknown Data", Type: FTBytes}

	fIPv6Routing    = &Field{Abbrev: "ipv6.routing", Name: "Routing Header for IPv6", Type: FTProtocol}
	fIPv6RtNxt      = &Field{Abbrev: "ipv6.routing.nxt", Name: "Next Header", Type: FTUint, Bits: 8, Values: ipProtoNames}
	fIPv6RtLen      = &Field{Abbrev: "ipv6.routing.len", Name: "Length", Type: FTUint, Bits: 8}
	fIPv6RtLenOct   = &Field{Abbrev: "ipv6.routing.len_oct", Name: "Length", Type: FTUint, Bits: 16}
	fIPv6RtType     = &Field{Abbrev: "ipv6.routing.type", Name: "Type", Type: FTUint, Bits: 8, Values: vals(0, "Source Route", 1, "Nimrod", 2, "Type 2 Routing", 3, "RPL Source Route", 4, "Segment Routing")}
	fIPv6RtSegLeft  = &Field{Abbrev: "ipv6.routing.segleft", Name: "Segments Left", Type: FTUint, Bits: 8}
	fIPv6Frag       = &Field{Abbrev: "ipv6.fraghdr", Name: "Fragment Header for IPv6", Type: FTProtocol}
	fIPv6FragNxt    = &Field{Abbrev: "ipv6.fraghdr.nxt", Name: "Next header", Type: FTUint, Bits: 8, Values: ipProtoNames}
	fIPv6FragRes    = &Field{Abbrev: "ipv6.fraghdr.reserved_octet", Name: "Reserved octet", Type: FTUint, Bits: 8, Base: BaseHex}
	fIPv6FragOff    = &Field{Abbrev: "ipv6.fraghdr.offset", Name: "Offset", Type: FTUint, Bits: 16, Mask: 0xfff8}
	fIPv6FragResB   = &Field{Abbrev: "ipv6.fraghdr.reserved_bits", Name: "Reserved bits", Type: FTUint, Bits: 16, Mask: 0x0006}
	fIPv6FragMore   = &Field{Abbrev: "ipv6.fraghdr.more", Name: "More Fragments", Type: FTBool, Bits: 16, Mask: 0x0001, TrueFalse: &[2]string{"Yes", "No"}}
	fIPv6FragIdent  = &Field{Abbrev: "ipv6.fraghdr.ident", Name: "Identification", Type: FTUint, Bits: 32, Base: BaseHex}
	fIPv6Fragment   = &Field{Abbrev: "ipv6.fragment", Name: "IPv6 Fragment", Type: FTFrameNum}
	fIPv6Fragments  = &Field{Abbrev: "ipv6.fragments", Name: "IPv6 Fragments", Type: FTNone}
	fIPv6FragCount  = &Field{Abbrev: "ipv6.fragment.count", Name: "Fragment count", Type: FTUint, Bits: 32}
	fIPv6ReasmIn    = &Field{Abbrev: "ipv6.reassembled.in", Name: "Reassembled IPv6 in frame", Type: FTFrameNum}
	fIPv6ReasmLen   = &Field{Abbrev: "ipv6.reassembled.length", Name: "Reassembled IPv6 length", Type: FTUint, Bits: 32}
	fIPv6FragOvlp   = &Field{Abbrev: "ipv6.fragment.overlap", Name: "Fragment overlap", Type: FTBool, Bits: 8}
	fIPv6FragOvlpCf = &Field{Abbrev: "ipv6.fragment.overlap.conflict", Name: "Conflicting data in fragment overlap", Type: FTBool, Bits: 8}
)

var ipv6OptNames = vals(0x00, "Pad1", 0x01, "PadN", 0x04, "Tunnel Encapsulation Limit", 0x05, "Router Alert",
	0x07, "CALIPSO", 0x08, "SMF_DPD", 0x26, "Quick-Start", 0x63, "RPL Option", 0x6d, "MPL Option",
	0x8b, "ILNP Nonce", 0x8c, "Line-Identification Option", 0xc2, "Jumbo Payload", 0xc9, "Home Address Option",
	0xee, "IPv6 DFF Header", 0x1e, "Experimental (0x1E)", 0x3e, "Experimental (0x3E)", 0x5e, "Experimental (0x5E)",
	0x7e, "Experimental (0x7E)", 0x9e, "Experimental (0x9E)", 0xbe, "Experimental (0xBE)", 0xde, "Experimental (0xDE)",
	0xfe, "Experimental (0xFE)")

func init() {
	register(fIPv6, fIPv6Version, fIPv6TClass, fIPv6DSCP, fIPv6ECN, fIPv6Flow, fIPv6PLen, fIPv6Nxt, fIPv6HLim,
		fIPv6Src, fIPv6Dst, fIPv6Addr, fIPv6SrcSLAAC, fIPv6DstSLAAC, fIPv6SLAAC, fIPv6Src6to4, fIPv6Dst6to4,
		fIPv6SrcSLA, fIPv6DstSLA, fIPv6PLenZero, fIPv6PLenLarge,
		fIPv6HopOpts, fIPv6HopNxt, fIPv6HopLen, fIPv6HopLenOct, fIPv6DstOpts, fIPv6DstNxt, fIPv6DstLen,
		fIPv6DstLenOct, fIPv6Opt, fIPv6OptType, fIPv6OptAction, fIPv6OptChange, fIPv6OptRest, fIPv6OptLen,
		fIPv6OptPad1, fIPv6OptPadN, fIPv6OptRA, fIPv6OptJumbo, fIPv6OptData,
		fIPv6Routing, fIPv6RtNxt, fIPv6RtLen, fIPv6RtLenOct, fIPv6RtType, fIPv6RtSegLeft,
		fIPv6Frag, fIPv6FragNxt, fIPv6FragRes, fIPv6FragOff, fIPv6FragResB, fIPv6FragMore, fIPv6FragIdent,
		fIPv6Fragment, fIPv6Fragments, fIPv6FragCount, fIPv6ReasmIn, fIPv6ReasmLen, fIPv6FragOvlp, fIPv6FragOvlpCf)
	etherTypes[0x86dd] = dissectIPv6
	ipProtos[41] = func(c *Ctx, t tvb, _ *ipInfo) int { return dissectIPv6(c, t) }
}

// dissectIPv6 dissects an IPv6 header, its extension headers and hands the
// payload on. Like Wireshark's, it rejects a packet whose version nibble is
// not 6 (returning -1) so the Ethertype layer shows it as data.
func dissectIPv6(c *Ctx, t tvb) int {
	if !c.has(t, 0, 1) || c.u8(t, 0)>>4 != 6 {
		if !c.has(t, 0, 1) {
			// Nothing to look at: the accessor raises the right error.
			c.setProto("IPv6")
			c.push(fIPv6, t.off, 0)
			c.u8(t, 0)
		}
		return -1
	}
	c.setProto("IPv6")
	c.clearInfo()
	ipt := c.push(fIPv6, t.off, min(40, t.len()))
	vfc := c.u32(t, 0)
	c.addU(fIPv6Version, t.off, 1, uint64(vfc>>28))
	if t.rep < 40 {
		c.info = append(c.info[:c.fence], "Invalid IPv6 header ("...)
		c.info = appendUint(c.info, uint64(t.rep))
		c.info = append(c.info, " bytes, need exactly 40)"...)
	}
	tc := uint8(vfc >> 20)
	ti := c.addU(fIPv6TClass, t.off, 4, uint64(tc))
	if c.tree {
		c.labelf(ti, "%sTraffic Class: 0x%02x (DSCP: %s, ECN: %s)", appendBitPattern(nil, 0x0ff00000, uint64(tc), 32), tc, dscpShort(tc>>2), ecnShort(tc&3))
		saved := c.parent
		c.parent = ti
		c.addU(fIPv6DSCP, t.off, 4, uint64(tc>>2))
		c.addU(fIPv6ECN, t.off, 4, uint64(tc&3))
		c.parent = saved
	} else {
		c.addU(fIPv6DSCP, t.off, 4, uint64(tc>>2))
		c.addU(fIPv6ECN, t.off, 4, uint64(tc&3))
	}
	c.addU(fIPv6Flow, t.off+1, 3, uint64(vfc&0xfffff))
	plen := int(c.u16(t, 4))
	pi := c.addU(fIPv6PLen, t.off+4, 2, uint64(plen))
	nxt := c.u8(t, 6)
	c.addU(fIPv6Nxt, t.off+6, 1, uint64(nxt))
	hlim := c.u8(t, 7)
	c.addU(fIPv6HLim, t.off+7, 1, uint64(hlim))
	src := c.bytes(t, 8, 16)
	c.addB(fIPv6Src, t.off+8, 16)
	c.addB(fIPv6Addr, t.off+8, 16)
	dst := c.bytes(t, 24, 16)
	c.addB(fIPv6Dst, t.off+24, 16)
	c.addB(fIPv6Addr, t.off+24, 16)
	if c.tree {
		ipv6Embedded(c, t.off+8, src, true)
		ipv6Embedded(c, t.off+24, dst, false)
		c.labelf(ipt, "Internet Protocol Version 6, Src: %s, Dst: %s", appendIPv6(nil, src), appendIPv6(nil, dst))
	}
	if !c.noCols {
		c.src = appendIPv6(c.src[:0], src)
		c.dst = appendIPv6(c.dst[:0], dst)
	}

	// The context's storage, not a local: a pointer to a local escapes
	// through the ipProtos call and would allocate once per packet.
	ip := &c.ip
	*ip = ipInfo{v6: true, ttl: hlim, proto: nxt}
	copy(ip.src[:], src)
	copy(ip.dst[:], dst)

	reported := t.rep - 40
	if plen == 0 && nxt != 0 {
		// Wireshark 4.0 only notes it (TSO); the payload is then empty.
		if c.tree && pi >= 0 {
			saved := c.parent
			c.parent = pi
			c.text(t.off+4, 2, "[Expert Info (Chat/Protocol): IPv6 payload length equals 0 (maybe because of \"TCP segmentation offload\" (TSO))]")
			c.parent = saved
		}
	} else if plen > reported && c.tree && pi >= 0 {
		saved := c.parent
		c.parent = pi
		c.text(t.off+4, 2, "[Expert Info (Error/Protocol): IPv6 payload length exceeds framing length (%d bytes)]", reported)
		c.parent = saved
	}
	// The datagram is 40+plen bytes; anything after it is the link's trailer.
	dg := t.subLen(0, 40+plen)
	if t.rep < 40+plen {
		dg.rep = t.rep
	}
	if ipt >= 0 { // the datagram, for `ipv6 contains` (see Value)
		c.items[ipt].Val = protoValue(c.data, dg, 40)
	}
	if t.rep < 40 {
		// Header shorter than 40 bytes: the accessors above have read
		// past the reported end only if they raised; show it as Wireshark.
		c.pop(ipt)
		c.u8(tvb{off: t.off, end: t.off + t.len(), rep: t.rep}, 40)
		return t.len()
	}
	off := 40
	var fragOff int
	var fragMF, fragmented bool
	var fragID uint32
	for done := false; !done; {
		switch nxt {
		case 0, 60: // hop-by-hop, destination options
			n := ipv6Options(c, dg, off, nxt, ipt)
			nxt = c.u8(dg, off)
			off += n
		case 43:
			n := ipv6Routing(c, dg, off)
			nxt = c.u8(dg, off)
			off += n
		case 44:
			hdr := c.push(fIPv6Frag, dg.off+off, 8)
			fnxt := c.u8(dg, off)
			c.addU(fIPv6FragNxt, dg.off+off, 1, uint64(fnxt))
			c.addU(fIPv6FragRes, dg.off+off+1, 1, uint64(c.u8(dg, off+1)))
			fo := c.u16(dg, off+2)
			oi := c.addU(fIPv6FragOff, dg.off+off+2, 2, uint64(fo>>3))
			if c.tree { // formatting arguments allocate: keep the fast path free
				c.labelf(oi, "%sOffset: %d (%d bytes)", appendBitPattern(nil, 0xfff8, uint64(fo>>3), 16), fo>>3, int(fo>>3)*8)
			}
			c.addU(fIPv6FragResB, dg.off+off+2, 2, uint64(fo>>1&3))
			c.addU(fIPv6FragMore, dg.off+off+2, 2, uint64(fo&1))
			fragID = c.u32(dg, off+4)
			c.addU(fIPv6FragIdent, dg.off+off+4, 4, uint64(fragID))
			c.pop(hdr)
			c.labelf(hdr, "Fragment Header for IPv6")
			fragOff, fragMF = int(fo>>3)*8, fo&1 != 0
			nxt = fnxt
			off += 8
			if fragOff != 0 || fragMF {
				fragmented = true
				done = true
			}
		default:
			done = true
		}
	}
	c.setLen(ipt, 40)
	c.pop(ipt)
	ip.proto = nxt
	ip.payloadOff = dg.off + off
	payload := dg.sub(off)
	if fragmented {
		ipv6Fragment(c, payload, ip, fragID, fragOff, fragMF)
		return min(40+plen, t.len())
	}
	if nxt == 59 {
		c.setInfo("IPv6 no next header")
		dissectData(c, payload)
		return min(40+plen, t.len())
	}
	if fn := ipProtos[nxt]; fn != nil {
		fn(c, payload, ip)
	} else {
		if name, ok := ipProtoNames[uint64(nxt)]; ok {
			c.setInfo(name)
		} else {
			c.setInfo("Unknown")
		}
		c.info = append(c.info, " ("...)
		c.info = appendUint(c.info, uint64(nxt))
		c.info = append(c.info, ')')
		dissectData(c, payload)
	}
	return min(40+plen, t.len())
}

// ipv6Embedded adds the generated fields Wireshark derives from an address
// (SLAAC MAC, 6to4 gateway).
func ipv6Embedded(c *Ctx, off int, a []byte, src bool) {
	saved := c.parent
	defer func() { c.parent = saved }()
	if a[0] == 0x20 && a[1] == 0x02 {
		f, s := fIPv6Dst6to4, fIPv6DstSLA
		if src {
			f, s = fIPv6Src6to4, fIPv6SrcSLA
		}
		c.addGen(f, Value{U: uint64(a[2])<<24 | uint64(a[3])<<16 | uint64(a[4])<<8 | uint64(a[5])})
		c.addGen(s, Value{U: uint64(a[6])<<8 | uint64(a[7])})
	}
	if a[8]&0x02 != 0 && a[11] == 0xff && a[12] == 0xfe {
		mac := []byte{a[8] &^ 0x02, a[9], a[10], a[13], a[14], a[15]}
		f := fIPv6DstSLAAC
		if src {
			f = fIPv6SrcSLAAC
		}
		i := c.addGen(f, Value{B: mac})
		if i >= 0 {
			c.items[i].Off, c.items[i].Len = off+8, 8
		}
		c.addGen(fIPv6SLAAC, Value{B: mac})
	}
}

// ipv6Options dissects a hop-by-hop or destination options header at off
// and returns its length.
func ipv6Options(c *Ctx, t tvb, off int, kind uint8, _ int) int {
	pf, nf, lf, lof := fIPv6HopOpts, fIPv6HopNxt, fIPv6HopLen, fIPv6HopLenOct
	if kind == 60 {
		pf, nf, lf, lof = fIPv6DstOpts, fIPv6DstNxt, fIPv6DstLen, fIPv6DstLenOct
	}
	h := c.push(pf, t.off+off, 0)
	nxt := c.u8(t, off)
	l := c.u8(t, off+1)
	n := (int(l) + 1) * 8
	c.setLen(h, n)
	c.addU(nf, t.off+off, 1, uint64(nxt))
	c.addU(lf, t.off+off+1, 1, uint64(l))
	li := c.addGen(lof, Value{U: uint64(n)})
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(li, "[Length: %d bytes]", n)
	}
	p := off + 2
	end := off + n
	for p < end {
		typ := c.u8(t, p)
		if typ == 0 {
			oi := c.add(fIPv6Opt, t.off+p, 1, Value{})
			c.label(oi, "Pad1")
			if c.tree && oi >= 0 {
				saved := c.parent
				c.parent = oi
				ipv6OptType(c, t, p, typ)
				c.parent = saved
			}
			p++
			continue
		}
		ol := int(c.u8(t, p+1))
		oi := c.add(fIPv6Opt, t.off+p, 2+ol, Value{})
		if c.tree && oi >= 0 {
			name, ok := ipv6OptNames[uint64(typ)]
			if !ok {
				name = fmt.Sprintf("Unknown IPv6 Option (0x%02x)", typ)
			}
			c.items[oi].Label = name
		}
		saved := c.parent
		if oi >= 0 {
			c.parent = oi
		}
		ipv6OptType(c, t, p, typ)
		c.addU(fIPv6OptLen, t.off+p+1, 1, uint64(ol))
		switch {
		case typ == 1:
			i := c.addB(fIPv6OptPadN, t.off+p+2, ol)
			if ol == 0 {
				c.label(i, "PadN: <none>")
			}
			c.check(t, p+2, ol)
		case typ == 5 && ol == 2:
			c.addU(fIPv6OptRA, t.off+p+2, 2, uint64(c.u16(t, p+2)))
		case typ == 0xc2 && ol == 4:
			c.addU(fIPv6OptJumbo, t.off+p+2, 4, uint64(c.u32(t, p+2)))
		default:
			if ol > 0 {
				c.addB(fIPv6OptData, t.off+p+2, ol)
				c.check(t, p+2, ol)
			}
		}
		c.parent = saved
		p += 2 + ol
	}
	c.pop(h)
	return n
}

func ipv6OptType(c *Ctx, t tvb, p int, typ uint8) {
	ti := c.addU(fIPv6OptType, t.off+p, 1, uint64(typ))
	if !c.tree || ti < 0 {
		return
	}
	saved := c.parent
	c.parent = ti
	c.addU(fIPv6OptAction, t.off+p, 1, uint64(typ>>6))
	c.addU(fIPv6OptChange, t.off+p, 1, uint64(typ>>5&1))
	c.addU(fIPv6OptRest, t.off+p, 1, uint64(typ&0x1f))
	c.parent = saved
}

// ipv6Routing dissects a routing header's fixed part; its type-specific
// data is shown as bytes.
func ipv6Routing(c *Ctx, t tvb, off int) int {
	h := c.push(fIPv6Routing, t.off+off, 0)
	nxt := c.u8(t, off)
	l := c.u8(t, off+1)
	n := (int(l) + 1) * 8
	c.setLen(h, n)
	c.addU(fIPv6RtNxt, t.off+off, 1, uint64(nxt))
	c.addU(fIPv6RtLen, t.off+off+1, 1, uint64(l))
	li := c.addGen(fIPv6RtLenOct, Value{U: uint64(n)})
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(li, "[Length: %d bytes]", n)
	}
	c.addU(fIPv6RtType, t.off+off+2, 1, uint64(c.u8(t, off+2)))
	c.addU(fIPv6RtSegLeft, t.off+off+3, 1, uint64(c.u8(t, off+3)))
	c.check(t, off, n)
	c.pop(h)
	return n
}
