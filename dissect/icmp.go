package dissect

// ICMP for IPv4 (RFC 792 and friends), with Wireshark's one-pass echo
// request/reply matching: a reply names the request it answers; a request
// never names its reply (that needs a second pass).

var (
	fICMP          = &Field{Abbrev: "icmp", Name: "Internet Control Message Protocol", Type: FTProtocol}
	fICMPType      = &Field{Abbrev: "icmp.type", Name: "Type", Type: FTUint, Bits: 8}
	fICMPCode      = &Field{Abbrev: "icmp.code", Name: "Code", Type: FTUint, Bits: 8}
	fICMPChecksum  = &Field{Abbrev: "icmp.checksum", Name: "Checksum", Type: FTUint, Bits: 16, Base: BaseHex}
	fICMPCkStatus  = &Field{Abbrev: "icmp.checksum.status", Name: "Checksum Status", Type: FTUint, Bits: 8, Base: BaseNone, Values: vals(0, "Bad", 1, "Good", 2, "Unverified")}
	fICMPIdent     = &Field{Abbrev: "icmp.ident", Name: "Identifier (BE)", Type: FTUint, Bits: 16, Base: BaseDecHex}
	fICMPIdentLE   = &Field{Abbrev: "icmp.ident_le", Name: "Identifier (LE)", Type: FTUint, Bits: 16, Base: BaseDecHex}
	fICMPSeq       = &Field{Abbrev: "icmp.seq", Name: "Sequence Number (BE)", Type: FTUint, Bits: 16, Base: BaseDecHex}
	fICMPSeqLE     = &Field{Abbrev: "icmp.seq_le", Name: "Sequence Number (LE)", Type: FTUint, Bits: 16, Base: BaseDecHex}
	fICMPRespTo    = &Field{Abbrev: "icmp.resp_to", Name: "Request frame", Type: FTFrameNum}
	fICMPRespTime  = &Field{Abbrev: "icmp.resptime", Name: "Response time", Type: FTFloat}
	fICMPUnused    = &Field{Abbrev: "icmp.unused", Name: "Unused", Type: FTBytes}
	fICMPMTU       = &Field{Abbrev: "icmp.mtu", Name: "MTU of next hop", Type: FTUint, Bits: 16}
	fICMPLength    = &Field{Abbrev: "icmp.length", Name: "Length", Type: FTUint, Bits: 8}
	fICMPOrigLen   = &Field{Abbrev: "icmp.length.original_datagram", Name: "Length of original datagram", Type: FTUint, Bits: 8}
	fICMPPointer   = &Field{Abbrev: "icmp.pointer", Name: "Pointer", Type: FTUint, Bits: 32}
	fICMPRedirGW   = &Field{Abbrev: "icmp.redir_gw", Name: "Gateway Address", Type: FTIPv4}
	fICMPDataTime  = &Field{Abbrev: "icmp.data_time", Name: "Timestamp from icmp data", Type: FTAbsTime}
	fICMPDataRel   = &Field{Abbrev: "icmp.data_time_relative", Name: "Timestamp from icmp data (relative)", Type: FTRelTime}
	fICMPAddrMask  = &Field{Abbrev: "icmp.address_mask", Name: "Address Mask", Type: FTIPv4}
	fICMPNumAddrs  = &Field{Abbrev: "icmp.num_addrs", Name: "Number of addresses", Type: FTUint, Bits: 8}
	fICMPEntrySize = &Field{Abbrev: "icmp.addr_entry_size", Name: "Address entry size", Type: FTUint, Bits: 8}
	fICMPLifetime  = &Field{Abbrev: "icmp.lifetime", Name: "Lifetime", Type: FTUint, Bits: 16}
	fICMPOrigTS    = &Field{Abbrev: "icmp.originate_timestamp", Name: "Originate Timestamp", Type: FTUint, Bits: 32}
	fICMPRecvTS    = &Field{Abbrev: "icmp.receive_timestamp", Name: "Receive Timestamp", Type: FTUint, Bits: 32}
	fICMPXmitTS    = &Field{Abbrev: "icmp.transmit_timestamp", Name: "Transmit Timestamp", Type: FTUint, Bits: 32}
)

