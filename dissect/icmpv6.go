package dissect

import "fmt"

// ICMPv6 (RFC 4443) with Neighbor Discovery (RFC 4861) and MLD (RFC 2710,
// RFC 3810), with Wireshark's Info texts and one-pass echo matching.

var (
	fICMPv6          = &Field{Abbrev: "icmpv6", Name: "Internet Control Message Protocol v6", Type: FTProtocol}
	fICMPv6Type      = &Field{Abbrev: "icmpv6.type", Name: "Type", Type: FTUint, Bits: 8, Values: icmpv6TypeNames}
	fICMPv6Code      = &Field{Abbrev: "icmpv6.code", Name: "Code", Type: FTUint, Bits: 8}
	fICMPv6Checksum  = &Field{Abbrev: "icmpv6.checksum", Name: "Checksum", Type: FTUint, Bits: 16, Base: BaseHex}
	fICMPv6CkStatus  = &Field{Abbrev: "icmpv6.checksum.status", Name: "Checksum Status", Type: FTUint, Bits: 8, Base: BaseNone, Values: vals(0, "Bad", 1, "Good", 2, "Unverified")}
	fICMPv6Reserved  = &Field{Abbrev: "icmpv6.reserved", Name: "Reserved", Type: FTBytes}
	fICMPv6Data      = &Field{Abbrev: "icmpv6.data", Name: "Data", Type: FTBytes}
	fICMPv6MTU       = &Field{Abbrev: "icmpv6.mtu", Name: "MTU", Type: FTUint, Bits: 32}
	fICMPv6Pointer   = &Field{Abbrev: "icmpv6.pointer", Name: "Pointer", Type: FTUint, Bits: 32}
	fICMPv6EchoID    = &Field{Abbrev: "icmpv6.echo.identifier", Name: "Identifier", Type: FTUint, Bits: 16, Base: BaseHex}
	fICMPv6EchoSeq   = &Field{Abbrev: "icmpv6.echo.sequence_number", Name: "Sequence", Type: FTUint, Bits: 16}
	fICMPv6RespTo    = &Field{Abbrev: "icmpv6.resp_to", Name: "Response To", Type: FTFrameNum}
	fICMPv6RespTime  = &Field{Abbrev: "icmpv6.resptime", Name: "Response Time", Type: FTFloat}
	fICMPv6RAHop     = &Field{Abbrev: "icmpv6.nd.ra.cur_hop_limit", Name: "Cur hop limit", Type: FTUint, Bits: 8}
	fICMPv6RAFlag    = &Field{Abbrev: "icmpv6.nd.ra.flag", Name: "Flags", Type: FTUint, Bits: 8, Base: BaseHex}
	fICMPv6RAFlagM   = &Field{Abbrev: "icmpv6.nd.ra.flag.m", Name: "Managed address configuration", Type: FTBool, Bits: 8, Mask: 0x80}
	fICMPv6RAFlagO   = &Field{Abbrev: "icmpv6.nd.ra.flag.o", Name: "Other configuration", Type: FTBool, Bits: 8, Mask: 0x40}
	fICMPv6RAFlagH   = &Field{Abbrev: "icmpv6.nd.ra.flag.h", Name: "Home Agent", Type: FTBool, Bits: 8, Mask: 0x20}
	fICMPv6RAFlagPrf = &Field{Abbrev: "icmpv6.nd.ra.flag.prf", Name: "Prf (Default Router Preference)", Type: FTUint, Bits: 8, Mask: 0x18, Values: raPrfNames}
	fICMPv6RAFlagP   = &Field{Abbrev: "icmpv6.nd.ra.flag.p", Name: "Proxy", Type: FTBool, Bits: 8, Mask: 0x04}
	fICMPv6RAFlagRsv = &Field{Abbrev: "icmpv6.nd.ra.flag.rsv", Name: "Reserved", Type: FTUint, Bits: 8, Mask: 0x03}
	fICMPv6RALife    = &Field{Abbrev: "icmpv6.nd.ra.router_lifetime", Name: "Router lifetime (s)", Type: FTUint, Bits: 16}
	fICMPv6RAReach   = &Field{Abbrev: "icmpv6.nd.ra.reachable_time", Name: "Reachable time (ms)", Type: FTUint, Bits: 32}
	fICMPv6RARetrans = &Field{Abbrev: "icmpv6.nd.ra.retrans_timer", Name: "Retrans timer (ms)", Type: FTUint, Bits: 32}
	fICMPv6NSTarget  = &Field{Abbrev: "icmpv6.nd.ns.target_address", Name: "Target Address", Type: FTIPv6}
	fICMPv6NAFlag    = &Field{Abbrev: "icmpv6.nd.na.flag", Name: "Flags", Type: FTUint, Bits: 32, Base: BaseHex}
	fICMPv6NAFlagR   = &Field{Abbrev: "icmpv6.nd.na.flag.r", Name: "Router", Type: FTBool, Bits: 32, Mask: 0x80000000}
	fICMPv6NAFlagS   = &Field{Abbrev: "icmpv6.nd.na.flag.s", Name: "Solicited", Type: FTBool, Bits: 32, Mask: 0x40000000}
	fICMPv6NAFlagO   = &Field{Abbrev: "icmpv6.nd.na.flag.o", Name: "Override", Type: FTBool, Bits: 32, Mask: 0x20000000}
	fICMPv6NAFlagRsv = &Field{Abbrev: "icmpv6.nd.na.flag.rsv", Name: "Reserved", Type: FTUint, Bits: 32, Mask: 0x1fffffff}
	fICMPv6NATarget  = &Field{Abbrev: "icmpv6.nd.na.target_address", Name: "Target Address", Type: FTIPv6}
	fICMPv6RdTarget  = &Field{Abbrev: "icmpv6.nd.rd.target_address", Name: "Target Address", Type: FTIPv6}
	fICMPv6RdDest    = &Field{Abbrev: "icmpv6.nd.rd.destination_address", Name: "Destination Address", Type: FTIPv6}
	fICMPv6Opt       = &Field{Abbrev: "icmpv6.opt", Name: "ICMPv6 Option", Type: FTNone}
	fICMPv6OptType   = &Field{Abbrev: "icmpv6.opt.type", Name: "Type", Type: FTUint, Bits: 8, Values: ndOptNames}
	fICMPv6OptLen    = &Field{Abbrev: "icmpv6.opt.length", Name: "Length", Type: FTUint, Bits: 8}
	fICMPv6OptLL     = &Field{Abbrev: "icmpv6.opt.linkaddr", Name: "Link-layer address", Type: FTEther}
	fICMPv6OptSrcLL  = &Field{Abbrev: "icmpv6.opt.src_linkaddr", Name: "Source Link-layer address", Type: FTEther, Hidden: true}
	fICMPv6OptTgtLL  = &Field{Abbrev: "icmpv6.opt.target_linkaddr", Name: "Target Link-layer address", Type: FTEther, Hidden: true}
	fICMPv6OptPfxLen = &Field{Abbrev: "icmpv6.opt.prefix.length", Name: "Prefix Length", Type: FTUint, Bits: 8}
	fICMPv6OptPfxFl  = &Field{Abbrev: "icmpv6.opt.prefix.flag", Name: "Flag", Type: FTUint, Bits: 8, Base: BaseHex}
	fICMPv6OptPfxVL  = &Field{Abbrev: "icmpv6.opt.prefix.valid_lifetime", Name: "Valid Lifetime", Type: FTUint, Bits: 32}
	fICMPv6OptPfxPL  = &Field{Abbrev: "icmpv6.opt.prefix.preferred_lifetime", Name: "Preferred Lifetime", Type: FTUint, Bits: 32}
	fICMPv6OptPrefix = &Field{Abbrev: "icmpv6.opt.prefix", Name: "Prefix", Type: FTIPv6}
	fICMPv6OptMTU    = &Field{Abbrev: "icmpv6.opt.mtu", Name: "MTU", Type: FTUint, Bits: 32}
	fICMPv6OptRDNSS  = &Field{Abbrev: "icmpv6.opt.rdnss", Name: "Recursive DNS Servers", Type: FTIPv6}
	fICMPv6OptData   = &Field{Abbrev: "icmpv6.opt.data", Name: "Data", Type: FTBytes}
	fICMPv6MLDDelay  = &Field{Abbrev: "icmpv6.mld.maximum_response_delay", Name: "Maximum Response Delay [ms]", Type: FTUint, Bits: 16}
	fICMPv6MLDAddr   = &Field{Abbrev: "icmpv6.mld.multicast_address", Name: "Multicast Address", Type: FTIPv6}
	fICMPv6MLDRecs   = &Field{Abbrev: "icmpv6.mldr.nb_mcast_records", Name: "Number of Multicast Address Records", Type: FTUint, Bits: 16}
)

