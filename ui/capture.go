package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/capture/pcapdev"
)

// captureIface is a local interface as the start page lists it.
type captureIface struct {
	Name, Desc string
	Addrs      []string
	Flags      string
	Up         bool
}

// captureInterfaces lists the interfaces libpcap sees, or, in builds
// without libpcap, the operating system's (the helper still captures).
func captureInterfaces() ([]captureIface, error) {
	if devs, err := pcapdev.List(); err == nil {
		out := make([]captureIface, 0, len(devs))
		for _, d := range devs {
			out = append(out, captureIface{Name: d.Name, Desc: d.Description, Addrs: d.Addresses, Flags: d.Flags(), Up: d.Up})
		}
		return out, nil
	}
	ifs, err := LocalInterfaces()
	if err != nil {
		return nil, err
	}
	out := make([]captureIface, 0, len(ifs))
	for _, in := range ifs {
		out = append(out, captureIface{Name: in.Name, Addrs: in.Addrs, Flags: in.Flags, Up: in.Up})
	}
	return out, nil
}

// capturePanel is the start page's capture section: the capture options
// (capture filter checked by libpcap as you type, promiscuous mode, snap
// length, stop conditions), the interfaces with their traffic and whether
// this user may capture on them, and the Start button. Double-clicking an
// interface starts a capture on it.
type capturePanel struct {
	content fyne.CanvasObject
	win     fyne.Window
	start   func(capture.LiveOptions)

	filter     *widget.Entry
	filterTint *container.ThemeOverride
	filterMsg  *widget.Label
	promisc    *widget.Check
	snap       *widget.Entry
	stopPkts   *widget.Entry
	stopSecs   *widget.Entry
	stopKB     *widget.Entry
	startBtn   *widget.Button
	optMsg     *widget.Label
	helperNote *widget.Label

	items    []*ifaceItem
	selected string
	helper   string // capture helper path ("" when not found)
}

func newCapturePanel(win fyne.Window, start func(capture.LiveOptions)) *capturePanel {
	cp := &capturePanel{win: win, start: start}
	cp.filter = widget.NewEntry()
	cp.filter.SetPlaceHolder("Capture filter (BPF), e.g. tcp port 80 or udp port 53")
	cp.filter.OnChanged = func(string) { cp.checkFilter() }
	cp.filter.OnSubmitted = func(string) { cp.startSelected() }
	cp.filterTint = container.NewThemeOverride(cp.filter, &tintTheme{})
	cp.filterMsg = widget.NewLabel("")
	cp.filterMsg.Wrapping = fyne.TextWrapWord
	cp.filterMsg.Hide()
	cp.promisc = widget.NewCheck("Promiscuous mode", nil)
	cp.promisc.SetChecked(true)
	num := func(ph string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(ph)
		return e
	}
	cp.snap = num("262144")
	cp.stopPkts, cp.stopSecs, cp.stopKB = num("–"), num("–"), num("–")
	cp.startBtn = widget.NewButtonWithIcon("Start", theme.MediaRecordIcon(), cp.startSelected)
	cp.startBtn.Importance = widget.HighImportance
	cp.startBtn.Disable()
	cp.optMsg = widget.NewLabel("")
	cp.optMsg.Importance = widget.DangerImportance
	cp.optMsg.Hide()
	cp.helperNote = widget.NewLabel("")
	cp.helperNote.Wrapping = fyne.TextWrapWord
	cp.helperNote.Importance = widget.WarningImportance
	cp.helperNote.Hide()
	if h, err := capture.FindHelper(); err == nil {
		cp.helper = h
	} else {
		cp.helperNote.SetText("Live capture needs Kaiseki's capture helper (" + capture.HelperName +
			"), installed beside kaiseki or in PATH; it was not found, so capture cannot start. " +
			"The graphs show each interface's traffic from the system's counters.")
		cp.helperNote.Show()
	}

	wide := func(e *widget.Entry) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(90, e.MinSize().Height), e)
	}
	filterRow := container.NewBorder(nil, nil, widget.NewLabel("Capture filter:"), nil, cp.filterTint)
	opts := container.NewHBox(cp.promisc, widget.NewSeparator(),
		widget.NewLabel("Snap length"), wide(cp.snap), widget.NewSeparator(),
		widget.NewLabel("Stop after"), wide(cp.stopPkts), widget.NewLabel("packets"),
		wide(cp.stopSecs), widget.NewLabel("seconds"), wide(cp.stopKB), widget.NewLabel("kB"))
	optsRow := container.NewBorder(nil, nil, nil, cp.startBtn, opts)
	cp.content = container.NewVBox(filterRow, cp.filterMsg, optsRow, cp.optMsg, cp.helperNote)
	return cp
}

