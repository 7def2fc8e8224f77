package dissect

import "fmt"

// TLS and SSL records over TCP, summarised as tshark 4.0 does without keys:
// one Info entry per record ("Client Hello", "Application Data",
// "Encrypted Handshake Message"), the protocol column naming the session
// version once the ServerHello fixed it, else the record's version.

var (
	fTLS              = &Field{Abbrev: "tls", Name: "Transport Layer Security", Type: FTProtocol}
	fTLSRecord        = &Field{Abbrev: "tls.record", Name: "Record Layer", Type: FTNone}
	fTLSContentType   = &Field{Abbrev: "tls.record.content_type", Name: "Content Type", Type: FTUint, Bits: 8, Values: tlsContentTypes}
	fTLSRecordVersion = &Field{Abbrev: "tls.record.version", Name: "Version", Type: FTUint, Bits: 16, Base: BaseHex, Values: tlsVersionNames}
	fTLSRecordLength  = &Field{Abbrev: "tls.record.length", Name: "Length", Type: FTUint, Bits: 16}
	fTLSHandshake     = &Field{Abbrev: "tls.handshake", Name: "Handshake Protocol", Type: FTNone}
	fTLSHsType        = &Field{Abbrev: "tls.handshake.type", Name: "Handshake Type", Type: FTUint, Bits: 8, Values: tlsHandshakeTypes}
	fTLSHsLength      = &Field{Abbrev: "tls.handshake.length", Name: "Length", Type: FTUint, Bits: 24}
	fTLSHsVersion     = &Field{Abbrev: "tls.handshake.version", Name: "Version", Type: FTUint, Bits: 16, Base: BaseHex, Values: tlsVersionNames}
	fTLSHsCipher      = &Field{Abbrev: "tls.handshake.ciphersuite", Name: "Cipher Suite", Type: FTUint, Bits: 16, Base: BaseHex}
	fTLSHsSNI         = &Field{Abbrev: "tls.handshake.extensions_server_name", Name: "Server Name", Type: FTString}
	fTLSAppData       = &Field{Abbrev: "tls.app_data", Name: "Encrypted Application Data", Type: FTBytes}
	fTLSAlertMessage  = &Field{Abbrev: "tls.alert_message", Name: "Alert Message", Type: FTNone}
)

var tlsContentTypes = vals(20, "Change Cipher Spec", 21, "Alert", 22, "Handshake", 23, "Application Data", 24, "Heartbeat")

var tlsVersionNames = vals(0x0002, "SSL 2.0", 0x0300, "SSL 3.0", 0x0301, "TLS 1.0", 0x0302, "TLS 1.1", 0x0303, "TLS 1.2", 0x0304, "TLS 1.3")

var tlsHandshakeTypes = vals(0, "Hello Request", 1, "Client Hello", 2, "Server Hello", 3, "Hello Verify Request",
	4, "New Session Ticket", 5, "End of Early Data", 6, "Hello Retry Request", 8, "Encrypted Extensions",
	11, "Certificate", 12, "Server Key Exchange", 13, "Certificate Request", 14, "Server Hello Done",
	15, "Certificate Verify", 16, "Client Key Exchange", 20, "Finished", 21, "Certificate URL",
	22, "Certificate Status", 23, "Supplemental Data", 24, "Key Update", 25, "Compressed Certificate",
	254, "Message Hash")

var tlsAlertLevels = vals(1, "Warning", 2, "Fatal")

var tlsAlertDescs = vals(0, "Close Notify", 10, "Unexpected Message", 20, "Bad Record MAC", 21, "Decryption Failed",
	22, "Record Overflow", 30, "Decompression Failure", 40, "Handshake Failure", 41, "No Certificate",
	42, "Bad Certificate", 43, "Unsupported Certificate", 44, "Certificate Revoked", 45, "Certificate Expired",
	46, "Certificate Unknown", 47, "Illegal Parameter", 48, "Unknown CA", 49, "Access Denied", 50, "Decode Error",
	51, "Decrypt Error", 60, "Export Restriction", 70, "Protocol Version", 71, "Insufficient Security",
	80, "Internal Error", 86, "Inappropriate Fallback", 90, "User Canceled", 100, "No Renegotiation",
	109, "Missing Extension", 110, "Unsupported Extension", 112, "Unrecognized Name",
	115, "Unknown PSK Identity", 116, "Certificate Required", 120, "No Application Protocol")

