package dissect

// VXLAN (RFC 7348, with the group policy extension) on UDP port 4789: an
// 8-byte header and an inner Ethernet frame.

var (
	fVXLAN         = &Field{Abbrev: "vxlan", Name: "Virtual eXtensible Local Area Network", Type: FTProtocol}
	fVXLANFlags    = &Field{Abbrev: "vxlan.flags", Name: "Flags", Type: FTUint, Bits: 16, Base: BaseHex}
	fVXLANFlagG    = &Field{Abbrev: "vxlan.flag_g", Name: "GBP Extension", Type: FTBool, Bits: 16, Mask: 0x8000, TrueFalse: &[2]string{"Defined", "Not defined"}}
	fVXLANFlagI    = &Field{Abbrev: "vxlan.flag_i", Name: "VXLAN Network ID (VNI)", Type: FTBool, Bits: 16, Mask: 0x800, TrueFalse: &[2]string{"True", "False"}}
	fVXLANFlagD    = &Field{Abbrev: "vxlan.flag_d", Name: "Don't Learn", Type: FTBool, Bits: 16, Mask: 0x40, TrueFalse: &[2]string{"True", "False"}}
	fVXLANFlagA    = &Field{Abbrev: "vxlan.flag_a", Name: "Policy Applied", Type: FTBool, Bits: 16, Mask: 0x8, TrueFalse: &[2]string{"True", "False"}}
	fVXLANFlagsRes = &Field{Abbrev: "vxlan.flags_reserved", Name: "Reserved(R)", Type: FTUint, Bits: 16, Base: BaseHex, Mask: 0x77b7}
	fVXLANGBP      = &Field{Abbrev: "vxlan.gbp", Name: "Group Policy ID", Type: FTUint, Bits: 16}
	fVXLANVNI      = &Field{Abbrev: "vxlan.vni", Name: "VXLAN Network Identifier (VNI)", Type: FTUint, Bits: 24}
	fVXLANReserved = &Field{Abbrev: "vxlan.reserved8", Name: "Reserved", Type: FTUint, Bits: 8}
)

func init() {
	register(fVXLAN, fVXLANFlags, fVXLANFlagG, fVXLANFlagI, fVXLANFlagD, fVXLANFlagA, fVXLANFlagsRes, fVXLANGBP,
		fVXLANVNI, fVXLANReserved)
	udpPorts[vxlanPort] = dissectVXLAN
}

// dissectVXLAN dissects the VXLAN header and the Ethernet frame inside.
func dissectVXLAN(c *Ctx, t tvb) int {
	c.setProto("VXLAN")
	c.clearInfo()
	flags := c.u16(t, 0)
	p := c.pushT(fVXLAN, t, 8)
	fi := c.addU(fVXLANFlags, t.off, 2, uint64(flags))
	if c.tree {
		desc := ""
		if flags&0x8000 != 0 {
			desc += ", GBP Extension"
		}
		if flags&0x800 != 0 {
			desc += ", VXLAN Network ID (VNI)"
		}
		if flags&0x40 != 0 {
			desc += ", Don't Learn"
		}
		if flags&0x8 != 0 {
			desc += ", Policy Applied"
		}
		c.labelf(fi, "Flags: 0x%04x%s", flags, desc)
		saved := c.parent
		c.parent = fi
		for _, f := range []*Field{fVXLANFlagG, fVXLANFlagI, fVXLANFlagD, fVXLANFlagA, fVXLANFlagsRes} {
			c.addU(f, t.off, 2, uint64(flags)&f.Mask>>maskShift(f.Mask))
		}
		c.parent = saved
	}
	c.addU(fVXLANGBP, t.off+2, 2, uint64(c.u16(t, 2)))
	c.addU(fVXLANVNI, t.off+4, 3, uint64(c.u24(t, 4)))
	c.addU(fVXLANReserved, t.off+7, 1, uint64(c.u8(t, 7)))
	c.pop(p)
	inner := t.sub(8)
	if inner.len() > 0 {
		dissectEth(c, inner)
	}
	return t.len()
}
