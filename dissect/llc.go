package dissect

import (
	"fmt"
	"strings"
)

// IEEE 802.2 LLC with SNAP, the Cisco Discovery Protocol carried in it,
// and the Ethernet configuration test protocol (Ethertype 0x9000, "LOOP").

var (
	fLLC         = &Field{Abbrev: "llc", Name: "Logical-Link Control", Type: FTProtocol}
	fLLCDSAP     = &Field{Abbrev: "llc.dsap", Name: "DSAP", Type: FTUint, Bits: 8, Base: BaseHex, Values: sapNames}
	fLLCDSAPSAP  = &Field{Abbrev: "llc.dsap.sap", Name: "SAP", Type: FTUint, Bits: 8, Mask: 0xfe}
	fLLCDSAPIG   = &Field{Abbrev: "llc.dsap.ig", Name: "IG Bit", Type: FTBool, Bits: 8, Mask: 0x01, TrueFalse: &[2]string{"Group", "Individual"}}
	fLLCSSAP     = &Field{Abbrev: "llc.ssap", Name: "SSAP", Type: FTUint, Bits: 8, Base: BaseHex, Values: sapNames}
	fLLCSSAPSAP  = &Field{Abbrev: "llc.ssap.sap", Name: "SAP", Type: FTUint, Bits: 8, Mask: 0xfe}
	fLLCSSAPCR   = &Field{Abbrev: "llc.ssap.cr", Name: "CR Bit", Type: FTBool, Bits: 8, Mask: 0x01, TrueFalse: &[2]string{"Response", "Command"}}
	fLLCControl  = &Field{Abbrev: "llc.control", Name: "Control field", Type: FTUint, Bits: 8, Base: BaseHex}
	fLLCUCmd     = &Field{Abbrev: "llc.control.u_modifier_cmd", Name: "Command", Type: FTUint, Bits: 8, Base: BaseHex, Mask: 0xec, Values: llcUCmdNames}
	fLLCFType    = &Field{Abbrev: "llc.control.ftype", Name: "Frame type", Type: FTUint, Bits: 8, Base: BaseHex, Mask: 0x03, Values: vals(0, "Information frame", 1, "Supervisory frame", 2, "Information frame", 3, "Unnumbered frame")}
	fLLCOUI      = &Field{Abbrev: "llc.oui", Name: "Organization Code", Type: FTUint, Bits: 24, Base: BaseHex}
	fLLCPID      = &Field{Abbrev: "llc.pid", Name: "PID", Type: FTUint, Bits: 16, Base: BaseHex}
	fLLCCiscoPID = &Field{Abbrev: "llc.cisco_pid", Name: "PID", Type: FTUint, Bits: 16, Base: BaseHex, Values: vals(0x2000, "CDP", 0x2003, "VTP", 0x2004, "DTP", 0x010b, "PVSTP+", 0x0102, "DRiP", 0x0104, "PAgP", 0x0111, "UDLD")}

	fCDP         = &Field{Abbrev: "cdp", Name: "Cisco Discovery Protocol", Type: FTProtocol}
	fCDPVersion  = &Field{Abbrev: "cdp.version", Name: "Version", Type: FTUint, Bits: 8}
	fCDPTTL      = &Field{Abbrev: "cdp.ttl", Name: "TTL", Type: FTUint, Bits: 8}
	fCDPChecksum = &Field{Abbrev: "cdp.checksum", Name: "Checksum", Type: FTUint, Bits: 16, Base: BaseHex}
	fCDPCkStatus = &Field{Abbrev: "cdp.checksum.status", Name: "Checksum Status", Type: FTUint, Bits: 8, Base: BaseNone, Values: vals(0, "Bad", 1, "Good", 2, "Unverified")}
	fCDPTLVType  = &Field{Abbrev: "cdp.tlv.type", Name: "Type", Type: FTUint, Bits: 16, Base: BaseHex, Values: cdpTLVNames}
	fCDPTLVLen   = &Field{Abbrev: "cdp.tlv.len", Name: "Length", Type: FTUint, Bits: 16}
	fCDPDeviceID = &Field{Abbrev: "cdp.deviceid", Name: "Device ID", Type: FTString}
	fCDPSoftware = &Field{Abbrev: "cdp.software_version", Name: "Software version", Type: FTString}
	fCDPPlatform = &Field{Abbrev: "cdp.platform", Name: "Platform", Type: FTString}
	fCDPPortID   = &Field{Abbrev: "cdp.portid", Name: "Sent through Interface", Type: FTString}
	fCDPCaps     = &Field{Abbrev: "cdp.capabilities", Name: "Capabilities", Type: FTUint, Bits: 32, Base: BaseHex}
	fCDPNumAddrs = &Field{Abbrev: "cdp.number_of_addresses", Name: "Number of addresses", Type: FTUint, Bits: 32}
	fCDPNatVLAN  = &Field{Abbrev: "cdp.native_vlan", Name: "Native VLAN", Type: FTUint, Bits: 16}
	fCDPVTPDom   = &Field{Abbrev: "cdp.vtp_management_domain", Name: "VTP Management Domain", Type: FTString}
	fCDPDuplex   = &Field{Abbrev: "cdp.duplex", Name: "Duplex", Type: FTBool, Bits: 8, TrueFalse: &[2]string{"Full", "Half"}}
	fCDPData     = &Field{Abbrev: "cdp.data", Name: "Data", Type: FTBytes}

	fLoop         = &Field{Abbrev: "loop", Name: "Configuration Test Protocol (loopback)", Type: FTProtocol}
	fLoopSkip     = &Field{Abbrev: "loop.skipcount", Name: "skipCount", Type: FTUint, Bits: 16}
	fLoopFunction = &Field{Abbrev: "loop.function", Name: "Function", Type: FTUint, Bits: 16, Values: loopFuncNames}
	fLoopRelevant = &Field{Abbrev: "loop.relevant_function", Name: "Relevant function", Type: FTUint, Bits: 16, Values: loopFuncNames}
	fLoopReceipt  = &Field{Abbrev: "loop.receipt_number", Name: "Receipt number", Type: FTUint, Bits: 16}
	fLoopFwdAddr  = &Field{Abbrev: "loop.forwarding_address", Name: "Forwarding address", Type: FTEther}
)

