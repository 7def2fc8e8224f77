package dissect

// TCP sequence analysis, after Wireshark's tcp_analyze_sequence_number():
// the first, in-order pass keeps per-stream state and records what it found
// for each packet in pktState, so later dissections show the same.

// Analysis bits in pktState.analysis (bits 0-14 are Wireshark's TCP_A_*
// flags that show in Info, the rest is this dissector's bookkeeping).
const (
	tcpAReused uint32 = 1 << iota
	tcpARetrans
	tcpAFastRetrans
	tcpASpurious
	tcpAOOO
	tcpALost
	tcpAAckLost
	tcpAWinUpdate
	tcpAWinFull
	tcpAKeepAlive
	tcpAKeepAliveAck
	tcpADupAck
	tcpAZeroWinProbe
	tcpAZeroWin
	tcpAZeroWinProbeAck

	// tcpAMiddle: the whole payload belongs to a PDU that began in an
	// earlier segment and does not end here.
	tcpAMiddle
	// tcpAReasmErr: the payload overlaps a PDU already reassembled
	// (keep-alive bytes), which Wireshark reports as a reassembly error.
	tcpAReasmErr

	tcpAShown = 1<<15 - 1 // the flags that show in Info

	tcpCompShift  = 18 // 6 bits: conversation completeness before this packet
	tcpScaleShift = 24 // 5 bits: window scale + 2 (0: -2, 1: -1 unknown)
)

const (
	tcpCompSYN    = 1
	tcpCompSYNACK = 2
	tcpCompACK    = 4
	tcpCompData   = 8
	tcpCompFIN    = 16
	tcpCompRST    = 32
)

// tcpMaxUnacked caps the unacknowledged segments remembered per flow, as
// Wireshark's TCP_MAX_UNACKED_SEGMENTS does.
const tcpMaxUnacked = 10000

var (
	fTCPAnalysis       = &Field{Abbrev: "tcp.analysis", Name: "SEQ/ACK analysis", Type: FTNone}
	fTCPAnalysisFlags  = &Field{Abbrev: "tcp.analysis.flags", Name: "TCP Analysis Flags", Type: FTNone}
	fTCPDupAckNum      = &Field{Abbrev: "tcp.analysis.duplicate_ack_num", Name: "Duplicate ACK #", Type: FTUint, Bits: 32}
	fTCPDupAckFrame    = &Field{Abbrev: "tcp.analysis.duplicate_ack_frame", Name: "Duplicate to the ACK in frame", Type: FTFrameNum}
	fTCPRTOFrame       = &Field{Abbrev: "tcp.analysis.rto_frame", Name: "RTO based on delta from frame", Type: FTFrameNum}
	fTCPInitialRTT     = &Field{Abbrev: "tcp.analysis.initial_rtt", Name: "iRTT", Type: FTRelTime}
	fTCPAnalysisByFlag [15]*Field
)

// tcpAnalysisInfo are the Info prefixes and the expert fields of the flags,
// indexed by bit.
var tcpAnalysisInfo = [15]struct{ abbrev, name, info string }{
	{"tcp.analysis.reused_ports", "A new tcp session is started with the same ports as an earlier session in this trace", "[TCP Port numbers reused] "},
	{"tcp.analysis.retransmission", "This frame is a (suspected) retransmission", "[TCP Retransmission] "},
	{"tcp.analysis.fast_retransmission", "This frame is a (suspected) fast retransmission", "[TCP Fast Retransmission] "},
	{"tcp.analysis.spurious_retransmission", "This frame is a (suspected) spurious retransmission", "[TCP Spurious Retransmission] "},
	{"tcp.analysis.out_of_order", "This frame is a (suspected) out-of-order segment", "[TCP Out-Of-Order] "},
	{"tcp.analysis.lost_segment", "Previous segment(s) not captured (common at capture start)", "[TCP Previous segment not captured] "},
	{"tcp.analysis.ack_lost_segment", "ACKed segment that wasn't captured (common at capture start)", "[TCP ACKed unseen segment] "},
	{"tcp.analysis.window_update", "TCP window update", "[TCP Window Update] "},
	{"tcp.analysis.window_full", "TCP window specified by the receiver is now completely full", "[TCP Window Full] "},
	{"tcp.analysis.keep_alive", "TCP keep-alive segment", "[TCP Keep-Alive] "},
	{"tcp.analysis.keep_alive_ack", "ACK to a TCP keep-alive segment", "[TCP Keep-Alive ACK] "},
	{"tcp.analysis.duplicate_ack", "Duplicate ACK", ""},
	{"tcp.analysis.zero_window_probe", "TCP Zero Window Probe", "[TCP ZeroWindowProbe] "},
	{"tcp.analysis.zero_window", "TCP Zero Window segment", "[TCP ZeroWindow] "},
	{"tcp.analysis.zero_window_probe_ack", "ACK to a TCP Zero Window Probe", "[TCP ZeroWindowProbeAck] "},
}