var tlsApp = &tcpApp{pduLen: tlsPDULen, dissect: dissectTLS, multi: true, partial: tlsPartial, keep: tlsKeep}

func init() {
	register(fTLS, fTLSRecord, fTLSContentType, fTLSRecordVersion, fTLSRecordLength, fTLSHandshake, fTLSHsType,
		fTLSHsLength, fTLSHsVersion, fTLSHsCipher, fTLSHsSNI, fTLSAppData, fTLSAlertMessage)
	for _, p := range []uint16{261, 443, 448, 465, 563, 614, 636, 853, 989, 990, 992, 993, 994, 995, 3269, 5061, 5349, 8443} {
		tcpPorts[p] = tlsApp
	}
}

// tlsShortName is the protocol column name of a version.
func tlsShortName(v uint16) string {
	switch v {
	case 0x0002:
		return "SSLv2"
	case 0x0300:
		return "SSLv3"
	case 0x0301:
		return "TLSv1"
	case 0x0302:
		return "TLSv1.1"
	case 0x0303:
		return "TLSv1.2"
	case 0x0304:
		return "TLSv1.3"
	}
	if v>>8 == 0x7f {
		return "TLSv1.3" // a TLS 1.3 draft
	}
	return "TLS"
}

// tlsPDULen returns the length of the record at b (see tcpApp.pduLen).
func tlsPDULen(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	if b[0] >= 20 && b[0] <= 24 {
		if len(b) >= 2 && b[1] != 3 {
			return -1
		}
		if len(b) >= 3 && b[2] > 4 {
			return -1
		}
		if len(b) < 5 {
			return 0
		}
		return 5 + (int(b[3])<<8 | int(b[4]))
	}
	if b[0]&0x80 != 0 {
		// SSLv2 record with a 2-byte header: only its ClientHello.
		if len(b) < 3 {
			return 0
		}
		if b[2] != 1 {
			return -1
		}
		return 2 + (int(b[0]&0x7f)<<8 | int(b[1]))
	}
	return -1
}

// tlsKeep: a handshake record is kept whole (its messages are listed),
// other records only need their header.
func tlsKeep(b []byte) int {
	if len(b) > 0 && b[0] == 22 {
		return len(b)
	}
	return 5
}

// tlsPartial: the TLS dissector was called and found its record
// incomplete; it has cleared Info and added its tree item.
func tlsPartial(c *Ctx, t tvb) {
	if c.tlsFirstInFrame() {
		c.clearInfo()
	}
	i := c.push(fTLS, t.off, t.len())
	c.pop(i)
}

func (c *Ctx) tlsFirstInFrame() bool {
	p := c.proto
	return !(len(p) >= 3 && (p[:3] == "TLS" || p[:3] == "SSL"))
}

// tlsSession returns the stream's TCP record, where the session version is
// kept.
func (c *Ctx) tlsStream() *tcpStream {
	if c.rec.stream == 0 || int(c.rec.stream) > len(c.st.tcp.streams) {
		return nil
	}
	return c.st.tcp.streams[c.rec.stream-1]
}

// dissectTLS dissects the complete records in t.
func dissectTLS(c *Ctx, t tvb) int {
	if c.tlsFirstInFrame() {
		c.clearInfo()
	}
	top := c.push(fTLS, t.off, t.len())
	o := 0
	for o < t.len() {
		b := c.data[t.off+o : t.end]
		l := tlsPDULen(b)
		if l <= 0 || l > len(b) {
			break
		}
		if b[0]&0x80 != 0 {
			tlsSSLv2(c, t.subLen(o, l))
		} else {
			tlsRecord(c, t.subLen(o, l))
		}
		o += l
	}
	c.pop(top)
	return t.len()
}

