package filter

import "github.com/kaiseki-app/kaiseki/dissect"

// Requires returns fields of which every packet the filter matches has at
// least one item, or nil when it cannot say (the empty filter, "not tcp",
// "tcp or frame.len > 9" with frame among them, ...). "tcp.port == 80"
// requires tcp.port; "tcp.port == 80 or udp" requires tcp.port or udp.
// A reader can then skip a packet that certainly has none of them, and
// whose dissection changes nothing the matching packets depend on (see
// dissect.CannotContain).
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
		if l := requiresOp(n.l); l != nil {
			return l
		}
		return requiresOp(n.r)
	case *inNode:
		if n.neg {
			return nil // "not in" matches a packet without the field
		}
		return requiresOp(n.l)
	case *containsNode:
		if l := requiresOp(n.l); l != nil {
			return l
		}
		return requiresOp(n.r)
	case *matchesNode:
		return requiresOp(n.l)
	}
	return nil // not, xor, the empty filter
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