func registerTCPAnalysisFields() {
	register(fTCPAnalysis, fTCPAnalysisFlags, fTCPDupAckNum, fTCPDupAckFrame, fTCPRTOFrame, fTCPInitialRTT)
	for i, a := range tcpAnalysisInfo {
		fTCPAnalysisByFlag[i] = &Field{Abbrev: a.abbrev, Name: a.name, Type: FTNone}
		register(fTCPAnalysisByFlag[i])
	}
}

// tcpKey identifies a connection independently of direction: endpoint a
// is the lower (address, port).
type tcpKey = flowKey

// tcpSeg is an unacknowledged segment.
type tcpSeg struct {
	frame, seq, nextseq uint32
}

// tcpPDU is a PDU being reassembled in one direction (first pass only).
type tcpPDU struct {
	active bool
	start  uint32 // absolute seq of its first byte
	end    uint32 // absolute seq after its last byte (== start: not known yet)
	next   uint32 // absolute seq expected next
	buf    []byte // its bytes so far (all while end is unknown, then what the app keeps)
	app    *tcpApp
	// partialCarry: carry index+1 of the PDU start, shared by its middle
	// segments while its length is unknown
	partialCarry uint32
}

// tcpFlow is one direction of a stream.
type tcpFlow struct {
	baseSeq      uint32
	baseSet      bool
	sawSyn       bool
	sentSyn      bool // sent a SYN without ACK (the client)
	winScale     int8 // -1 unknown, -2 not used, else the shift
	window       uint32
	nextseq      uint32
	nextseqFrame uint32
	nextseqTime  int64
	maxToBeAcked uint32
	lastack      uint32
	lastackTime  int64
	dupacknum    int32
	lastNonDup   uint32
	lastFlags    uint32
	segs         []tcpSeg
	pdu          tcpPDU
	// the last multi-segment PDU, for overlap (keep-alive) detection
	mspStart, mspEnd uint32
	mspSet           bool
}

// tcpStream is a TCP conversation.
type tcpStream struct {
	flows        [2]tcpFlow
	src          [16]byte // source of direction 0
	sport        uint16
	firstTS      int64
	synTS        int64
	irtt         int64
	irttFrame    uint32
	completeness uint8
	// TLS session version from the ServerHello, and the frame it came in
	tlsVer      uint16
	tlsVerFrame uint32
	// where each direction's ChangeCipherSpec was (frame, data offset):
	// handshake records after it are encrypted
	tlsCCSFrame [2]uint32
	tlsCCSOff   [2]int32
	// first frame with an HTTP message start
	httpFrame uint32
	// protocol the payload switches to from switchFrame on (STARTTLS)
	switchApp   *tcpApp
	switchFrame uint32
}

// tcpTable holds the TCP streams of a capture.
type tcpTable struct {
	byKey   flowMap // current stream index per connection
	streams []*tcpStream
}

func (t *tcpTable) init() {}

func makeTCPKey(ip *ipInfo, sport, dport uint16) tcpKey {
	if endpointAfter(&ip.src, sport, &ip.dst, dport) {
		return makeFlowKey(&ip.dst, dport, &ip.src, sport, 0)
	}
	return makeFlowKey(&ip.src, sport, &ip.dst, dport, 0)
}

func (t *tcpTable) newStream(k tcpKey, ip *ipInfo, sport uint16, ts int64) uint32 {
	s := &tcpStream{src: ip.src, sport: sport, firstTS: ts}
	s.flows[0].winScale, s.flows[1].winScale = -1, -1
	idx := uint32(len(t.streams))
	t.streams = append(t.streams, s)
	t.byKey.put(&k, idx)
	return idx
}

// tcpStreamFor returns the stream index of a segment (creating the stream
// on the first pass); used where the full analysis cannot run.
func (c *Ctx) tcpStreamFor(ip *ipInfo, h *tcpHeader, _ bool) uint32 {
	if !c.first {
		if c.rec.stream > 0 {
			return c.rec.stream - 1
		}
		return 0
	}
	tt := &c.st.tcp
	k := makeTCPKey(ip, h.sport, h.dport)
	idx, ok := tt.byKey.get(&k)
	if !ok {
		idx = tt.newStream(k, ip, h.sport, c.pkt.TS)
	}
	c.rec.stream = idx + 1
	return idx
}

