package dissect

import "bytes"

// ARP and RARP (RFC 826, RFC 903), with Wireshark's Info texts.

var (
	fARP          = &Field{Abbrev: "arp", Name: "Address Resolution Protocol", Type: FTProtocol}
	fARPHWType    = &Field{Abbrev: "arp.hw.type", Name: "Hardware type", Type: FTUint, Bits: 16, Values: arpHWNames}
	fARPProtoType = &Field{Abbrev: "arp.proto.type", Name: "Protocol type", Type: FTUint, Bits: 16, Base: BaseHex, Values: etherTypeNames}
	fARPHWSize    = &Field{Abbrev: "arp.hw.size", Name: "Hardware size", Type: FTUint, Bits: 8}
	fARPProtoSize = &Field{Abbrev: "arp.proto.size", Name: "Protocol size", Type: FTUint, Bits: 8}
	fARPOpcode    = &Field{Abbrev: "arp.opcode", Name: "Opcode", Type: FTUint, Bits: 16, Values: arpOpNames}
	fARPIsGrat    = &Field{Abbrev: "arp.isgratuitous", Name: "Is gratuitous", Type: FTBool, Bits: 8, TrueFalse: &[2]string{"True", "False"}}
	fARPIsProbe   = &Field{Abbrev: "arp.isprobe", Name: "Is probe", Type: FTBool, Bits: 8, TrueFalse: &[2]string{"True", "False"}}
	fARPIsAnnounc = &Field{Abbrev: "arp.isannouncement", Name: "Is announcement", Type: FTBool, Bits: 8, TrueFalse: &[2]string{"True", "False"}}
	fARPSrcHW     = &Field{Abbrev: "arp.src.hw", Name: "Sender hardware address", Type: FTBytes}
	fARPSrcHWMAC  = &Field{Abbrev: "arp.src.hw_mac", Name: "Sender MAC address", Type: FTEther}
	fARPSrcProto  = &Field{Abbrev: "arp.src.proto", Name: "Sender protocol address", Type: FTBytes}
	fARPSrcIPv4   = &Field{Abbrev: "arp.src.proto_ipv4", Name: "Sender IP address", Type: FTIPv4}
	fARPDstHW     = &Field{Abbrev: "arp.dst.hw", Name: "Target hardware address", Type: FTBytes}
	fARPDstHWMAC  = &Field{Abbrev: "arp.dst.hw_mac", Name: "Target MAC address", Type: FTEther}
	fARPDstProto  = &Field{Abbrev: "arp.dst.proto", Name: "Target protocol address", Type: FTBytes}
	fARPDstIPv4   = &Field{Abbrev: "arp.dst.proto_ipv4", Name: "Target IP address", Type: FTIPv4}
)

var arpHWNames = vals(0, "NET/ROM pseudo", 1, "Ethernet", 2, "Experimental Ethernet", 3, "AX.25", 4, "ProNET",
	5, "Chaos", 6, "IEEE 802", 7, "ARCNET", 8, "Hyperchannel", 9, "Lanstar", 10, "Autonet Short Address",
	11, "LocalTalk", 12, "LocalNet", 13, "Ultra link", 14, "SMDS", 15, "Frame Relay", 16, "ATM", 17, "HDLC",
	18, "Fibre Channel", 19, "ATM", 20, "Serial Line", 21, "ATM", 22, "MIL-STD-188-220", 23, "Metricom",
	24, "IEEE 1394.1995", 25, "MAPOS", 26, "Twinaxial", 27, "EUI-64", 28, "HIPARP",
	29, "IP and ARP over ISO 7816-3", 30, "ARPSec", 31, "IPsec tunnel", 32, "InfiniBand",
	33, "TIA-102 Project 25 Common Air Interface", 34, "Wiegand Interface", 35, "Pure IP", 36, "HW_EXP1",
	256, "HW_EXP2")