var icmpTypeNames = vals(0, "Echo (ping) reply", 1, "Reserved", 2, "Reserved", 3, "Destination unreachable",
	4, "Source quench (flow control)", 5, "Redirect", 6, "Alternate host address", 8, "Echo (ping) request",
	9, "Router advertisement", 10, "Router solicitation", 11, "Time-to-live exceeded", 12, "Parameter problem",
	13, "Timestamp request", 14, "Timestamp reply", 15, "Information request", 16, "Information reply",
	17, "Address mask request", 18, "Address mask reply", 19, "Reserved (for security)", 30, "Traceroute",
	31, "Datagram Conversion Error", 32, "Mobile Host Redirect", 33, "IPv6 Where-Are-You", 34, "IPv6 I-Am-Here",
	35, "Mobile Registration Request", 36, "Mobile Registration Reply", 37, "Domain Name Request",
	38, "Domain Name Reply", 39, "SKIP", 40, "Photuris", 41, "Experimental mobility protocols",
	42, "Extended Echo request", 43, "Extended Echo reply")

var icmpCodeNames = map[uint8]map[uint64]string{
	3: vals(0, "Network unreachable", 1, "Host unreachable", 2, "Protocol unreachable", 3, "Port unreachable",
		4, "Fragmentation needed", 5, "Source route failed", 6, "Destination network unknown",
		7, "Destination host unknown", 8, "Source host isolated", 9, "Network administratively prohibited",
		10, "Host administratively prohibited", 11, "Network unreachable for TOS", 12, "Host unreachable for TOS",
		13, "Communication administratively filtered", 14, "Host precedence violation",
		15, "Precedence cutoff in effect"),
	5:  vals(0, "Redirect for network", 1, "Redirect for host", 2, "Redirect for TOS and network", 3, "Redirect for TOS and host"),
	6:  vals(0, "Alternate address for host"),
	9:  vals(0, "Normal router advertisement", 16, "Does not route common traffic"),
	11: vals(0, "Time to live exceeded in transit", 1, "Fragment reassembly time exceeded"),
	12: vals(0, "Pointer indicates the error", 1, "Required option missing", 2, "Bad length"),
	40: vals(0, "Bad SPI", 1, "Authentication Failed", 2, "Decompression Failed", 3, "Decryption Failed",
		4, "Need Authentication", 5, "Need Authorization"),
	42: vals(0, "No error"),
	43: vals(0, "No error", 1, "Malformed Query", 2, "No Such Interface", 3, "No Such Table Entry",
		4, "Multiple Interfaces Satisfy Query"),
}

func init() {
	register(fICMP, fICMPType, fICMPCode, fICMPChecksum, fICMPCkStatus, fICMPIdent, fICMPIdentLE, fICMPSeq,
		fICMPSeqLE, fICMPRespTo, fICMPRespTime, fICMPUnused, fICMPMTU, fICMPLength, fICMPOrigLen, fICMPPointer,
		fICMPRedirGW, fICMPDataTime, fICMPDataRel, fICMPAddrMask, fICMPNumAddrs, fICMPEntrySize, fICMPLifetime,
		fICMPOrigTS, fICMPRecvTS, fICMPXmitTS)
	ipProtos[1] = dissectICMP
}

// icmpKey identifies an echo transaction as Wireshark does: the address
// pair (either order), the reply's expected checksum and id/sequence.
type icmpKey struct {
	a, b [16]byte
	ck   uint16
	idsq uint32
	v6   bool
}

type icmpReq struct {
	frame   uint32
	ts      int64
	matched bool
}

// icmpTable matches echo requests and replies for ICMP and ICMPv6 (the
// per-capture part; the result for a reply is kept in its pktState.ref).
type icmpTable struct {
	pending map[icmpKey]*icmpReq
	times   map[uint32]int64 // request frame → time, for response times
}

func (t *icmpTable) init() {}

func newICMPKey(ip *ipInfo, ck uint16, id, seq uint16) icmpKey {
	k := icmpKey{ck: ck, idsq: uint32(id)<<16 | uint32(seq), v6: ip.v6}
	k.a, k.b = ip.src, ip.dst
	if string(k.b[:]) < string(k.a[:]) {
		k.a, k.b = k.b, k.a
	}
	return k
}