// tcpAnal is what the analysis tells the rest of the dissector.
type tcpAnal struct {
	stream         uint32
	st             *tcpStream
	dir            int
	relSeq, relAck uint32
	ackBase        uint32 // base of the reverse direction (for SACK edges)
	win            uint32 // calculated window
	scale          int8
	flags          uint32
	completeness   uint8
	dupNum         uint32
	ref            uint32
}

// tcpAnalyze runs (first pass) or replays the stream and sequence analysis.
func (c *Ctx) tcpAnalyze(ip *ipInfo, h *tcpHeader) tcpAnal {
	var a tcpAnal
	tt := &c.st.tcp
	if c.first {
		k := makeTCPKey(ip, h.sport, h.dport)
		idx, ok := tt.byKey.get(&k)
		if !ok {
			idx = tt.newStream(k, ip, h.sport, c.pkt.TS)
		}
		st := tt.streams[idx]
		dir := 0
		if st.src != ip.src || st.sport != h.sport {
			dir = 1
		}
		var flags uint32
		fwd := &st.flows[dir]
		if h.flags&(thSYN|thACK) == thSYN && fwd.baseSet && h.seq != fwd.baseSeq {
			// A new connection on the same ports (Wireshark's port reuse).
			idx = tt.newStream(k, ip, h.sport, c.pkt.TS)
			st, dir = tt.streams[idx], 0
			flags |= tcpAReused
		} else if h.flags&(thSYN|thACK) == thSYN|thACK && fwd.baseSet && h.seq != fwd.baseSeq {
			flags |= tcpAReused
		}
		fwd, rev := &st.flows[dir], &st.flows[1-dir]
		a.completeness = st.completeness
		switch {
		case h.flags&(thSYN|thACK) == thSYN:
			st.completeness |= tcpCompSYN
			st.synTS = c.pkt.TS
		case h.flags&(thSYN|thACK) == thSYN|thACK:
			st.completeness |= tcpCompSYNACK
		case h.flags&thACK != 0 && st.completeness&(tcpCompSYN|tcpCompSYNACK) == tcpCompSYN|tcpCompSYNACK:
			st.completeness |= tcpCompACK
		}
		if h.seglen > 0 {
			st.completeness |= tcpCompData
		}
		if h.flags&thFIN != 0 {
			st.completeness |= tcpCompFIN
		}
		if h.flags&thRST != 0 {
			st.completeness |= tcpCompRST
		}
		// The window of this segment is scaled by what is known now.
		a.scale = fwd.winScale
		if h.flags&(thSYN|thACK) == thACK && st.irtt == 0 && fwd.sentSyn && rev.sawSyn {
			st.irtt = c.pkt.TS - st.synTS
			st.irttFrame = uint32(c.pkt.Num)
		}
		flags, a.dupNum, a.ref = tcpAnalyzeSeq(fwd, rev, h, flags, st, uint32(c.pkt.Num), c.pkt.TS)
		if h.flags&thSYN != 0 {
			if h.hasWS {
				fwd.winScale = int8(min(h.wsShift, 14))
			}
			// verify_tcp_window_scaling
			if fwd.winScale == -1 {
				fwd.winScale, rev.winScale = -2, -2
			} else if h.flags&thACK != 0 && rev.winScale == -2 {
				fwd.winScale = -2
			}
		}
		a.flags = flags
		a.stream, a.st, a.dir = idx, st, dir
		c.rec.stream = idx + 1
		c.rec.analysis = flags&^(0x3f<<tcpCompShift|0x1f<<tcpScaleShift) |
			uint32(a.completeness)<<tcpCompShift | uint32(a.scale+2)<<tcpScaleShift
		c.rec.ref = a.ref
		c.rec.count = uint16(min(a.dupNum, 0xffff))
	} else {
		if c.rec.stream == 0 || int(c.rec.stream) > len(tt.streams) {
			// Not seen on a first pass (a stray packet): show it raw.
			a.scale = -1
			a.relSeq, a.relAck, a.win = h.seq, h.ack, uint32(h.win)
			return a
		}
		a.stream = c.rec.stream - 1
		a.st = tt.streams[a.stream]
		if a.st.src != ip.src || a.st.sport != h.sport {
			a.dir = 1
		}
		r := c.rec.analysis
		a.flags = r &^ (0x3f<<tcpCompShift | 0x1f<<tcpScaleShift)
		a.completeness = uint8(r >> tcpCompShift & 0x3f)
		a.scale = int8(r>>tcpScaleShift&0x1f) - 2
		a.ref = c.rec.ref
		a.dupNum = uint32(c.rec.count)
	}
	fwd, rev := &a.st.flows[a.dir], &a.st.flows[1-a.dir]
	a.relSeq = h.seq - fwd.baseSeq
	a.ackBase = rev.baseSeq
	if h.flags&thACK != 0 {
		a.relAck = h.ack - rev.baseSeq
	}
	a.win = uint32(h.win)
	if h.flags&thSYN == 0 && a.scale >= 0 {
		a.win <<= uint(a.scale)
	}
	return a
}

