package filter

import (
	"bytes"
	"math"
	"regexp"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// The compiled form of a filter: a tree of predicates (node) over operands
// that enumerate values. Nothing here allocates per packet: operands walk
// the packet's items with an integer cursor, and the rare operations that
// need memory (upper, lower, multi-range slices) use an env's scratch
// buffer, which is reused from packet to packet.

// value is one operand value. Which member is meaningful depends on the
// kind being compared; plen is a CIDR prefix length + 1 (0: none).
type value struct {
	u    uint64
	b    []byte
	plen int
	// hdr, when non-zero, is 1 + the length Wireshark gives a protocol's
	// value for len() and slices (len(ip) is the header's 20), while
	// contains and matches search all of b (see dissect.Value).
	hdr int
}

// sized returns the bytes len() and slices see.
func (v value) sized() []byte {
	if v.hdr > 0 && v.hdr-1 <= len(v.b) {
		return v.b[:v.hdr-1]
	}
	return v.b
}

// env is the per-evaluation state: the packet and scratch space.
type env struct {
	items   []dissect.Item
	data    []byte
	scratch []byte
}

// stash copies b into scratch memory valid for the rest of the evaluation.
func (e *env) stash(n int) []byte {
	if len(e.scratch)+n > cap(e.scratch) {
		// A fresh block: earlier views into the old one stay valid.
		e.scratch = make([]byte, 0, max(256, 2*n, 2*cap(e.scratch)))
	}
	s := len(e.scratch)
	e.scratch = e.scratch[:s+n]
	return e.scratch[s : s+n : s+n]
}

// node is a compiled predicate.
type node interface {
	eval(e *env) bool
}

// operand enumerates values: next returns the first value at cursor i or
// after, and the cursor to continue from.
type operand interface {
	next(e *env, i int) (v value, j int, ok bool)
}

type kind uint8

const (
	kUint  kind = iota // unsigned integers, IPv4 addresses, frame numbers
	kInt               // signed integers, relative times
	kBool              // booleans: only zero versus non-zero counts
	kFloat             // float64 bits
	kBytes             // byte strings, text, MAC and IPv6 addresses, protocols
	kTime              // absolute times (signed ns)
)

// compare orders a and b as values of kind k. A CIDR prefix on b limits
// the comparison to its network bits.
func compare(k kind, a, b value) int {
	switch k {
	case kUint:
		x, y := a.u, b.u
		if b.plen > 0 {
			m := uint64(0xffffffff) << (32 - (b.plen - 1)) & 0xffffffff
			x, y = x&m, y&m
		}
		return cmpU(x, y)
	case kInt, kTime:
		x, y := int64(a.u), int64(b.u)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case kBool:
		return cmpU(b2u(a.u != 0), b2u(b.u != 0))
	case kFloat:
		x, y := math.Float64frombits(a.u), math.Float64frombits(b.u)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	if b.plen > 0 {
		return comparePrefix(a.b, b.b, b.plen-1)
	}
	return bytes.Compare(a.b, b.b)
}

func cmpU(x, y uint64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// comparePrefix compares the first bits bits of a and b.
func comparePrefix(a, b []byte, bits int) int {
	n := bits / 8
	if len(a) < n || len(b) < n {
		return bytes.Compare(a, b)
	}
	if c := bytes.Compare(a[:n], b[:n]); c != 0 || bits%8 == 0 {
		return c
	}
	if len(a) <= n || len(b) <= n {
		return bytes.Compare(a[n:], b[n:])
	}
	m := byte(0xff) << (8 - bits%8)
	return cmpU(uint64(a[n]&m), uint64(b[n]&m))
}

// Logical nodes.

type andNode struct{ l, r node }
type orNode struct{ l, r node }
type xorNode struct{ l, r node }
type notNode struct{ x node }
type trueNode struct{}

func (n *andNode) eval(e *env) bool { return n.l.eval(e) && n.r.eval(e) }
func (n *orNode) eval(e *env) bool  { return n.l.eval(e) || n.r.eval(e) }
func (n *xorNode) eval(e *env) bool { return n.l.eval(e) != n.r.eval(e) }
func (n *notNode) eval(e *env) bool { return !n.x.eval(e) }
func (trueNode) eval(*env) bool     { return true }

// existsNode is true when the packet has an item of f.
type existsNode struct{ f *dissect.Field }

func (n *existsNode) eval(e *env) bool {
	for i := range e.items {
		if e.items[i].Field == n.f {
			return true
		}
	}
	return false
}

// truthyNode is a bitwise test on its own (tcp.flags & 0x02): true when
// any value is non-zero.
type truthyNode struct {
	x     operand
	bytes bool
}

func (n *truthyNode) eval(e *env) bool {
	for v, i, ok := n.x.next(e, 0); ok; v, i, ok = n.x.next(e, i) {
		if n.bytes {
			for _, c := range v.b {
				if c != 0 {
					return true
				}
			}
		} else if v.u != 0 {
			return true
		}
	}
	return false
}

// pred is the relation a comparison tests on compare's result.
type pred uint8

const (
	pEq pred = iota
	pNe
	pGt
	pGe
	pLt
	pLe
)

func (p pred) test(c int) bool {
	switch p {
	case pEq:
		return c == 0
	case pNe:
		return c != 0
	case pGt:
		return c > 0
	case pGe:
		return c >= 0
	case pLt:
		return c < 0
	}
	return c <= 0
}

// cmpNode compares every pair of values of l and r. With all set, every
// pair must satisfy p (and there must be one); otherwise any pair does.
type cmpNode struct {
	l, r operand
	k    kind
	p    pred
	all  bool
}

func (n *cmpNode) eval(e *env) bool {
	found := false
	for lv, i, ok := n.l.next(e, 0); ok; lv, i, ok = n.l.next(e, i) {
		for rv, j, ok := n.r.next(e, 0); ok; rv, j, ok = n.r.next(e, j) {
			found = true
			if n.p.test(compare(n.k, lv, rv)) != n.all {
				return !n.all
			}
		}
	}
	return n.all && found
}

// setElem is a member of a set: one value (hi nil) or the range lo..hi.
type setElem struct {
	lo, hi operand
}

// inNode tests membership of l's values in a set. With all, every value
// must be a member (and there must be one). With neg it is "not in", which
// tshark 4.0 evaluates as not (l in set): no value is a member, and a
// packet without the field matches.
type inNode struct {
	l        operand
	set      []setElem
	k        kind
	all, neg bool
}

func (n *inNode) member(e *env, v value) bool {
	for _, s := range n.set {
		for lo, i, ok := s.lo.next(e, 0); ok; lo, i, ok = s.lo.next(e, i) {
			c := compare(n.k, v, lo)
			if s.hi == nil {
				if c == 0 {
					return true
				}
				continue
			}
			if c < 0 {
				continue
			}
			for hi, j, ok := s.hi.next(e, 0); ok; hi, j, ok = s.hi.next(e, j) {
				if compare(n.k, v, hi) <= 0 {
					return true
				}
			}
		}
	}
	return false
}

func (n *inNode) eval(e *env) bool {
	if n.all {
		return n.evalAll(e)
	}
	found := false
	for v, i, ok := n.l.next(e, 0); ok; v, i, ok = n.l.next(e, i) {
		found = true
		m := n.member(e, v)
		switch {
		case n.neg && m:
			return false
		case n.all && !m:
			return false
		case !n.neg && !n.all && m:
			return true
		}
	}
	return n.neg || found && n.all
}

// evalAll is "all x in {...}", which tshark 4.0 expands to one "all"
// comparison per member: all x == a, or all x in a..b, or ...
func (n *inNode) evalAll(e *env) bool {
	for _, s := range n.set {
		for lo, i, ok := s.lo.next(e, 0); ok; lo, i, ok = s.lo.next(e, i) {
			found, all := false, true
			for v, k, ok := n.l.next(e, 0); ok && all; v, k, ok = n.l.next(e, k) {
				found = true
				c := compare(n.k, v, lo)
				if s.hi == nil {
					all = c == 0
					continue
				}
				all = c >= 0
				for hi, j, ok := s.hi.next(e, 0); ok && all; hi, j, ok = s.hi.next(e, j) {
					all = compare(n.k, v, hi) <= 0
				}
			}
			if found && all {
				return true
			}
		}
	}
	return false
}

// containsNode is true when a value of l contains a value of r.
type containsNode struct{ l, r operand }

func (n *containsNode) eval(e *env) bool {
	for lv, i, ok := n.l.next(e, 0); ok; lv, i, ok = n.l.next(e, i) {
		for rv, j, ok := n.r.next(e, 0); ok; rv, j, ok = n.r.next(e, j) {
			if bytes.Contains(lv.b, rv.b) {
				return true
			}
		}
	}
	return false
}

// matchesNode is true when a value of l matches the regular expression.
type matchesNode struct {
	l  operand
	re *regexp.Regexp
}

func (n *matchesNode) eval(e *env) bool {
	for v, i, ok := n.l.next(e, 0); ok; v, i, ok = n.l.next(e, i) {
		if n.re.Match(v.b) {
			return true
		}
	}
	return false
}

// Operands.

// litOp is a constant.
type litOp struct{ v value }

func (o *litOp) next(_ *env, i int) (value, int, bool) {
	if i == 0 {
		return o.v, 1, true
	}
	return value{}, i, false
}

// fieldOp enumerates the values of every item of a field.
type fieldOp struct {
	f *dissect.Field
	// signBits is the width of a signed integer field, to sign-extend its
	// values; 0 otherwise.
	signBits int
}

func (o *fieldOp) nextItem(e *env, i int) (*dissect.Item, int) {
	for ; i < len(e.items); i++ {
		if e.items[i].Field == o.f {
			return &e.items[i], i + 1
		}
	}
	return nil, i
}

func (o *fieldOp) next(e *env, i int) (value, int, bool) {
	it, j := o.nextItem(e, i)
	if it == nil {
		return value{}, j, false
	}
	return o.valueOf(e, it), j, true
}

func (o *fieldOp) valueOf(e *env, it *dissect.Item) value {
	switch o.f.Type {
	case dissect.FTProtocol:
		if it.Val.B != nil {
			return value{b: it.Val.B, hdr: int(it.Val.U)}
		}
		// A protocol's value is the bytes it spans.
		lo, hi := min(it.Off, len(e.data)), min(it.Off+it.Len, len(e.data))
		if lo < 0 || hi < lo {
			return value{b: []byte{}}
		}
		return value{b: e.data[lo:hi:hi]}
	case dissect.FTIPv6, dissect.FTEther, dissect.FTString, dissect.FTBytes:
		return value{b: it.Val.B}
	}
	if o.signBits > 0 && o.signBits < 64 {
		s := uint(64 - o.signBits)
		return value{u: uint64(int64(it.Val.U<<s) >> s)}
	}
	return value{u: it.Val.U}
}

// sliceOp takes byte ranges of its operand's values, skipping values too
// short for them, as Wireshark does.
type sliceOp struct {
	x      operand
	ranges []Range
}

// bounds resolves a range against a value of length n.
func (r Range) bounds(n int) (lo, hi int, ok bool) {
	lo = r.Start
	if lo < 0 {
		lo += n
	}
	switch r.Kind {
	case '1':
		hi = lo + 1
	case ':':
		hi = lo + r.N
	case '-':
		hi = r.N
		if hi < 0 {
			hi += n
		}
		hi++
	default:
		hi = n
	}
	return lo, hi, lo >= 0 && hi <= n && lo <= hi
}

func (o *sliceOp) next(e *env, i int) (value, int, bool) {
	for {
		v, j, ok := o.x.next(e, i)
		if !ok {
			return value{}, j, false
		}
		i = j
		b := v.sized()
		if len(o.ranges) == 1 {
			if lo, hi, ok := o.ranges[0].bounds(len(b)); ok {
				return value{b: b[lo:hi:hi]}, j, true
			}
			continue
		}
		total, good := 0, true
		for _, r := range o.ranges {
			lo, hi, ok := r.bounds(len(b))
			good = good && ok
			total += hi - lo
		}
		if !good {
			continue
		}
		out := e.stash(total)[:0]
		for _, r := range o.ranges {
			lo, hi, _ := r.bounds(len(b))
			out = append(out, b[lo:hi]...)
		}
		return value{b: out}, j, true
	}
}

// lenOp is len(x): the byte length of each value.
type lenOp struct {
	x operand
	f *fieldOp // set when x is a field, whose atomic values use the item length
}

func (o *lenOp) next(e *env, i int) (value, int, bool) {
	if o.f != nil {
		it, j := o.f.nextItem(e, i)
		if it == nil {
			return value{}, j, false
		}
		switch o.f.f.Type {
		case dissect.FTProtocol, dissect.FTIPv6, dissect.FTEther, dissect.FTString, dissect.FTBytes:
			return value{u: uint64(len(o.f.valueOf(e, it).sized()))}, j, true
		}
		return value{u: uint64(it.Len)}, j, true
	}
	v, j, ok := o.x.next(e, i)
	return value{u: uint64(len(v.sized()))}, j, ok
}

// countOp is count(f): the number of items of f.
type countOp struct{ f *dissect.Field }

func (o *countOp) next(e *env, i int) (value, int, bool) {
	if i != 0 {
		return value{}, i, false
	}
	n := 0
	for k := range e.items {
		if e.items[k].Field == o.f {
			n++
		}
	}
	// A function's field argument implies the field exists, so a packet
	// without it has no count rather than a count of 0.
	return value{u: uint64(n)}, 1, n > 0
}

// caseOp is upper(x) or lower(x).
type caseOp struct {
	x     operand
	upper bool
}

func (o *caseOp) next(e *env, i int) (value, int, bool) {
	v, j, ok := o.x.next(e, i)
	if !ok {
		return v, j, ok
	}
	out := e.stash(len(v.b))
	for k, c := range v.b {
		switch {
		case o.upper && c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case !o.upper && c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		out[k] = c
	}
	return value{b: out}, j, true
}

// bitAndOp is x & mask for integers, or x & mask byte by byte for bytes
// of the mask's length.
type bitAndOp struct {
	x     operand
	mask  value
	bytes bool
}

func (o *bitAndOp) next(e *env, i int) (value, int, bool) {
	for {
		v, j, ok := o.x.next(e, i)
		if !ok || !o.bytes {
			return value{u: v.u & o.mask.u}, j, ok
		}
		i = j
		if len(v.b) != len(o.mask.b) {
			continue
		}
		out := e.stash(len(v.b))
		for k := range out {
			out[k] = v.b[k] & o.mask.b[k]
		}
		return value{b: out}, j, true
	}
}