var icmpv6TypeNames = vals(1, "Destination Unreachable", 2, "Packet Too Big", 3, "Time Exceeded",
	4, "Parameter Problem", 100, "Private experimentation", 101, "Private experimentation",
	127, "Reserved for expansion of ICMPv6 error messages", 128, "Echo (ping) request", 129, "Echo (ping) reply",
	130, "Multicast Listener Query", 131, "Multicast Listener Report", 132, "Multicast Listener Done",
	133, "Router Solicitation", 134, "Router Advertisement", 135, "Neighbor Solicitation",
	136, "Neighbor Advertisement", 137, "Redirect", 138, "Router Renumbering", 139, "ICMP Node Information Query",
	140, "ICMP Node Information Response", 141, "Inverse Neighbor Discovery Solicitation Message",
	142, "Inverse Neighbor Discovery Advertisement Message", 143, "Multicast Listener Report Message v2",
	144, "Home Agent Address Discovery Request Message", 145, "Home Agent Address Discovery Reply Message",
	146, "Mobile Prefix Solicitation", 147, "Mobile Prefix Advertisement", 148, "Certification Path Solicitation Message",
	149, "Certification Path Advertisement Message", 150, "Experimental Mobility Protocols",
	151, "Multicast Router Advertisement", 152, "Multicast Router Solicitation", 153, "Multicast Router Termination",
	154, "FMIPv6 Messages", 155, "RPL Control Message", 156, "ILNPv6 Locator Update Message",
	157, "Duplicate Address Request", 158, "Duplicate Address Confirmation", 159, "MPL Control Message",
	160, "Extended Echo Request", 161, "Extended Echo Reply", 200, "Private experimentation",
	201, "Private experimentation", 255, "Reserved for expansion of ICMPv6 informational messages")