// tlsSSLv2 dissects an SSLv2 ClientHello (2-byte record header). Wireshark
// records its message type as tls.handshake.type (labelled "Handshake
// Message Type"), so filters on it match SSLv2 hellos too.
func tlsSSLv2(c *Ctx, t tvb) {
	c.setProto("SSLv2")
	c.appendSepInfo(", ", "Client Hello")
	r := c.add(fTLSRecord, t.off, t.len(), Value{})
	c.label(r, "SSLv2 Record Layer: Client Hello")
	saved := c.parent
	if r >= 0 {
		c.parent = r
	}
	if i := c.addU(fTLSRecordVersion, t.off, 0, 0x0002); i >= 0 {
		c.items[i].Gen = true
	}
	c.addU(fTLSRecordLength, t.off, 2, uint64(c.u16(t, 0)&0x7fff))
	typ := c.u8(t, 2)
	ti := c.addU(fTLSHsType, t.off+2, 1, uint64(typ))
	if c.tree && ti >= 0 {
		c.items[ti].Label = "Handshake Message Type: " + tlsValName(tlsHandshakeTypes, uint64(typ)) + " (" + fmt.Sprint(typ) + ")"
	}
	if c.has(t, 3, 2) {
		c.addU(fTLSHsVersion, t.off+3, 2, uint64(c.u16(t, 3)))
	}
	c.parent = saved
}

func tlsRecord(c *Ctx, t tvb) {
	ct := c.u8(t, 0)
	ver := c.u16(t, 1)
	n := int(c.u16(t, 3))
	st := c.tlsStream()
	num := uint32(c.pkt.Num)
	ri := c.add(fTLSRecord, t.off, t.len(), Value{})
	saved := c.parent
	if ri >= 0 {
		c.parent = ri
	}
	c.addU(fTLSContentType, t.off, 1, uint64(ct))
	c.addU(fTLSRecordVersion, t.off+1, 2, uint64(ver))
	c.addU(fTLSRecordLength, t.off+3, 2, uint64(n))
	body := t.subLen(5, n)
	var what string
	switch ct {
	case 20:
		what = "Change Cipher Spec"
		c.appendSepInfo(", ", what)
		if st != nil && c.first {
			d := c.tlsDir(st)
			if st.tlsCCSFrame[d] == 0 {
				st.tlsCCSFrame[d], st.tlsCCSOff[d] = num, int32(t.off)
			}
		}
	case 21:
		if n == 2 && c.has(body, 0, 2) {
			lv, ds := c.u8(body, 0), c.u8(body, 1)
			c.appendSepInfo(", ", "Alert (Level: ")
			c.info = append(c.info, tlsValName(tlsAlertLevels, uint64(lv))...)
			c.info = append(c.info, ", Description: "...)
			c.info = append(c.info, tlsValName(tlsAlertDescs, uint64(ds))...)
			c.info = append(c.info, ')')
			what = "Alert"
		} else {
			what = "Encrypted Alert"
			c.appendSepInfo(", ", what)
			c.add(fTLSAlertMessage, body.off, body.len(), Value{})
		}
	case 22:
		what = "Handshake Protocol"
		if st != nil {
			d := c.tlsDir(st)
			if f := st.tlsCCSFrame[d]; f != 0 && (f < num || f == num && int(st.tlsCCSOff[d]) < t.off) {
				c.appendSepInfo(", ", "Encrypted Handshake Message")
				break
			}
		}
		tlsHandshakes(c, body, st, num)
	case 23:
		what = "Application Data"
		c.appendSepInfo(", ", what)
		c.addB(fTLSAppData, body.off, body.len())
	case 24:
		what = "Heartbeat"
		c.appendSepInfo(", ", what)
	}
	v := ver
	if st != nil && st.tlsVer != 0 && num >= st.tlsVerFrame {
		v = st.tlsVer
	}
	c.setProto(tlsShortName(v))
	if c.tree && ri >= 0 {
		c.items[ri].Label = fmt.Sprintf("%s Record Layer: %s", tlsShortName(v), what)
	}
	c.parent = saved
}

