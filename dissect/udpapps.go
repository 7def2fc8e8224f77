package dissect

import (
	"bytes"
	"fmt"
	"strconv"
)

// Small application protocols over UDP seen in the sample captures, each
// with the Protocol and Info columns of Wireshark 4.0 and a compact tree:
// NBNS, SSDP, NTP, GQUIC, DB-LSP-DISC (with JSON), RIP, DHCPv6 and BJNP.

var (
	fNBNS       = &Field{Abbrev: "nbns", Name: "NetBIOS Name Service", Type: FTProtocol}
	fNBNSID     = &Field{Abbrev: "nbns.id", Name: "Transaction ID", Type: FTUint, Bits: 16, Base: BaseHex}
	fNBNSFlags  = &Field{Abbrev: "nbns.flags", Name: "Flags", Type: FTUint, Bits: 16, Base: BaseHex}
	fNBNSQuery  = &Field{Abbrev: "nbns.name", Name: "Name", Type: FTString}
	fNBNSType   = &Field{Abbrev: "nbns.type", Name: "Type", Type: FTUint, Bits: 16, Values: nbnsTypeNames}
	fNBNSClass  = &Field{Abbrev: "nbns.class", Name: "Class", Type: FTUint, Bits: 16, Values: vals(1, "IN")}
	fNBNSCountQ = &Field{Abbrev: "nbns.count.queries", Name: "Questions", Type: FTUint, Bits: 16}
	fNBNSCountA = &Field{Abbrev: "nbns.count.answers", Name: "Answer RRs", Type: FTUint, Bits: 16}
	fNBNSCountN = &Field{Abbrev: "nbns.count.auth_rr", Name: "Authority RRs", Type: FTUint, Bits: 16}
	fNBNSCountD = &Field{Abbrev: "nbns.count.add_rr", Name: "Additional RRs", Type: FTUint, Bits: 16}

	fSSDP = &Field{Abbrev: "ssdp", Name: "Simple Service Discovery Protocol", Type: FTProtocol}

	fNTP          = &Field{Abbrev: "ntp", Name: "Network Time Protocol", Type: FTProtocol}
	fNTPFlags     = &Field{Abbrev: "ntp.flags", Name: "Flags", Type: FTUint, Bits: 8, Base: BaseHex}
	fNTPLI        = &Field{Abbrev: "ntp.flags.li", Name: "Leap Indicator", Type: FTUint, Bits: 8, Mask: 0xc0, Values: vals(0, "no warning", 1, "last minute of the day has 61 seconds", 2, "last minute of the day has 59 seconds", 3, "unknown (clock unsynchronized)")}
	fNTPVN        = &Field{Abbrev: "ntp.flags.vn", Name: "Version number", Type: FTUint, Bits: 8, Mask: 0x38, Values: vals(1, "NTP Version 1", 2, "NTP Version 2", 3, "NTP Version 3", 4, "NTP Version 4")}
	fNTPMode      = &Field{Abbrev: "ntp.flags.mode", Name: "Mode", Type: FTUint, Bits: 8, Mask: 0x07, Values: ntpModeNames}
	fNTPStratum   = &Field{Abbrev: "ntp.stratum", Name: "Peer Clock Stratum", Type: FTUint, Bits: 8}
	fNTPPoll      = &Field{Abbrev: "ntp.ppoll", Name: "Peer Polling Interval", Type: FTInt, Bits: 8}
	fNTPPrecision = &Field{Abbrev: "ntp.precision", Name: "Peer Clock Precision", Type: FTInt, Bits: 8}

	fGQUIC    = &Field{Abbrev: "gquic", Name: "GQUIC (Google Quick UDP Internet Connections)", Type: FTProtocol}
	fGQUICPuf = &Field{Abbrev: "gquic.puflags", Name: "Public Flags", Type: FTUint, Bits: 8, Base: BaseHex}
	fGQUICCID = &Field{Abbrev: "gquic.cid", Name: "CID", Type: FTUint, Bits: 64}
	fGQUICVer = &Field{Abbrev: "gquic.version", Name: "Version", Type: FTString}
	fGQUICPKN = &Field{Abbrev: "gquic.packet_number", Name: "Packet Number", Type: FTUint, Bits: 64}
	fGQUICTag = &Field{Abbrev: "gquic.tag", Name: "Tag", Type: FTString}

	fDBLSPDisc = &Field{Abbrev: "db-lsp-disc", Name: "Dropbox LAN sync Discovery Protocol", Type: FTProtocol}
	fJSON      = &Field{Abbrev: "json", Name: "JavaScript Object Notation", Type: FTProtocol}

	fRIP        = &Field{Abbrev: "rip", Name: "Routing Information Protocol", Type: FTProtocol}
	fRIPCommand = &Field{Abbrev: "rip.command", Name: "Command", Type: FTUint, Bits: 8, Values: vals(1, "Request", 2, "Response", 3, "Traceon", 4, "Traceoff", 5, "Vendor specific")}
	fRIPVersion = &Field{Abbrev: "rip.version", Name: "Version", Type: FTUint, Bits: 8, Values: vals(1, "RIPv1", 2, "RIPv2")}
	fRIPFamily  = &Field{Abbrev: "rip.family", Name: "Address Family", Type: FTUint, Bits: 16, Values: vals(2, "IP", 0xffff, "Authentication")}
	fRIPIP      = &Field{Abbrev: "rip.ip", Name: "IP Address", Type: FTIPv4}
	fRIPMetric  = &Field{Abbrev: "rip.metric", Name: "Metric", Type: FTUint, Bits: 16}

	fDHCPv6      = &Field{Abbrev: "dhcpv6", Name: "DHCPv6", Type: FTProtocol}
	fDHCPv6Type  = &Field{Abbrev: "dhcpv6.msgtype", Name: "Message type", Type: FTUint, Bits: 8, Values: dhcpv6MsgNames}
	fDHCPv6XID   = &Field{Abbrev: "dhcpv6.xid", Name: "Transaction ID", Type: FTUint, Bits: 24, Base: BaseHex}
	fDHCPv6Opt   = &Field{Abbrev: "dhcpv6.option.type", Name: "Option", Type: FTUint, Bits: 16}
	fDHCPv6OLen  = &Field{Abbrev: "dhcpv6.option.length", Name: "Length", Type: FTUint, Bits: 16}
	fDHCPv6DUID  = &Field{Abbrev: "dhcpv6.duid.bytes", Name: "DUID", Type: FTBytes}
	fDHCPv6Value = &Field{Abbrev: "dhcpv6.option.value", Name: "Value", Type: FTBytes}

	fBJNP        = &Field{Abbrev: "bjnp", Name: "Canon BJNP", Type: FTProtocol}
	fBJNPID      = &Field{Abbrev: "bjnp.id", Name: "Id", Type: FTString}
	fBJNPType    = &Field{Abbrev: "bjnp.type", Name: "Type", Type: FTUint, Bits: 8, Values: bjnpTypeNames}
	fBJNPCode    = &Field{Abbrev: "bjnp.code", Name: "Code", Type: FTUint, Bits: 8, Values: bjnpCodeNames}
	fBJNPSeq     = &Field{Abbrev: "bjnp.seq_no", Name: "Sequence Number", Type: FTUint, Bits: 32}
	fBJNPSession = &Field{Abbrev: "bjnp.session_id", Name: "Session Id", Type: FTUint, Bits: 16}
	fBJNPLen     = &Field{Abbrev: "bjnp.payload_len", Name: "Payload Length", Type: FTUint, Bits: 32}
	fBJNPPayload = &Field{Abbrev: "bjnp.payload", Name: "Payload", Type: FTBytes}
)

