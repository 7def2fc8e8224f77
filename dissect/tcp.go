package dissect

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// TCP header fields, named as in Wireshark 4.0.
var (
	fTCP             = &Field{Abbrev: "tcp", Name: "Transmission Control Protocol", Type: FTProtocol}
	fTCPSrcPort      = &Field{Abbrev: "tcp.srcport", Name: "Source Port", Type: FTUint, Bits: 16}
	fTCPDstPort      = &Field{Abbrev: "tcp.dstport", Name: "Destination Port", Type: FTUint, Bits: 16}
	fTCPPort         = &Field{Abbrev: "tcp.port", Name: "Source or Destination Port", Type: FTUint, Bits: 16, Hidden: true}
	fTCPStream       = &Field{Abbrev: "tcp.stream", Name: "Stream index", Type: FTUint, Bits: 32, Global: true}
	fTCPCompleteness = &Field{Abbrev: "tcp.completeness", Name: "Conversation completeness", Type: FTUint, Bits: 8}
	fTCPLen          = &Field{Abbrev: "tcp.len", Name: "TCP Segment Len", Type: FTUint, Bits: 32}
	fTCPSeq          = &Field{Abbrev: "tcp.seq", Name: "Sequence Number", Type: FTUint, Bits: 32}
	fTCPSeqRaw       = &Field{Abbrev: "tcp.seq_raw", Name: "Sequence Number (raw)", Type: FTUint, Bits: 32}
	fTCPNxtSeq       = &Field{Abbrev: "tcp.nxtseq", Name: "Next Sequence Number", Type: FTUint, Bits: 32}
	fTCPAck          = &Field{Abbrev: "tcp.ack", Name: "Acknowledgment Number", Type: FTUint, Bits: 32}
	fTCPAckRaw       = &Field{Abbrev: "tcp.ack_raw", Name: "Acknowledgment number (raw)", Type: FTUint, Bits: 32}
	fTCPHdrLen       = &Field{Abbrev: "tcp.hdr_len", Name: "Header Length", Type: FTUint, Bits: 8}
	fTCPFlags        = &Field{Abbrev: "tcp.flags", Name: "Flags", Type: FTUint, Bits: 16, Base: BaseHex, Mask: 0x0fff}
	fTCPFlagRes      = &Field{Abbrev: "tcp.flags.res", Name: "Reserved", Type: FTBool, Bits: 12, Mask: 0xe00}
	fTCPFlagAE       = &Field{Abbrev: "tcp.flags.ae", Name: "Accurate ECN", Type: FTBool, Bits: 12, Mask: 0x100}
	fTCPFlagCWR      = &Field{Abbrev: "tcp.flags.cwr", Name: "Congestion Window Reduced", Type: FTBool, Bits: 12, Mask: 0x80}
	fTCPFlagECE      = &Field{Abbrev: "tcp.flags.ece", Name: "ECN-Echo", Type: FTBool, Bits: 12, Mask: 0x40}
	fTCPFlagURG      = &Field{Abbrev: "tcp.flags.urg", Name: "Urgent", Type: FTBool, Bits: 12, Mask: 0x20}
	fTCPFlagACK      = &Field{Abbrev: "tcp.flags.ack", Name: "Acknowledgment", Type: FTBool, Bits: 12, Mask: 0x10}
	fTCPFlagPSH      = &Field{Abbrev: "tcp.flags.push", Name: "Push", Type: FTBool, Bits: 12, Mask: 0x08}
	fTCPFlagRST      = &Field{Abbrev: "tcp.flags.reset", Name: "Reset", Type: FTBool, Bits: 12, Mask: 0x04}
	fTCPFlagSYN      = &Field{Abbrev: "tcp.flags.syn", Name: "Syn", Type: FTBool, Bits: 12, Mask: 0x02}
	fTCPFlagFIN      = &Field{Abbrev: "tcp.flags.fin", Name: "Fin", Type: FTBool, Bits: 12, Mask: 0x01}
	fTCPFlagStr      = &Field{Abbrev: "tcp.flags.str", Name: "TCP Flags", Type: FTString}
	fTCPWinValue     = &Field{Abbrev: "tcp.window_size_value", Name: "Window", Type: FTUint, Bits: 16}
	fTCPWin          = &Field{Abbrev: "tcp.window_size", Name: "Calculated window size", Type: FTUint, Bits: 32}
	fTCPWinScale     = &Field{Abbrev: "tcp.window_size_scalefactor", Name: "Window size scaling factor", Type: FTInt, Bits: 32}
	fTCPChecksum     = &Field{Abbrev: "tcp.checksum", Name: "Checksum", Type: FTUint, Bits: 16, Base: BaseHex}
	fTCPCkStatus     = &Field{Abbrev: "tcp.checksum.status", Name: "Checksum Status", Type: FTUint, Bits: 8, Base: BaseNone, Values: vals(0, "Bad", 1, "Good", 2, "Unverified")}
	fTCPUrgent       = &Field{Abbrev: "tcp.urgent_pointer", Name: "Urgent Pointer", Type: FTUint, Bits: 16}
	fTCPPayload      = &Field{Abbrev: "tcp.payload", Name: "TCP payload", Type: FTBytes}
	fTCPSegData      = &Field{Abbrev: "tcp.segment_data", Name: "TCP segment data", Type: FTBytes}
	fTCPResetCause   = &Field{Abbrev: "tcp.reset_cause", Name: "Reset cause", Type: FTString}
	fTCPTimeRel      = &Field{Abbrev: "tcp.time_relative", Name: "Time since first frame in this TCP stream", Type: FTRelTime}
	fTCPReasmIn      = &Field{Abbrev: "tcp.reassembled_in", Name: "Reassembled PDU in frame", Type: FTFrameNum}
	fTCPReasmLen     = &Field{Abbrev: "tcp.reassembled.length", Name: "Reassembled TCP length", Type: FTUint, Bits: 32}

	fTCPOptions      = &Field{Abbrev: "tcp.options", Name: "TCP Options", Type: FTBytes}
	fTCPOptKind      = &Field{Abbrev: "tcp.option_kind", Name: "Kind", Type: FTUint, Bits: 8, Values: tcpOptNames}
	fTCPOptLen       = &Field{Abbrev: "tcp.option_len", Name: "Length", Type: FTUint, Bits: 8}
	fTCPOptMSS       = &Field{Abbrev: "tcp.options.mss", Name: "TCP MSS Option", Type: FTNone}
	fTCPOptMSSVal    = &Field{Abbrev: "tcp.options.mss_val", Name: "MSS Value", Type: FTUint, Bits: 16}
	fTCPOptWS        = &Field{Abbrev: "tcp.options.wscale", Name: "TCP Window Scale Option", Type: FTNone}
	fTCPOptWSShift   = &Field{Abbrev: "tcp.options.wscale.shift", Name: "Shift count", Type: FTUint, Bits: 8}
	fTCPOptWSMult    = &Field{Abbrev: "tcp.options.wscale.multiplier", Name: "Multiplier", Type: FTUint, Bits: 16}
	fTCPOptSackPerm  = &Field{Abbrev: "tcp.options.sack_perm", Name: "TCP SACK Permitted Option", Type: FTNone}
	fTCPOptSack      = &Field{Abbrev: "tcp.options.sack", Name: "TCP SACK Option", Type: FTNone}
	fTCPOptSackLE    = &Field{Abbrev: "tcp.options.sack_le", Name: "TCP SACK Left Edge", Type: FTUint, Bits: 32}
	fTCPOptSackRE    = &Field{Abbrev: "tcp.options.sack_re", Name: "TCP SACK Right Edge", Type: FTUint, Bits: 32}
	fTCPOptSackCount = &Field{Abbrev: "tcp.options.sack.count", Name: "TCP SACK Count", Type: FTUint, Bits: 8}
	fTCPOptTS        = &Field{Abbrev: "tcp.options.time_stamp", Name: "TCP Time Stamp Option", Type: FTNone}
	fTCPOptTSval     = &Field{Abbrev: "tcp.options.timestamp.tsval", Name: "Timestamp value", Type: FTUint, Bits: 32}
	fTCPOptTSecr     = &Field{Abbrev: "tcp.options.timestamp.tsecr", Name: "Timestamp echo reply", Type: FTUint, Bits: 32}
	fTCPOptNOP       = &Field{Abbrev: "tcp.options.nop", Name: "TCP Option - No-Operation (NOP)", Type: FTNone}
	fTCPOptEOL       = &Field{Abbrev: "tcp.options.eol", Name: "TCP Option - End of Option List (EOL)", Type: FTNone}
	fTCPOptUnknown   = &Field{Abbrev: "tcp.options.unknown.payload", Name: "Payload", Type: FTBytes}
	fTCPOptLenBad    = &Field{Abbrev: "tcp.option.len.invalid", Name: "Invalid length for option", Type: FTNone}
)