var icmpv6CodeNames = map[uint8]map[uint64]string{
	1: vals(0, "no route to destination", 1, "communication with destination administratively prohibited",
		2, "beyond scope of source address", 3, "address unreachable", 4, "port unreachable",
		5, "source address failed ingress/egress policy", 6, "reject route to destination",
		7, "Error in Source Routing Header"),
	3: vals(0, "hop limit exceeded in transit", 1, "fragment reassembly time exceeded"),
	4: vals(0, "erroneous header field encountered", 1, "unrecognized Next Header type encountered",
		2, "unrecognized IPv6 option encountered", 3, "IPv6 First Fragment has incomplete IPv6 Header Chain"),
}

var raPrfNames = vals(0, "Medium", 1, "High", 2, "Reserved", 3, "Low")

var ndOptNames = vals(1, "Source link-layer address", 2, "Target link-layer address", 3, "Prefix information",
	4, "Redirected header", 5, "MTU", 6, "NBMA Shortcut Limit Option", 7, "Advertisement Interval",
	8, "Home Agent Information", 9, "Source Address List", 10, "Target Address List", 11, "CGA option",
	12, "RSA Signature option", 13, "Timestamp option", 14, "Nonce option", 15, "Trust Anchor option",
	16, "Certificate option", 17, "IP Address/Prefix Option", 18, "New Router Prefix Information Option",
	19, "Link-layer Address Option", 20, "Neighbor Advertisement Acknowledgment Option", 23, "MAP Option",
	24, "Route Information Option", 25, "Recursive DNS Server", 26, "RA Flags Extension Option",
	27, "Handover Key Request Option", 28, "Handover Key Reply Option", 29, "Handover Assist Information Option",
	30, "Mobile Node Identifier Option", 31, "DNS Search List Option", 32, "Proxy Signature (PS)",
	33, "Address Registration Option", 34, "6LoWPAN Context Option", 35, "Authoritative Border Router",
	36, "6LoWPAN Capability Indication Option", 37, "DHCP Captive-Portal", 38, "PREF64 Option",
	138, "CARD Request option", 139, "CARD Reply option", 253, "RFC3692-style Experiment 1",
	254, "RFC3692-style Experiment 2")