var sapNames = vals(0x00, "NULL LSAP", 0x02, "LLC Sub-Layer Management Individual", 0x03, "LLC Sub-Layer Management Group",
	0x04, "SNA Path Control Individual", 0x05, "SNA Path Control Group", 0x06, "TCP/IP", 0x08, "SNA", 0x0c, "SNA",
	0x0e, "PROWAY (IEC955) Network Management and Initialization", 0x18, "Texas Instruments",
	0x42, "Spanning Tree BPDU", 0x4e, "EIA RS-511 Manufacturing Message Service",
	0x7e, "ISO 8208 (X.25 over 802.2)", 0x80, "XNS", 0x86, "Nestar", 0x8e, "PROWAY (IEC955) Active Station List Maintenance",
	0x98, "ARP", 0xaa, "SNAP", 0xbc, "Banyan VINES", 0xe0, "NetWare", 0xf0, "NetBIOS", 0xf4, "IBM Net Management Individual",
	0xf5, "IBM Net Management Group", 0xf8, "Remote Program Load", 0xfa, "Ungermann-Bass", 0xfe, "ISO Network Layer (OSLAN 1)",
	0xff, "Global LSAP")

var llcUCmdNames = vals(0x00, "Unnumbered Information", 0x20, "Unnumbered Poll", 0x04, "Disconnect",
	0x0c, "Disconnected Mode", 0x6c, "Set Asynchronous Balanced Mode Extended", 0x4c, "Set Asynchronous Balanced Mode",
	0x60, "Unnumbered Acknowledge", 0x84, "Frame Reject", 0xac, "Exchange Identification", 0xe0, "Test")

var llcUShort = map[uint8]string{0x00: "UI", 0x20: "UP", 0x04: "DISC", 0x0c: "DM", 0x6c: "SABME", 0x4c: "SABM",
	0x60: "UA", 0x84: "FRMR", 0xac: "XID", 0xe0: "TEST"}