var tcpOptNames = vals(0, "End of Option List", 1, "No-Operation", 2, "Maximum Segment Size", 3, "Window Scale",
	4, "SACK Permitted", 5, "SACK", 6, "Echo", 7, "Echo Reply", 8, "Time Stamp Option", 9, "Partial Order Connection Permitted",
	10, "Partial Order Service Profile", 11, "CC", 12, "CC.NEW", 13, "CC.ECHO", 14, "TCP Alternate Checksum Request",
	15, "TCP Alternate Checksum Data", 16, "Skeeter", 17, "Bubba", 18, "Trailer Checksum Option",
	19, "MD5 Signature Option", 20, "SCPS Capabilities", 21, "Selective Negative Acknowledgements",
	22, "Record Boundaries", 23, "Corruption experienced", 24, "SNAP", 25, "Unassigned",
	26, "TCP Compression Filter", 27, "Quick-Start Response", 28, "User Timeout Option",
	29, "The TCP Authentication Option", 30, "Multipath TCP", 34, "TCP Fast Open Cookie",
	69, "Encryption Negotiation", 253, "RFC3692-style Experiment 1", 254, "RFC3692-style Experiment 2")

func init() {
	register(fTCP, fTCPSrcPort, fTCPDstPort, fTCPPort, fTCPStream, fTCPCompleteness, fTCPLen, fTCPSeq, fTCPSeqRaw,
		fTCPNxtSeq, fTCPAck, fTCPAckRaw, fTCPHdrLen, fTCPFlags, fTCPFlagRes, fTCPFlagAE, fTCPFlagCWR, fTCPFlagECE,
		fTCPFlagURG, fTCPFlagACK, fTCPFlagPSH, fTCPFlagRST, fTCPFlagSYN, fTCPFlagFIN, fTCPFlagStr, fTCPWinValue,
		fTCPWin, fTCPWinScale, fTCPChecksum, fTCPCkStatus, fTCPUrgent, fTCPPayload, fTCPSegData, fTCPResetCause,
		fTCPTimeRel, fTCPReasmIn, fTCPReasmLen,
		fTCPOptions, fTCPOptKind, fTCPOptLen, fTCPOptMSS, fTCPOptMSSVal, fTCPOptWS, fTCPOptWSShift, fTCPOptWSMult,
		fTCPOptSackPerm, fTCPOptSack, fTCPOptSackLE, fTCPOptSackRE, fTCPOptSackCount, fTCPOptTS, fTCPOptTSval,
		fTCPOptTSecr, fTCPOptNOP, fTCPOptEOL, fTCPOptUnknown, fTCPOptLenBad)
	registerTCPAnalysisFields()
	ipProtos[6] = dissectTCP
}

// TCP flag bits as they sit in the 12-bit flags field.
const (
	thFIN = 0x001
	thSYN = 0x002
	thRST = 0x004
	thPSH = 0x008
	thACK = 0x010
	thURG = 0x020
	thECE = 0x040
	thCWR = 0x080
	thAE  = 0x100
	thRes = 0xe00
)

var tcpFlagNames = [...]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"}

// appendTCPFlags appends Wireshark's "SYN, ACK" list of set flags.
func appendTCPFlags(dst []byte, flags uint16) []byte {
	start := len(dst)
	for i, n := range tcpFlagNames {
		if flags&(1<<uint(i)) != 0 {
			if len(dst) > start {
				dst = append(dst, ", "...)
			}
			dst = append(dst, n...)
		}
	}
	if flags&thRes != 0 {
		if len(dst) > start {
			dst = append(dst, ", "...)
		}
		dst = append(dst, "Reserved"...)
	}
	if len(dst) == start {
		dst = append(dst, "<None>"...)
	}
	return dst
}