func init() {
	register(fICMPv6, fICMPv6Type, fICMPv6Code, fICMPv6Checksum, fICMPv6CkStatus, fICMPv6Reserved, fICMPv6Data,
		fICMPv6MTU, fICMPv6Pointer, fICMPv6EchoID, fICMPv6EchoSeq, fICMPv6RespTo, fICMPv6RespTime,
		fICMPv6RAHop, fICMPv6RAFlag, fICMPv6RAFlagM, fICMPv6RAFlagO, fICMPv6RAFlagH, fICMPv6RAFlagPrf,
		fICMPv6RAFlagP, fICMPv6RAFlagRsv, fICMPv6RALife, fICMPv6RAReach, fICMPv6RARetrans, fICMPv6NSTarget,
		fICMPv6NAFlag, fICMPv6NAFlagR, fICMPv6NAFlagS, fICMPv6NAFlagO, fICMPv6NAFlagRsv, fICMPv6NATarget,
		fICMPv6RdTarget, fICMPv6RdDest, fICMPv6Opt, fICMPv6OptType, fICMPv6OptLen, fICMPv6OptLL, fICMPv6OptSrcLL,
		fICMPv6OptTgtLL, fICMPv6OptPfxLen, fICMPv6OptPfxFl, fICMPv6OptPfxVL, fICMPv6OptPfxPL, fICMPv6OptPrefix,
		fICMPv6OptMTU, fICMPv6OptRDNSS, fICMPv6OptData, fICMPv6MLDDelay, fICMPv6MLDAddr, fICMPv6MLDRecs)
	ipProtos[58] = dissectICMPv6
}

// icmpv6Checksum verifies the checksum over the IPv6 pseudo-header and the
// message (0 when right).
func icmpv6Checksum(ip *ipInfo, b []byte) uint16 {
	var sum uint32
	for i := 0; i < 16; i += 2 {
		sum += uint32(ip.src[i])<<8 | uint32(ip.src[i+1])
		sum += uint32(ip.dst[i])<<8 | uint32(ip.dst[i+1])
	}
	sum += uint32(len(b)>>16) + uint32(len(b)&0xffff) + 58
	return inetChecksum(b, sum)
}

