package filter

import "github.com/kaiseki-app/kaiseki/dissect"

// Requires returns fields of which every packet the filter matches has at
// least one item, or nil when it cannot say (the empty filter, "not tcp",
// "tcp or frame.len > 9" with frame among them, ...). "tcp.port == 80"
// requires tcp.port; "tcp.port == 80 or udp" requires tcp.port or udp.
// A reader can then skip a packet that certainly has none of them, and
// whose dissection changes nothing the matching packets depend on (see
// dissect.Outline.CannotContain).
func (f *Filter) Requires() []*dissect.Field { return requires(f.root) }

// requires is Requires for one node of the compiled filter.
func requires(n node) []*dissect.Field {
	switch n := n.(type) {
	case *andNode:
		// Either side's requirement holds; the smaller is the stronger.
		l, r := requires(n.l), requires(n.r)
		if l == nil || (r != nil && len(r) < len(l)) {
			return r
		}
		return l
	case *orNode:
		l, r := requires(n.l), requires(n.r)
		if l == nil || r == nil {
			return nil
		}
		return append(append([]*dissect.Field(nil), l...), r...)
	case *existsNode:
		return []*dissect.Field{n.f}
	case *truthyNode:
		return requiresOp(n.x)
	case *cmpNode:
		// Every comparison, != included (all not equal, which needs a
		// value), is false without a pair of values.
		return requiresEither(n.l, n.r)
	case *inNode:
		if n.neg {
			return nil // "not in" matches a packet without the field
		}
		return requiresOp(n.l)
	case *containsNode:
		return requiresEither(n.l, n.r)
	case *matchesNode:
		return requiresOp(n.l)
	}
	return nil // not, xor, the empty filter
}

// requiresEither is the requirement of a test that needs values of both
// operands: either one's.
func requiresEither(l, r operand) []*dissect.Field {
	if req := requiresOp(l); req != nil {
		return req
	}
	return requiresOp(r)
}

// requiresOp returns fields one of which must have an item for the operand
// to have a value, or nil.
func requiresOp(o operand) []*dissect.Field {
	switch o := o.(type) {
	case *fieldOp:
		return []*dissect.Field{o.f}
	case *countOp:
		return []*dissect.Field{o.f} // no items: no count (see countOp)
	case *sliceOp:
		return requiresOp(o.x)
	case *lenOp:
		return requiresOp(o.x)
	case *caseOp:
		return requiresOp(o.x)
	case *bitAndOp:
		return requiresOp(o.x)
	}
	return nil // literals
}

// TCPPorts returns port ranges (inclusive) such that every packet the
// filter matches has a TCP port in one of them ("tcp.port == 80",
// "tcp.dstport in {80, 8000..8080}", and and/or of such), or nil when it
// cannot say. A plain TCP segment's ports are its only TCP ports, so a
// reader may skip one with neither in range (dissect.Outline.PortsOutside).
func (f *Filter) TCPPorts() [][2]uint16 { return tcpPorts(f.root) }

func tcpPorts(n node) [][2]uint16 {
	switch n := n.(type) {
	case *andNode:
		if l := tcpPorts(n.l); l != nil {
			return l
		}
		return tcpPorts(n.r)
	case *orNode:
		l, r := tcpPorts(n.l), tcpPorts(n.r)
		if l == nil || r == nil {
			return nil
		}
		return append(append([][2]uint16(nil), l...), r...)
	case *cmpNode:
		// == (any, all or ===) needs a port equal to the literal.
		if n.p != pEq || !isTCPPortField(n.l) {
			return nil
		}
		if p, ok := portLiteral(n.r); ok {
			return [][2]uint16{{p, p}}
		}
	case *inNode:
		if n.neg || !isTCPPortField(n.l) {
			return nil
		}
		var rs [][2]uint16
		for _, s := range n.set {
			lo, ok := portLiteral(s.lo)
			if !ok {
				return nil
			}
			hi := lo
			if s.hi != nil {
				if hi, ok = portLiteral(s.hi); !ok {
					return nil
				}
			}
			rs = append(rs, [2]uint16{lo, hi})
		}
		return rs
	}
	return nil
}

// isTCPPortField reports whether o is tcp.port, tcp.srcport or tcp.dstport.
func isTCPPortField(o operand) bool {
	f, ok := o.(*fieldOp)
	if !ok {
		return false
	}
	switch f.f.Abbrev {
	case "tcp.port", "tcp.srcport", "tcp.dstport":
		return true
	}
	return false
}

// portLiteral returns the value of a literal operand that fits a port.
func portLiteral(o operand) (uint16, bool) {
	l, ok := o.(*litOp)
	if !ok || l.v.b != nil || l.v.u > 0xffff {
		return 0, false
	}
	return uint16(l.v.u), true
}
