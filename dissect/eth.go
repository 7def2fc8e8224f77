package dissect

// dissector is the shape of every protocol dissector: it dissects view t
// and returns how many bytes of it the protocol used (the rest is the
// lower layer's trailer or padding).
type dissector func(c *Ctx, t tvb) int

var (
	fEth        = &Field{Abbrev: "eth", Name: "Ethernet II", Type: FTProtocol}
	fEthDst     = &Field{Abbrev: "eth.dst", Name: "Destination", Type: FTEther}
	fEthSrc     = &Field{Abbrev: "eth.src", Name: "Source", Type: FTEther}
	fEthAddr    = &Field{Abbrev: "eth.addr", Name: "Address", Type: FTEther}
	fEthLG      = &Field{Abbrev: "eth.lg", Name: "LG bit", Type: FTBool, Bits: 24, Mask: 0x020000, TrueFalse: ethLGNames, Hidden: true}
	fEthIG      = &Field{Abbrev: "eth.ig", Name: "IG bit", Type: FTBool, Bits: 24, Mask: 0x010000, TrueFalse: ethIGNames, Hidden: true}
	fEthDstLG   = &Field{Abbrev: "eth.dst.lg", Name: "LG bit", Type: FTBool, Bits: 24, Mask: 0x020000, TrueFalse: ethLGNames}
	fEthDstIG   = &Field{Abbrev: "eth.dst.ig", Name: "IG bit", Type: FTBool, Bits: 24, Mask: 0x010000, TrueFalse: ethIGNames}
	fEthSrcLG   = &Field{Abbrev: "eth.src.lg", Name: "LG bit", Type: FTBool, Bits: 24, Mask: 0x020000, TrueFalse: ethLGNames}
	fEthSrcIG   = &Field{Abbrev: "eth.src.ig", Name: "IG bit", Type: FTBool, Bits: 24, Mask: 0x010000, TrueFalse: ethIGNames}
	fEthType    = &Field{Abbrev: "eth.type", Name: "Type", Type: FTUint, Bits: 16, Base: BaseHex, Values: etherTypeNames}
	fEthLen     = &Field{Abbrev: "eth.len", Name: "Length", Type: FTUint, Bits: 16}
	fEthPadding = &Field{Abbrev: "eth.padding", Name: "Padding", Type: FTBytes}
	fEthTrailer = &Field{Abbrev: "eth.trailer", Name: "Trailer", Type: FTBytes}
	fEthFCS     = &Field{Abbrev: "eth.fcs", Name: "Frame check sequence", Type: FTUint, Bits: 32, Base: BaseHex}
)

var (
	ethLGNames = &[2]string{"Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)"}
	ethIGNames = &[2]string{"Group address (multicast/broadcast)", "Individual address (unicast)"}
)

var etherTypeNames = vals(
	0x0800, "IPv4", 0x0806, "ARP", 0x8035, "RARP", 0x86dd, "IPv6", 0x8100, "802.1Q Virtual LAN",
	0x88a8, "802.1ad Provider Bridge (Q-in-Q)", 0x9100, "QinQ: old non-standard 802.1ad",
	0x9000, "Loopback", 0x8863, "PPPoE Discovery", 0x8864, "PPPoE Session",
	0x8847, "MPLS label switched packet", 0x888e, "802.1X Authentication", 0x88cc, "802.1 Link Layer Discovery Protocol (LLDP)",
	0x8809, "Slow Protocols", 0x88f7, "PTPv2 over Ethernet (IEEE1588)", 0x22f3, "TRILL", 0x893a, "IEEE 1905.1a",
)

func init() {
	register(fEth, fEthDst, fEthSrc, fEthAddr, fEthLG, fEthIG, fEthDstLG, fEthDstIG, fEthSrcLG, fEthSrcIG, fEthType, fEthLen, fEthPadding, fEthTrailer, fEthFCS)
	linkTypes[1] = func(c *Ctx, t tvb) { dissectEth(c, t) }
}

// etherTypes maps an EtherType to its dissector; filled by init functions
// and read-only afterwards.
var etherTypes [1 << 16]dissector

// addMAC adds an address field with, under it, its eth.addr twin and its
// LG/IG bits (each also as the hidden eth.lg/eth.ig, as Wireshark does).
// They are recorded whenever wanted, tree or not, so filters see them.
func (c *Ctx) addMAC(f *Field, t tvb, i int) {
	o := c.check(t, i, 6)
	idx := c.addB(f, o, 6)
	saved := c.parent
	if idx >= 0 {
		c.parent = idx
	}
	c.addB(fEthAddr, o, 6)
	lg, ig := fEthSrcLG, fEthSrcIG
	if f == fEthDst {
		lg, ig = fEthDstLG, fEthDstIG
	}
	b := c.data[o]
	c.addU(lg, o, 3, uint64(b>>1&1))
	c.addU(fEthLG, o, 3, uint64(b>>1&1))
	c.addU(ig, o, 3, uint64(b&1))
	c.addU(fEthIG, o, 3, uint64(b&1))
	c.parent = saved
}