func dissectICMPv6(c *Ctx, t tvb, ip *ipInfo) int {
	c.setProto("ICMPv6")
	c.clearInfo()
	p := c.push(fICMPv6, t.off, t.len())
	typ := c.u8(t, 0)
	code := c.u8(t, 1)
	c.addU(fICMPv6Type, t.off, 1, uint64(typ))
	typeStr, ok := icmpv6TypeNames[uint64(typ)]
	if !ok {
		typeStr = fmt.Sprintf("Unknown (%d)", typ)
	}
	c.info = append(c.info[:c.fence], typeStr...)
	ci := c.addU(fICMPv6Code, t.off+1, 1, uint64(code))
	if names, ok := icmpv6CodeNames[typ]; ok {
		if s, ok := names[uint64(code)]; ok {
			c.info = append(c.info, " ("...)
			c.info = append(c.info, s...)
			c.info = append(c.info, ')')
			if c.tree { // formatting arguments allocate: keep the fast path free
				c.labelf(ci, "Code: %d (%s)", code, s)
			}
		}
	}
	ck := c.u16(t, 2)
	cki := c.addU(fICMPv6Checksum, t.off+2, 2, uint64(ck))
	if !c.inErr && t.len() >= t.rep {
		good := icmpv6Checksum(ip, c.bytes(t, 0, t.rep)) == 0
		if good {
			if c.tree { // formatting arguments allocate: keep the fast path free
				c.labelf(cki, "Checksum: 0x%04x [correct]", ck)
			}
			c.addStatus(fICMPv6CkStatus, 1)
		} else {
			if c.tree { // formatting arguments allocate: keep the fast path free
				c.labelf(cki, "Checksum: 0x%04x incorrect", ck)
			}
			c.addStatus(fICMPv6CkStatus, 0)
		}
	} else {
		c.addStatus(fICMPv6CkStatus, 2)
	}
	off := 4
	switch typ {
	case 1, 3: // destination unreachable, time exceeded
		c.addB(fICMPv6Reserved, t.off+4, 4)
		c.check(t, 4, 4)
		icmpv6Embedded(c, t.sub(8))
	case 2:
		c.addU(fICMPv6MTU, t.off+4, 4, uint64(c.u32(t, 4)))
		icmpv6Embedded(c, t.sub(8))
	case 4:
		c.addU(fICMPv6Pointer, t.off+4, 4, uint64(c.u32(t, 4)))
		icmpv6Embedded(c, t.sub(8))
	case 128, 129:
		id, seq := c.u16(t, 4), c.u16(t, 6)
		c.addU(fICMPv6EchoID, t.off+4, 2, uint64(id))
		c.addU(fICMPv6EchoSeq, t.off+6, 2, uint64(seq))
		c.info = append(c.info, " id="...)
		c.info = appendHexN(c.info, uint64(id), 4)
		c.info = append(c.info, ", seq="...)
		c.info = appendUint(c.info, uint64(seq))
		c.info = append(c.info, ", hop limit="...)
		c.info = appendUint(c.info, uint64(ip.ttl))
		if !c.inErr {
			ck0 := ck
			if typ == 128 {
				sum := uint32(^ck) + 0x0100 // the reply's type word is 0x0100 larger
				for sum>>16 != 0 {
					sum = sum&0xffff + sum>>16
				}
				ck0 = ^uint16(sum)
			} else if ck0 == 0xffff {
				ck0 = 0
			}
			k := newICMPKey(ip, ck0, id, seq)
			if typ == 128 {
				icmpRequest(c, k)
			} else if req, dt := icmpReply(c, k); req != 0 {
				c.addGen(fICMPv6RespTo, Value{U: uint64(req)})
				if c.tree {
					i := c.addGen(fICMPv6RespTime, Value{})
					c.labelf(i, "[Response Time: %.3f ms]", float64(dt)/1e6)
				}
				c.info = append(c.info, " (request in "...)
				c.info = appendUint(c.info, uint64(req))
				c.info = append(c.info, ')')
			}
		}
		if t.len() > 8 {
			dissectData(c, t.sub(8))
		}
	case 130, 131, 132: // MLDv1 (a 130 longer than 24 bytes is an MLDv2 query)
		c.addU(fICMPv6MLDDelay, t.off+4, 2, uint64(c.u16(t, 4)))
		c.addB(fICMPv6Reserved, t.off+6, 2)
		c.check(t, 6, 2)
		c.bytes(t, 8, 16)
		c.addB(fICMPv6MLDAddr, t.off+8, 16)
	case 143:
		c.addB(fICMPv6Reserved, t.off+4, 2)
		c.addU(fICMPv6MLDRecs, t.off+6, 2, uint64(c.u16(t, 6)))
	case 133:
		c.addB(fICMPv6Reserved, t.off+4, 4)
		c.check(t, 4, 4)
		icmpv6Options(c, t, 8)
	case 134:
		c.addU(fICMPv6RAHop, t.off+4, 1, uint64(c.u8(t, 4)))
		fl := c.u8(t, 5)
		fi := c.addU(fICMPv6RAFlag, t.off+5, 1, uint64(fl))
		if c.tree && fi >= 0 {
			c.labelf(fi, "Flags: 0x%02x%s, Prf (Default Router Preference): %s", fl, raFlagText(fl), raPrfNames[uint64(fl>>3&3)])
			saved := c.parent
			c.parent = fi
			c.addU(fICMPv6RAFlagM, t.off+5, 1, uint64(fl>>7&1))
			c.addU(fICMPv6RAFlagO, t.off+5, 1, uint64(fl>>6&1))
			c.addU(fICMPv6RAFlagH, t.off+5, 1, uint64(fl>>5&1))
			c.addU(fICMPv6RAFlagPrf, t.off+5, 1, uint64(fl>>3&3))
			c.addU(fICMPv6RAFlagP, t.off+5, 1, uint64(fl>>2&1))
			c.addU(fICMPv6RAFlagRsv, t.off+5, 1, uint64(fl&3))
			c.parent = saved
		}
		c.addU(fICMPv6RALife, t.off+6, 2, uint64(c.u16(t, 6)))
		c.addU(fICMPv6RAReach, t.off+8, 4, uint64(c.u32(t, 8)))
		c.addU(fICMPv6RARetrans, t.off+12, 4, uint64(c.u32(t, 12)))
		icmpv6Options(c, t, 16)
	case 135:
		c.addB(fICMPv6Reserved, t.off+4, 4)
		tgt := c.bytes(t, 8, 16)
		c.addB(fICMPv6NSTarget, t.off+8, 16)
		c.info = append(c.info, " for "...)
		c.info = appendIPv6(c.info, tgt)
		icmpv6Options(c, t, 24)
	case 136:
		fl := c.u32(t, 4)
		fi := c.addU(fICMPv6NAFlag, t.off+4, 4, uint64(fl))
		flags := naFlagText(fl)
		if c.tree && fi >= 0 {
			c.labelf(fi, "Flags: 0x%08x, %s", fl, naFlagNames(fl))
			saved := c.parent
			c.parent = fi
			c.addU(fICMPv6NAFlagR, t.off+4, 4, uint64(fl>>31))
			c.addU(fICMPv6NAFlagS, t.off+4, 4, uint64(fl>>30&1))
			c.addU(fICMPv6NAFlagO, t.off+4, 4, uint64(fl>>29&1))
			c.addU(fICMPv6NAFlagRsv, t.off+4, 4, uint64(fl&0x1fffffff))
			c.parent = saved
		}
		tgt := c.bytes(t, 8, 16)
		c.addB(fICMPv6NATarget, t.off+8, 16)
		c.info = append(c.info, ' ')
		c.info = appendIPv6(c.info, tgt)
		if flags != "" {
			c.info = append(c.info, " ("...)
			c.info = append(c.info, flags...)
			c.info = append(c.info, ')')
		}
		icmpv6Options(c, t, 24)
	case 137:
		c.addB(fICMPv6Reserved, t.off+4, 4)
		c.bytes(t, 8, 32)
		c.addB(fICMPv6RdTarget, t.off+8, 16)
		c.addB(fICMPv6RdDest, t.off+24, 16)
		icmpv6Options(c, t, 40)
	default:
		if t.len() > off {
			c.addB(fICMPv6Data, t.off+off, t.len()-off)
		}
	}
	c.pop(p)
	return t.len()
}

