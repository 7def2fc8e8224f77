package dissect

import (
	"encoding/binary"
	"fmt"
)

// Value is a field's value. Which member is meaningful depends on the
// field's type: U for integers, booleans, IPv4 addresses and times; B for
// bytes, strings, IPv6 and MAC addresses (a view into the packet or into the
// dissector's scratch space, valid until the next packet).
//
// A protocol's value (FTProtocol), as Wireshark's, is the data of its
// layer from its first byte to the layer's end, payload included: that is
// what `contains` and `matches` search. When U is non-zero, U-1 is the
// length Wireshark gives the value for len() and slices (the header's, as
// len(ip) == 20); U == 0 means all of B (len(tcp) is the whole segment).
// A protocol item whose B is nil has the bytes it spans as its value.
type Value struct {
	U uint64
	B []byte
}

// Item is one dissected field occurrence: the flat form of a tree node.
// Parent is the index of the enclosing item (-1 for top level).
type Item struct {
	Field  *Field
	Off    int // byte offset in the frame
	Len    int // byte length (0 for generated fields)
	Parent int
	Val    Value
	// Label is the node's display text when set by the dissector; otherwise
	// it is derived from Field and Val. Only filled when building a tree.
	Label string
	Gen   bool // generated ("[...]") field, not read from the bytes
}

// bounds errors are raised (panicked) by the accessors and recovered at the
// dissection entry, like Wireshark's exceptions: short means the captured
// data ended before the reported length (snaplen), malformed that even the
// reported length is too short.
type boundsErr struct {
	short bool
}

func (e boundsErr) Error() string {
	if e.short {
		return "packet size limited during capture"
	}
	return "malformed packet"
}

// tvb is a view of one layer's bytes within the frame: captured bytes are
// [off, end) of Ctx.data and the layer claims rep bytes from off (rep ≥
// end-off when the capture was cut by the snaplen).
type tvb struct {
	off, end, rep int
}

// len returns the captured length of the view.
func (t tvb) len() int { return t.end - t.off }

// sub returns the view from relative offset i to its end.
func (t tvb) sub(i int) tvb {
	s := tvb{off: t.off + i, end: t.end, rep: t.rep - i}
	if s.off > s.end {
		s.off = s.end
	}
	if s.rep < 0 {
		s.rep = 0
	}
	return s
}

// subLen returns the view [i, i+n) (reported length n), clipped to captured data.
func (t tvb) subLen(i, n int) tvb {
	s := tvb{off: t.off + i, end: t.off + i + n, rep: n}
	if s.end > t.end {
		s.end = t.end
	}
	if s.off > s.end {
		s.off = s.end
	}
	return s
}

// Ctx carries one packet through the dissectors. It is reused from packet
// to packet, so in steady state a dissection allocates nothing.
type Ctx struct {
	data   []byte
	pkt    *Packet
	st     *State
	rec    *pktState // this packet's record in st
	first  bool      // first, in-order pass over this packet: may update st
	tree   bool      // build every item with labels
	want   []bool    // by field ID: record items of these fields (fast path)
	items  []Item
	parent int

	// summary columns
	proto   string
	protoB  []byte // used when proto is computed (e.g. "0x86dd")
	info    []byte
	src     []byte
	dst     []byte
	protos  []byte // frame.protocols
	scratch []byte // stable storage for values that are not in data

	// Network and transport context for upper layers (the innermost IP
	// header seen and the current transport ports).
	ip           ipInfo
	sport, dport uint16
	// udpConv is the index+1 in State.udp of the conversation of the
	// innermost UDP header (0: none), so that the protocols it carries
	// need not look it up again.
	udpConv uint32

	// inErr is set while dissecting the original datagram carried in an
	// ICMP error (Wireshark's pinfo->flags.in_error_pkt): checksums are not
	// verified and conversation state should not be updated.
	inErr bool

	// frameLen is the frame's length once extend has appended reassembled
	// data after it (0 otherwise).
	frameLen int
	// ext is extend's buffer, kept across packets on the fast path (no
	// tree) so reassembly does not allocate per packet; trees get a buffer
	// of their own, as they may outlive the next call.
	ext []byte

	// noCols: the caller does not want the summary columns (Index), so
	// the busiest dissectors skip formatting Info, Source and Destination;
	// their content is then unspecified. Nothing else may depend on it:
	// state, items and Protocol are the same either way.
	noCols bool

	malformed bool // a [Malformed Packet] was raised
	short     bool // a [Packet size limited during capture] was raised
	fence     int  // Info is protected up to here (col_set_fence)
}

// Tree reports whether a full tree is being built; dissectors use it to skip
// formatting labels on the fast path (Wireshark's `if (tree)`).
func (c *Ctx) Tree() bool { return c.tree }

// wants reports whether items of f must be recorded.
func (c *Ctx) wants(f *Field) bool {
	return c.tree || (c.want != nil && c.want[f.id])
}