var nbnsTypeNames = vals(32, "NB", 33, "NBSTAT")

var nbnsOpcodeNames = vals(0, "Name query", 5, "Registration", 6, "Release", 7, "Wait for acknowledgment",
	8, "Refresh", 9, "Refresh (alternate opcode)", 15, "Multi-homed registration")

var ntpModeNames = vals(0, "reserved", 1, "symmetric active", 2, "symmetric passive", 3, "client", 4, "server",
	5, "broadcast", 6, "reserved for NTP control message", 7, "reserved for private use")

var dhcpv6MsgNames = vals(1, "Solicit", 2, "Advertise", 3, "Request", 4, "Confirm", 5, "Renew", 6, "Rebind",
	7, "Reply", 8, "Release", 9, "Decline", 10, "Reconfigure", 11, "Information-request", 12, "Relay-forw",
	13, "Relay-reply", 14, "Leasequery", 15, "Leasequery-reply", 16, "Leasequery-done", 17, "Leasequery-data")

var bjnpTypeNames = vals(1, "Printer Command", 2, "Scanner Command", 129, "Printer Response", 130, "Scanner Response")

var bjnpCodeNames = vals(1, "Discover", 16, "Print Job Details", 17, "Request Closure", 32, "Get Printer Status",
	33, "Print", 48, "Get Printer Identity", 50, "Scan Job Details")

