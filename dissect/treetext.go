package dissect

import "io"

// TreeAll dissects p fully like Tree but keeps hidden fields (marked
// Node.Hidden), as tshark's JSON output lists them (ip.addr, tcp.port, ...).
func (d *Dissector) TreeAll(p *Packet) (*Tree, Summary) {
	d.run(p, true, nil, false)
	t := buildTreeOpt(&d.c, true)
	return t, d.summary()
}

// AppendText appends the tree as `tshark -V` prints it: one line per
// visible node, indented four spaces per level. Hidden nodes (present only
// in TreeAll's trees) and their children are left out.
func (t *Tree) AppendText(dst []byte) []byte {
	var walk func(ns []*Node, depth int)
	walk = func(ns []*Node, depth int) {
		for _, n := range ns {
			if n.Hidden {
				continue
			}
			for range depth {
				dst = append(dst, "    "...)
			}
			dst = append(dst, n.Text...)
			dst = append(dst, '\n')
			walk(n.Kids, depth+1)
		}
	}
	walk(t.Nodes, 0)
	return dst
}

// WriteText writes the tree as `tshark -V` prints it (see AppendText). The
// CLI's -V and the window's "Export as plain text" share it, so the two
// outputs cannot drift apart.
func (t *Tree) WriteText(w io.Writer) error {
	_, err := w.Write(t.AppendText(nil))
	return err
}

// ValueText appends the node's value as `tshark -T fields` and `-T json`
// print it; text labels and protocols have none.
func (n *Node) ValueText(dst []byte) []byte {
	if n.Field == nil || n.Field == labelField {
		return dst
	}
	it := Item{Field: n.Field, Off: n.Off, Len: n.Len, Val: n.Value, Gen: n.Gen}
	return appendFieldValue(dst, &it)
}

// Label reports whether the node is a text label without a field.
func (n *Node) Label() bool { return n.Field == nil || n.Field == labelField }