// push adds a subtree item and makes it the current parent. It returns the
// item index, or -1 when the item is not recorded; pass the result to pop.
func (c *Ctx) push(f *Field, off, n int) int {
	c.appendProto(f)
	if !c.wants(f) {
		return -2 - c.parent // remember the parent to restore
	}
	i := c.add(f, off, n, Value{})
	c.parent = i
	return i
}

// pushT is push for a protocol whose filter value, as in Wireshark, is
// its layer's data: `tcp contains "GET"` searches the whole segment. The
// item covers [t.off, t.off+n) in the tree; n < 0 means all of t. See
// Value for how the value's length is kept.
func (c *Ctx) pushT(f *Field, t tvb, n int) int {
	span := n
	if n < 0 {
		span = t.len()
	}
	i := c.push(f, t.off, span)
	if i >= 0 {
		c.items[i].Val = protoValue(c.data, t, n)
	}
	return i
}

// protoValue is the Value of a protocol item over t (see Value).
func protoValue(data []byte, t tvb, n int) Value {
	end := min(t.end, len(data))
	off := min(t.off, end)
	v := Value{B: data[off:end:end]}
	if n >= 0 {
		v.U = uint64(n) + 1
	}
	return v
}

// pushLabel is push for label-only subtrees (FTNone), recorded only in trees.
func (c *Ctx) pushLabel(off, n int, label string) int {
	if !c.tree {
		return -2 - c.parent
	}
	i := c.addItem(Item{Field: labelField, Off: off, Len: n, Parent: c.parent, Label: label})
	c.parent = i
	return i
}

// pop ends the subtree opened by push (idx is push's result).
func (c *Ctx) pop(idx int) {
	if idx < 0 {
		c.parent = -2 - idx
		return
	}
	c.parent = c.items[idx].Parent
}

func (c *Ctx) appendProto(f *Field) {
	if f.Type != FTProtocol || f == fFrame {
		return
	}
	if len(c.protos) > 0 {
		c.protos = append(c.protos, ':')
	}
	c.protos = append(c.protos, f.Abbrev...)
}

// addProtoName appends a pseudo-protocol (such as "ethertype") to
// frame.protocols without adding a tree item, as Wireshark does for its
// dissector tables.
func (c *Ctx) addProtoName(name string) {
	if len(c.protos) > 0 {
		c.protos = append(c.protos, ':')
	}
	c.protos = append(c.protos, name...)
}

func (c *Ctx) addItem(it Item) int {
	c.items = append(c.items, it)
	return len(c.items) - 1
}

// add records an item of f when wanted and returns its index (-1 if not).
func (c *Ctx) add(f *Field, off, n int, v Value) int {
	if !c.wants(f) {
		return -1
	}
	return c.addItem(Item{Field: f, Off: off, Len: n, Parent: c.parent, Val: v})
}

// addU records an integer/boolean/IPv4 item.
func (c *Ctx) addU(f *Field, off, n int, u uint64) int {
	if !c.wants(f) {
		return -1
	}
	return c.addItem(Item{Field: f, Off: off, Len: n, Parent: c.parent, Val: Value{U: u}})
}

// addB records an item whose value is the frame bytes [off, off+n).
func (c *Ctx) addB(f *Field, off, n int) int {
	if !c.wants(f) {
		return -1
	}
	end := min(off+n, len(c.data))
	off = min(off, end) // never slice past the data, whatever the caller checked
	return c.addItem(Item{Field: f, Off: off, Len: n, Parent: c.parent, Val: Value{B: c.data[off:end:end]}})
}

// addGen records a generated item (shown in brackets, no bytes).
func (c *Ctx) addGen(f *Field, v Value) int {
	if !c.wants(f) {
		return -1
	}
	return c.addItem(Item{Field: f, Parent: c.parent, Val: v, Gen: true})
}

// label sets an item's display text (tree mode only; idx may be -1).
func (c *Ctx) label(idx int, s string) {
	if idx >= 0 && c.tree {
		c.items[idx].Label = s
	}
}

// labelf formats an item's display text; only call it when c.tree.
func (c *Ctx) labelf(idx int, format string, a ...any) {
	if idx >= 0 && c.tree {
		c.items[idx].Label = fmt.Sprintf(format, a...)
	}
}

// text adds a label-only node (tree mode only).
func (c *Ctx) text(off, n int, format string, a ...any) int {
	if !c.tree {
		return -1
	}
	return c.addItem(Item{Field: labelField, Off: off, Len: n, Parent: c.parent, Label: fmt.Sprintf(format, a...)})
}

// setLen fixes a subtree's length once it is known.
func (c *Ctx) setLen(idx, n int) {
	if idx >= 0 {
		c.items[idx].Len = n
	}
}