func init() {
	register(fNBNS, fNBNSID, fNBNSFlags, fNBNSQuery, fNBNSType, fNBNSClass, fNBNSCountQ, fNBNSCountA, fNBNSCountN,
		fNBNSCountD, fSSDP, fNTP, fNTPFlags, fNTPLI, fNTPVN, fNTPMode, fNTPStratum, fNTPPoll, fNTPPrecision,
		fGQUIC, fGQUICPuf, fGQUICCID, fGQUICVer, fGQUICPKN, fGQUICTag, fDBLSPDisc, fJSON, fRIP, fRIPCommand,
		fRIPVersion, fRIPFamily, fRIPIP, fRIPMetric, fDHCPv6, fDHCPv6Type, fDHCPv6XID, fDHCPv6Opt, fDHCPv6OLen,
		fDHCPv6DUID, fDHCPv6Value, fBJNP, fBJNPID, fBJNPType, fBJNPCode, fBJNPSeq, fBJNPSession, fBJNPLen,
		fBJNPPayload)
	udpPorts[137] = dissectNBNS
	udpPorts[1900] = dissectSSDP
	udpPorts[123] = dissectNTP
	udpPorts[17500] = dissectDBLSPDisc
	udpPorts[520] = dissectRIP
	udpPorts[546] = dissectDHCPv6
	udpPorts[547] = dissectDHCPv6
	for p := uint16(8611); p <= 8614; p++ {
		udpPorts[p] = dissectBJNP
	}
	udpHeuristics = append(udpHeuristics, gquicHeuristic)
	udpConvDissectors[udpConvGQUIC] = dissectGQUIC
}

// dissectNBNS dissects NetBIOS Name Service (RFC 1002) queries and answers.
func dissectNBNS(c *Ctx, t tvb) int {
	c.setProto("NBNS")
	c.clearInfo()
	id := c.u16(t, 0)
	flags := c.u16(t, 2)
	opcode := flags >> 11 & 0xf
	c.info = append(c.info, nameOr(nbnsOpcodeNames, uint64(opcode), "Unknown operation")...)
	response := flags&0x8000 != 0
	if response {
		c.info = append(c.info, " response"...)
	}
	p := c.push(fNBNS, t.off, t.len())
	defer c.pop(p)
	c.addU(fNBNSID, t.off, 2, uint64(id))
	c.addU(fNBNSFlags, t.off+2, 2, uint64(flags))
	quest, ans := c.u16(t, 4), c.u16(t, 6)
	c.addU(fNBNSCountQ, t.off+4, 2, uint64(quest))
	c.addU(fNBNSCountA, t.off+6, 2, uint64(ans))
	c.addU(fNBNSCountN, t.off+8, 2, uint64(c.u16(t, 8)))
	c.addU(fNBNSCountD, t.off+10, 2, uint64(c.u16(t, 10)))
	off := 12
	for i := 0; i < int(quest); i++ {
		name, used := nbnsName(c, t, off)
		typ := c.u16(t, off+used)
		c.u16(t, off+used+2)
		if !response {
			c.info = append(c.info, ' ')
			c.info = append(c.info, nameOr(nbnsTypeNames, uint64(typ), "Unknown")...)
			c.info = append(c.info, ' ')
			c.info = append(c.info, name...)
		}
		c.add(fNBNSQuery, t.off+off, used, Value{B: name})
		c.addU(fNBNSType, t.off+off+used, 2, uint64(typ))
		c.addU(fNBNSClass, t.off+off+used+2, 2, uint64(c.u16(t, off+used+2)))
		off += used + 4
	}
	return t.len()
}

