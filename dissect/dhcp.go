package dissect

import "fmt"

// BOOTP and DHCP (RFC 951, 2131, 2132) as Wireshark 4.0's packet-dhcp.c
// shows them: protocol "BOOTP" unless a DHCP Message Type option is present.

var (
	fDHCP          = &Field{Abbrev: "dhcp", Name: "Dynamic Host Configuration Protocol", Type: FTProtocol}
	fDHCPType      = &Field{Abbrev: "dhcp.type", Name: "Message type", Type: FTUint, Bits: 8, Values: vals(1, "Boot Request", 2, "Boot Reply")}
	fDHCPHWType    = &Field{Abbrev: "dhcp.hw.type", Name: "Hardware type", Type: FTUint, Bits: 8, Base: BaseHex, Values: vals(1, "Ethernet", 6, "IEEE 802")}
	fDHCPHWLen     = &Field{Abbrev: "dhcp.hw.len", Name: "Hardware address length", Type: FTUint, Bits: 8}
	fDHCPHops      = &Field{Abbrev: "dhcp.hops", Name: "Hops", Type: FTUint, Bits: 8}
	fDHCPID        = &Field{Abbrev: "dhcp.id", Name: "Transaction ID", Type: FTUint, Bits: 32, Base: BaseHex}
	fDHCPSecs      = &Field{Abbrev: "dhcp.secs", Name: "Seconds elapsed", Type: FTUint, Bits: 16}
	fDHCPFlags     = &Field{Abbrev: "dhcp.flags", Name: "Bootp flags", Type: FTUint, Bits: 16, Base: BaseHex}
	fDHCPFlagBC    = &Field{Abbrev: "dhcp.flags.bc", Name: "Broadcast flag", Type: FTBool, Bits: 16, Mask: 0x8000, TrueFalse: &[2]string{"Broadcast", "Unicast"}}
	fDHCPFlagRes   = &Field{Abbrev: "dhcp.flags.reserved", Name: "Reserved flags", Type: FTUint, Bits: 16, Base: BaseHex, Mask: 0x7fff}
	fDHCPCIAddr    = &Field{Abbrev: "dhcp.ip.client", Name: "Client IP address", Type: FTIPv4}
	fDHCPYIAddr    = &Field{Abbrev: "dhcp.ip.your", Name: "Your (client) IP address", Type: FTIPv4}
	fDHCPSIAddr    = &Field{Abbrev: "dhcp.ip.server", Name: "Next server IP address", Type: FTIPv4}
	fDHCPGIAddr    = &Field{Abbrev: "dhcp.ip.relay", Name: "Relay agent IP address", Type: FTIPv4}
	fDHCPHWAddr    = &Field{Abbrev: "dhcp.hw.addr", Name: "Client hardware address", Type: FTBytes}
	fDHCPHWPad     = &Field{Abbrev: "dhcp.hw.addr_padding", Name: "Client hardware address padding", Type: FTBytes}
	fDHCPMAC       = &Field{Abbrev: "dhcp.hw.mac_addr", Name: "Client MAC address", Type: FTEther}
	fDHCPServer    = &Field{Abbrev: "dhcp.server", Name: "Server host name", Type: FTString}
	fDHCPFile      = &Field{Abbrev: "dhcp.file", Name: "Boot file name", Type: FTString}
	fDHCPCookie    = &Field{Abbrev: "dhcp.cookie", Name: "Magic cookie", Type: FTIPv4}
	fDHCPOption    = &Field{Abbrev: "dhcp.option.type", Name: "Option", Type: FTUint, Bits: 8}
	fDHCPOptLen    = &Field{Abbrev: "dhcp.option.length", Name: "Length", Type: FTUint, Bits: 8}
	fDHCPOptValue  = &Field{Abbrev: "dhcp.option.value", Name: "Value", Type: FTBytes}
	fDHCPOptMsg    = &Field{Abbrev: "dhcp.option.dhcp", Name: "DHCP", Type: FTUint, Bits: 8, Values: dhcpMsgNames}
	fDHCPOptEnd    = &Field{Abbrev: "dhcp.option.end", Name: "Option End", Type: FTUint, Bits: 8}
	fDHCPOptPad    = &Field{Abbrev: "dhcp.option.padding", Name: "Padding", Type: FTBytes}
	fDHCPOptReqIP  = &Field{Abbrev: "dhcp.option.requested_ip_address", Name: "Requested IP Address", Type: FTIPv4}
	fDHCPOptReqItm = &Field{Abbrev: "dhcp.option.request_list_item", Name: "Parameter Request List Item", Type: FTUint, Bits: 8}
	fDHCPOptHost   = &Field{Abbrev: "dhcp.option.hostname", Name: "Host Name", Type: FTString}
)