// stash copies b into scratch storage that lives until the next packet.
func (c *Ctx) stash(b []byte) []byte {
	if len(c.scratch)+len(b) > cap(c.scratch) {
		// Start a fresh block rather than grow: earlier views must stay valid.
		c.scratch = make([]byte, 0, max(4096, 2*len(b)))
	}
	s := len(c.scratch)
	c.scratch = append(c.scratch, b...)
	return c.scratch[s:len(c.scratch):len(c.scratch)]
}

// Accessors: read from view t at relative offset i, raising a bounds error
// when the bytes are not there.

func (c *Ctx) check(t tvb, i, n int) int {
	o := t.off + i
	if i < 0 || n < 0 || o+n > t.end {
		panic(boundsErr{short: i >= 0 && i+n <= t.rep})
	}
	return o
}

func (c *Ctx) u8(t tvb, i int) uint8 { return c.data[c.check(t, i, 1)] }

func (c *Ctx) u16(t tvb, i int) uint16 {
	return binary.BigEndian.Uint16(c.data[c.check(t, i, 2):])
}

func (c *Ctx) u24(t tvb, i int) uint32 {
	o := c.check(t, i, 3)
	return uint32(c.data[o])<<16 | uint32(c.data[o+1])<<8 | uint32(c.data[o+2])
}

func (c *Ctx) u32(t tvb, i int) uint32 {
	return binary.BigEndian.Uint32(c.data[c.check(t, i, 4):])
}

func (c *Ctx) le16(t tvb, i int) uint16 {
	return binary.LittleEndian.Uint16(c.data[c.check(t, i, 2):])
}

func (c *Ctx) le32(t tvb, i int) uint32 {
	return binary.LittleEndian.Uint32(c.data[c.check(t, i, 4):])
}

// bytes returns n bytes at i (a view into the frame).
func (c *Ctx) bytes(t tvb, i, n int) []byte {
	o := c.check(t, i, n)
	return c.data[o : o+n : o+n]
}

// has reports whether n bytes at i are captured, without raising.
func (c *Ctx) has(t tvb, i, n int) bool {
	return i >= 0 && n >= 0 && t.off+i+n <= t.end
}

// Summary-column setters. Protocol and Info follow Wireshark's column
// rules: a higher layer replaces what a lower one wrote, unless a fence
// protects it.

func (c *Ctx) setProto(p string) { c.proto, c.protoB = p, c.protoB[:0] }

// setProtoBytes sets a computed protocol name (e.g. "0x86dd").
func (c *Ctx) setProtoBytes(b []byte) { c.proto, c.protoB = "", append(c.protoB[:0], b...) }

// clearInfo empties the Info column after the fence.
func (c *Ctx) clearInfo() { c.info = c.info[:c.fence] }

// setInfo replaces the Info column after the fence with s.
func (c *Ctx) setInfo(s string) { c.info = append(c.info[:c.fence], s...) }

// appendInfo appends to the Info column.
func (c *Ctx) appendInfo(s string) { c.info = append(c.info, s...) }

// labelField is the registry entry of text-only tree nodes.
var labelField = &Field{Abbrev: "_ws.label", Name: "Text", Type: FTNone}

// extend makes b (data reassembled from several frames, Wireshark's extra
// "data source") readable through the accessors: it is placed after the
// frame's bytes and the returned view covers it. Items in it have offsets
// at or beyond the frame's length; the frame's bytes are restored before
// the tree is built.
func (c *Ctx) extend(b []byte) tvb {
	buf, off := c.extendBuf(len(b))
	buf = append(buf, b...)
	return c.extended(buf, off)
}

// extendZero is extend of n zero bytes, for the caller to fill in place
// through c.data: reassembly builds a PDU there without an allocation of
// its own on the fast path.
func (c *Ctx) extendZero(n int) tvb {
	buf, off := c.extendBuf(n)
	buf = append(buf, make([]byte, n)...) // no allocation: cleared in place
	return c.extended(buf, off)
}

// extendBuf returns the buffer to append n extension bytes to (the
// frame's bytes and earlier extensions first) and where they will start.
func (c *Ctx) extendBuf(n int) (buf []byte, off int) {
	off = len(c.data)
	if c.frameLen == 0 {
		// First extension: copy the frame into a buffer of our own.
		c.frameLen = off
		if c.tree {
			buf = make([]byte, 0, off+n)
		} else {
			buf = c.ext[:0]
		}
		return append(buf, c.data...), off
	}
	// c.data is already ours: bytes before off never change, and if
	// append moves the buffer, views taken earlier keep the old one.
	return c.data, off
}

// extended installs buf (extended from off) as the packet's data.
func (c *Ctx) extended(buf []byte, off int) tvb {
	if !c.tree {
		c.ext = buf
	}
	c.data = buf
	return tvb{off: off, end: len(buf), rep: len(buf) - off}
}
