package ui

import (
	"image"
	"image/color"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// LocalInterface is a network interface of this machine, for the start page.
type LocalInterface struct {
	Name  string
	Addrs []string
	Flags string
	Up    bool
}

// LocalInterfaces lists the machine's interfaces with their addresses.
func LocalInterfaces() ([]LocalInterface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	out := make([]LocalInterface, 0, len(ifs))
	for _, in := range ifs {
		li := LocalInterface{Name: in.Name, Flags: in.Flags.String(), Up: in.Flags&net.FlagUp != 0}
		if addrs, err := in.Addrs(); err == nil {
			for _, a := range addrs {
				li.Addrs = append(li.Addrs, a.String())
			}
		}
		out = append(out, li)
	}
	return out, nil
}

// PacketCounter returns an interface's total packet count (received plus
// sent) from the operating system's counters; ok is false where they
// cannot be read. It does not need capture privileges.
type PacketCounter func(name string) (n uint64, ok bool)

// sysPacketCount reads Linux's /sys/class/net/NAME/statistics counters.
func sysPacketCount(name string) (uint64, bool) {
	var total uint64
	for _, f := range []string{"rx_packets", "tx_packets"} {
		b, err := os.ReadFile(filepath.Join("/sys/class/net", name, "statistics", f))
		if err != nil {
			return 0, false
		}
		v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
		if err != nil {
			return 0, false
		}
		total += v
	}
	return total, true
}

// sparkSamples is how many rate samples a sparkline shows.
const sparkSamples = 40

// Sparkline draws a small line chart of recent values (packet rates).
type Sparkline struct {
	widget.BaseWidget
	values []float64
}

// NewSparkline returns an empty sparkline.
func NewSparkline() *Sparkline {
	s := &Sparkline{}
	s.ExtendBaseWidget(s)
	return s
}

// Push appends a value, dropping the oldest beyond the window.
func (s *Sparkline) Push(v float64) {
	s.values = append(s.values, v)
	if len(s.values) > sparkSamples {
		s.values = s.values[len(s.values)-sparkSamples:]
	}
	s.Refresh()
}

// Values returns the samples shown, oldest first.
func (s *Sparkline) Values() []float64 { return s.values }

// CreateRenderer implements fyne.Widget.
func (s *Sparkline) CreateRenderer() fyne.WidgetRenderer {
	r := &sparkRenderer{s: s}
	r.raster = canvas.NewRaster(r.draw)
	return r
}

type sparkRenderer struct {
	s      *Sparkline
	raster *canvas.Raster
}

func (r *sparkRenderer) Destroy()                     {}
func (r *sparkRenderer) Layout(size fyne.Size)        { r.raster.Resize(size) }
func (r *sparkRenderer) MinSize() fyne.Size           { return fyne.NewSize(120, 22) }
func (r *sparkRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.raster} }
func (r *sparkRenderer) Refresh()                     { r.raster.Refresh() }

// draw renders the values as a filled area with a line on top, scaled to
// the largest value shown.
func (r *sparkRenderer) draw(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	vals := r.s.values
	if w < 2 || h < 2 || len(vals) == 0 {
		return img
	}
	v := fyne.CurrentApp().Settings().ThemeVariant()
	line := r.s.Theme().Color(theme.ColorNamePrimary, v)
	lr, lg, lb, _ := line.RGBA()
	fill := color.NRGBA{R: uint8(lr >> 8), G: uint8(lg >> 8), B: uint8(lb >> 8), A: 0x50}
	stroke := color.NRGBA{R: uint8(lr >> 8), G: uint8(lg >> 8), B: uint8(lb >> 8), A: 0xff}
	top := 1.0
	for _, x := range vals {
		top = max(top, x)
	}
	prevY := -1
	for x := range w {
		// Samples are right-aligned: the newest is at the right edge.
		k := len(vals) - 1 - (w-1-x)*(sparkSamples-1)/(w-1)
		if k < 0 {
			continue
		}
		y := h - 1 - int(vals[k]/top*float64(h-2))
		for yy := y + 1; yy < h; yy++ {
			img.SetNRGBA(x, yy, fill)
		}
		a, b := y, y
		if prevY >= 0 {
			a, b = min(y, prevY), max(y, prevY)
		}
		for yy := a; yy <= b; yy++ {
			img.SetNRGBA(x, yy, stroke)
		}
		prevY = y
	}
	return img
}