// seq comparisons with wrap-around
func seqGT(a, b uint32) bool { return int32(a-b) > 0 }
func seqLT(a, b uint32) bool { return int32(a-b) < 0 }
func seqLE(a, b uint32) bool { return int32(a-b) <= 0 }

// tcpAnalyzeSeq is tcp_analyze_sequence_number(): it updates the flows
// and returns the analysis flags, the duplicate ACK number and the frame
// it refers to.
func tcpAnalyzeSeq(fwd, rev *tcpFlow, h *tcpHeader, flags uint32, st *tcpStream, num uint32, ts int64) (uint32, uint32, uint32) {
	seq, ack := h.seq, h.ack
	seglen := uint32(h.seglen)
	window := uint32(h.win)
	fl := h.flags
	var dupNum, ref uint32

	if !fwd.baseSet {
		if fl&thSYN != 0 {
			fwd.baseSeq = seq
			fwd.sawSyn = true
		} else {
			fwd.baseSeq = seq - 1
		}
		fwd.baseSet = true
	}
	if fl&thSYN != 0 {
		fwd.sawSyn = true
		if fl&thACK == 0 {
			fwd.sentSyn = true
		}
	}
	if !rev.baseSet && fl&thACK != 0 {
		rev.baseSeq = ack - 1
		rev.baseSet = true
	}

	// ZERO WINDOW PROBE
	if seglen == 1 && seq == fwd.nextseq && rev.window == 0 {
		flags |= tcpAZeroWinProbe
		goto finishedFwd
	}
	// ZERO WINDOW
	if window == 0 && fl&(thRST|thFIN|thSYN) == 0 {
		flags |= tcpAZeroWin
	}
	// LOST PACKET
	if fwd.nextseq != 0 && seqGT(seq, fwd.nextseq) && fl&thRST == 0 {
		flags |= tcpALost
	}
	// KEEP ALIVE
	if seglen <= 1 && seq == fwd.nextseq-1 && fl&(thSYN|thFIN|thRST) == 0 {
		flags |= tcpAKeepAlive
	}
	// WINDOW UPDATE
	if seglen == 0 && window != 0 && window != fwd.window && seq == fwd.nextseq && ack == fwd.lastack && fl&(thSYN|thFIN|thRST) == 0 {
		flags |= tcpAWinUpdate
	}
	// WINDOW FULL
	if seglen > 0 && rev.winScale != -1 && fl&(thSYN|thFIN|thRST) == 0 {
		sh := uint(0)
		if rev.winScale > 0 {
			sh = uint(rev.winScale)
		}
		if seq+seglen == rev.lastack+rev.window<<sh {
			flags |= tcpAWinFull
		}
	}
	// KEEP ALIVE ACK
	if seglen == 0 && window != 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastack &&
		rev.lastFlags&tcpAKeepAlive != 0 && fl&(thSYN|thFIN|thRST) == 0 {
		flags |= tcpAKeepAliveAck
		goto finishedFwd
	}
	// ZERO WINDOW PROBE ACK
	if seglen == 0 && window == 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastack &&
		rev.lastFlags&tcpAZeroWinProbe != 0 && fl&(thSYN|thFIN|thRST) == 0 {
		flags |= tcpAZeroWinProbeAck
		goto finishedFwd
	}
	// DUPLICATE ACK
	if seglen == 0 && window != 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastack &&
		fl&(thSYN|thFIN|thRST) == 0 {
		if fwd.dupacknum == -1 {
			// neutralise a "TCP ACKed unseen segment"
			fwd.dupacknum = 1
		} else {
			fwd.dupacknum++
		}
		flags |= tcpADupAck
		dupNum = uint32(fwd.dupacknum)
		ref = fwd.lastNonDup
	}

finishedFwd:
	// A new ACK number resets the duplicate ACK count.
	if ack != fwd.lastack {
		fwd.lastNonDup = num
		fwd.dupacknum = 0
	}

	// ACKED LOST PACKET
	if rev.maxToBeAcked != 0 && seqGT(ack, rev.maxToBeAcked) && fl&thACK != 0 {
		if seqGT(rev.maxToBeAcked, rev.nextseq) {
			rev.maxToBeAcked = rev.nextseq
			flags |= tcpAAckLost
		} else {
			// Report a lost segment once even when the other side only
			// sends pure ACKs.
			if rev.dupacknum == 0 {
				flags |= tcpAAckLost
			}
			rev.dupacknum = -1
		}
	}

	// RETRANSMISSION / FAST RETRANSMISSION / OUT-OF-ORDER / SPURIOUS
	if seglen > 0 || fl&(thSYN|thFIN) != 0 {
		notAdvanced := fwd.nextseq != 0 && seqLT(seq, fwd.nextseq)
		if flags&tcpAKeepAlive != 0 {
			goto finishedRetrans
		}
		if seglen > 1 && fwd.nextseq-1 == seq {
			notAdvanced = false
		}
		if notAdvanced && rev.dupacknum >= 2 && rev.lastack == seq && ts-rev.lastackTime < 20000000 {
			flags |= tcpAFastRetrans
			goto finishedRetrans
		}
		thres := int64(3000000)
		if st.irtt != 0 {
			thres = st.irtt
		}
		extra := uint32(0)
		if fl&(thSYN|thFIN) != 0 {
			extra = 1
		}
		if notAdvanced && ts-fwd.nextseqTime < thres && fwd.nextseq != seq+seglen+extra {
			flags |= tcpAOOO
			goto finishedRetrans
		}
		if seglen > 0 && rev.lastack != 0 && seqLE(seq+seglen, rev.lastack) {
			flags |= tcpASpurious
			goto finishedRetrans
		}
		if notAdvanced {
			flags |= tcpARetrans
			ref = fwd.nextseqFrame
			if len(fwd.segs) > 0 {
				// the eldest unacked segment is the likely original
				ref = fwd.segs[0].frame
			}
		}
	}

finishedRetrans:
	nextseq := seq + seglen
	if (seglen > 0 || fl&(thSYN|thFIN) != 0) && len(fwd.segs) < tcpMaxUnacked {
		if fl&(thSYN|thFIN) != 0 {
			nextseq++
		}
		fwd.segs = append(fwd.segs, tcpSeg{frame: num, seq: seq, nextseq: nextseq})
	}
	if seqGT(nextseq, fwd.nextseq) || fwd.nextseq == 0 {
		if flags&tcpAZeroWinProbe == 0 {
			fwd.nextseq = nextseq
			fwd.nextseqFrame = num
			fwd.nextseqTime = ts
		}
	}
	if seq == fwd.maxToBeAcked || fwd.maxToBeAcked == 0 {
		if flags&tcpAZeroWinProbe == 0 {
			fwd.maxToBeAcked = fwd.nextseq
		}
	}
	fwd.window = window
	fwd.lastack = ack
	fwd.lastackTime = ts
	fwd.lastFlags = flags & tcpAShown

	// Forget the segments this ACKs.
	if fl&thACK != 0 {
		out := rev.segs[:0]
		for _, s := range rev.segs {
			switch {
			case ack == s.nextseq:
				continue
			case seqGT(ack, s.seq) && seqLE(ack, s.nextseq):
				s.seq = ack
			case seqGT(s.nextseq, ack):
			default:
				continue
			}
			out = append(out, s)
		}
		rev.segs = out
		if len(out) == 0 && cap(out) > 64 {
			rev.segs = nil
		}
	}
	return flags, dupNum, ref
}