// addInterfaces builds the interface rows into list, returning the
// sparkline rows for the start page's sampler.
func (cp *capturePanel) addInterfaces(list *fyne.Container) []ifaceRow {
	ifs, err := captureInterfaces()
	if err != nil {
		list.Add(widget.NewLabel("Cannot list interfaces: " + err.Error()))
		return nil
	}
	rows := make([]ifaceRow, 0, len(ifs))
	for _, in := range ifs {
		it := newIfaceItem(cp, in)
		cp.items = append(cp.items, it)
		rows = append(rows, ifaceRow{name: in.Name, spark: it.spark, rate: it.rate})
		list.Add(it)
	}
	return rows
}

// probe asks the helper, in the background, which interfaces this user
// may capture on; post delivers the answers on the UI goroutine.
func (cp *capturePanel) probe(post func(func())) {
	if cp.helper == "" {
		for _, it := range cp.items {
			it.setAccess(capture.Access{Msg: "capture helper not installed"})
		}
		return
	}
	sem := make(chan struct{}, 4)
	for _, it := range cp.items {
		go func() {
			sem <- struct{}{}
			a := capture.ProbeInterface(context.Background(), cp.helper, it.iface.Name)
			<-sem
			post(func() { it.setAccess(a) })
		}()
	}
}

// checkFilter validates the capture filter with libpcap as it is typed:
// green when it compiles, red with libpcap's message when it does not.
func (cp *capturePanel) checkFilter() {
	expr := strings.TrimSpace(cp.filter.Text)
	snap, _ := strconv.Atoi(strings.TrimSpace(cp.snap.Text))
	v := filterEmpty
	cp.filterMsg.Hide()
	if expr != "" {
		if err := capture.CheckFilter(expr, snap); err != nil {
			v = filterInvalid
			cp.filterMsg.SetText(err.Error())
			cp.filterMsg.Importance = widget.DangerImportance
			cp.filterMsg.Show()
		} else {
			v = filterValid
		}
	}
	cp.filterTint.Theme = &tintTheme{bg: validityColor(v)}
	cp.filterTint.Refresh()
}

// FilterMessage returns the capture filter's error text ("" when valid).
func (cp *capturePanel) FilterMessage() string {
	if !cp.filterMsg.Visible() {
		return ""
	}
	return cp.filterMsg.Text
}

// options reads the capture options for interface iface.
func (cp *capturePanel) options(iface string) (capture.LiveOptions, error) {
	opt := capture.LiveOptions{Interface: iface, Filter: strings.TrimSpace(cp.filter.Text), NoPromisc: !cp.promisc.Checked}
	parse := func(e *widget.Entry, what string) (int64, error) {
		s := strings.TrimSpace(e.Text)
		if s == "" {
			return 0, nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%s: %q is not a positive number", what, s)
		}
		return n, nil
	}
	snap, err := parse(cp.snap, "snap length")
	if err != nil {
		return opt, err
	}
	opt.SnapLen = int(snap)
	if opt.Count, err = parse(cp.stopPkts, "stop after packets"); err != nil {
		return opt, err
	}
	secs, err := parse(cp.stopSecs, "stop after seconds")
	if err != nil {
		return opt, err
	}
	opt.Duration = time.Duration(secs) * time.Second
	kb, err := parse(cp.stopKB, "stop after kB")
	if err != nil {
		return opt, err
	}
	opt.MaxBytes = kb * 1000
	if err := capture.CheckFilter(opt.Filter, opt.SnapLen); err != nil {
		return opt, err
	}
	return opt, nil
}

// startSelected starts a capture on the selected interface.
func (cp *capturePanel) startSelected() {
	if cp.selected == "" {
		cp.showOptError(errors.New("select an interface to capture on"))
		return
	}
	cp.startOn(cp.selected)
}

func (cp *capturePanel) startOn(name string) {
	opt, err := cp.options(name)
	if err != nil {
		cp.showOptError(err)
		return
	}
	cp.optMsg.Hide()
	cp.start(opt)
}

func (cp *capturePanel) showOptError(err error) {
	cp.optMsg.SetText(err.Error())
	cp.optMsg.Show()
}

func (cp *capturePanel) selectIface(name string) {
	cp.selected = name
	for _, it := range cp.items {
		it.setSelected(it.iface.Name == name)
	}
	cp.startBtn.Enable()
}