// appendTCPFlagLetters appends the 12-character tcp.flags.str rendering.
func appendTCPFlagLetters(dst []byte, flags uint16) []byte {
	const letters = "RRRACEUAPRSF"
	for i := 0; i < 12; i++ {
		if flags>>(11-uint(i))&1 != 0 {
			dst = append(dst, letters[i])
		} else {
			dst = append(dst, "\u00b7"...)
		}
	}
	return dst
}

// tcpHeader is the parsed fixed header plus what the options say, passed
// between the parts of the TCP dissector.
type tcpHeader struct {
	sport, dport uint16
	seq, ack     uint32 // raw
	hlen         int
	flags        uint16
	win          uint16
	urp          uint16
	seglen       int  // reported payload length
	haveLen      bool // seglen is known (the header was not bogus)
	hasWS        bool
	wsShift      uint8
	nSack        int
	sack         [4][2]uint32
	// outer is the tree parent of the TCP item: application protocols
	// (and data) are its siblings, as in Wireshark, not TCP's children.
	outer int
}

// tcpSegmentMarker is what tshark adds to a segment whose PDU continues.
const tcpSegmentMarker = "[TCP segment of a reassembled PDU]"

// dissectTCP dissects a TCP segment in t (the IP payload) and hands its
// payload to the application protocol.
func dissectTCP(c *Ctx, t tvb, ip *ipInfo) int {
	c.setProto("TCP")
	c.clearInfo()
	var h tcpHeader
	h.sport = c.u16(t, 0)
	h.dport = c.u16(t, 2)
	if !c.noCols {
		c.info = appendUint(c.info, uint64(h.sport))
		c.info = append(c.info, " \u2192 "...)
		c.info = appendUint(c.info, uint64(h.dport))
	}
	c.sport, c.dport = h.sport, h.dport
	c.ip = *ip
	h.outer = c.parent
	top := c.pushT(fTCP, t, -1) // Wireshark's proto_tcp item has length -1
	c.setLen(top, min(20, max(t.len(), 1)))
	c.addU(fTCPSrcPort, t.off, 2, uint64(h.sport))
	c.addU(fTCPDstPort, t.off+2, 2, uint64(h.dport))
	c.addU(fTCPPort, t.off, 2, uint64(h.sport))
	c.addU(fTCPPort, t.off+2, 2, uint64(h.dport))
	if c.tree {
		c.labelf(top, "Transmission Control Protocol, Src Port: %d, Dst Port: %d", h.sport, h.dport)
	}

	h.seq = c.u32(t, 4)
	h.ack = c.u32(t, 8)
	hl := c.u8(t, 12)
	h.hlen = int(hl>>4) * 4
	h.flags = c.u16(t, 12) & 0x0fff
	h.win = c.u16(t, 14)
	ck := c.u16(t, 16)
	h.urp = c.u16(t, 18)
	if h.hlen < 20 {
		// Wireshark shows the bogus length and stops.
		c.addStreamOnly(ip, &h)
		i := c.addU(fTCPHdrLen, t.off+12, 1, uint64(hl>>4))
		if c.tree {
			c.labelf(i, "%sHeader Length: %d bytes (%d) [bogus, must be at least 20]", appendBitPattern(nil, 0xf0, uint64(hl>>4), 8), h.hlen, hl>>4)
		}
		c.info = append(c.info, " [BOGUS HEADER LENGTH: header length "...)
		c.info = appendUint(c.info, uint64(h.hlen))
		c.info = append(c.info, " cannot be less than 20]"...)
		c.pop(top)
		return t.len()
	}
	h.seglen = t.rep - h.hlen
	h.haveLen = h.seglen >= 0
	if h.seglen < 0 {
		h.seglen = 0
	}
	c.setLen(top, h.hlen)

	// Options first (window scaling and SACK go into the analysis), without
	// tree items; the tree gets them in Wireshark's order further down.
	if h.hlen > 20 && c.has(t, 20, h.hlen-20) {
		tcpScanOptions(c, t.subLen(20, h.hlen-20), &h)
	}

	an := c.tcpAnalyze(ip, &h)
	a := &an

	// Info: "[analysis] sport → dport [flags] Seq= Ack= Win= Urg= Len= options".
	if !c.noCols {
		c.tcpInfo(&h, a)
	}

	// Tree: the header fields.
	if c.tree {
		lbl := fmt.Sprintf("Transmission Control Protocol, Src Port: %d, Dst Port: %d, Seq: %d", h.sport, h.dport, a.relSeq)
		if h.flags&thACK != 0 {
			lbl += fmt.Sprintf(", Ack: %d", a.relAck)
		}
		c.label(top, lbl+fmt.Sprintf(", Len: %d", h.seglen))
	}
	c.addGen(fTCPStream, Value{U: uint64(a.stream)})
	if c.wants(fTCPCompleteness) {
		i := c.addGen(fTCPCompleteness, Value{U: uint64(a.completeness)})
		c.label(i, "[Conversation completeness: "+tcpCompletenessText(a.completeness)+"]")
	}
	c.addGen(fTCPLen, Value{U: uint64(h.seglen)})
	i := c.addU(fTCPSeq, t.off+4, 4, uint64(a.relSeq))
	if c.tree {
		c.labelf(i, "Sequence Number: %d    (relative sequence number)", a.relSeq)
	}
	c.addU(fTCPSeqRaw, t.off+4, 4, uint64(h.seq))
	nxt := a.relSeq + uint32(h.seglen)
	if h.flags&(thSYN|thFIN) != 0 {
		nxt++
	}
	if h.seglen > 0 || h.flags&(thSYN|thFIN) != 0 {
		i = c.addGen(fTCPNxtSeq, Value{U: uint64(nxt)})
		if c.tree {
			c.labelf(i, "[Next Sequence Number: %d    (relative sequence number)]", nxt)
		}
	} else if c.tree {
		i = c.addGen(fTCPNxtSeq, Value{U: uint64(nxt)})
		if c.tree {
			c.labelf(i, "[Next Sequence Number: %d    (relative sequence number)]", nxt)
		}
	} else {
		c.addGen(fTCPNxtSeq, Value{U: uint64(nxt)})
	}
	if h.flags&thACK != 0 {
		i = c.addU(fTCPAck, t.off+8, 4, uint64(a.relAck))
		if c.tree {
			c.labelf(i, "Acknowledgment Number: %d    (relative ack number)", a.relAck)
		}
	} else {
		c.addU(fTCPAck, t.off+8, 4, 0)
	}
	c.addU(fTCPAckRaw, t.off+8, 4, uint64(h.ack))
	i = c.addU(fTCPHdrLen, t.off+12, 1, uint64(hl>>4))
	if c.tree {
		c.labelf(i, "%sHeader Length: %d bytes (%d)", appendBitPattern(nil, 0xf0, uint64(hl>>4), 8), h.hlen, hl>>4)
	}
	fi := c.addU(fTCPFlags, t.off+12, 2, uint64(h.flags))
	if c.tree {
		c.labelf(fi, "Flags: 0x%03x (%s)", h.flags, appendTCPFlags(nil, h.flags))
	}
	saved := c.parent
	if fi >= 0 {
		c.parent = fi
	}
	for _, ff := range [...]*Field{fTCPFlagRes, fTCPFlagAE, fTCPFlagCWR, fTCPFlagECE, fTCPFlagURG, fTCPFlagACK, fTCPFlagPSH, fTCPFlagRST, fTCPFlagSYN, fTCPFlagFIN} {
		v := uint64(h.flags) & ff.Mask
		if v != 0 {
			v = 1
		}
		if ff == fTCPFlagRes {
			v = uint64(h.flags) & ff.Mask >> 9
		}
		c.addU(ff, t.off+12, 2, v)
	}
	if c.wants(fTCPFlagStr) {
		var buf [40]byte
		i := c.addGen(fTCPFlagStr, Value{B: c.stash(appendTCPFlagLetters(buf[:0], h.flags))})
		if c.tree {
			c.labelf(i, "[TCP Flags: %s]", appendTCPFlagLetters(buf[:0], h.flags))
		}
	}
	c.parent = saved
	c.addU(fTCPWinValue, t.off+14, 2, uint64(h.win))
	c.addGen(fTCPWin, Value{U: uint64(a.win)})
	if h.flags&thSYN == 0 {
		v := uint64(int64(a.scale))
		if a.scale >= 0 {
			v = 1 << uint(a.scale)
		}
		i = c.addGen(fTCPWinScale, Value{U: v})
		switch a.scale {
		case -1:
			c.label(i, "[Window size scaling factor: -1 (unknown)]")
		case -2:
			c.label(i, "[Window size scaling factor: -2 (no window scaling used)]")
		}
	}
	i = c.addU(fTCPChecksum, t.off+16, 2, uint64(ck))
	if c.tree {
		c.labelf(i, "Checksum: 0x%04x [unverified]", ck)
	}
	i = c.addGen(fTCPCkStatus, Value{U: 2})
	c.label(i, "[Checksum Status: Unverified]")
	c.addU(fTCPUrgent, t.off+18, 2, uint64(h.urp))
	if h.hlen > 20 {
		// Options the header claims but the capture lacks raise here.
		c.check(t, 20, h.hlen-20)
		tcpOptionsTree(c, t.subLen(20, h.hlen-20), &h, a)
	}
	// Option summaries for Info, in option order.
	if h.hlen > 20 {
		tcpOptionsInfo(c, t.subLen(20, h.hlen-20), a)
	}
	if a.flags != 0 && !c.noCols {
		c.tcpAnalysisPrefix(a)
	}
	c.tcpAnalysisTree(a, top)

	if h.seglen > 0 || t.len() > h.hlen || h.flags&thFIN != 0 {
		c.tcpPayload(t, &h, a, top)
	}
	c.pop(top)
	return t.len()
}

