package ui

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// ProtoTree is the packet-details pane: a widget.Tree over a dissect.Tree
// whose node IDs are index paths ("0/2/1"). It remembers which subtrees the
// user opened, by field, and opens them again on the next packet, as
// Wireshark does; it also re-selects the same field when it exists.
type ProtoTree struct {
	widget.Tree

	// OnNodeSelected is called with the selected node (nil when cleared).
	OnNodeSelected func(n *dissect.Node)
	// OnContextMenu is called for a secondary tap on node id, at pos in
	// canvas coordinates.
	OnContextMenu func(id string, pos fyne.Position)

	pkt       *dissect.Tree
	expanded  map[string]bool // by nodeKey
	selKey    string          // nodeKey of the selected node, kept across packets
	selected  string          // selected node ID in the current tree
	restoring bool
}

// NewProtoTree returns an empty details pane.
func NewProtoTree() *ProtoTree {
	p := &ProtoTree{expanded: map[string]bool{}}
	p.ChildUIDs = p.childIDs
	p.IsBranch = p.isBranch
	// Nodes are single text lines, cut with an ellipsis: denser than a
	// Label, as Wireshark's details pane is.
	p.CreateNode = func(bool) fyne.CanvasObject {
		return newTreeCell(func(id string, pos fyne.Position) {
			if p.OnContextMenu != nil {
				p.OnContextMenu(id, pos)
			}
		})
	}
	p.UpdateNode = func(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
		text := ""
		if n := p.Node(id); n != nil {
			text = n.Text
		}
		v := fyne.CurrentApp().Settings().ThemeVariant()
		o.(*treeCell).id = id
		o.(*treeCell).set(text, p.Theme().Color(theme.ColorNameForeground, v), color.Transparent, fyne.TextAlignLeading)
	}
	p.OnBranchOpened = func(id widget.TreeNodeID) {
		if !p.restoring {
			p.expanded[p.key(id)] = true
		}
	}
	p.OnBranchClosed = func(id widget.TreeNodeID) {
		if !p.restoring {
			delete(p.expanded, p.key(id))
		}
	}
	p.OnSelected = func(id widget.TreeNodeID) {
		p.selected = id
		p.selKey = p.key(id)
		if p.OnNodeSelected != nil {
			p.OnNodeSelected(p.Node(id))
		}
	}
	p.ExtendBaseWidget(p)
	return p
}

// SetPacket shows t (nil clears the pane), re-opening remembered subtrees
// and re-selecting the remembered field. It returns the node selected
// again, if any, so the caller can highlight its bytes.
func (p *ProtoTree) SetPacket(t *dissect.Tree) *dissect.Node {
	p.restoring = true
	defer func() { p.restoring = false }()
	p.pkt = t
	p.selected = ""
	p.UnselectAll()
	p.CloseAllBranches()
	if t == nil {
		p.Refresh()
		return nil
	}
	var walk func(prefix string, ns []*dissect.Node)
	walk = func(prefix string, ns []*dissect.Node) {
		for i, n := range ns {
			id := prefix + strconv.Itoa(i)
			if len(n.Kids) > 0 && p.expanded[p.key(id)] {
				p.OpenBranch(id)
				walk(id+"/", n.Kids)
			}
		}
	}
	walk("", t.Nodes)
	p.Refresh()
	if p.selKey == "" {
		return nil
	}
	if id := p.findKey(p.selKey); id != "" {
		p.selected = id
		p.openTo(id)
		p.Tree.Select(id) // OnSelected fires and reports the node
		return p.Node(id)
	}
	return nil
}

// Packet returns the tree shown.
func (p *ProtoTree) Packet() *dissect.Tree { return p.pkt }

// SelectedID returns the selected node's ID ("" for none).
func (p *ProtoTree) SelectedID() string { return p.selected }

// SelectPath selects the node at path (indices from the top), opening its
// ancestors so it is visible.
func (p *ProtoTree) SelectPath(path []int) {
	if len(path) == 0 {
		return
	}
	parts := make([]string, len(path))
	for i, v := range path {
		parts[i] = strconv.Itoa(v)
	}
	id := strings.Join(parts, "/")
	if p.Node(id) == nil {
		return
	}
	p.openTo(id)
	p.Tree.Select(id)
	p.ScrollTo(id)
}

// openTo opens every ancestor of id.
func (p *ProtoTree) openTo(id string) {
	for i := 0; i < len(id); i++ {
		if id[i] == '/' {
			p.OpenBranch(id[:i])
		}
	}
}

// Node returns the node with ID id, or nil.
func (p *ProtoTree) Node(id string) *dissect.Node {
	if p.pkt == nil || id == "" {
		return nil
	}
	ns := p.pkt.Nodes
	var n *dissect.Node
	for part := range strings.SplitSeq(id, "/") {
		i, err := strconv.Atoi(part)
		if err != nil || i < 0 || i >= len(ns) {
			return nil
		}
		n = ns[i]
		ns = n.Kids
	}
	return n
}

func (p *ProtoTree) childIDs(id widget.TreeNodeID) []widget.TreeNodeID {
	var kids []*dissect.Node
	prefix := ""
	if id == "" {
		if p.pkt != nil {
			kids = p.pkt.Nodes
		}
	} else if n := p.Node(id); n != nil {
		kids, prefix = n.Kids, id+"/"
	}
	ids := make([]widget.TreeNodeID, len(kids))
	for i := range kids {
		ids[i] = prefix + strconv.Itoa(i)
	}
	return ids
}

func (p *ProtoTree) isBranch(id widget.TreeNodeID) bool {
	if id == "" {
		return true
	}
	n := p.Node(id)
	return n != nil && len(n.Kids) > 0
}

// key names a node by the fields on its path ("ip/ip.flags"), so the same
// subtree can be found in another packet. Text labels use their text up to
// a colon.
func (p *ProtoTree) key(id string) string {
	if p.pkt == nil {
		return ""
	}
	var b strings.Builder
	ns := p.pkt.Nodes
	for part := range strings.SplitSeq(id, "/") {
		i, err := strconv.Atoi(part)
		if err != nil || i < 0 || i >= len(ns) {
			return ""
		}
		n := ns[i]
		if b.Len() > 0 {
			b.WriteByte('/')
		}
		b.WriteString(nodeName(n))
		ns = n.Kids
	}
	return b.String()
}

func nodeName(n *dissect.Node) string {
	if a := n.Abbrev(); a != "" {
		return a
	}
	t := n.Text
	if i := strings.IndexAny(t, ":("); i > 0 {
		t = t[:i]
	}
	return "~" + strings.TrimSpace(t)
}

// findKey returns the ID of the first node whose key is k.
func (p *ProtoTree) findKey(k string) string {
	var found string
	var walk func(prefix, kp string, ns []*dissect.Node) bool
	walk = func(prefix, kp string, ns []*dissect.Node) bool {
		for i, n := range ns {
			id := prefix + strconv.Itoa(i)
			nk := kp + nodeName(n)
			if nk == k {
				found = id
				return true
			}
			if strings.HasPrefix(k, nk+"/") && walk(id+"/", nk+"/", n.Kids) {
				return true
			}
		}
		return false
	}
	if p.pkt != nil {
		walk("", "", p.pkt.Nodes)
	}
	return found
}