var arpOpNames = vals(1, "request", 2, "reply", 3, "reverse request", 4, "reverse reply", 5, "DRARP-Request",
	6, "DRARP-Reply", 7, "DRARP-Error", 8, "InARP-Request", 9, "InARP-Reply", 10, "ARP-NAK",
	11, "MARS-Request", 12, "MARS-Multi", 13, "MARS-MServ", 14, "MARS-Join", 15, "MARS-Leave", 16, "MARS-NAK",
	17, "MARS-Unserv", 18, "MARS-SJoin", 19, "MARS-SLeave", 20, "MARS-Grouplist-Request",
	21, "MARS-Grouplist-Reply", 22, "MARS-Redirect-Map", 23, "MAPOS-UNARP", 24, "OP_EXP1", 25, "OP_EXP2")

func init() {
	register(fARP, fARPHWType, fARPProtoType, fARPHWSize, fARPProtoSize, fARPOpcode, fARPIsGrat, fARPIsProbe,
		fARPIsAnnounc, fARPSrcHW, fARPSrcHWMAC, fARPSrcProto, fARPSrcIPv4, fARPDstHW, fARPDstHWMAC,
		fARPDstProto, fARPDstIPv4)
	etherTypes[0x0806] = dissectARP
	etherTypes[0x8035] = dissectARP
}

func arpHWIsEther(hrd uint16, hln int) bool { return (hrd == 1 || hrd == 6) && hln == 6 }

func arpProIsIPv4(pro uint16, pln int) bool { return (pro == 0x0800 || pro == 0xcc) && pln == 4 }

// appendARPHW appends a hardware address as Wireshark's
// tvb_arphrdaddr_to_str does.
func appendARPHW(dst []byte, b []byte, hrd uint16) []byte {
	switch {
	case len(b) == 0:
		return append(dst, "<No address>"...)
	case arpHWIsEther(hrd, len(b)):
		return appendMAC(dst, b)
	}
	return appendBytesStr(dst, b)
}

// appendARPProto appends a protocol address (tvb_arpproaddr_to_str).
func appendARPProto(dst []byte, b []byte, pro uint16) []byte {
	switch {
	case len(b) == 0:
		return append(dst, "<No address>"...)
	case arpProIsIPv4(pro, len(b)):
		return appendIPv4(dst, uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8|uint32(b[3]))
	case pro == 0x86dd && len(b) == 16:
		return appendIPv6(dst, b)
	}
	return appendBytesStr(dst, b)
}

// appendBytesStr is Wireshark's bytes_to_str: hex, at most 36 bytes shown.
func appendBytesStr(dst []byte, b []byte) []byte {
	if len(b) > 36 {
		dst = appendHex(dst, b[:36])
		return append(dst, "…"...)
	}
	return appendHex(dst, b)
}

var macZero = make([]byte, 6)