// tcpInfo appends the header's part of Info.
func (c *Ctx) tcpInfo(h *tcpHeader, a *tcpAnal) {
	c.info = append(c.info, " ["...)
	c.info = appendTCPFlags(c.info, h.flags)
	c.info = append(c.info, "] Seq="...)
	c.info = appendUint(c.info, uint64(a.relSeq))
	if h.flags&thACK != 0 {
		c.info = append(c.info, " Ack="...)
		c.info = appendUint(c.info, uint64(a.relAck))
	}
	c.info = append(c.info, " Win="...)
	c.info = appendUint(c.info, uint64(a.win))
	if h.flags&thURG != 0 {
		c.info = append(c.info, " Urg="...)
		c.info = appendUint(c.info, uint64(h.urp))
	}
	c.info = append(c.info, " Len="...)
	c.info = appendUint(c.info, uint64(h.seglen))
}

// addStreamOnly records the stream of a segment whose header is bogus.
func (c *Ctx) addStreamOnly(ip *ipInfo, h *tcpHeader) {
	st := c.tcpStreamFor(ip, h, false)
	c.addGen(fTCPStream, Value{U: uint64(st)})
}

// tcpScanOptions reads the options that matter for analysis and Info.
func tcpScanOptions(c *Ctx, t tvb, h *tcpHeader) {
	for i := 0; i < t.len(); {
		kind := c.u8(t, i)
		if kind == 0 {
			return
		}
		if kind == 1 {
			i++
			continue
		}
		if i+1 >= t.len() {
			return
		}
		l := int(c.u8(t, i+1))
		if l < 2 || i+l > t.len() {
			return
		}
		switch kind {
		case 3:
			if l == 3 {
				h.hasWS = true
				h.wsShift = c.u8(t, i+2)
			}
		case 5:
			n := (l - 2) / 8
			for k := 0; k < n && k < 4; k++ {
				h.sack[k][0] = c.u32(t, i+2+8*k)
				h.sack[k][1] = c.u32(t, i+6+8*k)
			}
			h.nSack = min(n, 4)
		}
		i += l
	}
}

// tcpOptLenOK reports Wireshark's expected length of an option kind (0:
// variable).
func tcpOptFixedLen(kind uint8) int {
	switch kind {
	case 2:
		return 4
	case 3:
		return 3
	case 4:
		return 2
	case 8:
		return 10
	case 6, 7:
		return 6
	}
	return 0
}

