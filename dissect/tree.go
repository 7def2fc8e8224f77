package dissect

import "unicode/utf8"

// Node is one line of a protocol tree: a field (or a text label), its text as
// Wireshark shows it, and the bytes of the frame it covers.
type Node struct {
	Field *Field
	Value Value
	Text  string
	Off   int // byte offset in the frame
	Len   int // byte length; 0 for generated fields
	Gen   bool
	// Hidden is set on fields Wireshark hides from the tree (ip.addr,
	// tcp.port, ...); only Dissector.TreeAll keeps them, for JSON output.
	Hidden bool
	Kids   []*Node
}

// Abbrev returns the node's field abbreviation ("" for text labels).
func (n *Node) Abbrev() string {
	if n.Field == nil || n.Field == labelField {
		return ""
	}
	return n.Field.Abbrev
}

// Tree is a dissected packet: its top-level nodes (frame, eth, ip, ...).
// A Tree owns copies of its values and stays valid after the Dissector moves on.
type Tree struct {
	Nodes []*Node
	Data  []byte // the frame's bytes
}

// Deepest returns the path (indices from the top) of the deepest node whose
// byte range covers off, for the hex view's click-to-select; between nodes
// equally deep the shorter range wins. Every subtree is searched: the Frame
// node covers all bytes but its children none. Nil if none.
func (t *Tree) Deepest(off int) []int {
	var best []int
	bestLen := 0
	var walk func(ns []*Node, path []int)
	walk = func(ns []*Node, path []int) {
		for i, n := range ns {
			if n.Len > 0 && off >= n.Off && off < n.Off+n.Len {
				p := append(append([]int(nil), path...), i)
				if len(p) > len(best) || len(p) == len(best) && n.Len < bestLen {
					best, bestLen = p, n.Len
				}
				walk(n.Kids, p)
			}
		}
	}
	walk(t.Nodes, nil)
	return best
}

// Walk calls fn for every node in depth-first order with its depth.
func (t *Tree) Walk(fn func(n *Node, depth int)) {
	var walk func(ns []*Node, d int)
	walk = func(ns []*Node, d int) {
		for _, n := range ns {
			fn(n, d)
			walk(n.Kids, d+1)
		}
	}
	walk(t.Nodes, 0)
}

func buildTree(c *Ctx) *Tree { return buildTreeOpt(c, false) }

// buildTreeOpt builds the tree of the last dissection, with hidden fields
// when keepHidden is set.
func buildTreeOpt(c *Ctx, keepHidden bool) *Tree {
	t := &Tree{Data: append([]byte(nil), c.data...)}
	nodes := make([]*Node, len(c.items))
	for i := range c.items {
		it := &c.items[i]
		if it.Field.Hidden && !keepHidden {
			continue
		}
		n := &Node{Field: it.Field, Off: it.Off, Len: it.Len, Gen: it.Gen, Text: it.Label, Hidden: it.Field.Hidden}
		if it.Val.B != nil {
			n.Value = Value{U: it.Val.U, B: append([]byte(nil), it.Val.B...)}
		} else {
			n.Value = it.Val
		}
		if n.Text == "" {
			n.Text = truncateLabel(string(appendLabel(nil, it)), it.Gen, labelNamePos(it)+len(it.Field.Name))
		} else {
			n.Text = truncateLabel(n.Text, it.Gen, 0)
		}
		// A node never claims bytes outside the frame.
		if n.Off > len(c.data) {
			n.Off, n.Len = len(c.data), 0
		}
		if n.Off+n.Len > len(c.data) {
			n.Len = len(c.data) - n.Off
		}
		nodes[i] = n
		if it.Parent >= 0 && it.Parent < i && nodes[it.Parent] != nil {
			p := nodes[it.Parent]
			p.Kids = append(p.Kids, n)
		} else {
			t.Nodes = append(t.Nodes, n)
		}
	}
	return t
}

// maxLabel is the longest label Wireshark shows once it has marked it
// truncated (its label buffer is ITEM_LABEL_LENGTH, 240 bytes).
const maxLabel = 238

// truncateLabel shortens a label that does not fit Wireshark's label
// buffer as Wireshark does: " [truncated]" goes after the field name
// (namePos: where "Name" ends in "Name: value") or, for a text label
// (namePos 0), in front, and the result is cut to maxLabel bytes on a
// UTF-8 boundary. A generated item's brackets stay around the cut text.
func truncateLabel(s string, gen bool, namePos int) string {
	inner := s
	bracketed := gen && len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']'
	if bracketed {
		inner = s[1 : len(s)-1]
		if namePos > 0 {
			namePos--
		}
	}
	if len(inner) < 240 {
		return s
	}
	if namePos < 0 || namePos > len(inner) {
		namePos = 0
	}
	t := inner[:namePos] + " [truncated]" + inner[namePos:]
	cut := maxLabel
	for cut > 0 && !utf8.RuneStart(t[cut]) {
		cut--
	}
	t = t[:cut]
	if bracketed {
		return "[" + t + "]"
	}
	return t
}

// labelNamePos returns where the field name starts in an item's default
// label: after a generated item's bracket and a masked field's bits.
func labelNamePos(it *Item) int {
	n := 0
	if it.Gen {
		n++
	}
	f := it.Field
	if f.Mask != 0 && (f.Type == FTUint || f.Type == FTBool) {
		n += len(appendBitPattern(nil, f.Mask, it.Val.U, f.Bits))
	}
	return n
}

// appendLabel appends the default text of an item: "Name: value",
// with a bit pattern for masked fields and brackets for generated ones.
func appendLabel(dst []byte, it *Item) []byte {
	f := it.Field
	if it.Gen {
		dst = append(dst, '[')
	}
	if f.Mask != 0 && (f.Type == FTUint || f.Type == FTBool) {
		dst = appendBitPattern(dst, f.Mask, it.Val.U, f.Bits)
	}
	switch f.Type {
	case FTProtocol, FTNone:
		dst = append(dst, f.Name...)
	default:
		dst = append(dst, f.Name...)
		dst = append(dst, ": "...)
		dst = appendDisplayValue(dst, it)
	}
	if it.Gen {
		dst = append(dst, ']')
	}
	return dst
}

// FieldText formats an item's value as tshark's `-T fields` does.
func FieldText(dst []byte, it *Item) []byte { return appendFieldValue(dst, it) }
