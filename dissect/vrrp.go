package dissect

import "fmt"

// Virtual Router Redundancy Protocol, versions 2 (RFC 3768) and 3 (RFC 5798).

var (
	fVRRP         = &Field{Abbrev: "vrrp", Name: "Virtual Router Redundancy Protocol", Type: FTProtocol}
	fVRRPTypeVer  = &Field{Abbrev: "vrrp.typever", Name: "VRRP message version and type", Type: FTUint, Bits: 8}
	fVRRPVersion  = &Field{Abbrev: "vrrp.version", Name: "VRRP protocol version", Type: FTUint, Bits: 8, Mask: 0xf0}
	fVRRPType     = &Field{Abbrev: "vrrp.type", Name: "VRRP packet type", Type: FTUint, Bits: 8, Mask: 0x0f, Values: vals(1, "Advertisement")}
	fVRRPVRID     = &Field{Abbrev: "vrrp.virt_rtr_id", Name: "Virtual Rtr ID", Type: FTUint, Bits: 8}
	fVRRPPrio     = &Field{Abbrev: "vrrp.prio", Name: "Priority", Type: FTUint, Bits: 8}
	fVRRPCount    = &Field{Abbrev: "vrrp.addr_count", Name: "Addr Count", Type: FTUint, Bits: 8}
	fVRRPAuthType = &Field{Abbrev: "vrrp.auth_type", Name: "Auth Type", Type: FTUint, Bits: 8, Values: vals(0, "No Authentication", 1, "Simple Text Authentication [RFC 2338] / Reserved [RFC 3768]", 2, "IP Authentication Header [RFC 2338] / Reserved [RFC 3768]", 254, "Cisco VRRP MD5 Authentication")}
	fVRRPAdverInt = &Field{Abbrev: "vrrp.adver_int", Name: "Adver Int", Type: FTUint, Bits: 8}
	fVRRPRsvd     = &Field{Abbrev: "vrrp.reserved_mbz", Name: "Reserved", Type: FTUint, Bits: 8, Mask: 0xf0}
	fVRRPShortInt = &Field{Abbrev: "vrrp.short_adver_int", Name: "Adver Int", Type: FTUint, Bits: 16, Mask: 0x0fff}
	fVRRPChecksum = &Field{Abbrev: "vrrp.checksum", Name: "Checksum", Type: FTUint, Bits: 16, Base: BaseHex}
	fVRRPIP       = &Field{Abbrev: "vrrp.ip_addr", Name: "IP Address", Type: FTIPv4}
	fVRRPIPv6     = &Field{Abbrev: "vrrp.ipv6_addr", Name: "IPv6 Address", Type: FTIPv6}
)

func init() {
	register(fVRRP, fVRRPTypeVer, fVRRPVersion, fVRRPType, fVRRPVRID, fVRRPPrio, fVRRPCount, fVRRPAuthType,
		fVRRPAdverInt, fVRRPRsvd, fVRRPShortInt, fVRRPChecksum, fVRRPIP, fVRRPIPv6)
	ipProtos[112] = dissectVRRP
}

func vrrpPrioText(p uint8) string {
	switch p {
	case 0:
		return "Current Master has stopped participating in VRRP"
	case 100:
		return "Default priority for a backup VRRP router"
	case 255:
		return "This VRRP router owns the virtual router's IP address(es)"
	}
	return "Non-default backup priority"
}

func dissectVRRP(c *Ctx, t tvb, ip *ipInfo) int {
	c.setProto("VRRP")
	c.clearInfo()
	p := c.push(fVRRP, t.off, t.len())
	vt := c.u8(t, 0)
	ver := vt >> 4
	c.info = append(c.info[:c.fence], "Announcement (v"...)
	c.info = appendUint(c.info, uint64(ver))
	c.info = append(c.info, ')')
	vi := c.addU(fVRRPTypeVer, t.off, 1, uint64(vt))
	if c.tree && vi >= 0 {
		c.labelf(vi, "Version %d, Packet type %d (%s)", ver, vt&15, fVRRPType.Values[uint64(vt&15)])
		saved := c.parent
		c.parent = vi
		c.addU(fVRRPVersion, t.off, 1, uint64(ver))
		c.addU(fVRRPType, t.off, 1, uint64(vt&15))
		c.parent = saved
	}
	c.addU(fVRRPVRID, t.off+1, 1, uint64(c.u8(t, 1)))
	prio := c.u8(t, 2)
	pi := c.addU(fVRRPPrio, t.off+2, 1, uint64(prio))
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(pi, "Priority: %d (%s)", prio, vrrpPrioText(prio))
	}
	n := int(c.u8(t, 3))
	c.addU(fVRRPCount, t.off+3, 1, uint64(n))
	if ver == 3 {
		v := c.u16(t, 4)
		c.addU(fVRRPRsvd, t.off+4, 1, uint64(v>>12))
		c.addU(fVRRPShortInt, t.off+4, 2, uint64(v&0x0fff))
	} else {
		c.addU(fVRRPAuthType, t.off+4, 1, uint64(c.u8(t, 4)))
		ai := c.addU(fVRRPAdverInt, t.off+5, 1, uint64(c.u8(t, 5)))
		if c.tree { // formatting arguments allocate: keep the fast path free
			c.labelf(ai, "Adver Int: %d", c.u8(t, 5))
		}
	}
	ck := c.u16(t, 6)
	ci := c.addU(fVRRPChecksum, t.off+6, 2, uint64(ck))
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(ci, "Checksum: 0x%04x [unverified]", ck)
	}
	off := 8
	for i := 0; i < n; i++ {
		if ip.v6 {
			c.bytes(t, off, 16)
			c.addB(fVRRPIPv6, t.off+off, 16)
			off += 16
		} else {
			c.addU(fVRRPIP, t.off+off, 4, uint64(c.u32(t, off)))
			off += 4
		}
	}
	if ver == 2 && off < t.rep {
		if c.tree { // formatting arguments allocate: keep the fast path free
			c.text(t.off+off, t.len()-off, "%s", fmt.Sprintf("Authentication data (%d bytes)", t.len()-off))
		}
	}
	c.pop(p)
	return t.len()
}