// tcpOptionsInfo appends the option summaries tshark puts in Info.
func tcpOptionsInfo(c *Ctx, t tvb, a *tcpAnal) {
	for i := 0; i < t.len(); {
		kind := c.u8(t, i)
		if kind == 0 {
			return
		}
		if kind == 1 {
			i++
			continue
		}
		if i+1 >= t.len() {
			return
		}
		l := int(c.u8(t, i+1))
		if l < 2 || i+l > t.len() {
			return
		}
		if fl := tcpOptFixedLen(kind); fl != 0 && fl != l {
			i += l
			continue
		}
		switch kind {
		case 2:
			c.info = append(c.info, " MSS="...)
			c.info = appendUint(c.info, uint64(c.u16(t, i+2)))
		case 3:
			sh := c.u8(t, i+2)
			c.info = append(c.info, " WS="...)
			if sh > 14 {
				sh = 14
			}
			c.info = appendUint(c.info, uint64(1)<<sh)
		case 4:
			c.info = append(c.info, " SACK_PERM"...)
		case 5:
			for k := 0; k+8 <= l-2; k += 8 {
				c.info = append(c.info, " SLE="...)
				c.info = appendUint(c.info, uint64(c.u32(t, i+2+k)-a.ackBase))
				c.info = append(c.info, " SRE="...)
				c.info = appendUint(c.info, uint64(c.u32(t, i+6+k)-a.ackBase))
			}
		case 8:
			c.info = append(c.info, " TSval="...)
			c.info = appendUint(c.info, uint64(c.u32(t, i+2)))
			c.info = append(c.info, " TSecr="...)
			c.info = appendUint(c.info, uint64(c.u32(t, i+6)))
		}
		i += l
	}
}

// tcpOptionsTree adds the Options subtree (tree or filter fields only).
func tcpOptionsTree(c *Ctx, t tvb, h *tcpHeader, a *tcpAnal) {
	oi := c.addB(fTCPOptions, t.off, t.len())
	var names []string
	saved := c.parent
	if oi >= 0 {
		c.parent = oi
	}
	for i := 0; i < t.len(); {
		kind := c.u8(t, i)
		if kind == 0 || kind == 1 {
			f, name := fTCPOptNOP, "No-Operation (NOP)"
			if kind == 0 {
				f, name = fTCPOptEOL, "End of Option List (EOL)"
			}
			n := c.add(f, t.off+i, 1, Value{})
			sv := c.parent
			if n >= 0 {
				c.parent = n
			}
			c.addU(fTCPOptKind, t.off+i, 1, uint64(kind))
			c.parent = sv
			if c.tree {
				names = append(names, name)
			}
			i++
			if kind == 0 {
				// Wireshark stops at EOL and ignores the rest.
				break
			}
			continue
		}
		if i+1 >= t.len() {
			break
		}
		l := int(c.u8(t, i+1))
		if l < 2 || i+l > t.len() {
			n := c.add(fTCPOptLenBad, t.off+i, 2, Value{})
			if c.tree {
				c.labelf(n, "%s: bogus length %d", tcpOptNames[uint64(kind)], l)
			}
			if c.tree {
				names = append(names, tcpOptDisplayName(kind))
			}
			break
		}
		n := -1
		var label string
		switch kind {
		case 2:
			mss := c.u16(t, i+2)
			n = c.add(fTCPOptMSS, t.off+i, l, Value{})
			if c.tree {
				label = fmt.Sprintf("TCP Option - Maximum segment size: %d bytes", mss)
			}
		case 3:
			sh := c.u8(t, i+2)
			n = c.add(fTCPOptWS, t.off+i, l, Value{})
			if c.tree {
				if sh > 14 {
					label = fmt.Sprintf("TCP Option - Window scale: %d (multiply by %d)", sh, 1<<14)
				} else {
					label = fmt.Sprintf("TCP Option - Window scale: %d (multiply by %d)", sh, 1<<sh)
				}
			}
		case 4:
			n = c.add(fTCPOptSackPerm, t.off+i, l, Value{})
			label = "TCP Option - SACK permitted"
		case 5:
			n = c.add(fTCPOptSack, t.off+i, l, Value{})
			if c.tree {
				var sb strings.Builder
				sb.WriteString("TCP Option - SACK")
				for k := 0; k+8 <= l-2; k += 8 {
					fmt.Fprintf(&sb, " %d-%d", c.u32(t, i+2+k)-a.ackBase, c.u32(t, i+6+k)-a.ackBase)
				}
				label = sb.String()
			}
		case 8:
			n = c.add(fTCPOptTS, t.off+i, l, Value{})
			if c.tree && l == 10 {
				label = fmt.Sprintf("TCP Option - Timestamps: TSval %d, TSecr %d", c.u32(t, i+2), c.u32(t, i+6))
			}
		default:
			if c.tree {
				n = c.pushLabel(t.off+i, l, "TCP Option - "+tcpOptDisplayName(kind))
				c.pop(n)
			}
		}
		if c.tree {
			if label != "" {
				c.label(n, label)
			}
			names = append(names, tcpOptDisplayName(kind))
		}
		sv := c.parent
		if n >= 0 {
			c.parent = n
		}
		c.addU(fTCPOptKind, t.off+i, 1, uint64(kind))
		c.addU(fTCPOptLen, t.off+i+1, 1, uint64(l))
		switch {
		case kind == 2 && l == 4:
			c.addU(fTCPOptMSSVal, t.off+i+2, 2, uint64(c.u16(t, i+2)))
		case kind == 3 && l == 3:
			sh := c.u8(t, i+2)
			c.addU(fTCPOptWSShift, t.off+i+2, 1, uint64(sh))
			c.addGen(fTCPOptWSMult, Value{U: uint64(1) << min(sh, 14)})
		case kind == 5:
			cnt := 0
			for k := 0; k+8 <= l-2; k += 8 {
				le := c.u32(t, i+2+k) - a.ackBase
				re := c.u32(t, i+6+k) - a.ackBase
				x := c.addU(fTCPOptSackLE, t.off+i+2+k, 4, uint64(le))
				if c.tree {
					c.labelf(x, "left edge = %d (relative)", le)
				}
				x = c.addU(fTCPOptSackRE, t.off+i+6+k, 4, uint64(re))
				if c.tree {
					c.labelf(x, "right edge = %d (relative)", re)
				}
				cnt++
			}
			c.addGen(fTCPOptSackCount, Value{U: uint64(cnt)})
		case kind == 8 && l == 10:
			c.addU(fTCPOptTSval, t.off+i+2, 4, uint64(c.u32(t, i+2)))
			c.addU(fTCPOptTSecr, t.off+i+6, 4, uint64(c.u32(t, i+6)))
		case l > 2 && tcpOptFixedLen(kind) == 0:
			c.addB(fTCPOptUnknown, t.off+i+2, l-2)
		}
		c.parent = sv
		i += l
	}
	c.parent = saved
	if c.tree && oi >= 0 {
		c.items[oi].Label = fmt.Sprintf("Options: (%d bytes), %s", t.len(), strings.Join(names, ", "))
	}
}