// ifaceItem is one interface on the start page: tap selects it, double tap
// starts capturing on it.
type ifaceItem struct {
	widget.BaseWidget
	cp     *capturePanel
	iface  captureIface
	bg     *canvas.Rectangle
	access *widget.Label
	spark  *Sparkline
	rate   *widget.Label
	body   fyne.CanvasObject
}

func newIfaceItem(cp *capturePanel, in captureIface) *ifaceItem {
	it := &ifaceItem{cp: cp, iface: in, bg: canvas.NewRectangle(color.Transparent), spark: NewSparkline(), rate: widget.NewLabel("–")}
	name := widget.NewLabelWithStyle(in.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	addrs := strings.Join(in.Addrs, "  ")
	if addrs == "" {
		addrs = "no addresses"
	}
	if in.Desc != "" {
		addrs = in.Desc + " · " + addrs
	}
	detail := widget.NewLabel(addrs)
	detail.Truncation = fyne.TextTruncateEllipsis
	flags := in.Flags
	if flags == "" {
		flags = "down"
	}
	it.access = widget.NewLabel(flags + " · checking whether you can capture…")
	it.access.Importance = widget.LowImportance
	it.access.Wrapping = fyne.TextWrapWord
	start := widget.NewButtonWithIcon("", theme.MediaRecordIcon(), func() { cp.selectIface(in.Name); cp.startOn(in.Name) })
	left := container.NewHBox(start, container.NewGridWrap(fyne.NewSize(110, name.MinSize().Height), name))
	right := container.NewHBox(container.NewGridWrap(fyne.NewSize(140, 30), it.spark), container.NewGridWrap(fyne.NewSize(80, 30), it.rate))
	// Two dense lines, as in Wireshark's interface list.
	center := container.NewThemeOverride(container.NewVBox(detail, it.access), compactTheme{theme.DefaultTheme(), 1})
	it.body = container.NewStack(it.bg, container.NewBorder(nil, nil, left, right, center))
	it.ExtendBaseWidget(it)
	return it
}

// CreateRenderer implements fyne.Widget.
func (it *ifaceItem) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(it.body) }

// Tapped implements fyne.Tappable: it selects the interface.
func (it *ifaceItem) Tapped(*fyne.PointEvent) { it.cp.selectIface(it.iface.Name) }

// DoubleTapped implements fyne.DoubleTappable: it starts capturing.
func (it *ifaceItem) DoubleTapped(*fyne.PointEvent) {
	it.cp.selectIface(it.iface.Name)
	it.cp.startOn(it.iface.Name)
}

func (it *ifaceItem) setSelected(on bool) {
	if on {
		it.bg.FillColor = it.Theme().Color(theme.ColorNameSelection, fyne.CurrentApp().Settings().ThemeVariant())
	} else {
		it.bg.FillColor = color.Transparent
	}
	it.bg.Refresh()
}

// setAccess shows whether this user may capture on the interface and, if
// not, exactly what to do.
func (it *ifaceItem) setAccess(a capture.Access) {
	flags := it.iface.Flags
	if flags == "" {
		flags = "down"
	}
	switch {
	case a.OK:
		it.access.SetText(flags + " · ✓ you can capture here")
		it.access.Importance = widget.SuccessImportance
	case a.NotPermitted:
		it.access.SetText(flags + " · not permitted: " + a.Msg)
		it.access.Importance = widget.WarningImportance
	default:
		it.access.SetText(flags + " · cannot capture: " + a.Msg)
		it.access.Importance = widget.LowImportance
	}
	it.access.Refresh()
}

// AccessText returns the capture-permission line (tests).
func (it *ifaceItem) AccessText() string { return it.access.Text }

// captureCtl is the window's part of live capture: the toolbar and menu
// actions, the options of the last capture (Ctrl+E restarts it), following
// new rows, and the Save / Discard / Cancel prompt.
type captureCtl struct {
	startAct, stopAct *widget.ToolbarAction
	last              *capture.LiveOptions
	helper            string // overrides capture.FindHelper (tests)
	rows              int    // table rows when the view last followed
}