var cdpTLVNames = vals(0x0001, "Device ID", 0x0002, "Addresses", 0x0003, "Port ID", 0x0004, "Capabilities",
	0x0005, "Software version", 0x0006, "Platform", 0x0007, "IP Prefix/Gateway (used for ODR)",
	0x0008, "Protocol Hello", 0x0009, "VTP Management Domain", 0x000a, "Native VLAN", 0x000b, "Duplex",
	0x000e, "Voice VLAN Reply", 0x000f, "Voice VLAN Query", 0x0010, "Power", 0x0011, "MTU",
	0x0012, "Trust Bitmap", 0x0013, "Untrusted Port CoS", 0x0014, "System Name", 0x0015, "System Object ID",
	0x0016, "Management Addresses", 0x0017, "Physical Location", 0x001a, "Power Available")

var loopFuncNames = vals(1, "Reply", 2, "Forward Data")

func init() {
	register(fLLC, fLLCDSAP, fLLCDSAPSAP, fLLCDSAPIG, fLLCSSAP, fLLCSSAPSAP, fLLCSSAPCR, fLLCControl, fLLCUCmd,
		fLLCFType, fLLCOUI, fLLCPID, fLLCCiscoPID,
		fCDP, fCDPVersion, fCDPTTL, fCDPChecksum, fCDPCkStatus, fCDPTLVType, fCDPTLVLen, fCDPDeviceID,
		fCDPSoftware, fCDPPlatform, fCDPPortID, fCDPCaps, fCDPNumAddrs, fCDPNatVLAN, fCDPVTPDom, fCDPDuplex, fCDPData,
		fLoop, fLoopSkip, fLoopFunction, fLoopRelevant, fLoopReceipt, fLoopFwdAddr)
	llcDissector = dissectLLC
	etherTypes[0x9000] = dissectLoop
}

func dissectLLC(c *Ctx, t tvb) int {
	c.setProto("LLC")
	c.clearInfo()
	dsap := c.u8(t, 0)
	ssap := c.u8(t, 1)
	ctl := c.u8(t, 2)
	hlen := 3
	if ctl&3 != 3 {
		hlen = 4 // I and S frames have a 2-byte control field
	}
	snap := dsap == 0xaa && ssap == 0xaa && ctl&3 == 3
	if snap {
		hlen = 8
	}
	l := c.push(fLLC, t.off, min(hlen, max(t.len(), 0)))
	di := c.addU(fLLCDSAP, t.off, 1, uint64(dsap))
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(di, "DSAP: %s (0x%02x)", sapName(dsap&0xfe), dsap)
	}
	if c.tree && di >= 0 {
		saved := c.parent
		c.parent = di
		si := c.addU(fLLCDSAPSAP, t.off, 1, uint64(dsap>>1))
		c.labelf(si, "%sSAP: %s", appendBitPattern(nil, 0xfe, uint64(dsap>>1), 8), sapName(dsap&0xfe))
		c.addU(fLLCDSAPIG, t.off, 1, uint64(dsap&1))
		c.parent = saved
	}
	si := c.addU(fLLCSSAP, t.off+1, 1, uint64(ssap))
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(si, "SSAP: %s (0x%02x)", sapName(ssap&0xfe), ssap)
	}
	if c.tree && si >= 0 {
		saved := c.parent
		c.parent = si
		ssi := c.addU(fLLCSSAPSAP, t.off+1, 1, uint64(ssap>>1))
		c.labelf(ssi, "%sSAP: %s", appendBitPattern(nil, 0xfe, uint64(ssap>>1), 8), sapName(ssap&0xfe))
		c.addU(fLLCSSAPCR, t.off+1, 1, uint64(ssap&1))
		c.parent = saved
	}
	if ctl&3 == 3 {
		cmd := ctl & 0xec
		ci := c.addU(fLLCControl, t.off+2, 1, uint64(ctl))
		short := llcUShort[cmd]
		if short == "" {
			short = fmt.Sprintf("Unknown (0x%02x)", cmd)
		}
		if c.tree {
			c.labelf(ci, "Control field: U, func=%s (0x%02x)", short, ctl)
			saved := c.parent
			c.parent = ci
			ui := c.addU(fLLCUCmd, t.off+2, 1, uint64(cmd>>2))
			name := llcUCmdNames[uint64(cmd)]
			c.labelf(ui, "%sCommand: %s (0x%02x)", appendBitPattern(nil, 0xec, uint64(cmd>>2), 8), name, cmd>>2)
			c.addU(fLLCFType, t.off+2, 1, 3)
			c.parent = saved
		}
		c.info = append(c.info[:c.fence], "U, func="...)
		c.info = append(c.info, short...)
	} else {
		c.addU(fLLCControl, t.off+2, 2, uint64(c.u16(t, 2)))
	}
	if !snap {
		c.info = append(c.info, "; DSAP "...)
		c.info = appendHexN(c.info, uint64(dsap), 2)
		c.info = append(c.info, ", SSAP "...)
		c.info = appendHexN(c.info, uint64(ssap), 2)
		c.pop(l)
		dissectData(c, t.sub(hlen))
		return t.len()
	}
	oui := c.u24(t, 3)
	pid := c.u16(t, 6)
	oi := c.addU(fLLCOUI, t.off+3, 3, uint64(oui))
	if c.tree {
		c.labelf(oi, "Organization Code: %s (%s)", appendMAC(nil, c.bytes(t, 3, 3)), ouiName(oui))
	}
	if oui == 0x00000c {
		c.addU(fLLCCiscoPID, t.off+6, 2, uint64(pid))
	} else {
		c.addU(fLLCPID, t.off+6, 2, uint64(pid))
	}
	c.info = append(c.info, "; SNAP, OUI "...)
	c.info = appendHexN(c.info, uint64(oui), 6)
	c.info = append(c.info, " ("...)
	c.info = append(c.info, ouiName(oui)...)
	c.info = append(c.info, "), PID "...)
	c.info = appendHexN(c.info, uint64(pid), 4)
	c.pop(l)
	payload := t.sub(8)
	switch {
	case oui == 0 && pid > 1500:
		// RFC 1042 encapsulation: the PID is an Ethertype.
		dispatchEtherType(c, payload, pid, l)
	case oui == 0x00000c && pid == 0x2000:
		dissectCDP(c, payload)
	default:
		dissectData(c, payload)
	}
	return t.len()
}

