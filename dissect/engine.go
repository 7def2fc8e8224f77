package dissect

import (
	"sync"
	"sync/atomic"
)

// Packet is one frame handed to a Dissector: its bytes and what the capture
// file says about it.
type Packet struct {
	Num      int    // 1-based frame number
	Data     []byte // captured bytes
	OrigLen  int    // length on the wire
	LinkType uint16 // LINKTYPE_ value of its interface
	Iface    int    // interface index (-1 for none)
	// PcapNG says the file is pcapng, whose records name their interface;
	// pcap records have none, so tshark shows no frame.interface_id.
	PcapNG  bool
	HasTime bool
	// TS is the arrival time in ns since the epoch. For times past the year
	// 2262 (pcapng allows them, and some files have them) it wraps, which
	// keeps differences between packets exact; Sec and Nsec hold the
	// exact time for display.
	TS       int64
	Sec      int64 // exact arrival time: seconds since the epoch
	Nsec     int32 // and nanoseconds
	FirstTS  int64 // TS of the first packet, for frame.time_relative
	PrevTS   int64 // TS of the previous packet, for frame.time_delta
	Custom   bool  // a pcapng custom block listed as a frame, as tshark does
	Comments []string
}

// pktState is what the first, sequential pass remembers about one packet so
// that any later dissection of it (tree, filter, table row) shows the same
// as the first one, as Wireshark's per-frame data does. Keep it small: one
// exists per packet.
type pktState struct {
	stream   uint32 // tcp.stream + 1 (0: not TCP)
	analysis uint32 // tcpA* bits
	ref      uint32 // frame number this one refers to (dup ACK of, request in)
	count    uint16 // a count that goes with ref (dup ACK #n)
	carry    uint32 // index+1 in State.carries: PDU bytes carried in from earlier segments
}

const stateChunkBits = 16

// State is what dissection learns across packets of one capture (TCP
// streams, request/response matching, reassembly). Packets must be dissected
// for the first time in frame order; afterwards any packet may be dissected
// again, concurrently, and gets the same result.
type State struct {
	mu sync.RWMutex
	// done: frames 1..done have had their first pass. Written under the
	// write lock, read atomically so the first pass need not take the
	// read lock before the write lock for every packet.
	done   atomic.Int64
	chunks []*[1 << stateChunkBits]pktState

	tcp     tcpTable
	icmp    icmpTable
	frag    fragTable // IP reassembly (ipfrag.go)
	carries [][]byte  // PDU-start bytes carried across TCP segments
	pduBufs [][]byte  // free TCP reassembly buffers (State.takePDUBuf)
	udp     udpTable  // UDP conversations (udp.go)
	dns     dnsTable  // DNS request/response matching (dns.go)

	// partial: the State sees only some conversations' packets (see
	// NewPartialState) and keeps the record of its latest frame only.
	partial bool
	lastNum int
	last    pktState
}

// NewState returns an empty per-capture state.
func NewState() *State {
	s := &State{}
	s.tcp.init()
	s.icmp.init()
	return s
}

// NewPartialState returns a State for the packets of some of a capture's
// conversations only: those whose ConversationKey falls in one shard. It
// lets several States dissect one capture in parallel, each in frame order,
// with the same results as one State would give, except for Global fields
// (stream indexes count only the State's own conversations). A packet's
// first dissection is its first pass when its number is above every number
// the State has seen.
//
// A partial State is for one goroutine, and it streams: it keeps what
// later packets need (streams, reassembly, transactions) but the
// per-packet record of its latest frame only, so a packet can be dissected
// again only until the State's next first pass, as the command line does
// to print a packet that matched. (Records are 20 bytes a packet that a
// file read never looks at again, and fresh memory is what the first pass
// pays most for.)
func NewPartialState() *State {
	s := NewState()
	s.partial = true
	return s
}

// Done returns how many frames have had their first pass (for a partial
// State, the highest frame number it has seen).
func (s *State) Done() int {
	if s.partial {
		return s.lastNum
	}
	return int(s.done.Load())
}