// StartCapture starts a live capture with opt, asking first what to do
// with unsaved packets (a running capture is stopped first). Errors (no
// helper, permission, capture filter) are shown in a dialog.
func (w *MainWindow) StartCapture(opt capture.LiveOptions) {
	if w.sess.Status().State == capture.StateCapturing {
		w.whenStopped(func() { w.StartCapture(opt) })
		return
	}
	w.ConfirmUnsaved("starting a new capture", func() {
		if opt.Helper == "" {
			opt.Helper = w.capt.helper
		}
		if opt.Helper == "" {
			h, err := capture.FindHelper()
			if err != nil {
				dialog.ShowError(fmt.Errorf("cannot capture: %w", err), w.win)
				return
			}
			opt.Helper = h
		}
		w.shown = -1
		w.msg = ""
		w.onIdle = nil
		w.capt.rows = 0
		if err := w.sess.StartCapture(opt); err != nil {
			w.showCaptureError(opt, err)
			return
		}
		o := opt
		w.capt.last = &o
		w.Start.StopSampling()
		w.filter.reapply()
	})
}

// showCaptureError explains why a capture did not start; a permission
// problem gets this OS's instructions.
func (w *MainWindow) showCaptureError(opt capture.LiveOptions, err error) {
	msg := err.Error()
	if errors.Is(err, exec.ErrNotFound) || strings.Contains(msg, "not found") {
		msg += "\n\nInstall " + capture.HelperName + " beside kaiseki (the packages do)."
	} else if strings.Contains(msg, pcapdev.ErrPermission.Error()) && !strings.Contains(msg, "setcap") {
		msg += "\n\n" + pcapdev.PermissionHint(opt.Helper)
	}
	lbl := widget.NewLabel(msg)
	lbl.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Cannot capture on "+opt.Interface, "Close", container.NewGridWrap(fyne.NewSize(560, 160), lbl), w.win)
	d.Show()
}

// whenStopped runs f now, or, while capturing, stops the capture and runs
// f once it has stopped (its packets can then be saved).
func (w *MainWindow) whenStopped(f func()) {
	if w.sess.Status().State != capture.StateCapturing {
		f()
		return
	}
	w.onIdle = append(w.onIdle, f)
	w.sess.StopCapture()
}

// StopCapture stops a running capture; its packets stay.
func (w *MainWindow) StopCapture() { w.sess.StopCapture() }

// ToggleCapture is Ctrl+E: stop a running capture, or start one on the
// interface selected on the start page (else the last one used).
func (w *MainWindow) ToggleCapture() {
	st := w.sess.Status()
	if st.State == capture.StateCapturing {
		w.StopCapture()
		return
	}
	if cp := w.Start.capture; cp != nil && cp.selected != "" && st.State == capture.StateIdle {
		cp.startSelected()
		return
	}
	if w.capt.last != nil {
		w.StartCapture(*w.capt.last)
		return
	}
	if cp := w.Start.capture; cp != nil && cp.selected != "" {
		cp.startSelected()
		return
	}
	w.setMessage("Choose an interface on the start page to capture on")
}

// updateCaptureActions enables Start or Stop (toolbar) for state.
func (w *MainWindow) updateCaptureActions(state capture.SessionState) {
	if w.capt.startAct == nil {
		return
	}
	if state == capture.StateCapturing {
		w.capt.startAct.Disable()
		w.capt.stopAct.Enable()
	} else {
		w.capt.startAct.Enable()
		w.capt.stopAct.Disable()
	}
}

// followNew keeps the newest packets in view while capturing, unless the
// user scrolled away from the end of the list.
func (w *MainWindow) followNew() {
	rows, _ := w.Table.Length()
	prev := w.capt.rows
	w.capt.rows = rows
	if rows == prev || !w.Table.atEnd(prev) {
		return
	}
	w.Table.ScrollToBottom()
}

// atEnd reports whether the last of the first rows rows is in view (or
// the table cannot tell, or has not been laid out).
func (t *PacketTable) atEnd(rows int) bool {
	h := t.Size().Height
	if rows == 0 || h <= 0 {
		return true
	}
	off, ok := tableOffsetY(&t.Table)
	if !ok {
		return true
	}
	rowH := t.rowHeight()
	// The header row takes one row of the table's height.
	return off+h-rowH >= float32(rows)*rowH-2*rowH
}

// tableOffsetY reads the table's vertical scroll offset, which Fyne keeps
// unexported; ok is false if that changes.
func tableOffsetY(t *widget.Table) (float32, bool) {
	v := reflect.ValueOf(t).Elem().FieldByName("offset")
	if !v.IsValid() || v.Kind() != reflect.Struct {
		return 0, false
	}
	y := v.FieldByName("Y")
	if !y.IsValid() || y.Kind() != reflect.Float32 {
		return 0, false
	}
	return float32(y.Float()), true
}