func raFlagText(fl uint8) string {
	s := ""
	if fl&0x80 != 0 {
		s += ", Managed"
	}
	if fl&0x40 != 0 {
		s += ", Other"
	}
	if fl&0x20 != 0 {
		s += ", Home Agent"
	}
	if fl&0x04 != 0 {
		s += ", Proxy"
	}
	return s
}

// naFlagText is the "(rtr, sol, ovr)" part of a Neighbor Advertisement's Info.
func naFlagText(fl uint32) string {
	s := ""
	for _, f := range []struct {
		bit  uint32
		name string
	}{{0x80000000, "rtr"}, {0x40000000, "sol"}, {0x20000000, "ovr"}} {
		if fl&f.bit != 0 {
			if s != "" {
				s += ", "
			}
			s += f.name
		}
	}
	return s
}

func naFlagNames(fl uint32) string {
	s := ""
	for _, f := range []struct {
		bit  uint32
		name string
	}{{0x80000000, "Router"}, {0x40000000, "Solicited"}, {0x20000000, "Override"}} {
		if fl&f.bit != 0 {
			if s != "" {
				s += ", "
			}
			s += f.name
		}
	}
	return s
}

// icmpv6Options dissects Neighbor Discovery options from off to the end.
func icmpv6Options(c *Ctx, t tvb, off int) {
	for off < t.rep {
		typ := c.u8(t, off)
		ol := int(c.u8(t, off+1)) * 8
		oi := c.add(fICMPv6Opt, t.off+off, ol, Value{})
		saved := c.parent
		if oi >= 0 {
			c.parent = oi
		}
		name, ok := ndOptNames[uint64(typ)]
		if !ok {
			name = fmt.Sprintf("Unknown %d", typ)
		}
		c.addU(fICMPv6OptType, t.off+off, 1, uint64(typ))
		li := c.addU(fICMPv6OptLen, t.off+off+1, 1, uint64(ol/8))
		if c.tree { // formatting arguments allocate: keep the fast path free
			c.labelf(li, "Length: %d (%d bytes)", ol/8, ol)
		}
		if ol == 0 {
			// Wireshark flags "Invalid option length (Zero)" and stops.
			c.label(oi, fmt.Sprintf("ICMPv6 Option (%s)", name))
			c.parent = saved
			return
		}
		body := t.subLen(off+2, ol-2)
		detail := ""
		switch typ {
		case 1, 2:
			if ol == 8 {
				mac := c.bytes(body, 0, 6)
				c.addB(fICMPv6OptLL, body.off, 6)
				if typ == 1 {
					c.addB(fICMPv6OptSrcLL, body.off, 6)
					c.info = append(c.info, " from "...)
				} else {
					c.addB(fICMPv6OptTgtLL, body.off, 6)
					c.info = append(c.info, " is at "...)
				}
				c.info = appendMAC(c.info, mac)
				if c.tree {
					detail = " : " + string(appendMAC(nil, mac))
				}
			} else {
				c.addB(fICMPv6OptLL, body.off, ol-2)
				c.check(body, 0, ol-2)
			}
		case 3:
			pl := c.u8(body, 0)
			c.addU(fICMPv6OptPfxLen, body.off, 1, uint64(pl))
			c.addU(fICMPv6OptPfxFl, body.off+1, 1, uint64(c.u8(body, 1)))
			c.addU(fICMPv6OptPfxVL, body.off+2, 4, uint64(c.u32(body, 2)))
			c.addU(fICMPv6OptPfxPL, body.off+6, 4, uint64(c.u32(body, 6)))
			pfx := c.bytes(body, 14, 16)
			c.addB(fICMPv6OptPrefix, body.off+14, 16)
			if c.tree {
				detail = fmt.Sprintf(" : %s/%d", appendIPv6(nil, pfx), pl)
			}
		case 5:
			mtu := c.u32(body, 2)
			c.addU(fICMPv6OptMTU, body.off+2, 4, uint64(mtu))
			detail = fmt.Sprintf(" : %d", mtu)
		case 25:
			for p := 6; p+16 <= ol-2; p += 16 {
				a := c.bytes(body, p, 16)
				c.addB(fICMPv6OptRDNSS, body.off+p, 16)
				if c.tree {
					detail += " " + string(appendIPv6(nil, a))
				}
			}
		default:
			c.addB(fICMPv6OptData, body.off, ol-2)
			c.check(body, 0, ol-2)
		}
		if c.tree {
			if typ == 25 {
				c.label(oi, fmt.Sprintf("ICMPv6 Option (%s%s)", name, detail))
			} else {
				c.label(oi, fmt.Sprintf("ICMPv6 Option (%s%s)", name, detail))
			}
		}
		c.parent = saved
		off += ol
	}
}

// icmpv6Embedded dissects the packet carried by an ICMPv6 error.
func icmpv6Embedded(c *Ctx, t tvb) {
	if t.len() <= 0 {
		return
	}
	saved := saveColumns(c)
	defer saved.restore(c)
	c.inErr = true
	dissectIPv6(c, t)
}