// icmpRequest records an echo request on the first pass.
func icmpRequest(c *Ctx, k icmpKey) {
	if !c.first {
		return
	}
	it := &c.st.icmp
	if it.pending == nil {
		it.pending = map[icmpKey]*icmpReq{}
		it.times = map[uint32]int64{}
	}
	it.pending[k] = &icmpReq{frame: uint32(c.pkt.Num), ts: c.pkt.TS}
}

// icmpReply matches an echo reply; it returns the request's frame number
// (0 if none) and the response time in ns.
func icmpReply(c *Ctx, k icmpKey) (uint32, int64) {
	it := &c.st.icmp
	if c.first {
		r := it.pending[k]
		if r == nil || r.matched {
			return 0, 0
		}
		r.matched = true
		c.rec.ref = r.frame
		it.times[r.frame] = r.ts
		return r.frame, c.pkt.TS - r.ts
	}
	if c.rec.ref == 0 {
		return 0, 0
	}
	return c.rec.ref, c.pkt.TS - it.times[c.rec.ref]
}

// inetChecksum is the Internet checksum of b (0 when b's checksum is right).
func inetChecksum(b []byte, sum uint32) uint16 {
	for len(b) >= 2 {
		sum += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

func dissectICMP(c *Ctx, t tvb, ip *ipInfo) int {
	c.setProto("ICMP")
	c.clearInfo()
	// Wireshark lists a protocol in frame.protocols when its dissector is
	// called, so enter it before anything can fail.
	it := c.push(fICMP, t.off, t.len())
	typ := c.u8(t, 0)
	code := c.u8(t, 1)
	origLen := c.u8(t, 5)
	typeStr, ok := icmpTypeNames[uint64(typ)]
	if !ok {
		typeStr = "Unknown ICMP (obsolete or malformed?)"
	}
	if typ == 9 && (code == 0 || code == 16) {
		typeStr = "Mobile IP Advertisement"
	}
	if typ == 6 {
		origLen = 0
	}
	codeStr := ""
	if names, ok := icmpCodeNames[typ]; ok {
		if s, ok := names[uint64(code)]; ok {
			codeStr = s
		} else {
			codeStr = "Unknown code: " + string(appendUint(nil, uint64(code)))
		}
	}
	in := append(c.info[:c.fence], typeStr...)
	for i := len(typeStr); i < 20; i++ {
		in = append(in, ' ')
	}
	if codeStr != "" {
		in = append(in, " ("...)
		in = append(in, codeStr...)
		in = append(in, ')')
	}
	c.info = in

	ti := c.addU(fICMPType, t.off, 1, uint64(typ))
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(ti, "Type: %d (%s)", typ, typeStr)
	}
	ci := c.addU(fICMPCode, t.off+1, 1, uint64(code))
	if codeStr != "" {
		if c.tree { // formatting arguments allocate: keep the fast path free
			c.labelf(ci, "Code: %d (%s)", code, codeStr)
		}
	}
	ck := c.u16(t, 2)
	cki := c.addU(fICMPChecksum, t.off+2, 2, uint64(ck))
	if !c.inErr && t.len() >= t.rep {
		good := inetChecksum(c.bytes(t, 0, t.rep), 0) == 0
		if c.tree {
			if good {
				c.labelf(cki, "Checksum: 0x%04x [correct]", ck)
			} else {
				c.labelf(cki, "Checksum: 0x%04x incorrect, should be 0x%04x", ck, inetChecksum(c.bytes(t, 0, t.rep), ^uint32(ck)&0xffff+0xffff))
			}
		}
		if good {
			c.addStatus(fICMPCkStatus, 1)
		} else {
			c.addStatus(fICMPCkStatus, 0)
		}
	} else {
		if c.tree {
			why := "fragmented datagram"
			if c.inErr {
				why = "in ICMP error packet"
			}
			c.labelf(cki, "Checksum: 0x%04x [%s]", ck, why)
		}
		c.addStatus(fICMPCkStatus, 2)
	}

	switch typ {
	case 0, 8, 13, 14, 15, 16, 17, 18:
		id, seq := c.u16(t, 4), c.u16(t, 6)
		c.addU(fICMPIdent, t.off+4, 2, uint64(id))
		c.addU(fICMPIdentLE, t.off+4, 2, uint64(id>>8|id<<8))
		c.addU(fICMPSeq, t.off+6, 2, uint64(seq))
		c.addU(fICMPSeqLE, t.off+6, 2, uint64(seq>>8|seq<<8))
		c.info = append(c.info, " id="...)
		c.info = appendHexN(c.info, uint64(id), 4)
		c.info = append(c.info, ", seq="...)
		c.info = appendUint(c.info, uint64(seq))
		c.info = append(c.info, '/')
		c.info = appendUint(c.info, uint64(seq>>8|seq<<8))
		c.info = append(c.info, ", ttl="...)
		c.info = appendUint(c.info, uint64(ip.ttl))
	case 3, 11:
		if origLen > 0 {
			c.addB(fICMPUnused, t.off+4, 1)
			c.addU(fICMPLength, t.off+5, 1, uint64(origLen))
			c.addGen(fICMPOrigLen, Value{U: uint64(origLen) * 4})
			if typ == 3 && code == 4 {
				c.addU(fICMPMTU, t.off+6, 2, uint64(c.u16(t, 6)))
			} else {
				c.addB(fICMPUnused, t.off+6, 2)
			}
		} else if typ == 3 && code == 4 {
			c.addB(fICMPUnused, t.off+4, 2)
			c.addU(fICMPMTU, t.off+6, 2, uint64(c.u16(t, 6)))
		} else {
			c.addB(fICMPUnused, t.off+4, 4)
			c.check(t, 4, 4)
		}
	case 9:
		c.addU(fICMPNumAddrs, t.off+4, 1, uint64(c.u8(t, 4)))
		c.addU(fICMPEntrySize, t.off+5, 1, uint64(c.u8(t, 5)))
		c.addU(fICMPLifetime, t.off+6, 2, uint64(c.u16(t, 6)))
	case 12:
		c.addU(fICMPPointer, t.off+4, 1, uint64(c.u8(t, 4)))
		if origLen > 0 {
			c.addU(fICMPLength, t.off+5, 1, uint64(origLen))
			c.addGen(fICMPOrigLen, Value{U: uint64(origLen) * 4})
			c.addB(fICMPUnused, t.off+6, 2)
		} else {
			c.addB(fICMPUnused, t.off+5, 3)
		}
	case 5:
		c.addU(fICMPRedirGW, t.off+4, 4, uint64(c.u32(t, 4)))
	}

	switch typ {
	case 3, 11, 12, 4, 5:
		icmpEmbedded(c, t, typ, origLen)
	case 0, 8:
		if !c.inErr {
			ck0 := ck
			if typ == 8 {
				sum := uint32(^ck) + uint32(^uint16(0x0800))
				for sum>>16 != 0 {
					sum = sum&0xffff + sum>>16
				}
				ck0 = ^uint16(sum)
			} else if ck0 == 0xffff {
				ck0 = 0
			}
			k := newICMPKey(ip, ck0, c.u16(t, 4), c.u16(t, 6))
			if typ == 8 {
				icmpRequest(c, k)
			} else if req, dt := icmpReply(c, k); req != 0 {
				c.addGen(fICMPRespTo, Value{U: uint64(req)})
				if c.tree {
					i := c.addGen(fICMPRespTime, Value{})
					c.labelf(i, "[Response time: %.3f ms]", float64(dt)/1e6)
				}
				c.info = append(c.info, " (request in "...)
				c.info = appendUint(c.info, uint64(req))
				c.info = append(c.info, ')')
			}
		}
		icmpEchoData(c, t)
	case 13, 14:
		c.addU(fICMPOrigTS, t.off+8, 4, uint64(c.u32(t, 8)))
		c.addU(fICMPRecvTS, t.off+12, 4, uint64(c.u32(t, 12)))
		c.addU(fICMPXmitTS, t.off+16, 4, uint64(c.u32(t, 16)))
	case 17, 18:
		c.addU(fICMPAddrMask, t.off+8, 4, uint64(c.u32(t, 8)))
	case 9:
		dissectData(c, t.sub(8))
	}
	c.pop(it)
	return t.len()
}

// icmpEchoData shows an echo's payload, with the timestamp ping puts at its
// start when it looks like one (within a day of the packet's time).
func icmpEchoData(c *Ctx, t tvb) {
	if t.len()-8 < 8 {
		if t.len() > 8 {
			dissectData(c, t.sub(8))
		}
		return
	}
	secs, frac := int64(c.u32(t, 8)), int64(c.u32(t, 12))
	now := c.pkt.TS / 1e9
	ok := func(s, f int64) bool { return abs64(int64(int32(s-now))) < 86400 && f < 1000000 }
	if !ok(secs, frac) {
		secs, frac = int64(c.le32(t, 8)), int64(c.le32(t, 12))
	}
	if c.pkt.HasTime && ok(secs, frac) {
		ts := secs*1e9 + frac*1000
		i := c.addU(fICMPDataTime, t.off+8, 8, uint64(ts))
		if c.tree && i >= 0 {
			c.items[i].Label = "Timestamp from icmp data: " + fmtAbsTime(ts)
		}
		c.addGen(fICMPDataRel, Value{U: uint64(c.pkt.TS - ts)})
		dissectData(c, t.sub(16))
		return
	}
	dissectData(c, t.sub(8))
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func fmtAbsTime(ns int64) string {
	it := Item{Field: fICMPDataTime, Val: Value{U: uint64(ns)}}
	return string(appendDisplayValue(nil, &it))
}

// icmpEmbedded dissects the original datagram carried by an ICMP error,
// leaving the summary columns (and the transport context) as the error
// set them, as Wireshark does for packets "in an error packet".
func icmpEmbedded(c *Ctx, t tvb, typ uint8, origLen uint8) {
	inner := t.sub(8)
	switch {
	case typ == 5:
		if c.has(t, 8, 1) {
			inner = t.subLen(8, int(c.u8(t, 8)&0x0f)*4+8)
		}
	case origLen > 0 && t.rep > 8+int(origLen)*4 && c.has(t, 10, 2) && int(c.u16(t, 10)) > int(origLen)*4:
		hl := 0
		if c.has(t, 8, 1) {
			hl = int(c.u8(t, 8) & 0x0f)
		}
		inner = t.subLen(8, (hl+int(origLen))*4)
	}
	if inner.len() <= 0 && inner.rep <= 0 {
		return
	}
	saved := saveColumns(c)
	defer saved.restore(c)
	c.inErr = true
	dissectIPAny(c, inner)
}

// columns is a saved copy of the summary columns and network context.
type columns struct {
	proto        string
	protoB, info []byte
	src, dst     []byte
	ip           ipInfo
	sport, dport uint16
	inErr        bool
	fence        int
}

func saveColumns(c *Ctx) columns {
	return columns{proto: c.proto, protoB: append([]byte(nil), c.protoB...), info: append([]byte(nil), c.info...),
		src: append([]byte(nil), c.src...), dst: append([]byte(nil), c.dst...), ip: c.ip,
		sport: c.sport, dport: c.dport, inErr: c.inErr, fence: c.fence}
}

func (s columns) restore(c *Ctx) {
	c.proto, c.protoB = s.proto, append(c.protoB[:0], s.protoB...)
	c.info = append(c.info[:0], s.info...)
	c.src = append(c.src[:0], s.src...)
	c.dst = append(c.dst[:0], s.dst...)
	c.ip, c.sport, c.dport, c.inErr, c.fence = s.ip, s.sport, s.dport, s.inErr, s.fence
}

// addStatus adds a generated checksum-status item labelled as Wireshark
// shows these (BASE_NONE: the name without the number).
func (c *Ctx) addStatus(f *Field, v uint64) {
	i := c.addGen(f, Value{U: v})
	if c.tree && i >= 0 {
		c.items[i].Label = "[" + f.Name + ": " + f.Values[v] + "]"
	}
}