func tlsValName(m map[uint64]string, v uint64) string {
	if s, ok := m[v]; ok {
		return s
	}
	return "Unknown"
}

// tlsHandshakes lists the handshake messages of a record, or "Encrypted
// Handshake Message" when the first does not parse (as Wireshark decides
// without keys).
func tlsHandshakes(c *Ctx, body tvb, st *tcpStream, num uint32) {
	end := body.len()
	for o, first := 0, true; o < end; first = false {
		if !c.has(body, o, 4) {
			if first {
				c.appendSepInfo(", ", "Encrypted Handshake Message")
			}
			return
		}
		typ := c.u8(body, o)
		l := int(c.u24(body, o+1))
		name, ok := tlsHandshakeTypes[uint64(typ)]
		if !ok || o+4+l > end {
			if first {
				c.appendSepInfo(", ", "Encrypted Handshake Message")
			}
			return
		}
		c.appendSepInfo(", ", name)
		hi := c.add(fTLSHandshake, body.off+o, 4+l, Value{})
		if c.tree && hi >= 0 {
			c.items[hi].Label = "Handshake Protocol: " + name
		}
		saved := c.parent
		if hi >= 0 {
			c.parent = hi
		}
		c.addU(fTLSHsType, body.off+o, 1, uint64(typ))
		c.addU(fTLSHsLength, body.off+o+1, 3, uint64(l))
		msg := body.subLen(o+4, l)
		switch typ {
		case 1:
			tlsHello(c, msg, false, st, num)
		case 2:
			tlsHello(c, msg, true, st, num)
		}
		c.parent = saved
		o += 4 + l
	}
}

// tlsHello reads a Client/Server Hello: its version, cipher suite, the
// server name and (ServerHello) the negotiated version.
func tlsHello(c *Ctx, m tvb, server bool, st *tcpStream, num uint32) {
	if !c.has(m, 0, 2) {
		return
	}
	ver := c.u16(m, 0)
	c.addU(fTLSHsVersion, m.off, 2, uint64(ver))
	o := 2 + 32
	if !c.has(m, o, 1) {
		return
	}
	o += 1 + int(c.u8(m, o)) // session id
	if server {
		if !c.has(m, o, 3) {
			return
		}
		c.addU(fTLSHsCipher, m.off+o, 2, uint64(c.u16(m, o)))
		o += 3
	} else {
		if !c.has(m, o, 2) {
			return
		}
		o += 2 + int(c.u16(m, o)) // cipher suites
		if !c.has(m, o, 1) {
			return
		}
		o += 1 + int(c.u8(m, o)) // compression methods
	}
	negotiated := ver
	if c.has(m, o, 2) {
		extEnd := o + 2 + int(c.u16(m, o))
		o += 2
		for o+4 <= extEnd && c.has(m, o, 4) {
			et, el := c.u16(m, o), int(c.u16(m, o+2))
			if !c.has(m, o+4, el) {
				break
			}
			switch {
			case et == 43 && server && el == 2:
				negotiated = c.u16(m, o+4)
			case et == 0 && !server && el >= 5:
				nl := int(c.u16(m, o+7))
				if c.has(m, o+9, nl) {
					c.add(fTLSHsSNI, m.off+o+9, nl, Value{B: c.bytes(m, o+9, nl)})
				}
			}
			o += 4 + el
		}
	}
	if server && c.first && st != nil && st.tlsVer == 0 {
		st.tlsVer, st.tlsVerFrame = negotiated, num
	}
}

// tlsDir is the direction of the current segment in its TCP stream.
func (c *Ctx) tlsDir(st *tcpStream) int {
	if st.src != c.ip.src || st.sport != c.sport {
		return 1
	}
	return 0
}