// firstRec returns the record of frame num, cleared, for its first pass.
func (s *State) firstRec(num int) *pktState {
	if s.partial {
		s.lastNum, s.last = num, pktState{}
		return &s.last
	}
	r := s.rec(num)
	*r = pktState{}
	return r
}

// findRec returns the record of frame num (which has had its first pass),
// or nil when a partial State does not have it (any more).
func (s *State) findRec(num int) *pktState {
	if !s.partial {
		return s.rec(num)
	}
	if num == s.lastNum {
		return &s.last
	}
	return nil
}

func (s *State) rec(num int) *pktState {
	i := num - 1
	ci := i >> stateChunkBits
	for ci >= len(s.chunks) {
		s.chunks = append(s.chunks, new([1 << stateChunkBits]pktState))
	}
	return &s.chunks[ci][i&(1<<stateChunkBits-1)]
}

// Summary holds a packet's summary columns. Its byte slices are owned by
// the Dissector and valid until its next call.
type Summary struct {
	Protocol  []byte
	Info      []byte
	Src, Dst  []byte
	Protocols []byte // frame.protocols
	Malformed bool   // [Malformed Packet] or a bounds error was raised
	Short     bool   // the capture was cut by the snapshot length where it mattered
}

// Dissector dissects packets against a State. A Dissector is not safe for
// concurrent use; create one per goroutine (they may share the State).
type Dissector struct {
	st *State
	c  Ctx
	// pkt is a copy of the packet being dissected: Ctx points here rather
	// than at the caller's Packet, so callers' Packets stay on their stack
	// (no allocation per packet on the summary path).
	pkt Packet
	// NoRecover lets panics other than the bounds errors that mark a
	// packet malformed through, instead of turning them into [Malformed
	// Packet]; fuzz tests set it to find real bugs.
	NoRecover bool
}

// NewDissector returns a Dissector using st (nil for a fresh State).
func NewDissector(st *State) *Dissector {
	if st == nil {
		st = NewState()
	}
	return &Dissector{st: st}
}

// State returns the dissector's capture state.
func (d *Dissector) State() *State { return d.st }

// Summary dissects p on the fast path (no tree) and returns its columns.
func (d *Dissector) Summary(p *Packet) Summary {
	d.run(p, false, nil, false)
	return d.summary()
}

// Index gives p its first pass, as Summary would, but without building
// the summary columns, which makes it cheaper: for callers that dissect
// every packet in frame order only so that the State knows them (the
// window's loader, which shows rows later through Summary). A packet that
// has had its first pass already is left alone.
func (d *Dissector) Index(p *Packet) {
	if p.Num <= d.st.Done() {
		return
	}
	d.run(p, false, nil, true)
}

// Fields dissects p recording only the items of fields whose IDs are true in
// want (indexed by Field.ID), for `-T fields` and display filters. The items
// are valid until the next call.
func (d *Dissector) Fields(p *Packet, want []bool) ([]Item, Summary) {
	d.run(p, false, want, false)
	return d.c.items, d.summary()
}

// Items is Fields without the summary columns (cheaper, as Index is):
// for a display filter's pass, which needs the columns only of the
// packets that match (get them with Summary, which then dissects the
// packet again from what its first pass recorded). The items are valid
// until the next call.
func (d *Dissector) Items(p *Packet, want []bool) []Item {
	d.run(p, false, want, true)
	return d.c.items
}

// Tree dissects p fully and returns its protocol tree and summary.
func (d *Dissector) Tree(p *Packet) (*Tree, Summary) {
	d.run(p, true, nil, false)
	t := buildTree(&d.c)
	return t, d.summary()
}

func (d *Dissector) summary() Summary {
	c := &d.c
	s := Summary{Info: c.info, Src: c.src, Dst: c.dst, Protocols: c.protos, Malformed: c.malformed, Short: c.short}
	if c.proto != "" {
		s.Protocol = append(c.protoB[:0], c.proto...)
		c.protoB = s.Protocol
	} else {
		s.Protocol = c.protoB
	}
	return s
}