var dhcpMsgNames = vals(1, "Discover", 2, "Offer", 3, "Request", 4, "Decline", 5, "ACK", 6, "NAK", 7, "Release",
	8, "Inform", 9, "Force Renew", 10, "Lease query", 11, "Lease Unassigned", 12, "Lease Unknown",
	13, "Lease Active", 14, "Bulk Lease Query", 15, "Lease Query Done", 16, "Active LeaseQuery",
	17, "Lease Query Status", 18, "TLS")

// dhcpOptNames names the common options (RFC 2132 and later).
var dhcpOptNames = map[uint8]string{
	0: "Padding", 1: "Subnet Mask", 2: "Time Offset", 3: "Router", 4: "Time Server", 5: "Name Server",
	6: "Domain Name Server", 7: "Log Server", 12: "Host Name", 15: "Domain Name", 26: "Interface MTU",
	28: "Broadcast Address", 31: "Perform Router Discover", 33: "Static Route", 42: "Network Time Protocol Servers",
	43: "Vendor-Specific Information", 44: "NetBIOS over TCP/IP Name Server", 46: "NetBIOS over TCP/IP Node Type",
	47: "NetBIOS over TCP/IP Scope", 50: "Requested IP Address", 51: "IP Address Lease Time",
	52: "Option Overload", 53: "DHCP Message Type", 54: "DHCP Server Identifier", 55: "Parameter Request List",
	56: "Message", 57: "Maximum DHCP Message Size", 58: "Renewal Time Value", 59: "Rebinding Time Value",
	60: "Vendor class identifier", 61: "Client identifier", 66: "TFTP Server Name", 67: "Bootfile name",
	81: "Client Fully Qualified Domain Name", 82: "Agent Information Option", 116: "DHCP Auto-Configuration",
	119: "Domain Search", 121: "Classless Static Route", 249: "Private/Classless Static Route (Microsoft)",
	252: "Private/Proxy autodiscovery", 255: "End",
}

func init() {
	register(fDHCP, fDHCPType, fDHCPHWType, fDHCPHWLen, fDHCPHops, fDHCPID, fDHCPSecs, fDHCPFlags, fDHCPFlagBC,
		fDHCPFlagRes, fDHCPCIAddr, fDHCPYIAddr, fDHCPSIAddr, fDHCPGIAddr, fDHCPHWAddr, fDHCPHWPad, fDHCPMAC,
		fDHCPServer, fDHCPFile, fDHCPCookie, fDHCPOption, fDHCPOptLen, fDHCPOptValue, fDHCPOptMsg, fDHCPOptEnd,
		fDHCPOptPad, fDHCPOptReqIP, fDHCPOptReqItm, fDHCPOptHost)
	udpPorts[67] = dissectDHCP
	udpPorts[68] = dissectDHCP
}

const dhcpMagic = 0x63825363

