package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// textCell is a packet-list cell: a filled background and one line of text
// cut with an ellipsis to the cell's width. Table cells are recycled, so it
// is cheap to update and draws nothing else.
type textCell struct {
	widget.BaseWidget
	text   string
	fg, bg color.Color
	align  fyne.TextAlign
	bold   bool

	// row and onSecondary give the packet list its context menu: the view
	// row the cell shows and what a right click on it does (nil: nothing).
	row         int
	onSecondary func(row int, ev *fyne.PointEvent)
}

var _ fyne.SecondaryTappable = (*textCell)(nil)

// TappedSecondary implements fyne.SecondaryTappable.
func (c *textCell) TappedSecondary(ev *fyne.PointEvent) {
	if c.onSecondary != nil {
		c.onSecondary(c.row, ev)
	}
}

func newTextCell() *textCell {
	c := &textCell{fg: color.Black, bg: color.Transparent}
	c.ExtendBaseWidget(c)
	return c
}

// set updates the cell and refreshes it only when something changed.
func (c *textCell) set(text string, fg, bg color.Color, align fyne.TextAlign) {
	if c.text == text && c.fg == fg && c.bg == bg && c.align == align {
		return
	}
	c.text, c.fg, c.bg, c.align = text, fg, bg, align
	c.Refresh()
}

// Text returns the full (uncut) text of the cell.
func (c *textCell) Text() string { return c.text }

func (c *textCell) CreateRenderer() fyne.WidgetRenderer {
	r := &cellRenderer{c: c, rect: canvas.NewRectangle(c.bg), txt: canvas.NewText("", c.fg)}
	r.Refresh()
	return r
}

// cellInset is the horizontal space between a cell's edge and its text.
const cellInset = 5

type cellRenderer struct {
	c    *textCell
	rect *canvas.Rectangle
	txt  *canvas.Text
	cut  float32 // width the text was last cut for
}

func (r *cellRenderer) Destroy() {}

func (r *cellRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.rect, r.txt} }

func (r *cellRenderer) MinSize() fyne.Size {
	th := r.c.Theme()
	h := fyne.MeasureText("Mg", th.Size(theme.SizeNameText), fyne.TextStyle{}).Height
	return fyne.NewSize(2*cellInset+20, h+4)
}

func (r *cellRenderer) Layout(size fyne.Size) {
	r.rect.Resize(size)
	r.fit(size)
}

// fit cuts the text to the available width and places it.
func (r *cellRenderer) fit(size fyne.Size) {
	avail := size.Width - 2*cellInset
	r.txt.Text = ellipsize(r.c.text, avail, r.txt.TextSize, r.txt.TextStyle)
	ts := fyne.MeasureText(r.txt.Text, r.txt.TextSize, r.txt.TextStyle)
	x := float32(cellInset)
	switch r.c.align {
	case fyne.TextAlignTrailing:
		x = size.Width - cellInset - ts.Width
	case fyne.TextAlignCenter:
		x = (size.Width - ts.Width) / 2
	}
	r.txt.Move(fyne.NewPos(x, (size.Height-ts.Height)/2))
	r.txt.Resize(ts)
	r.cut = size.Width
}

func (r *cellRenderer) Refresh() {
	th := r.c.Theme()
	r.rect.FillColor = r.c.bg
	r.txt.Color = r.c.fg
	r.txt.TextSize = th.Size(theme.SizeNameText)
	r.txt.TextStyle = fyne.TextStyle{Bold: r.c.bold}
	r.fit(r.c.Size())
	r.rect.Refresh()
	r.txt.Refresh()
}

// ellipsize returns s, or its longest prefix plus "…" that fits width.
func ellipsize(s string, width, size float32, style fyne.TextStyle) string {
	if s == "" || fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	runes := []rune(s)
	lo, hi := 0, len(runes) // lo fits, hi does not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return ""
	}
	return string(runes[:lo]) + "…"
}

// headerCell is a column header that sorts when tapped.
type headerCell struct {
	textCell
	onTap func()
}

var _ fyne.Tappable = (*headerCell)(nil)

func newHeaderCell() *headerCell {
	h := &headerCell{}
	h.fg, h.bg, h.bold = color.Black, color.Transparent, true
	h.ExtendBaseWidget(h)
	return h
}

// Tapped implements fyne.Tappable.
func (h *headerCell) Tapped(*fyne.PointEvent) {
	if h.onTap != nil {
		h.onTap()
	}
}

func (h *headerCell) CreateRenderer() fyne.WidgetRenderer {
	r := &cellRenderer{c: &h.textCell, rect: canvas.NewRectangle(h.bg), txt: canvas.NewText("", h.fg)}
	r.Refresh()
	return r
}