func (d *Dissector) run(p *Packet, tree bool, want []bool, noCols bool) {
	st := d.st
	first := false
	switch next := st.done.Load() + 1; {
	case st.partial:
		// Only its own goroutine uses a partial State: no lock, and no
		// atomic store (a full barrier, 5% of a sharded read) either:
		// firstRec advances lastNum, its Done.
		first = p.Num > st.lastNum
	case int64(p.Num) == next:
		st.mu.Lock()
		defer st.mu.Unlock()
		if first = st.done.Load()+1 == next; first {
			st.done.Store(int64(p.Num))
		}
	default:
		// (If the first pass reaches this packet meanwhile, it is simply
		// dissected as one outside the sequence, as it would have been
		// a moment earlier.)
		st.mu.RLock()
		defer st.mu.RUnlock()
	}
	c := &d.c
	d.pkt = *p
	*c = Ctx{
		data: d.pkt.Data, pkt: &d.pkt, st: st, tree: tree, want: want, parent: -1, noCols: noCols,
		items: c.items[:0], info: c.info[:0], src: c.src[:0], dst: c.dst[:0],
		protos: c.protos[:0], protoB: c.protoB[:0], scratch: c.scratch[:0], ext: c.ext[:0],
	}
	switch {
	case first:
		c.rec = st.firstRec(p.Num)
	case p.Num >= 1 && p.Num <= st.Done():
		c.rec = st.findRec(p.Num)
	}
	if c.rec == nil {
		c.rec = new(pktState) // a packet outside the capture's sequence
	}
	c.first = first
	d.dissectFrame()
}

// dissectFrame runs the frame layer and the link layer, turning a bounds
// error into [Malformed Packet] or [Packet size limited during capture].
func (d *Dissector) dissectFrame() {
	c := &d.c
	fr := frameTop(c)
	link := tvb{off: 0, end: len(c.data), rep: max(c.pkt.OrigLen, len(c.data))}
	func() {
		defer func() {
			if r := recover(); r != nil {
				be, ok := r.(boundsErr)
				if !ok {
					if d.NoRecover {
						panic(r) // a real bug: let the fuzzer see it
					}
					// A bug in a dissector: show it as malformed rather
					// than take the whole application down.
					be = boundsErr{}
					c.parent = -1
					c.text(0, 0, "[Dissector bug: %v]", r)
				}
				c.raise(be)
			}
		}()
		dissectLink(c, link)
	}()
	if c.frameLen > 0 {
		c.data = c.data[:c.frameLen] // drop reassembled data (see extend)
	}
	frameBottom(c, fr)
}

// raise records a bounds error the way Wireshark's exception handler does.
func (c *Ctx) raise(be boundsErr) {
	c.parent = -1
	if be.short {
		c.short = true
		c.appendInfo("[Packet size limited during capture]")
		c.text(0, 0, "[Packet size limited during capture: %s truncated]", c.lastProto())
		return
	}
	c.markMalformed()
}

// markMalformed adds Wireshark's [Malformed Packet] marker.
func (c *Ctx) markMalformed() {
	if c.malformed {
		return
	}
	c.malformed = true
	c.appendInfo("[Malformed Packet]")
	if c.wants(fMalformed) {
		i := c.addItem(Item{Field: fMalformed, Parent: -1})
		c.labelf(i, "[Malformed Packet: %s]", c.lastProto())
	}
}

// lastProto returns the name of the innermost protocol dissected so far.
func (c *Ctx) lastProto() string {
	p := c.protos
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == ':' {
			return string(p[i+1:])
		}
	}
	return string(p)
}

var fMalformed = &Field{Abbrev: "_ws.malformed", Name: "Malformed Packet", Type: FTProtocol}

func init() { register(fMalformed) }