// dissectDHCP dissects a BOOTP/DHCP message.
func dissectDHCP(c *Ctx, t tvb) int {
	c.setProto("BOOTP")
	c.clearInfo()
	op := c.u8(t, 0)
	htype := c.u8(t, 1)
	hlen := int(c.u8(t, 2))
	switch op {
	case 1:
		c.info = append(c.info, "Boot Request from "...)
		if (htype == 1 || htype == 6) && hlen == 6 {
			c.info = appendEtherResolved(c.info, c.bytes(t, 28, 6))
		} else {
			c.info = appendHexSep(c.info, c.bytes(t, 28, min(hlen, 16)), ':')
		}
	case 2:
		c.info = append(c.info, "Boot Reply"...)
	default:
		c.info = append(c.info, "Unknown BOOTP message type ("...)
		c.info = appendUint(c.info, uint64(op))
		c.info = append(c.info, ')')
	}
	p := c.push(fDHCP, t.off, t.len())
	defer c.pop(p)
	o := t.off
	c.addU(fDHCPType, o, 1, uint64(op))
	c.addU(fDHCPHWType, o+1, 1, uint64(htype))
	c.addU(fDHCPHWLen, o+2, 1, uint64(hlen))
	c.addU(fDHCPHops, o+3, 1, uint64(c.u8(t, 3)))
	xid := c.u32(t, 4)
	xi := c.addU(fDHCPID, o+4, 4, uint64(xid))
	if c.tree {
		c.labelf(xi, "Transaction ID: 0x%08x", xid)
	}
	c.addU(fDHCPSecs, o+8, 2, uint64(c.u16(t, 8)))
	flags := c.u16(t, 10)
	fi := c.addU(fDHCPFlags, o+10, 2, uint64(flags))
	if c.tree {
		kind := "Unicast"
		if flags&0x8000 != 0 {
			kind = "Broadcast"
		}
		c.labelf(fi, "Bootp flags: 0x%04x (%s)", flags, kind)
		saved := c.parent
		c.parent = fi
		c.addU(fDHCPFlagBC, o+10, 2, uint64(flags>>15))
		c.addU(fDHCPFlagRes, o+10, 2, uint64(flags&0x7fff))
		c.parent = saved
	}
	for i, f := range []*Field{fDHCPCIAddr, fDHCPYIAddr, fDHCPSIAddr, fDHCPGIAddr} {
		c.addU(f, o+12+4*i, 4, uint64(c.u32(t, 12+4*i)))
	}
	if (htype == 1 || htype == 6) && hlen == 6 {
		c.addB(fDHCPMAC, o+28, 6) // labelled "Name (address)" like every FTEther
		c.addB(fDHCPHWPad, o+34, 10)
	} else if hlen > 0 {
		c.addB(fDHCPHWAddr, o+28, min(hlen, 16))
		if hlen < 16 {
			c.addB(fDHCPHWPad, o+28+hlen, 16-hlen)
		}
	}
	dhcpString(c, t, 44, 64, fDHCPServer, "Server host name not given")
	dhcpString(c, t, 108, 128, fDHCPFile, "Boot file name not given")

	cookie := c.u32(t, 236)
	ci := c.addU(fDHCPCookie, o+236, 4, uint64(cookie))
	if cookie == dhcpMagic {
		c.label(ci, "Magic cookie: DHCP")
	}
	// First pass over the options: find the DHCP message type, as
	// Wireshark does before building the option tree.
	msgType := -1
	for i := 240; ; {
		code := c.u8(t, i)
		if code == 255 {
			break
		}
		if code == 0 {
			i++
			continue
		}
		n := int(c.u8(t, i+1))
		if code == 53 && n >= 1 {
			msgType = int(c.u8(t, i+2))
		}
		i += 2 + n
	}
	if msgType >= 0 {
		c.setProto("DHCP")
		c.clearInfo()
		c.info = append(c.info, "DHCP "...)
		start := len(c.info)
		if s, ok := dhcpMsgNames[uint64(msgType)]; ok {
			c.info = append(c.info, s...)
		} else {
			c.info = append(c.info, "Unknown Message Type (0x"...)
			c.info = append(c.info, hexDigits[msgType>>4], hexDigits[msgType&15], ')')
		}
		for len(c.info)-start < 8 {
			c.info = append(c.info, ' ')
		}
		c.info = append(c.info, " - Transaction ID 0x"...)
		c.info = appendHexTrim(c.info, uint64(xid))
		if c.tree {
			c.labelf(p, "Dynamic Host Configuration Protocol (%s)", dhcpMsgNames[uint64(msgType)])
		}
	}
	if c.tree || c.want != nil {
		dhcpOptions(c, t)
	}
	return t.len()
}