func tcpOptDisplayName(kind uint8) string {
	switch kind {
	case 0:
		return "End of Option List (EOL)"
	case 1:
		return "No-Operation (NOP)"
	case 2:
		return "Maximum segment size"
	case 3:
		return "Window scale"
	case 4:
		return "SACK permitted"
	case 5:
		return "SACK"
	case 8:
		return "Timestamps"
	}
	if n, ok := tcpOptNames[uint64(kind)]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (0x%02x)", kind)
}

func tcpCompletenessText(v uint8) string {
	const syn, synack, ack, data, fin, rst = 1, 2, 4, 8, 16, 32
	s := "Incomplete"
	switch {
	case v == syn:
		s = "Incomplete, SYN_SENT"
	case v == syn|synack:
		s = "Incomplete, CLIENT_ESTABLISHED"
	case v == syn|synack|ack:
		s = "Incomplete, ESTABLISHED"
	case v == syn|synack|ack|data:
		s = "Incomplete, DATA"
	case v&(syn|synack|ack|data) == syn|synack|ack|data && v&(fin|rst) != 0:
		s = "Complete, WITH_DATA"
	case v&(syn|synack|ack|data) == syn|synack|ack && v&(fin|rst) != 0:
		s = "Complete, NO_DATA"
	}
	return fmt.Sprintf("%s (%d)", s, v)
}

// TCP payload dispatch with Wireshark's one-pass desegmentation look: a
// segment whose PDU continues shows "[TCP segment of a reassembled PDU]",
// the segment that completes it shows the application protocol. The first
// pass follows the PDUs per direction; what a later dissection needs is
// recorded per packet (tcpAMiddle, tcpAReasmErr, and for a completing
// segment a carry: the start of the PDU the application needs again).

// tcpKeepDefault caps the PDU bytes carried for applications that do not
// say how many they need.
const tcpKeepDefault = 1 << 16

// carry layout in State.carries: total PDU length, bytes of it in the
// completing segment, then the carried PDU start.
const tcpCarryHdr = 8

// tcpFindApp picks the application for a payload starting with b: the
// lower port's protocol, then the higher one's, then heuristics (as
// Wireshark's decode_tcp_ports does).
func (c *Ctx) tcpFindApp(h *tcpHeader, b []byte) *tcpApp {
	if st := c.tlsStream(); st != nil && st.switchApp != nil && uint32(c.pkt.Num) >= st.switchFrame {
		// The application switched protocols (MySQL to TLS).
		return st.switchApp
	}
	lo, hi := h.sport, h.dport
	if lo > hi {
		lo, hi = hi, lo
	}
	if app := tcpPorts[lo]; app != nil && app.pduLen(b) >= 0 {
		return app
	}
	if app := tcpPorts[hi]; app != nil && hi != lo && app.pduLen(b) >= 0 {
		return app
	}
	for _, hfn := range tcpHeuristics {
		if app := hfn(b); app != nil {
			return app
		}
	}
	return nil
}

func (app *tcpApp) keepLen(pdu []byte) int {
	if app.keep != nil {
		return min(app.keep(pdu), len(pdu))
	}
	return min(len(pdu), tcpKeepDefault)
}

// tcpPayload shows the payload of a segment and dispatches it.
func (c *Ctx) tcpPayload(t tvb, h *tcpHeader, a *tcpAnal, top int) {
	p := t.sub(h.hlen)
	n := p.len()
	if n > 0 {
		i := c.addB(fTCPPayload, p.off, n)
		if c.tree {
			c.labelf(i, "TCP payload (%d byte%s)", n, tcpPlural(n))
		}
	}
	if n <= 0 {
		c.tcpFinOnly(h, a, p)
		return
	}
	if h.flags&thRST != 0 {
		// Wireshark shows the data of a reset as its cause.
		b := c.bytes(p, 0, n)
		e := 0
		for e < len(b) && b[e] >= 0x20 && b[e] < 0x7f {
			e++
		}
		i := c.add(fTCPResetCause, p.off, n, Value{B: b[:e]})
		if c.tree {
			c.labelf(i, "Reset cause: %s", b[:e])
		}
		return
	}
	if a.flags&(tcpARetrans|tcpAOOO|tcpASpurious) != 0 {
		if c.tree {
			c.text(p.off, n, "Retransmitted TCP segment data (%d byte%s)", n, tcpPlural(n))
		}
		return
	}
	if p.len() < p.rep {
		// Cut by the snapshot length: no reassembly, the application gets
		// what there is (and raises when it needs more).
		saved := c.enter(h.outer)
		c.tcpCallApp(p, c.tcpFindApp(h, c.bytes(p, 0, n)))
		c.parent = saved
		return
	}
	var f *tcpFlow
	if a.st != nil {
		f = &a.st.flows[a.dir]
	}
	if c.first && f != nil {
		c.tcpDesegFirst(f, h, a, p)
	}
	r := c.rec.analysis
	switch {
	case r&tcpAReasmErr != 0:
		c.info = append(c.info, "[Reassembly error, protocol TCP: New fragment overlaps old data (retransmission?)]"...)
		return
	case a.flags&tcpAKeepAlive != 0:
		saved := c.enter(h.outer)
		dissectData(c, p)
		c.parent = saved
		return
	case r&tcpAMiddle != 0:
		if c.rec.carry != 0 && int(c.rec.carry) <= len(c.st.carries) {
			// The PDU's length is still unknown: Wireshark hands the
			// application everything so far again.
			pre := c.st.carries[c.rec.carry-1][tcpCarryHdr:]
			if app := c.tcpFindApp(h, pre); app != nil && app.partial != nil {
				saved := c.enter(h.outer)
				app.partial(c, c.extend(pre))
				c.parent = saved
				c.setProto("TCP")
			}
		}
		c.tcpSegmentData(p, 0)
		c.appendSepInfo(" ", tcpSegmentMarker)
		return
	}
	o := 0
	if c.rec.carry != 0 && int(c.rec.carry) <= len(c.st.carries) {
		o = c.tcpReassembled(h, p, c.st.carries[c.rec.carry-1])
	}
	if o < n {
		c.tcpNewPDUs(h, p, o, false)
	}
}

