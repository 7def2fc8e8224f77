package ui

import (
	"image/color"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiseki-app/kaiseki/capture"
)

// TimeFormat selects how the Time column shows timestamps.
type TimeFormat uint8

// Time column formats, as in Wireshark's View → Time Display Format.
const (
	TimeRelative TimeFormat = iota // seconds since the first packet
	TimeAbsolute                   // date and time of day (local time)
	TimeDelta                      // seconds since the previous captured packet
)

var timeFormatNames = []string{"Seconds since beginning of capture", "Date and time of day", "Seconds since previous captured packet"}

func (f TimeFormat) String() string {
	if int(f) < len(timeFormatNames) {
		return timeFormatNames[f]
	}
	return "TimeFormat(" + strconv.Itoa(int(f)) + ")"
}

// FormatTime formats a row's time for the Time column.
func FormatTime(r *capture.Row, f TimeFormat) string {
	if !r.HasTime {
		return ""
	}
	switch f {
	case TimeAbsolute:
		return time.Unix(0, r.TS).Local().Format("2006-01-02 15:04:05.000000")
	case TimeDelta:
		return formatSeconds(r.Delta)
	}
	return formatSeconds(r.Rel)
}

// formatSeconds formats ns as seconds with six decimals, as Wireshark does
// for microsecond captures.
func formatSeconds(ns int64) string {
	neg := ns < 0
	if neg {
		ns = -ns
	}
	us := (ns + 500) / 1000
	b := make([]byte, 0, 24)
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendInt(b, us/1e6, 10)
	b = append(b, '.')
	frac := strconv.AppendInt(nil, us%1e6+1e6, 10)
	return string(append(b, frac[1:]...))
}

// defaultColumnWidths are the starting widths of the packet-list columns.
var defaultColumnWidths = [capture.NumColumns]float32{64, 96, 140, 140, 76, 60, 620}

// PacketTable is the packet list: a virtual widget.Table over the
// session's view. Rows are built only for cells on screen, through
// Session.Row, which dissects and caches them on demand.
type PacketTable struct {
	widget.Table

	sess    *capture.Session
	rules   []ColorRule
	timeFmt TimeFormat
	// OnRowMenu is called on a right click on view row pos (the context
	// menu: mark, comment).
	OnRowMenu func(pos int, ev *fyne.PointEvent)
	// updates counts UpdateCell calls, so tests can prove virtualisation.
	updates       int
	scrollPending bool
}

// NewPacketTable returns a packet list bound to s.
func NewPacketTable(s *capture.Session) *PacketTable {
	t := &PacketTable{sess: s, rules: colorRules()}
	t.Length = func() (int, int) { return t.sess.Len(), int(capture.NumColumns) }
	t.CreateCell = func() fyne.CanvasObject { return newTextCell() }
	t.UpdateCell = t.updateCell
	t.ShowHeaderRow = true
	t.HideSeparators = true
	t.CreateHeader = func() fyne.CanvasObject { return newHeaderCell() }
	t.UpdateHeader = t.updateHeader
	t.OnSelected = func(id widget.TableCellID) {
		// The row is painted as selected by updateCell; the table's own
		// one-cell marker is dropped.
		t.Unselect(id)
		t.sess.Select(t.sess.IndexAt(id.Row))
	}
	t.ExtendBaseWidget(t)
	for c, w := range defaultColumnWidths {
		t.SetColumnWidth(c, w)
	}
	return t
}

func (t *PacketTable) rowMenu(pos int, ev *fyne.PointEvent) {
	if t.OnRowMenu != nil {
		t.OnRowMenu(pos, ev)
	}
}

// SetTimeFormat switches the Time column's format.
func (t *PacketTable) SetTimeFormat(f TimeFormat) {
	t.timeFmt = f
	t.Refresh()
}

// TimeFormat returns the Time column's format.
func (t *PacketTable) TimeFormat() TimeFormat { return t.timeFmt }

// CellText returns the text shown at view row pos, column col.
func (t *PacketTable) CellText(pos int, col capture.Column) string {
	r, ok := t.sess.Row(pos)
	if !ok {
		return ""
	}
	return cellText(&r, col, t.timeFmt)
}

func cellText(r *capture.Row, col capture.Column, tf TimeFormat) string {
	switch col {
	case capture.ColNo:
		return strconv.Itoa(r.Num)
	case capture.ColTime:
		return FormatTime(r, tf)
	case capture.ColSource:
		return r.Source
	case capture.ColDestination:
		return r.Dest
	case capture.ColProtocol:
		return r.Protocol
	case capture.ColLength:
		return strconv.Itoa(r.Length)
	case capture.ColInfo:
		return r.Info
	}
	return ""
}

