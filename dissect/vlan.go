package dissect

// IEEE 802.1Q VLAN tags (0x8100, and the old Q-in-Q 0x9100) and 802.1ad
// provider bridge tags (0x88a8).

var (
	fVLAN        = &Field{Abbrev: "vlan", Name: "802.1Q Virtual LAN", Type: FTProtocol}
	fVLANPrio    = &Field{Abbrev: "vlan.priority", Name: "Priority", Type: FTUint, Bits: 16, Mask: 0xe000, Values: vlanPrioNames}
	fVLANDEI     = &Field{Abbrev: "vlan.dei", Name: "DEI", Type: FTBool, Bits: 16, Mask: 0x1000, TrueFalse: &[2]string{"Eligible", "Ineligible"}}
	fVLANID      = &Field{Abbrev: "vlan.id", Name: "ID", Type: FTUint, Bits: 16, Mask: 0x0fff}
	fVLANEType   = &Field{Abbrev: "vlan.etype", Name: "Type", Type: FTUint, Bits: 16, Base: BaseHex, Values: etherTypeNames}
	fVLANLen     = &Field{Abbrev: "vlan.len", Name: "Length", Type: FTUint, Bits: 16}
	fVLANTrailer = &Field{Abbrev: "vlan.trailer", Name: "Trailer", Type: FTBytes}

	fQinQ      = &Field{Abbrev: "ieee8021ad", Name: "IEEE 802.1ad", Type: FTProtocol}
	fQinQPrio  = &Field{Abbrev: "ieee8021ad.priority", Name: "Priority", Type: FTUint, Bits: 16, Mask: 0xe000}
	fQinQDEI   = &Field{Abbrev: "ieee8021ad.dei", Name: "DEI", Type: FTUint, Bits: 16, Mask: 0x1000}
	fQinQID    = &Field{Abbrev: "ieee8021ad.id", Name: "ID", Type: FTUint, Bits: 16, Mask: 0x0fff}
	fQinQEType = &Field{Abbrev: "ieee8021ah.etype", Name: "Type", Type: FTUint, Bits: 16, Base: BaseHex, Values: etherTypeNames}
)

var vlanPrioNames = vals(0, "Best Effort (default)", 1, "Background", 2, "Excellent Effort",
	3, "Critical Applications", 4, "Video, < 100ms latency and jitter", 5, "Voice, < 10ms latency and jitter",
	6, "Internetwork Control", 7, "Network Control")

func init() {
	register(fVLAN, fVLANPrio, fVLANDEI, fVLANID, fVLANEType, fVLANLen, fVLANTrailer,
		fQinQ, fQinQPrio, fQinQDEI, fQinQID, fQinQEType)
	etherTypes[0x8100] = dissectVLAN
	etherTypes[0x9100] = dissectVLAN
	etherTypes[0x88a8] = dissectQinQ
}

func dissectVLAN(c *Ctx, t tvb) int {
	c.setProto("VLAN")
	c.clearInfo()
	tci := c.u16(t, 0)
	v := c.pushT(fVLAN, t, 4)
	pri, dei, id := tci>>13, tci>>12&1, tci&0x0fff
	if c.tree {
		c.labelf(v, "802.1Q Virtual LAN, PRI: %d, DEI: %d, ID: %d", pri, dei, id)
	}
	c.info = append(c.info[:c.fence], "PRI: "...)
	c.info = appendUint(c.info, uint64(pri))
	c.info = append(c.info, "  DEI: "...)
	c.info = appendUint(c.info, uint64(dei))
	c.info = append(c.info, "  ID: "...)
	c.info = appendUint(c.info, uint64(id))
	c.addU(fVLANPrio, t.off, 2, uint64(pri))
	c.addU(fVLANDEI, t.off, 2, uint64(dei))
	c.addU(fVLANID, t.off, 2, uint64(id))
	typ := c.u16(t, 2)
	if typ <= 1500 {
		// An 802.3 length: LLC follows.
		c.addU(fVLANLen, t.off+2, 2, uint64(typ))
		c.pop(v)
		payload := t.subLen(4, int(typ))
		used := 4
		if llcDissector != nil {
			used += llcDissector(c, payload)
		} else {
			used += dissectData(c, payload)
		}
		linkTrailer(c, t, used, v, fVLANTrailer, 0)
		return t.len()
	}
	c.addU(fVLANEType, t.off+2, 2, uint64(typ))
	c.pop(v)
	used := 4 + dispatchEtherType(c, t.sub(4), typ, v)
	linkTrailer(c, t, used, v, fVLANTrailer, 0)
	return t.len()
}

func dissectQinQ(c *Ctx, t tvb) int {
	c.setProto("IEEE 802.1ad")
	c.clearInfo()
	tci := c.u16(t, 0)
	v := c.pushT(fQinQ, t, 4)
	pri, dei, id := tci>>13, tci>>12&1, tci&0x0fff
	if c.tree {
		c.labelf(v, "IEEE 802.1ad, ID: %d", id)
	}
	c.info = append(c.info[:c.fence], "PRI: "...)
	c.info = appendUint(c.info, uint64(pri))
	c.info = append(c.info, "  DEI: "...)
	c.info = appendUint(c.info, uint64(dei))
	c.info = append(c.info, "  ID: "...)
	c.info = appendUint(c.info, uint64(id))
	c.addU(fQinQPrio, t.off, 2, uint64(pri))
	c.addU(fQinQDEI, t.off, 2, uint64(dei))
	c.addU(fQinQID, t.off, 2, uint64(id))
	typ := c.u16(t, 2)
	c.addU(fQinQEType, t.off+2, 2, uint64(typ))
	c.pop(v)
	used := 4 + dispatchEtherType(c, t.sub(4), typ, v)
	linkTrailer(c, t, used, v, fVLANTrailer, 0)
	return t.len()
}