// tcpDesegFirst follows the PDUs of a flow on the first pass and records
// in c.rec how this segment relates to them.
func (c *Ctx) tcpDesegFirst(f *tcpFlow, h *tcpHeader, a *tcpAnal, p tvb) {
	b := c.data[p.off:p.end]
	seq := h.seq
	n := uint32(len(b))
	if a.flags&tcpAKeepAlive != 0 {
		if (f.mspSet && !seqLT(seq, f.mspStart) && seqLT(seq, f.mspEnd)) ||
			(f.pdu.active && !seqLT(seq, f.pdu.start) && seqLT(seq, f.pdu.next)) {
			c.rec.analysis |= tcpAReasmErr
		}
		return
	}
	pdu := &f.pdu
	if !pdu.active {
		c.tcpStartPDUs(f, h, b, 0)
		return
	}
	if seq != pdu.next {
		// A hole or an overlap: the PDU waits for its next segment (a
		// retransmission may still bring it), this one stands alone.
		c.tcpStartPDUs(f, h, b, 0)
		return
	}
	earlier := len(pdu.buf)
	if pdu.end == pdu.start {
		pdu.buf = append(pdu.buf, b...)
		l := pdu.app.pduLen(pdu.buf)
		switch {
		case l > 0:
			pdu.end = pdu.start + uint32(l)
		case l == 0 && h.flags&thFIN != 0:
			pdu.end = seq + n
		case l < 0:
			pdu.active = false
			c.st.putPDUBuf(f)
			c.tcpStartPDUs(f, h, b, 0)
			return
		}
		pdu.buf = pdu.buf[:earlier]
	}
	if pdu.end == pdu.start || seqLT(seq+n, pdu.end) {
		// In the middle of the PDU.
		if pdu.end == pdu.start {
			if pdu.app.partial != nil {
				if pdu.partialCarry == 0 {
					c.st.carries = append(c.st.carries, tcpMakeCarry(0, 0, pdu.buf[:pdu.app.keepLen(pdu.buf)]))
					pdu.partialCarry = uint32(len(c.st.carries))
				}
				c.rec.carry = pdu.partialCarry
			}
			pdu.buf = append(pdu.buf, b...)
		} else if len(pdu.buf) < tcpKeepDefault && len(pdu.buf) <= pdu.app.keepLen(pdu.buf) {
			pdu.buf = append(pdu.buf, b[:min(len(b), tcpKeepDefault-len(pdu.buf))]...)
		}
		pdu.next = seq + n
		c.rec.analysis |= tcpAMiddle
		return
	}
	// This segment completes the PDU.
	total := pdu.end - pdu.start
	k := pdu.end - seq
	had := len(pdu.buf)
	full := append(pdu.buf, b[:k]...)
	pdu.buf = full[:had] // keep the array append may have grown, for the next PDU
	keep := pdu.app.keepLen(full)
	keep = min(keep, had)
	c.st.carries = append(c.st.carries, tcpMakeCarry(total, k, pdu.buf[:keep]))
	c.rec.carry = uint32(len(c.st.carries))
	c.st.endPDU(f)
	if k < n {
		c.tcpStartPDUs(f, h, b[k:], seq+k)
	}
}

// tcpStartPDUs walks the PDUs that start in b (at absolute seq s, or the
// segment's seq when s is 0) and opens a reassembly for one that continues.
func (c *Ctx) tcpStartPDUs(f *tcpFlow, h *tcpHeader, b []byte, s uint32) {
	if s == 0 {
		s = h.seq
	}
	o := 0
	for o < len(b) {
		app := c.tcpFindApp(h, b[o:])
		if app == nil {
			return
		}
		l := app.pduLen(b[o:])
		if l > 0 && o+l <= len(b) {
			o += l
			continue
		}
		if l < 0 {
			return
		}
		pdu := &f.pdu
		pdu.active = true
		pdu.app = app
		pdu.start = s + uint32(o)
		pdu.end = pdu.start
		if l > 0 {
			pdu.end = pdu.start + uint32(l)
		}
		pdu.next = s + uint32(len(b))
		if pdu.buf == nil {
			pdu.buf = c.st.takePDUBuf()
		}
		pdu.buf = append(pdu.buf[:0], b[o:]...)
		if h.flags&thFIN != 0 && l == 0 {
			// A PDU delimited by the end of the connection ends here.
			pdu.active = false
			c.st.putPDUBuf(f)
		}
		return
	}
}

// tcpReassembled dissects the PDU completed by this segment from the carry
// and returns how many payload bytes it used.
func (c *Ctx) tcpReassembled(h *tcpHeader, p tvb, cr []byte) int {
	total := int(binary.BigEndian.Uint32(cr))
	k := int(binary.BigEndian.Uint32(cr[4:]))
	prefix := cr[tcpCarryHdr:]
	k = min(k, p.len())
	if c.tree {
		c.tcpSegmentData(p, 0)
		c.setLen(len(c.items)-1, k)
		i := c.addGen(fTCPReasmLen, Value{U: uint64(total)})
		c.labelf(i, "[Reassembled PDU length: %d]", total)
	}
	// The PDU: its carried start, zeros for what was not kept, and the
	// bytes of this segment that complete it.
	rt := c.extendZero(total)
	buf := c.data[rt.off:rt.end]
	copy(buf, prefix)
	copy(buf[total-k:], c.data[p.off:p.off+k])
	app := c.tcpFindApp(h, buf)
	saved := c.enter(h.outer)
	defer func() { c.parent = saved }()
	if app == nil {
		dissectData(c, rt)
		return k
	}
	c.tcpRunApp(app, rt)
	return k
}