// nbnsName decodes a first-level encoded NetBIOS name (RFC 1001 14.1) into
// "NAME<xx>" plus any scope labels, in scratch space.
func nbnsName(c *Ctx, t tvb, off int) ([]byte, int) {
	var raw [dnsMaxName]byte
	n := c.dnsGetName(t, off, &raw)
	enc := n.text
	label := enc
	scope := []byte(nil)
	if i := bytes.IndexByte(enc, '.'); i >= 0 {
		label, scope = enc[:i], enc[i:]
	}
	if len(label) != 32 {
		return enc, n.used
	}
	var dec [16]byte
	for i := range dec {
		hi, lo := label[2*i]-'A', label[2*i+1]-'A'
		if hi > 15 || lo > 15 {
			return enc, n.used
		}
		dec[i] = hi<<4 | lo
	}
	s := len(c.scratch)
	name := bytes.TrimRight(dec[:15], " ")
	c.scratch = append(c.scratch, name...)
	c.scratch = append(c.scratch, '<', hexDigits[dec[15]>>4], hexDigits[dec[15]&15], '>')
	c.scratch = append(c.scratch, scope...)
	return c.scratch[s:len(c.scratch):len(c.scratch)], n.used
}

func nameOr(m map[uint64]string, k uint64, def string) string {
	if s, ok := m[k]; ok {
		return s
	}
	return def
}

// dissectSSDP shows SSDP (HTTP over UDP): Info is the start line, as
// Wireshark's HTTP dissector shows it.
func dissectSSDP(c *Ctx, t tvb) int {
	b := c.bytes(t, 0, t.len())
	line := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line = b[:i]
	}
	line = bytes.TrimSuffix(line, []byte{'\r'})
	c.setProto("SSDP")
	c.clearInfo()
	c.info = append(c.info, line...)
	c.info = append(c.info, ' ')
	p := c.push(fSSDP, t.off, t.len())
	if c.tree {
		for off := 0; off < len(b); {
			end := bytes.IndexByte(b[off:], '\n')
			if end < 0 {
				end = len(b) - off
			} else {
				end++
			}
			text := bytes.TrimRight(b[off:off+end], "\r\n")
			c.text(t.off+off, end, "%s\\r\\n", text)
			off += end
		}
	}
	c.pop(p)
	return t.len()
}

// dissectNTP dissects an NTP header; Info is "NTP Version 4, client".
func dissectNTP(c *Ctx, t tvb) int {
	flags := c.u8(t, 0)
	vn, mode := flags>>3&7, flags&7
	c.setProto("NTP")
	c.clearInfo()
	c.info = append(c.info, "NTP Version "...)
	c.info = appendUint(c.info, uint64(vn))
	c.info = append(c.info, ", "...)
	c.info = append(c.info, nameOr(ntpModeNames, uint64(mode), "")...)
	p := c.push(fNTP, t.off, t.len())
	fi := c.addU(fNTPFlags, t.off, 1, uint64(flags))
	if c.tree {
		c.labelf(fi, "Flags: 0x%02x, Leap Indicator: %s, Version number: NTP Version %d, Mode: %s",
			flags, fNTPLI.Values[uint64(flags>>6)], vn, ntpModeNames[uint64(mode)])
		saved := c.parent
		c.parent = fi
		c.addU(fNTPLI, t.off, 1, uint64(flags>>6))
		c.addU(fNTPVN, t.off, 1, uint64(vn))
		c.addU(fNTPMode, t.off, 1, uint64(mode))
		c.parent = saved
	}
	c.addU(fNTPStratum, t.off+1, 1, uint64(c.u8(t, 1)))
	c.addU(fNTPPoll, t.off+2, 1, uint64(c.u8(t, 2)))
	c.addU(fNTPPrecision, t.off+3, 1, uint64(c.u8(t, 3)))
	c.pop(p)
	return t.len()
}

// gquicHeuristic recognises a GQUIC packet that carries its version
// ("Q0xx"), and claims the conversation for GQUIC so that the version-less
// packets that follow are GQUIC too, as Wireshark's heuristic does.
func gquicHeuristic(c *Ctx, t tvb) bool {
	if t.len() < 13 {
		return false
	}
	b := c.bytes(t, 0, 13)
	if b[0]&0x01 == 0 || b[0]&0x0c != 0x0c {
		return false
	}
	if b[9] != 'Q' || b[10] < '0' || b[10] > '9' || b[11] < '0' || b[11] > '9' || b[12] < '0' || b[12] > '9' {
		return false
	}
	c.st.udp.claim(c, udpConvGQUIC)
	dissectGQUIC(c, t)
	return true
}