func sapName(s uint8) string {
	if n, ok := sapNames[uint64(s)]; ok {
		return n
	}
	return "Unknown"
}

func ouiName(oui uint32) string {
	switch oui {
	case 0:
		return "Officially Xerox, but"
	case 0x00000c:
		return "Cisco Systems, Inc"
	case 0x0000f8:
		return "Cisco 90-Compatible"
	case 0x080007:
		return "Apple Computer"
	}
	return "Unknown"
}

func dissectCDP(c *Ctx, t tvb) int {
	c.setProto("CDP")
	c.clearInfo()
	p := c.push(fCDP, t.off, t.len())
	c.addU(fCDPVersion, t.off, 1, uint64(c.u8(t, 0)))
	ttl := c.u8(t, 1)
	ti := c.addU(fCDPTTL, t.off+1, 1, uint64(ttl))
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(ti, "TTL: %d seconds", ttl)
	}
	ck := c.u16(t, 2)
	cki := c.addU(fCDPChecksum, t.off+2, 2, uint64(ck))
	if t.len() >= t.rep {
		good := cdpChecksum(c.bytes(t, 0, t.rep)) == 0
		if c.tree { // formatting arguments allocate: keep the fast path free
			c.labelf(cki, "Checksum: 0x%04x [%s]", ck, map[bool]string{true: "correct", false: "incorrect"}[good])
		}
		c.addGen(fCDPCkStatus, Value{U: map[bool]uint64{true: 1, false: 0}[good]})
	} else {
		c.addStatus(fCDPCkStatus, 2)
	}
	off := 4
	for off+4 <= t.rep {
		typ := c.u16(t, off)
		l := int(c.u16(t, off+2))
		if l < 4 {
			// A TLV shorter than its own header: Wireshark stops there.
			if c.tree { // formatting arguments allocate: keep the fast path free
				c.text(t.off+off, 4, "TLV with invalid length %d (< 4)", l)
			}
			break
		}
		body := t.subLen(off+4, l-4)
		var str []byte
		if typ == 1 || typ == 3 || typ == 6 || typ == 9 {
			str = c.bytes(body, 0, l-4)
		}
		name := cdpTLVNames[uint64(typ)]
		node := c.pushLabel(t.off+off, l, "")
		switch typ {
		case 1:
			c.info = append(c.info, "Device ID: "...)
			c.info = append(c.info, str...)
			c.info = append(c.info, "  "...)
			c.label(node, "Device ID: "+string(str))
		case 3:
			c.info = append(c.info, "Port ID: "...)
			c.info = append(c.info, str...)
			c.info = append(c.info, "  "...)
			c.label(node, "Port ID: "+string(str))
		case 6:
			c.label(node, "Platform: "+string(str))
		case 9:
			c.label(node, "VTP Management Domain: "+string(str))
		case 5:
			c.label(node, "Software Version")
		case 4:
			c.label(node, "Capabilities")
		case 2:
			c.label(node, "Addresses")
		case 0xb:
			d := "Half"
			if c.u8(body, 0) != 0 {
				d = "Full"
			}
			c.label(node, "Duplex: "+d)
		case 0xa:
			c.label(node, fmt.Sprintf("Native VLAN: %d", c.u16(body, 0)))
		default:
			if name == "" {
				name = fmt.Sprintf("Type: Unknown (0x%04x)", typ)
			}
			c.label(node, name)
		}
		c.addU(fCDPTLVType, t.off+off, 2, uint64(typ))
		c.addU(fCDPTLVLen, t.off+off+2, 2, uint64(l))
		switch typ {
		case 1:
			c.add(fCDPDeviceID, body.off, l-4, Value{B: str})
		case 3:
			c.add(fCDPPortID, body.off, l-4, Value{B: str})
		case 6:
			c.add(fCDPPlatform, body.off, l-4, Value{B: str})
		case 9:
			c.add(fCDPVTPDom, body.off, l-4, Value{B: str})
		case 5:
			if c.tree {
				sw := c.bytes(body, 0, l-4)
				pos := body.off
				for _, line := range strings.Split(string(sw), "\n") {
					c.add(fCDPSoftware, pos, len(line), Value{B: []byte(line)})
					c.label(len(c.items)-1, "Software version: "+line)
					pos += len(line) + 1
				}
			}
		case 4:
			c.addU(fCDPCaps, body.off, 4, uint64(c.u32(body, 0)))
		case 2:
			c.addU(fCDPNumAddrs, body.off, 4, uint64(c.u32(body, 0)))
			c.addB(fCDPData, body.off+4, l-8)
		case 0xa:
			c.addU(fCDPNatVLAN, body.off, 2, uint64(c.u16(body, 0)))
		case 0xb:
			c.addU(fCDPDuplex, body.off, 1, uint64(c.u8(body, 0)))
		default:
			if l > 4 {
				c.addB(fCDPData, body.off, l-4)
			}
		}
		c.pop(node)
		off += l
	}
	c.pop(p)
	return t.len()
}