// tcpNewPDUs dissects the PDUs starting at payload offset o.
func (c *Ctx) tcpNewPDUs(h *tcpHeader, p tvb, o int, inCall bool) {
	saved := c.enter(h.outer)
	defer func() { c.parent = saved }()
	n := p.len()
	b := c.data[p.off:p.end]
	app := c.tcpFindApp(h, b[o:])
	if app == nil {
		dissectData(c, p.sub(o))
		return
	}
	// Complete PDUs first, in one call (the application loops over them
	// when it dissects several at once), then the start of one that
	// continues.
	m := o
	for m < n {
		l := app.pduLen(b[m:])
		if l <= 0 || m+l > n {
			break
		}
		if !app.multi && m > o {
			break
		}
		m += l
	}
	if m > o {
		if app.multi {
			c.tcpRunApp(app, p.subLen(o, m-o))
		} else {
			for q := o; q < m; {
				l := app.pduLen(b[q:])
				c.tcpRunApp(app, p.subLen(q, l))
				q += l
			}
		}
		if m < n {
			c.tcpNewPDUs(h, p, m, app.multi)
		}
		return
	}
	l := app.pduLen(b[o:])
	if l < 0 {
		dissectData(c, p.sub(o))
		return
	}
	if l == 0 && h.flags&thFIN != 0 {
		// Delimited by the end of the connection: it ends here.
		c.tcpRunApp(app, p.sub(o))
		return
	}
	// A PDU that continues in later segments.
	if o == 0 {
		if app.partial != nil {
			app.partial(c, p)
		}
		c.setProto("TCP")
		c.parent = saved
		c.tcpSegmentData(p, 0)
		c.appendSepInfo(" ", tcpSegmentMarker)
		return
	}
	// After complete PDUs: the application sees the start of the next one
	// (TLS adds its tree item) but the protocol column stays its own.
	if app.partial != nil && !inCall {
		app.partial(c, p.sub(o))
	}
	c.parent = saved
	c.tcpSegmentData(p, o)
}

// enter makes parent the parent of the next items and returns the
// current one, to restore with c.parent = saved.
func (c *Ctx) enter(parent int) (saved int) {
	saved = c.parent
	c.parent = parent
	return saved
}

// tcpRunApp calls an application dissector on one or more complete PDUs.
func (c *Ctx) tcpRunApp(app *tcpApp, t tvb) {
	app.dissect(c, t)
}

// tcpCallApp dissects a payload that cannot be reassembled.
func (c *Ctx) tcpCallApp(p tvb, app *tcpApp) {
	if app == nil {
		dissectData(c, p)
		return
	}
	app.dissect(c, p)
}

// tcpSegmentData adds Wireshark's "TCP segment data" node for the payload
// from offset o.
func (c *Ctx) tcpSegmentData(p tvb, o int) {
	n := p.len() - o
	if n <= 0 {
		return
	}
	i := c.addB(fTCPSegData, p.off+o, n)
	if c.tree {
		c.labelf(i, "TCP segment data (%d byte%s)", n, tcpPlural(n))
	}
}

// appendSepInfo appends s to Info, after sep when Info is not empty
// (col_append_sep_str).
func (c *Ctx) appendSepInfo(sep, s string) {
	if len(c.info) > 0 {
		c.info = append(c.info, sep...)
	}
	c.info = append(c.info, s...)
}

func tcpPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func tcpMakeCarry(total, k uint32, prefix []byte) []byte {
	cr := make([]byte, tcpCarryHdr+len(prefix))
	binary.BigEndian.PutUint32(cr, total)
	binary.BigEndian.PutUint32(cr[4:], k)
	copy(cr[tcpCarryHdr:], prefix)
	return cr
}

// endPDU closes the flow's PDU after its last segment.
func (st *State) endPDU(f *tcpFlow) {
	pdu := &f.pdu
	f.mspStart, f.mspEnd, f.mspSet = pdu.start, pdu.end, true
	pdu.active = false
	pdu.partialCarry = 0
	st.putPDUBuf(f)
}

// Reassembly buffers go back to the State once their PDU is over: a
// capture has many connections, but few PDUs in reassembly at once, and
// fresh memory (page faults, clearing) is what reassembly cost most.
const (
	pduPoolMax    = 256     // buffers kept for reuse
	pduPoolBufMax = 1 << 16 // larger ones are left to the collector
)

// takePDUBuf returns an empty reassembly buffer, reused when one is free.
func (st *State) takePDUBuf() []byte {
	n := len(st.pduBufs)
	if n == 0 {
		return nil
	}
	b := st.pduBufs[n-1]
	st.pduBufs[n-1] = nil
	st.pduBufs = st.pduBufs[:n-1]
	return b
}

// putPDUBuf takes f's reassembly buffer back, its PDU being over.
func (st *State) putPDUBuf(f *tcpFlow) {
	b := f.pdu.buf
	f.pdu.buf = nil
	if b != nil && cap(b) <= pduPoolBufMax && len(st.pduBufs) < pduPoolMax {
		st.pduBufs = append(st.pduBufs, b[:0])
	}
}

// tcpFinOnly handles a FIN without data: it ends a PDU delimited by the
// end of the connection (an HTTP response without a length).
func (c *Ctx) tcpFinOnly(h *tcpHeader, a *tcpAnal, p tvb) {
	if h.flags&thFIN == 0 || a.st == nil {
		return
	}
	if c.first {
		f := &a.st.flows[a.dir]
		pdu := &f.pdu
		if pdu.active && pdu.end == pdu.start && h.seq == pdu.next && len(pdu.buf) > 0 {
			total := uint32(len(pdu.buf))
			pdu.end = pdu.start + total
			c.st.carries = append(c.st.carries, tcpMakeCarry(total, 0, pdu.buf[:pdu.app.keepLen(pdu.buf)]))
			c.rec.carry = uint32(len(c.st.carries))
			c.st.endPDU(f)
		}
	}
	if c.rec.carry != 0 && int(c.rec.carry) <= len(c.st.carries) {
		c.tcpReassembled(h, p, c.st.carries[c.rec.carry-1])
	}
}