// appendHexTrim appends u in hex without leading zeros (printf "%x").
func appendHexTrim(dst []byte, u uint64) []byte {
	started := false
	for i := 15; i >= 0; i-- {
		d := u >> (4 * uint(i)) & 15
		if d != 0 || started || i == 0 {
			dst = append(dst, hexDigits[d])
			started = true
		}
	}
	return dst
}

// dhcpString adds the sname or file field: a NUL-terminated string, or a
// "not given" label when its first byte is zero.
func dhcpString(c *Ctx, t tvb, off, n int, f *Field, empty string) {
	first := c.u8(t, off)
	if first == 0 {
		i := c.add(f, t.off+off, n, Value{B: []byte{}})
		c.label(i, empty)
		return
	}
	if !c.wants(f) {
		return
	}
	end := min(t.off+off+n, t.end)
	b := c.data[t.off+off : end]
	for i, x := range b {
		if x == 0 {
			b = b[:i]
			break
		}
	}
	c.add(f, t.off+off, n, Value{B: c.formatText(b)})
}

// dhcpOptions adds the option tree (tree and filter paths only).
func dhcpOptions(c *Ctx, t tvb) {
	i := 240
	for c.has(t, i, 1) {
		code := c.data[t.off+i]
		if code == 0 {
			// Wireshark shows trailing zero bytes after End as padding;
			// a pad option inside the list is one byte.
			i++
			continue
		}
		if code == 255 {
			oi := c.pushLabel(t.off+i, 1, "Option: (255) End")
			c.addU(fDHCPOption, t.off+i, 1, 255)
			c.addU(fDHCPOptEnd, t.off+i, 1, 255)
			c.pop(oi)
			i++
			if rest := t.len() - i; rest > 0 {
				c.addB(fDHCPOptPad, t.off+i, rest)
			}
			return
		}
		if !c.has(t, i+1, 1) {
			return
		}
		n := int(c.data[t.off+i+1])
		name, ok := dhcpOptNames[code]
		if !ok {
			name = "Unknown"
		}
		vo := t.off + i + 2
		label := ""
		if c.tree {
			label = fmt.Sprintf("Option: (%d) %s", code, name)
			switch code {
			case 53:
				if n >= 1 && c.has(t, i+2, 1) {
					label += fmt.Sprintf(" (%s)", dhcpMsgNames[uint64(c.data[vo])])
				}
			case 50, 54, 1, 3, 28:
				if n == 4 && c.has(t, i+2, 4) {
					label += " (" + string(appendIPv4(nil, c.u32(t, i+2))) + ")"
				}
			}
		}
		oi := c.pushLabel(t.off+i, 2+n, label)
		c.addU(fDHCPOption, t.off+i, 1, uint64(code))
		c.addU(fDHCPOptLen, t.off+i+1, 1, uint64(n))
		switch {
		case code == 53 && n == 1 && c.has(t, i+2, 1):
			c.addU(fDHCPOptMsg, vo, 1, uint64(c.data[vo]))
		case code == 50 && n == 4 && c.has(t, i+2, 4):
			c.addU(fDHCPOptReqIP, vo, 4, uint64(c.u32(t, i+2)))
		case code == 55 && c.has(t, i+2, n):
			for k := 0; k < n; k++ {
				item := c.data[vo+k]
				ri := c.addU(fDHCPOptReqItm, vo+k, 1, uint64(item))
				if c.tree {
					in, ok := dhcpOptNames[item]
					if !ok {
						in = "Unknown"
					}
					c.labelf(ri, "Parameter Request List Item: (%d) %s", item, in)
				}
			}
		case code == 12 && c.has(t, i+2, n):
			c.add(fDHCPOptHost, vo, n, Value{B: c.formatText(c.data[vo : vo+n])})
		default:
			if n > 0 {
				c.addB(fDHCPOptValue, vo, n)
			}
		}
		c.pop(oi)
		i += 2 + n
	}
}