// cdpChecksum is the Internet checksum as Cisco computes it: an odd final
// byte is treated as a signed value.
func cdpChecksum(b []byte) uint16 {
	if len(b)%2 == 0 {
		return inetChecksum(b, 0)
	}
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	last := b[len(b)-1]
	if last&0x80 != 0 {
		sum += uint32(last) | 0xff00
	} else {
		sum += uint32(last)
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

func dissectLoop(c *Ctx, t tvb) int {
	c.setProto("LOOP")
	c.clearInfo()
	p := c.push(fLoop, t.off, t.len())
	skip := int(c.le16(t, 0))
	c.addU(fLoopSkip, t.off, 2, uint64(skip))
	off := 2
	if c.has(t, 2+skip, 2) {
		c.addU(fLoopRelevant, t.off+2+skip, 2, uint64(c.le16(t, 2+skip)))
	}
	first := true
	for off < t.rep {
		fn := c.le16(t, off)
		if first {
			if name, ok := loopFuncNames[uint64(fn)]; ok {
				c.setInfo(name)
			} else {
				c.info = append(c.info[:c.fence], "Unknown function ("...)
				c.info = appendUint(c.info, uint64(fn))
				c.info = append(c.info, ')')
			}
			first = false
		}
		c.addU(fLoopFunction, t.off+off, 2, uint64(fn))
		off += 2
		if fn == 1 {
			c.addU(fLoopReceipt, t.off+off, 2, uint64(c.le16(t, off)))
			off += 2
			break
		}
		if fn != 2 {
			break
		}
		c.check(t, off, 6)
		c.addB(fLoopFwdAddr, t.off+off, 6)
		off += 6
	}
	c.setLen(p, off)
	c.pop(p)
	if off < t.len() {
		dissectData(c, t.sub(off))
	}
	return t.len()
}
