package ui

import (
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiseki-app/kaiseki/capture"
)

// StartPage is shown while no capture is open: local interfaces with a
// live packet-rate graph, the capture options and the recent files.
type StartPage struct {
	content fyne.CanvasObject
	capture *capturePanel
	recent  *fyne.Container
	ifaces  []ifaceRow
	// onCapture starts a live capture (set by the window).
	onCapture func(capture.LiveOptions)

	counter PacketCounter
	win     fyne.Window
	open    func(path string)
	openDlg func()

	mu     sync.Mutex // guards stop and probed
	stop   chan struct{}
	probed bool
}

type ifaceRow struct {
	name  string
	spark *Sparkline
	rate  *widget.Label
	last  uint64
	have  bool
}

func newStartPage(win fyne.Window, open func(string), openDlg func()) *StartPage {
	p := &StartPage{counter: sysPacketCount, win: win, open: open, openDlg: openDlg}
	title := widget.NewLabelWithStyle("Welcome to Kaiseki", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText

	openBtn := widget.NewButtonWithIcon("Open a capture file…", theme.FolderOpenIcon(), openDlg)
	openBtn.Importance = widget.HighImportance
	p.recent = container.NewVBox()

	p.capture = newCapturePanel(win, func(o capture.LiveOptions) {
		if p.onCapture != nil {
			p.onCapture(o)
		}
	})
	ifList := container.NewVBox()
	p.ifaces = p.capture.addInterfaces(ifList)
	captureBox := container.NewVBox(
		widget.NewLabelWithStyle("Capture", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.capture.content, ifList,
	)
	openBox := container.NewVBox(
		widget.NewLabelWithStyle("Open", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(openBtn), widget.NewLabel("Recent files (or drop a file on this window):"), p.recent,
	)
	body := container.NewVBox(title, widget.NewSeparator(), openBox, widget.NewSeparator(), captureBox)
	p.content = container.NewVScroll(container.NewPadded(body))
	return p
}

// SetRecent shows paths (most recent first) as links that open them.
func (p *StartPage) SetRecent(paths []string) {
	p.recent.RemoveAll()
	if len(paths) == 0 {
		l := widget.NewLabel("none yet")
		l.Importance = widget.LowImportance
		p.recent.Add(l)
	}
	for _, path := range paths {
		b := widget.NewButtonWithIcon(fmt.Sprintf("%s   (%s)", filepath.Base(path), filepath.Dir(path)), theme.FileIcon(), func() { p.open(path) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		p.recent.Add(b)
	}
	p.recent.Refresh()
}

// StartSampling samples the interfaces' packet counters once a second and
// updates the graphs until StopSampling. post runs UI updates on the UI
// goroutine (fyne.Do).
func (p *StartPage) StartSampling(post func(func())) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		return
	}
	if !p.probed {
		// Which interfaces can this user capture on? The helper answers.
		p.probed = true
		p.capture.probe(post)
	}
	stop := make(chan struct{})
	p.stop = stop
	names := make([]string, len(p.ifaces))
	for i, r := range p.ifaces {
		names[i] = r.name
	}
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			counts := make([]uint64, len(names))
			oks := make([]bool, len(names))
			for i, n := range names {
				counts[i], oks[i] = p.counter(n)
			}
			post(func() { p.sample(counts, oks) })
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
}

// StopSampling stops the sampler started by StartSampling.
func (p *StartPage) StopSampling() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
}

// sample turns counter readings into per-second rates (UI goroutine).
func (p *StartPage) sample(counts []uint64, oks []bool) {
	for i := range p.ifaces {
		r := &p.ifaces[i]
		if !oks[i] {
			r.rate.SetText("n/a")
			continue
		}
		if r.have {
			d := float64(counts[i] - r.last)
			r.spark.Push(d)
			r.rate.SetText(fmt.Sprintf("%.0f pkt/s", d))
		}
		r.last, r.have = counts[i], true
	}
}