// OfferRecovery offers to open or delete spool files that captures which
// did not end cleanly left behind (capture.OrphanSpools).
func (w *MainWindow) OfferRecovery(spools []capture.Spool) {
	if len(spools) == 0 {
		return
	}
	box := container.NewVBox()
	var d *dialog.CustomDialog
	var rows []fyne.CanvasObject
	for i, sp := range spools {
		info := widget.NewLabel(fmt.Sprintf("%s — %s, %s", filepath.Base(sp.Path), sizeText(sp.Size), sp.ModTime.Format("2006-01-02 15:04:05")))
		info.Truncation = fyne.TextTruncateEllipsis
		var row *fyne.Container
		open := widget.NewButtonWithIcon("Open", theme.FolderOpenIcon(), func() {
			d.Hide()
			w.ConfirmUnsaved("opening a recovered capture", func() {
				if err := w.sess.Recover(sp.Path); err != nil {
					dialog.ShowError(err, w.win)
					return
				}
				w.Start.StopSampling()
				w.filter.reapply()
			})
		})
		del := widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() {
			if err := os.Remove(sp.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
				dialog.ShowError(err, w.win)
				return
			}
			row.Hide()
			rows[i] = nil
			for _, r := range rows {
				if r != nil {
					return
				}
			}
			d.Hide()
		})
		row = container.NewBorder(nil, nil, nil, container.NewHBox(open, del), info)
		rows = append(rows, row)
		box.Add(row)
	}
	note := widget.NewLabel("Kaiseki found captures that were not saved: the app or the capture helper stopped before they were. Open one to look at it and save it, or delete it.")
	note.Wrapping = fyne.TextWrapWord
	d = dialog.NewCustom("Recover unsaved captures", "Later", container.NewBorder(note, nil, nil, nil, container.NewVScroll(box)), w.win)
	d.Resize(fyne.NewSize(720, 360))
	d.Show()
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// liveStatusText is the status bar's text for a live capture (or one that
// was stopped): the interface, counters, drops and rate.
func liveStatusText(st capture.Status, msg string) (left, right string) {
	switch st.State {
	case capture.StateCapturing:
		left = "Capturing from " + st.Interface
	default:
		left = st.Interface + ": capture stopped"
	}
	switch {
	case msg != "":
		left += " · " + msg
	case st.Warning != "":
		left += " · ⚠ " + st.Warning
	}
	pct := 0.0
	if st.Packets > 0 {
		pct = 100 * float64(st.Displayed) / float64(st.Packets)
	}
	right = fmt.Sprintf("Packets: %d · Displayed: %d (%.1f%%) · Marked: %d · Dropped: %d kernel, %d interface",
		st.Packets, st.Displayed, pct, st.Marked, st.Live.Dropped, st.Live.IfDropped)
	if st.State == capture.StateCapturing {
		right += fmt.Sprintf(" · %.0f pkt/s", st.Rate)
	}
	right += " · " + formatDuration(st.LoadTime)
	return left, right
}

// captureMenuItems is the Capture menu: Start (Ctrl+E, which also stops),
// Stop, and the recovery of unsaved captures.
func (w *MainWindow) captureMenuItems(start *fyne.MenuItem) []*fyne.MenuItem {
	stop := fyne.NewMenuItem("Stop", w.StopCapture)
	recover := fyne.NewMenuItem("Recover Unsaved Captures…", func() {
		spools, err := capture.OrphanSpools("")
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		if len(spools) == 0 {
			dialog.ShowInformation("Recover unsaved captures", "There are no captures to recover.", w.win)
			return
		}
		w.OfferRecovery(spools)
	})
	return []*fyne.MenuItem{start, stop, fyne.NewMenuItemSeparator(), recover}
}

// CaptureOn starts capturing on interface name with the start page's
// capture options, stopping after stopAfter when it is positive (for
// scripted screenshots: KAISEKI_CAPTURE, KAISEKI_CAPTURE_SECONDS).
func (w *MainWindow) CaptureOn(name string, stopAfter time.Duration) {
	if cp := w.Start.capture; cp != nil {
		if stopAfter > 0 {
			cp.stopSecs.SetText(strconv.Itoa(int(max(stopAfter/time.Second, 1))))
		}
		cp.selectIface(name)
		cp.startOn(name)
		if msg := cp.optMsg.Text; cp.optMsg.Visible() {
			w.setMessage(msg)
		}
		return
	}
	w.StartCapture(capture.LiveOptions{Interface: name, Duration: stopAfter})
}
