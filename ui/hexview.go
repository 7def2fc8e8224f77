// Package ui holds Kaiseki's Fyne widgets and main window. It renders a
// capture.Session and sends it commands; it never reads capture files or
// decodes packets itself.
package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// HexView shows packet bytes as Wireshark's bytes pane does: offset, 16
// bytes in hex (two groups of 8) and their ASCII, with one byte range
// highlighted. Tapping a byte reports its offset through OnByteSelected.
type HexView struct {
	widget.BaseWidget

	// OnByteSelected is called with the offset of a tapped byte.
	OnByteSelected func(off int)

	data         []byte
	hlOff, hlLen int
}

var (
	_ fyne.Tappable = (*HexView)(nil)
	_ fyne.Widget   = (*HexView)(nil)
)

// NewHexView returns an empty hex view.
func NewHexView() *HexView {
	h := &HexView{}
	h.ExtendBaseWidget(h)
	return h
}

// SetData shows data (kept, not copied) and clears the highlight.
func (h *HexView) SetData(data []byte) {
	h.data = data
	h.hlOff, h.hlLen = 0, 0
	h.Refresh()
}

// Data returns the bytes shown.
func (h *HexView) Data() []byte { return h.data }

// SetHighlight highlights n bytes from off (n == 0 clears it). The range
// is clipped to the data.
func (h *HexView) SetHighlight(off, n int) {
	off = max(0, min(off, len(h.data)))
	n = max(0, min(n, len(h.data)-off))
	if off == h.hlOff && n == h.hlLen {
		return
	}
	h.hlOff, h.hlLen = off, n
	h.Refresh()
}

// Highlight returns the highlighted range.
func (h *HexView) Highlight() (off, n int) { return h.hlOff, h.hlLen }

// Tapped selects the byte under the pointer.
func (h *HexView) Tapped(ev *fyne.PointEvent) {
	if off, ok := h.ByteAt(ev.Position); ok && h.OnByteSelected != nil {
		h.OnByteSelected(off)
	}
}

// ByteAt returns the offset of the byte drawn at pos (in the widget's
// coordinates), in either the hex or the ASCII column.
func (h *HexView) ByteAt(pos fyne.Position) (int, bool) {
	cw, lh := h.cellSize()
	if cw <= 0 || lh <= 0 || pos.X < hexPad || pos.Y < hexPad {
		return 0, false
	}
	line := int((pos.Y - hexPad) / lh)
	col := int((pos.X - hexPad) / cw)
	lay := hexLayout(len(h.data))
	b := -1
	switch {
	case col >= lay.hexStart && col < lay.asciiStart-2:
		c := col - lay.hexStart
		if c >= 3*8+1 { // second group, after its extra space
			c--
			if c/3 >= 8 {
				b = c / 3
			}
		} else if c/3 < 8 {
			b = c / 3
		}
		if c%3 == 2 { // the space between two bytes
			b = -1
		}
	case col >= lay.asciiStart && col < lay.asciiStart+16:
		b = col - lay.asciiStart
	}
	if b < 0 {
		return 0, false
	}
	off := line*16 + b
	if off >= len(h.data) {
		return 0, false
	}
	return off, true
}

// hexPad is the margin around the text.
const hexPad = 4

type hexCols struct {
	offDigits  int
	hexStart   int // column of the first hex digit
	asciiStart int // column of the first ASCII char
	width      int // columns per line
}

func hexLayout(n int) hexCols {
	d := 4
	for v := n - 1; v > 0xffff && d < 8; v >>= 4 {
		d++
	}
	l := hexCols{offDigits: d, hexStart: d + 2}
	l.asciiStart = l.hexStart + 16*3 + 1 + 1 // 16 "xx ", one group gap, one more space
	l.width = l.asciiStart + 16
	return l
}

func (h *HexView) textSize() float32 { return h.Theme().Size(theme.SizeNameText) }

// cellSize returns the width of one monospace character and the line height.
func (h *HexView) cellSize() (float32, float32) {
	sz := fyne.MeasureText("0000000000", h.textSize(), fyne.TextStyle{Monospace: true})
	return sz.Width / 10, sz.Height
}

// lines formats the dump, one string per 16 bytes.
func (h *HexView) lines() []string {
	const hexd = "0123456789abcdef"
	lay := hexLayout(len(h.data))
	out := make([]string, 0, (len(h.data)+15)/16)
	var b strings.Builder
	for off := 0; off < len(h.data); off += 16 {
		b.Reset()
		for s := (lay.offDigits - 1) * 4; s >= 0; s -= 4 {
			b.WriteByte(hexd[(off>>s)&15])
		}
		b.WriteString("  ")
		line := h.data[off:min(off+16, len(h.data))]
		for i := range 16 {
			if i == 8 {
				b.WriteByte(' ')
			}
			if i < len(line) {
				b.WriteByte(hexd[line[i]>>4])
				b.WriteByte(hexd[line[i]&15])
				b.WriteByte(' ')
			} else {
				b.WriteString("   ")
			}
		}
		b.WriteByte(' ')
		for _, c := range line {
			if c < 0x20 || c >= 0x7f {
				c = '.'
			}
			b.WriteByte(c)
		}
		out = append(out, b.String())
	}
	return out
}