// RowColors returns the background and text colours of row r.
func (t *PacketTable) RowColors(r *capture.Row, selected, marked bool) (bg, fg color.Color) {
	th := t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	switch {
	case selected:
		return th.Color(theme.ColorNamePrimary, v), color.White
	case marked:
		return color.Black, color.White
	}
	rule := ColorRuleFor(t.rules, r)
	if rule == nil {
		return th.Color(theme.ColorNameBackground, v), th.Color(theme.ColorNameForeground, v)
	}
	if v == theme.VariantDark {
		// Wireshark's pastels glare on a dark window: keep their hue on a
		// darker shade and switch to light text.
		base := th.Color(theme.ColorNameBackground, v)
		if luminance(rule.BG) < 0.5 {
			return rule.BG, rule.FG
		}
		return mix(base, rule.BG, 0.32), th.Color(theme.ColorNameForeground, v)
	}
	return rule.BG, rule.FG
}

func (t *PacketTable) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	t.updates++
	c := o.(*textCell)
	c.row, c.onSecondary = id.Row, t.rowMenu
	r, ok := t.sess.Row(id.Row)
	if !ok {
		c.set("", color.Transparent, color.Transparent, fyne.TextAlignLeading)
		return
	}
	sel, _ := t.sess.Selected()
	bg, fg := t.RowColors(&r, sel == r.Index, t.sess.Marked(r.Index))
	align := fyne.TextAlignLeading
	if col := capture.Column(id.Col); col == capture.ColNo || col == capture.ColLength || col == capture.ColTime {
		align = fyne.TextAlignTrailing
	}
	c.set(cellText(&r, capture.Column(id.Col), t.timeFmt), fg, bg, align)
}

func (t *PacketTable) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	h := o.(*headerCell)
	if id.Col < 0 || id.Col >= int(capture.NumColumns) {
		h.set("", color.Transparent, color.Transparent, fyne.TextAlignLeading)
		return
	}
	col := capture.Column(id.Col)
	st := t.sess.Status()
	text := col.String()
	if st.SortCol == col && (col != capture.ColNo || st.SortDesc) {
		if st.SortDesc {
			text += " ▼"
		} else {
			text += " ▲"
		}
	}
	th := t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	h.onTap = func() { t.SortBy(col) }
	h.set(text, th.Color(theme.ColorNameForeground, v), th.Color(theme.ColorNameHeaderBackground, v), fyne.TextAlignLeading)
}

// SortBy sorts by col like a header click: ascending first, then
// descending on a second click of the same header.
func (t *PacketTable) SortBy(col capture.Column) {
	st := t.sess.Status()
	desc := false
	if st.SortCol == col && !st.SortDesc {
		desc = true
	}
	t.sess.Sort(col, desc)
}

// ScrollToSelected brings the selected row into view. Before the table
// has been laid out the scroll is kept for the first Resize: scrolling a
// table without a size leaves it with an offset its cells do not follow.
func (t *PacketTable) ScrollToSelected() {
	_, pos := t.sess.Selected()
	if pos < 0 {
		return
	}
	if t.Size().Height < 3*t.rowHeight() {
		t.scrollPending = true
		return
	}
	t.scrollPending = false
	t.ScrollTo(widget.TableCellID{Row: pos, Col: 0})
}

// Resize implements fyne.Widget, running a scroll asked for too early.
func (t *PacketTable) Resize(size fyne.Size) {
	t.Table.Resize(size)
	if t.scrollPending {
		t.ScrollToSelected()
	}
}

// TypedKey moves the packet selection with the arrow and paging keys,
// as Wireshark's packet list does, instead of moving a cell focus.
func (t *PacketTable) TypedKey(ev *fyne.KeyEvent) {
	page := max(1, int(t.Size().Height/t.rowHeight())-2)
	switch ev.Name {
	case fyne.KeyDown:
		t.sess.Step(1)
	case fyne.KeyUp:
		t.sess.Step(-1)
	case fyne.KeyPageDown:
		t.sess.Step(page)
	case fyne.KeyPageUp:
		t.sess.Step(-page)
	case fyne.KeyHome:
		t.sess.SelectPos(0)
	case fyne.KeyEnd:
		t.sess.SelectPos(t.sess.Len() - 1)
	default:
		t.Table.TypedKey(ev)
		return
	}
	t.ScrollToSelected()
}

func (t *PacketTable) rowHeight() float32 {
	return newTextCell().MinSize().Height
}

// zeroPadTheme removes the table's gaps between cells so that coloured rows
// read as continuous bands; cells keep their own inset.
type zeroPadTheme struct{ fyne.Theme }

func (z zeroPadTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNamePadding {
		return 0
	}
	return z.Theme.Size(n)
}

// compactTheme tightens padding (tree rows, as dense as Wireshark's).
type compactTheme struct {
	fyne.Theme
	pad float32
}

func (c compactTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNamePadding || n == theme.SizeNameInnerPadding {
		return c.pad
	}
	return c.Theme.Size(n)
}