// dissectGQUIC dissects the public header of a GQUIC packet and, when the
// payload is an unencrypted handshake message, its tag.
func dissectGQUIC(c *Ctx, t tvb) int {
	flags := c.u8(t, 0)
	c.setProto("GQUIC")
	c.clearInfo()
	p := c.push(fGQUIC, t.off, t.len())
	defer c.pop(p)
	c.addU(fGQUICPuf, t.off, 1, uint64(flags))
	off := 1
	var cid uint64
	hasCID := flags&0x0c == 0x0c
	if hasCID {
		// Versions before Q043 send the connection ID little-endian.
		cid = uint64(c.le32(t, 1)) | uint64(c.le32(t, 5))<<32
		c.addU(fGQUICCID, t.off+1, 8, cid)
		off += 8
	}
	if flags&0x01 != 0 {
		c.add(fGQUICVer, t.off+off, 4, Value{B: c.bytes(t, off, 4)})
		off += 4
	}
	pknLen := [4]int{1, 2, 4, 6}[flags>>4&3]
	var pkn uint64
	for i := 0; i < pknLen; i++ {
		pkn = pkn<<8 | uint64(c.u8(t, off+i))
	}
	c.addU(fGQUICPKN, t.off+off, pknLen, pkn)
	off += pknLen
	msg := "Payload (Encrypted)"
	// Unencrypted handshake: 12-byte hash, private flags, then a STREAM
	// frame on stream 1 carrying a tagged message.
	if q := off + 13; c.has(t, q, 1) && c.data[t.off+q]&0x80 != 0 {
		ft := c.data[t.off+q]
		h := q + 1 + int(ft&3) + 1 // stream id
		if ol := int(ft >> 2 & 7); ol > 0 {
			h += ol + 1
		}
		if ft&0x20 != 0 {
			h += 2
		}
		sidLen := int(ft&3) + 1
		if c.has(t, q+1, sidLen) && c.data[t.off+q+1+sidLen-1] == 1 && c.has(t, h, 4) {
			tag := c.data[t.off+h : t.off+h+4]
			switch string(tag) {
			case "CHLO":
				msg = "Client Hello"
			case "SHLO":
				msg = "Server Hello"
			case "REJ\x00":
				msg = "Rejection"
			}
			if msg != "Payload (Encrypted)" {
				c.add(fGQUICTag, t.off+h, 4, Value{B: tag})
			}
		}
	}
	c.info = append(c.info, msg...)
	c.info = append(c.info, ", PKN: "...)
	c.info = appendUint(c.info, pkn)
	if hasCID {
		c.info = append(c.info, ", CID: "...)
		c.info = appendUint(c.info, cid)
	}
	return t.len()
}

// dissectDBLSPDisc shows Dropbox LAN sync discovery broadcasts, whose body
// is JSON (Wireshark's protocol column becomes "DB-LSP-DISC/JSON").
func dissectDBLSPDisc(c *Ctx, t tvb) int {
	c.setProto("DB-LSP-DISC")
	c.clearInfo()
	c.info = append(c.info, "Dropbox LAN sync Discovery Protocol"...)
	p := c.push(fDBLSPDisc, t.off, t.len())
	c.pop(p)
	if t.len() > 0 {
		c.setProto("DB-LSP-DISC/JSON")
		c.info = append(c.info, ", JavaScript Object Notation"...)
		j := c.push(fJSON, t.off, t.len())
		if c.tree {
			c.text(t.off, t.len(), "%s", c.bytes(t, 0, t.len()))
		}
		c.pop(j)
	}
	return t.len()
}