func dissectEth(c *Ctx, t tvb) int {
	if t.len() < 14 && t.rep >= 14 {
		// Too short for Ethernet: Wireshark still shows what is there.
	}
	dst := c.bytes(t, 0, 6)
	src := c.bytes(t, 6, 6)
	typ := c.u16(t, 12)
	c.setProto("ETH")
	if !c.noCols {
		c.src = appendMAC(c.src[:0], src)
		c.dst = appendMAC(c.dst[:0], dst)
	}
	if typ <= 1500 {
		return dissect8023(c, t, typ)
	}
	e := c.pushT(fEth, t, 14)
	if c.tree {
		c.labelf(e, "Ethernet II, Src: %s, Dst: %s", appendEtherDisplay(nil, src), appendEtherDisplay(nil, dst))
	}
	c.addMAC(fEthDst, t, 0)
	c.addMAC(fEthSrc, t, 6)
	c.addU(fEthType, t.off+12, 2, uint64(typ))
	c.pop(e)
	c.info = append(c.info[:0], "Ethernet II"...)
	used := 14 + dispatchEtherType(c, t.sub(14), typ, e)
	ethTrailer(c, t, used, e)
	return t.len()
}

// dispatchEtherType hands the payload to the dissector registered for typ,
// or to data (then Protocol shows the type in hex and Info its name, as
// Wireshark's ethertype dissector does); it returns the bytes used.
//
// Like Wireshark's, it catches a malformed-packet error of the payload's
// dissectors (marking the packet) so that the link layer still shows its
// trailer; a truncated capture ("packet size limited") is not caught.
func dispatchEtherType(c *Ctx, t tvb, typ uint16, parent int) int {
	c.addProtoName("ethertype")
	if fn := etherTypes[typ]; fn != nil {
		n, ok := callCatching(c, fn, t)
		if !ok {
			return declaredLen(c, t, typ)
		}
		// A negative result means the dissector rejected the payload
		// (Wireshark's "return 0"), having added nothing: show it as data.
		if n >= 0 {
			return n
		}
	}
	n := dissectData(c, t)
	c.setProtoBytes(appendHexN(c.protoB[:0], uint64(typ), 4))
	if name, ok := etherTypeNames[uint64(typ)]; ok {
		c.setInfo(name)
	}
	return n
}

// callCatching runs fn, turning a malformed-packet error into the
// [Malformed Packet] mark (ok false); other panics pass through.
func callCatching(c *Ctx, fn dissector, t tvb) (n int, ok bool) {
	saved := c.parent
	defer func() {
		if r := recover(); r != nil {
			be, isBE := r.(boundsErr)
			if !isBE || be.short {
				panic(r)
			}
			c.raise(be)
			c.parent = saved
			n, ok = 0, false
		}
	}()
	return fn(c, t), true
}

// declaredLen is how long the payload says it is, for the trailer of a
// payload whose dissection failed (Wireshark's dissectors shrink their
// tvb to this length before the failure).
func declaredLen(c *Ctx, t tvb, typ uint16) int {
	switch typ {
	case 0x0800:
		if c.has(t, 0, 4) && c.data[t.off]>>4 == 4 {
			total := int(c.u16(t, 2))
			if total >= int(c.data[t.off]&15)*4 && total <= t.rep {
				return total
			}
		}
	case 0x86dd:
		if c.has(t, 0, 6) && c.data[t.off]>>4 == 6 {
			if plen := int(c.u16(t, 4)); 40+plen <= t.rep {
				return 40 + plen
			}
		}
	}
	return t.rep
}

// ethTrailer shows the bytes after the payload as padding (zeros filling a
// frame up to 60 bytes), trailer and frame check sequence.
func ethTrailer(c *Ctx, t tvb, used int, parent int) {
	linkTrailer(c, t, used, parent, fEthTrailer, -1)
}

// dissect8023 handles IEEE 802.3 frames (a length instead of a type).
func dissect8023(c *Ctx, t tvb, length uint16) int {
	e := c.pushT(fEth, t, 14)
	if c.tree {
		c.labelf(e, "IEEE 802.3 Ethernet, Src: %s, Dst: %s", appendEtherDisplay(nil, c.bytes(t, 6, 6)), appendEtherDisplay(nil, c.bytes(t, 0, 6)))
	}
	c.addMAC(fEthDst, t, 0)
	c.addMAC(fEthSrc, t, 6)
	c.addU(fEthLen, t.off+12, 2, uint64(length))
	c.pop(e)
	c.info = append(c.info[:0], "IEEE 802.3 Ethernet"...)
	payload := t.subLen(14, int(length))
	used := 14
	if llcDissector != nil {
		used += llcDissector(c, payload)
	} else {
		used += dissectData(c, payload)
	}
	ethTrailer(c, t, used, e)
	return t.len()
}

// llcDissector handles 802.2 LLC payloads; set by the LLC file's init.
var llcDissector dissector