// tcpAnalysisPrefix puts the analysis flags in front of Info, as
// Wireshark's col_prepend_fence_fstr calls do (the last prepended first).
func (c *Ctx) tcpAnalysisPrefix(a *tcpAnal) {
	start := len(c.info)
	// Build the prefix at the end of Info, in display order, then rotate it
	// to the fence.
	for i := 14; i >= 0; i-- {
		bit := uint32(1) << uint(i)
		if a.flags&bit == 0 {
			continue
		}
		if bit == tcpADupAck {
			c.info = append(c.info, "[TCP Dup ACK "...)
			c.info = appendUint(c.info, uint64(a.ref))
			c.info = append(c.info, '#')
			c.info = appendUint(c.info, uint64(a.dupNum))
			c.info = append(c.info, "] "...)
			continue
		}
		c.info = append(c.info, tcpAnalysisInfo[i].info...)
	}
	n := len(c.info) - start
	if n == 0 {
		return
	}
	tcpRotate(c.info[c.fence:], n)
	c.fence += n
}

// rotateRight rotates b right by n bytes in place.
func tcpRotate(b []byte, n int) {
	tcpReverse(b)
	tcpReverse(b[:n])
	tcpReverse(b[n:])
}

func tcpReverse(b []byte) {
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
}

// tcpAnalysisTree adds the [Timestamps] and [SEQ/ACK analysis] subtrees.
func (c *Ctx) tcpAnalysisTree(a *tcpAnal, top int) {
	if a.st == nil {
		return
	}
	if c.tree {
		ts := c.pushLabel(0, 0, "[Timestamps]")
		i := c.addGen(fTCPTimeRel, Value{U: uint64(c.pkt.TS - a.st.firstTS)})
		c.labelf(i, "[Time since first frame in this TCP stream: %s seconds]", appendSeconds(nil, c.pkt.TS-a.st.firstTS))
		c.pop(ts)
	}
	irtt := a.st.irtt != 0 && uint32(c.pkt.Num) >= a.st.irttFrame
	show := a.flags&tcpAShown != 0 || irtt
	if !show || !(c.tree || c.wants(fTCPAnalysis) || c.wants(fTCPAnalysisFlags) || c.want != nil) {
		return
	}
	an := c.add(fTCPAnalysis, 0, 0, Value{})
	if an >= 0 {
		c.items[an].Gen = true
		c.label(an, "[SEQ/ACK analysis]")
	}
	saved := c.parent
	if an >= 0 {
		c.parent = an
	}
	if irtt {
		i := c.addGen(fTCPInitialRTT, Value{U: uint64(a.st.irtt)})
		if c.tree {
			c.labelf(i, "[iRTT: %s seconds]", appendSeconds(nil, a.st.irtt))
		}
	}
	if a.flags&tcpAShown != 0 {
		fi := c.add(fTCPAnalysisFlags, 0, 0, Value{})
		if fi >= 0 {
			c.items[fi].Gen = true
			c.label(fi, "[TCP Analysis Flags]")
		}
		p := c.parent
		if fi >= 0 {
			c.parent = fi
		}
		for i := 0; i < 15; i++ {
			if a.flags&(1<<uint(i)) == 0 {
				continue
			}
			x := c.add(fTCPAnalysisByFlag[i], 0, 0, Value{})
			if x >= 0 {
				c.items[x].Gen = true
				if c.tree {
					if uint32(1)<<uint(i) == tcpADupAck {
						c.label(x, "[This is a TCP duplicate ack]")
					} else {
						c.label(x, "["+tcpAnalysisInfo[i].name+"]")
					}
				}
			}
			if bit := uint32(1) << uint(i); bit&(tcpAFastRetrans|tcpASpurious) != 0 && a.flags&tcpARetrans == 0 {
				// Wireshark adds the plain retransmission item after a fast
				// or spurious one, so tcp.analysis.retransmission matches
				// every kind.
				x := c.add(fTCPAnalysisByFlag[1], 0, 0, Value{})
				if x >= 0 {
					c.items[x].Gen = true
					if c.tree {
						c.label(x, "["+tcpAnalysisInfo[1].name+"]")
					}
				}
			}
			if uint32(1)<<uint(i) == tcpARetrans && a.ref != 0 {
				y := c.addGen(fTCPRTOFrame, Value{U: uint64(a.ref)})
				if c.tree {
					c.labelf(y, "[RTO based on delta from frame: %d]", a.ref)
				}
			}
		}
		c.parent = p
		if a.flags&tcpADupAck != 0 {
			y := c.addGen(fTCPDupAckNum, Value{U: uint64(a.dupNum)})
			if c.tree {
				c.labelf(y, "[Duplicate ACK #: %d]", a.dupNum)
			}
			y = c.addGen(fTCPDupAckFrame, Value{U: uint64(a.ref)})
			if c.tree {
				c.labelf(y, "[Duplicate to the ACK in frame: %d]", a.ref)
			}
		}
	}
	c.parent = saved
}