// dissectRIP dissects RIPv1/v2 (RFC 1058, 2453); Info is the command.
func dissectRIP(c *Ctx, t tvb) int {
	cmd := c.u8(t, 0)
	ver := c.u8(t, 1)
	if ver == 2 {
		c.setProto("RIPv2")
	} else {
		c.setProto("RIPv1")
	}
	c.clearInfo()
	c.info = append(c.info, nameOr(fRIPCommand.Values, uint64(cmd), "Unknown command ("+strconv.Itoa(int(cmd))+")")...)
	p := c.push(fRIP, t.off, t.len())
	defer c.pop(p)
	c.addU(fRIPCommand, t.off, 1, uint64(cmd))
	c.addU(fRIPVersion, t.off+1, 1, uint64(ver))
	for off := 4; off+20 <= t.len(); off += 20 {
		fam := c.u16(t, off)
		ip := c.u32(t, off+4)
		metric := c.u32(t, off+16)
		e := -1
		if c.tree {
			e = c.pushLabel(t.off+off, 20, fmt.Sprintf("IP Address: %s, Metric: %d", appendIPv4(nil, ip), metric))
		}
		c.addU(fRIPFamily, t.off+off, 2, uint64(fam))
		c.addU(fRIPIP, t.off+off+4, 4, uint64(ip))
		c.addU(fRIPMetric, t.off+off+16, 4, uint64(metric))
		if e >= 0 {
			c.pop(e)
		}
	}
	return t.len()
}

// dissectDHCPv6 dissects a DHCPv6 client/server message (RFC 8415); Info
// is "Solicit XID: 0x3a4267 CID: 0001... ".
func dissectDHCPv6(c *Ctx, t tvb) int {
	c.setProto("DHCPv6")
	c.clearInfo()
	typ := c.u8(t, 0)
	c.info = append(c.info, nameOr(dhcpv6MsgNames, uint64(typ), "Unknown")...)
	p := c.push(fDHCPv6, t.off, t.len())
	defer c.pop(p)
	c.addU(fDHCPv6Type, t.off, 1, uint64(typ))
	if typ == 12 || typ == 13 {
		return t.len() // relay messages: header only
	}
	xid := c.u24(t, 1)
	c.info = append(c.info, " XID: "...)
	c.info = appendHexN(c.info, uint64(xid), 6)
	c.info = append(c.info, ' ')
	c.addU(fDHCPv6XID, t.off+1, 3, uint64(xid))
	for off := 4; off < t.len(); {
		code := c.u16(t, off)
		n := int(c.u16(t, off+2))
		if code == 1 {
			c.info = append(c.info, "CID: "...)
			c.info = appendHex(c.info, c.bytes(t, off+4, n))
			c.info = append(c.info, ' ')
		}
		c.addU(fDHCPv6Opt, t.off+off, 2, uint64(code))
		c.addU(fDHCPv6OLen, t.off+off+2, 2, uint64(n))
		if code == 1 {
			c.addB(fDHCPv6DUID, t.off+off+4, n)
		} else if n > 0 {
			c.addB(fDHCPv6Value, t.off+off+4, n)
		}
		off += 4 + n
	}
	return t.len()
}

// dissectBJNP dissects Canon's BJNP printer/scanner discovery header.
func dissectBJNP(c *Ctx, t tvb) int {
	id := c.bytes(t, 0, 4)
	typ := c.u8(t, 4)
	code := c.u8(t, 5)
	c.setProto("BJNP")
	c.clearInfo()
	c.info = append(c.info, nameOr(bjnpTypeNames, uint64(typ), "Unknown")...)
	c.info = append(c.info, ": "...)
	c.info = append(c.info, nameOr(bjnpCodeNames, uint64(code), "Unknown")...)
	p := c.push(fBJNP, t.off, t.len())
	defer c.pop(p)
	if c.tree {
		c.labelf(p, "Canon BJNP, %s: %s", nameOr(bjnpTypeNames, uint64(typ), "Unknown"), nameOr(bjnpCodeNames, uint64(code), "Unknown"))
	}
	c.add(fBJNPID, t.off, 4, Value{B: id})
	c.addU(fBJNPType, t.off+4, 1, uint64(typ))
	c.addU(fBJNPCode, t.off+5, 1, uint64(code))
	c.addU(fBJNPSeq, t.off+6, 4, uint64(c.u32(t, 6)))
	c.addU(fBJNPSession, t.off+10, 2, uint64(c.u16(t, 10)))
	n := c.u32(t, 12)
	c.addU(fBJNPLen, t.off+12, 4, uint64(n))
	if t.len() > 16 {
		c.addB(fBJNPPayload, t.off+16, t.len()-16)
	}
	return t.len()
}