// CreateRenderer implements fyne.Widget.
func (h *HexView) CreateRenderer() fyne.WidgetRenderer {
	r := &hexRenderer{h: h}
	r.Refresh()
	return r
}

// hexRenderer draws one canvas.Text per line over highlight rectangles.
type hexRenderer struct {
	h       *HexView
	texts   []*canvas.Text
	marks   []*canvas.Rectangle
	objects []fyne.CanvasObject

	// what the objects currently show, to skip work when nothing changed
	data         []byte
	hlOff, hlLen int
	size         float32
	fg, hl       color.Color
}

func (r *hexRenderer) Destroy() {}

func (r *hexRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *hexRenderer) MinSize() fyne.Size {
	cw, lh := r.h.cellSize()
	lay := hexLayout(len(r.h.data))
	lines := max(1, (len(r.h.data)+15)/16)
	return fyne.NewSize(float32(lay.width)*cw+2*hexPad, float32(lines)*lh+2*hexPad)
}

func (r *hexRenderer) Layout(fyne.Size) {
	cw, lh := r.h.cellSize()
	for i, t := range r.texts {
		t.Move(fyne.NewPos(hexPad, hexPad+float32(i)*lh))
		t.Resize(fyne.NewSize(float32(len(t.Text))*cw, lh))
	}
	r.layoutMarks(cw, lh)
}

// layoutMarks places one rectangle per line for the hex part and one for
// the ASCII part of the highlighted range.
func (r *hexRenderer) layoutMarks(cw, lh float32) {
	h := r.h
	lay := hexLayout(len(h.data))
	k := 0
	if h.hlLen > 0 {
		end := h.hlOff + h.hlLen
		for line := h.hlOff / 16; line*16 < end; line++ {
			a := max(h.hlOff, line*16) - line*16
			b := min(end, line*16+16) - line*16 // exclusive
			hexCol := func(i int) int {
				c := lay.hexStart + i*3
				if i >= 8 {
					c++
				}
				return c
			}
			y := hexPad + float32(line)*lh
			x1 := hexCol(a)
			x2 := hexCol(b-1) + 2
			r.mark(k, hexPad+float32(x1)*cw, y, float32(x2-x1)*cw, lh)
			k++
			r.mark(k, hexPad+float32(lay.asciiStart+a)*cw, y, float32(b-a)*cw, lh)
			k++
		}
	}
	for ; k < len(r.marks); k++ {
		r.marks[k].Hide()
	}
}

func (r *hexRenderer) mark(k int, x, y, w, hgt float32) {
	m := r.marks[k]
	m.Move(fyne.NewPos(x, y))
	m.Resize(fyne.NewSize(w, hgt))
	m.Show()
}

func (r *hexRenderer) Refresh() {
	h := r.h
	th := h.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNameForeground, v)
	hl := th.Color(theme.ColorNameSelection, v)
	size := h.textSize()
	dataSame := len(r.data) == len(h.data) && (len(h.data) == 0 || &r.data[0] == &h.data[0])
	if dataSame && r.hlOff == h.hlOff && r.hlLen == h.hlLen && r.size == size && r.fg == fg && r.hl == hl && r.texts != nil {
		return
	}
	if !dataSame || r.size != size || r.fg != fg || r.texts == nil {
		lines := h.lines()
		for len(r.texts) < len(lines) {
			t := canvas.NewText("", fg)
			t.TextStyle = fyne.TextStyle{Monospace: true}
			r.texts = append(r.texts, t)
		}
		r.texts = r.texts[:len(lines)]
		for i, s := range lines {
			t := r.texts[i]
			t.Text, t.Color, t.TextSize = s, fg, size
			t.Refresh()
		}
	}
	// Two rectangles per highlighted line.
	need := 0
	if h.hlLen > 0 {
		need = 2 * ((h.hlOff+h.hlLen-1)/16 - h.hlOff/16 + 1)
	}
	for len(r.marks) < need {
		r.marks = append(r.marks, canvas.NewRectangle(hl))
	}
	for _, m := range r.marks {
		if m.FillColor != hl {
			m.FillColor = hl
			m.Refresh()
		}
	}
	r.objects = r.objects[:0]
	for _, m := range r.marks {
		r.objects = append(r.objects, m)
	}
	for _, t := range r.texts {
		r.objects = append(r.objects, t)
	}
	r.data, r.hlOff, r.hlLen, r.size, r.fg, r.hl = h.data, h.hlOff, h.hlLen, size, fg, hl
	r.Layout(h.Size())
	canvas.Refresh(h)
}
