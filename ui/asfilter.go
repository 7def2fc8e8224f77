package ui

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// FilterCombine says how "Apply/Prepare as Filter" combines the selected
// field with the filter already in the bar, as in Wireshark's menu.
type FilterCombine uint8

// Ways to combine, in Wireshark's menu order.
const (
	FilterSelected       FilterCombine = iota // field == value
	FilterNotSelected                         // !(field == value)
	FilterAndSelected                         // (old) && (field == value)
	FilterOrSelected                          // (old) || (field == value)
	FilterAndNotSelected                      // (old) && !(field == value)
	FilterOrNotSelected                       // (old) || !(field == value)
)

var filterCombineLabels = []string{"Selected", "Not Selected", "…and Selected", "…or Selected", "…and not Selected", "…or not Selected"}

func (c FilterCombine) String() string {
	if int(c) < len(filterCombineLabels) {
		return filterCombineLabels[c]
	}
	return "FilterCombine(" + strconv.Itoa(int(c)) + ")"
}

// NodeFilter returns the display filter that selects packets with node n's
// field and value, as Wireshark builds it: `abbrev == value` with the value
// written as a filter literal (strings quoted), or just `abbrev` for
// protocols and fields without a value. ok is false for text-only lines.
func NodeFilter(n *dissect.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	a := n.Abbrev()
	if a == "" || dissect.ColumnField(n.Field) {
		return "", false
	}
	switch n.Field.Type {
	case dissect.FTProtocol, dissect.FTNone:
		return a, true
	}
	it := dissect.Item{Field: n.Field, Val: n.Value}
	v := string(dissect.FieldText(nil, &it))
	if n.Field.Type == dissect.FTString {
		return a + " == " + quoteFilterString(v), true
	}
	if v == "" {
		return a, true
	}
	return a + " == " + v, true
}

// quoteFilterString writes s as a display-filter string literal: quotes
// and backslashes escaped, control bytes as \xNN, the rest as is.
func quoteFilterString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(c)|0x100, 16)[1:])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// CombineFilter combines the filter in the bar (old) with sel, the
// selected field's filter.
func CombineFilter(old, sel string, how FilterCombine) string {
	old = strings.TrimSpace(old)
	not := "!(" + sel + ")"
	if old == "" {
		switch how {
		case FilterNotSelected, FilterAndNotSelected, FilterOrNotSelected:
			return not
		}
		return sel
	}
	switch how {
	case FilterNotSelected:
		return not
	case FilterAndSelected:
		return "(" + old + ") && (" + sel + ")"
	case FilterOrSelected:
		return "(" + old + ") || (" + sel + ")"
	case FilterAndNotSelected:
		return "(" + old + ") && " + not
	case FilterOrNotSelected:
		return "(" + old + ") || " + not
	}
	return sel
}

// FilterFromNode builds the filter for tree node id combined as how with
// the text in the filter bar; apply applies it, otherwise it is only put
// in the bar for editing (Prepare as Filter). It reports false for a node
// that cannot be a filter.
func (w *MainWindow) FilterFromNode(id string, how FilterCombine, apply bool) bool {
	sel, ok := NodeFilter(w.Tree.Node(id))
	if !ok {
		return false
	}
	text := CombineFilter(w.filter.entry.Text, sel, how)
	w.filter.setText(text)
	if apply {
		w.filter.Apply()
	} else {
		w.win.Canvas().Focus(w.filter.entry)
	}
	return true
}

// treeMenu is the details pane's context menu for node id.
func (w *MainWindow) treeMenu(id string) *fyne.Menu {
	sel, ok := NodeFilter(w.Tree.Node(id))
	sub := func(apply bool) *fyne.Menu {
		m := fyne.NewMenu("")
		for how := FilterSelected; how <= FilterOrNotSelected; how++ {
			it := fyne.NewMenuItem(how.String(), func() { w.FilterFromNode(id, how, apply) })
			it.Disabled = !ok
			m.Items = append(m.Items, it)
		}
		return m
	}
	applyItem := fyne.NewMenuItem("Apply as Filter", nil)
	applyItem.ChildMenu = sub(true)
	prepItem := fyne.NewMenuItem("Prepare as Filter", nil)
	prepItem.ChildMenu = sub(false)
	applyItem.Disabled, prepItem.Disabled = !ok, !ok
	n := w.Tree.Node(id)
	copyItem := fyne.NewMenuItem("Copy", nil)
	copyItem.ChildMenu = fyne.NewMenu("",
		fyne.NewMenuItem("Line", func() { w.copyText(n.Text) }),
		fyne.NewMenuItem("Field Name", func() { w.copyText(n.Abbrev()) }),
		fyne.NewMenuItem("As Filter", func() { w.copyText(sel) }),
	)
	copyItem.ChildMenu.Items[1].Disabled = n == nil || n.Abbrev() == ""
	copyItem.ChildMenu.Items[2].Disabled = !ok
	return fyne.NewMenu("", applyItem, prepItem, fyne.NewMenuItemSeparator(), copyItem)
}

func (w *MainWindow) copyText(s string) {
	w.app.Clipboard().SetContent(s)
}

// showTreeMenu selects node id (as a right click does in Wireshark) and
// shows its context menu at pos (canvas coordinates).
func (w *MainWindow) showTreeMenu(id string, pos fyne.Position) {
	if w.Tree.Node(id) == nil {
		return
	}
	w.Tree.Select(id)
	widget.ShowPopUpMenuAtPosition(w.treeMenu(id), w.win.Canvas(), pos)
}

// treeCell is a details-pane line that opens the context menu on a
// secondary tap (right click).
type treeCell struct {
	textCell
	id     string
	onMenu func(id string, pos fyne.Position)
}

var _ fyne.SecondaryTappable = (*treeCell)(nil)

func newTreeCell(onMenu func(string, fyne.Position)) *treeCell {
	c := &treeCell{onMenu: onMenu}
	c.fg, c.bg = color.Black, color.Transparent
	c.ExtendBaseWidget(c)
	return c
}

// TappedSecondary implements fyne.SecondaryTappable.
func (c *treeCell) TappedSecondary(ev *fyne.PointEvent) {
	if c.onMenu != nil && c.id != "" {
		c.onMenu(c.id, ev.AbsolutePosition)
	}
}

// CreateRenderer implements fyne.Widget.
func (c *treeCell) CreateRenderer() fyne.WidgetRenderer {
	r := &cellRenderer{c: &c.textCell, rect: canvas.NewRectangle(c.bg), txt: canvas.NewText("", c.fg)}
	r.Refresh()
	return r
}