func dissectARP(c *Ctx, t tvb) int {
	c.setProto("ARP")
	c.clearInfo()
	a := c.push(fARP, t.off, t.len())
	hrd := c.u16(t, 0)
	hi := c.addU(fARPHWType, t.off, 2, uint64(hrd))
	if c.tree {
		if _, ok := arpHWNames[uint64(hrd)]; !ok {
			c.labelf(hi, "Hardware type: Unknown (%d)", hrd)
		}
	}
	pro := c.u16(t, 2)
	pi := c.addU(fARPProtoType, t.off+2, 2, uint64(pro))
	if c.tree {
		if _, ok := etherTypeNames[uint64(pro)]; !ok {
			c.labelf(pi, "Protocol type: Unknown (0x%04x)", pro)
		}
	}
	hln := int(c.u8(t, 4))
	c.addU(fARPHWSize, t.off+4, 1, uint64(hln))
	pln := int(c.u8(t, 5))
	c.addU(fARPProtoSize, t.off+5, 1, uint64(pln))
	op := c.u16(t, 6)
	oi := c.addU(fARPOpcode, t.off+6, 2, uint64(op))
	if c.tree {
		if _, ok := arpOpNames[uint64(op)]; !ok {
			c.labelf(oi, "Opcode: Unknown (%d)", op)
		}
	}
	total := 8 + 2*hln + 2*pln
	c.setLen(a, total)
	// The ARP message is tot_len bytes; the rest is the link's trailer.
	at := t.subLen(0, total)
	switch op {
	case 3, 4:
		c.setProto("RARP")
	case 5, 6, 7:
		c.setProto("DRARP")
	case 8, 9:
		c.setProto("Inverse ARP")
	case 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22:
		c.setProto("MARS")
	case 23:
		c.setProto("MAPOS")
	}
	sha, spa := 8, 8+hln
	tha, tpa := spa+pln, spa+pln+hln
	grat, probe, announce := false, false, false
	if op == 1 || op == 2 {
		tp := c.bytes(at, tpa, pln)
		if c.has(at, spa, pln) && bytes.Equal(c.bytes(at, spa, pln), tp) {
			grat = true
			announce = op == 1 && c.has(at, tha, 6) && bytes.Equal(c.bytes(at, tha, 6), macZero)
		} else if op == 1 && c.has(at, tha, 6) && bytes.Equal(c.bytes(at, tha, 6), macZero) && c.u32(at, spa) == 0 {
			probe = true
		}
	}
	hw := func(dst []byte, off int) []byte { return appendARPHW(dst, c.bytes(at, off, hln), hrd) }
	pa := func(dst []byte, off int) []byte { return appendARPProto(dst, c.bytes(at, off, pln), pro) }
	in := c.info[:c.fence]
	switch op {
	case 1:
		switch {
		case grat && announce:
			in = pa(append(in, "ARP Announcement for "...), tpa)
		case grat:
			in = append(pa(append(in, "Gratuitous ARP for "...), tpa), " (Request)"...)
		case probe:
			in = append(pa(append(in, "Who has "...), tpa), "? (ARP Probe)"...)
		default:
			in = pa(append(pa(append(in, "Who has "...), tpa), "? Tell "...), spa)
		}
	case 2:
		if grat {
			in = append(pa(append(in, "Gratuitous ARP for "...), spa), " (Reply)"...)
		} else {
			in = hw(append(pa(in, spa), " is at "...), sha)
		}
	case 3, 8, 5:
		in = hw(append(hw(append(in, "Who is "...), tha), "? Tell "...), sha)
	case 4, 6:
		in = pa(append(hw(in, tha), " is at "...), tpa)
	case 7:
		in = append(in, "DRARP Error"...)
	case 9:
		in = pa(append(hw(in, sha), " is at "...), spa)
	case 10:
		in = append(in, "ARP NAK"...)
	case 0, 65535:
		in = append(in, "Reserved opcode "...)
		in = appendUint(in, uint64(op))
	default:
		in = append(in, "Unknown ARP opcode "...)
		in = appendHexN(in, uint64(op), 4)
	}
	c.info = in
	if c.tree {
		if name, ok := arpOpNames[uint64(op)]; ok {
			switch {
			case announce:
				name = "ARP Announcement"
			case probe:
				name = "ARP Probe"
			case grat && op == 1:
				name = "request/gratuitous ARP"
			case grat && op == 2:
				name = "reply/gratuitous ARP"
			}
			c.labelf(a, "Address Resolution Protocol (%s)", name)
		} else {
			c.labelf(a, "Address Resolution Protocol (opcode 0x%04x)", op)
		}
	}
	if grat {
		c.addGen(fARPIsGrat, Value{U: 1})
	}
	if probe {
		c.addGen(fARPIsProbe, Value{U: 1})
	}
	if announce {
		c.addGen(fARPIsAnnounc, Value{U: 1})
	}
	ether, ipv4 := arpHWIsEther(hrd, hln), arpProIsIPv4(pro, pln)
	addHW := func(off int, fMAC, fRaw *Field) {
		if hln == 0 {
			return
		}
		c.check(at, off, hln) // raise when the address is cut short
		if ether {
			c.addB(fMAC, at.off+off, 6)
			return
		}
		c.addB(fRaw, at.off+off, hln)
	}
	addPA := func(off int, f4, fRaw *Field) {
		if pln == 0 {
			return
		}
		if ipv4 {
			c.addU(f4, at.off+off, 4, uint64(c.u32(at, off)))
			return
		}
		c.bytes(at, off, pln)
		c.addB(fRaw, at.off+off, pln)
	}
	addHW(sha, fARPSrcHWMAC, fARPSrcHW)
	addPA(spa, fARPSrcIPv4, fARPSrcProto)
	addHW(tha, fARPDstHWMAC, fARPDstHW)
	addPA(tpa, fARPDstIPv4, fARPDstProto)
	c.pop(a)
	return min(total, t.len())
}
