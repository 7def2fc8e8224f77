package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/dissect"
)

const (
	prefRecent = "recentFiles"
	maxRecent  = 10
)

// MainWindow is Kaiseki's window: start page, packet list, details and
// bytes panes, toolbar, menu and status bar, all rendering one
// capture.Session. Session events arrive on the Session's goroutines and
// are handed to the UI goroutine with fyne.Do; everything else runs there.
type MainWindow struct {
	app  fyne.App
	win  fyne.Window
	sess *capture.Session

	Table  *PacketTable
	Tree   *ProtoTree
	Hex    *HexView
	Status *StatusBar
	Start  *StartPage

	hexScroll *container.Scroll
	panes     *container.Split
	body      *fyne.Container // holds the start page or the panes
	find      *findBar
	filter    *filterBar // display filter (filterbar.go)
	capt      captureCtl // live capture (capture.go)
	toolbar   *widget.Toolbar
	timeMenu  []*fyne.MenuItem

	shown  int // store index of the packet in the details panes (-1: none)
	onIdle []func()
	msg    string // transient status message (find results, errors)

	post      func(func())
	pendingMu sync.Mutex
	pending   capture.Change
	scheduled bool
	work      sync.WaitGroup // find goroutines
}

// NewMainWindow builds the window for app a with a Session of its own.
func NewMainWindow(a fyne.App) *MainWindow {
	w := &MainWindow{app: a, shown: -1, post: fyne.Do}
	w.sess = capture.NewSession(w.onSessionChange)
	w.win = a.NewWindow("Kaiseki")
	w.win.SetMaster()

	w.Table = NewPacketTable(w.sess)
	w.Tree = NewProtoTree()
	w.Hex = NewHexView()
	w.Status = newStatusBar(w.sess.Cancel)
	w.Start = newStartPage(w.win, w.Open, w.ShowOpenDialog)
	w.Start.SetRecent(w.Recent())

	w.Tree.OnNodeSelected = func(n *dissect.Node) {
		if n == nil {
			w.Hex.SetHighlight(0, 0)
			return
		}
		w.Hex.SetHighlight(n.Off, n.Len)
	}
	w.Hex.OnByteSelected = func(off int) {
		if t := w.Tree.Packet(); t != nil {
			w.Tree.SelectPath(t.Deepest(off))
		}
	}

	w.hexScroll = container.NewScroll(w.Hex)
	tableArea := container.NewThemeOverride(w.Table, zeroPadTheme{theme.DefaultTheme()})
	treeArea := container.NewThemeOverride(w.Tree, compactTheme{theme.DefaultTheme(), 2})
	inner := container.NewVSplit(treeArea, w.hexScroll)
	inner.Offset = 0.62
	w.panes = container.NewVSplit(tableArea, inner)
	w.panes.Offset = 0.42
	w.body = container.NewStack(w.Start.content)
	w.find = newFindBar(w)
	w.filter = newFilterBar(w)
	w.Tree.OnContextMenu = w.showTreeMenu
	w.Start.onCapture = w.StartCapture
	w.toolbar = w.makeToolbar()
	top := container.NewVBox(w.toolbar, w.filter.box, w.find.box)
	w.win.SetContent(w.filter.overlay(container.NewBorder(top, w.Status.box, nil, nil, w.body)))
	w.win.SetMainMenu(w.makeMenu())
	w.addShortcuts()
	w.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		for _, u := range uris {
			if u.Scheme() == "file" {
				w.Open(u.Path())
				return
			}
		}
	})
	w.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		// With nothing focused, arrows still move through the packets.
		w.Table.TypedKey(ev)
	})
	w.win.SetCloseIntercept(func() {
		// A running capture stops first, so that Save can save it.
		w.whenStopped(func() {
			w.ConfirmUnsaved("closing", func() {
				w.Start.StopSampling()
				w.sess.Close()
				w.win.Close()
			})
		})
	})
	w.Table.OnRowMenu = w.showRowMenu
	w.win.Resize(fyne.NewSize(1280, 820))
	w.refreshStatus()
	return w
}

// Window returns the Fyne window.
func (w *MainWindow) Window() fyne.Window { return w.win }

// Session returns the session the window renders.
func (w *MainWindow) Session() *capture.Session { return w.sess }

// Wait blocks until background loading, sorting and finding are done and
// their events were delivered.
func (w *MainWindow) Wait() {
	w.sess.Wait()
	w.work.Wait()
}

// onSessionChange runs on any goroutine: it merges changes and schedules
// one UI update for all of them.
func (w *MainWindow) onSessionChange(c capture.Change) {
	w.pendingMu.Lock()
	w.pending |= c
	if w.scheduled {
		w.pendingMu.Unlock()
		return
	}
	w.scheduled = true
	w.pendingMu.Unlock()
	w.post(w.flush)
}

func (w *MainWindow) flush() {
	w.pendingMu.Lock()
	c := w.pending
	w.pending, w.scheduled = 0, false
	w.pendingMu.Unlock()
	w.apply(c)
}

// apply updates the widgets for changes c (UI goroutine).
func (w *MainWindow) apply(c capture.Change) {
	st := w.sess.Status()
	if c&capture.ChangeState != 0 {
		w.showBody(st.State != capture.StateIdle)
		w.win.SetTitle(w.windowTitle())
		w.updateCaptureActions(st.State)
	}
	if c&(capture.ChangePackets|capture.ChangeView|capture.ChangeSelection|capture.ChangeMarks) != 0 {
		w.Table.Refresh()
	}
	if c&capture.ChangePackets != 0 && st.State == capture.StateCapturing {
		w.followNew()
	}
	if c&capture.ChangeSelection != 0 {
		w.showSelected()
	}
	w.refreshStatus()
	if c&capture.ChangeState != 0 && st.State == capture.StateStopped && !st.Sorting {
		fns := w.onIdle
		w.onIdle = nil
		for _, f := range fns {
			f()
		}
	}
}

func (w *MainWindow) showBody(packets bool) {
	want := w.Start.content
	if packets {
		want = w.panes
	}
	if len(w.body.Objects) == 1 && w.body.Objects[0] == want {
		return
	}
	w.body.Objects = []fyne.CanvasObject{want}
	w.body.Refresh()
}

// showSelected fills the details and bytes panes for the selected packet.
func (w *MainWindow) showSelected() {
	idx, _ := w.sess.Selected()
	if idx == w.shown {
		return
	}
	w.shown = idx
	if idx < 0 {
		w.Tree.SetPacket(nil)
		w.Hex.SetData(nil)
		return
	}
	t, err := w.sess.Tree(idx)
	if err != nil {
		w.setMessage(err.Error())
		w.Tree.SetPacket(nil)
		w.Hex.SetData(nil)
		return
	}
	w.Hex.SetData(t.Data)
	if n := w.Tree.SetPacket(t); n != nil {
		w.Hex.SetHighlight(n.Off, n.Len)
	}
}

func (w *MainWindow) refreshStatus() {
	w.Status.update(w.sess.Status(), w.msg)
}

func (w *MainWindow) setMessage(m string) {
	w.msg = m
	w.refreshStatus()
}

// WhenLoaded runs f on the UI goroutine once the current load (and sort)
// has finished, or now when nothing is running.
func (w *MainWindow) WhenLoaded(f func()) {
	if st := w.sess.Status(); st.State != capture.StateLoading && !st.Sorting {
		f()
		return
	}
	w.onIdle = append(w.onIdle, f)
}

// Open starts loading path and records it as a recent file.
func (w *MainWindow) Open(path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if w.sess.Dirty() {
		// Captured packets or edits would be lost: ask first (capture.go).
		w.whenStopped(func() {
			w.ConfirmUnsaved("opening another file", func() { w.sess.Close(); w.Open(path) })
		})
		return
	}
	w.shown = -1
	w.msg = ""
	w.onIdle = nil
	if err := w.sess.Open(path); err != nil {
		w.Tree.SetPacket(nil)
		w.Hex.SetData(nil)
		dialog.ShowError(err, w.win)
		return
	}
	w.Start.StopSampling()
	w.filter.reapply()
	w.addRecent(path)
}

// ShowOpenDialog asks for a capture file to open.
func (w *MainWindow) ShowOpenDialog() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		w.Open(path)
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pcap", ".pcapng", ".cap", ".gz", ".ntar", ".dmp"}))
	if recent := w.Recent(); len(recent) > 0 {
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(recent[0]))); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// Recent returns the recently opened files, most recent first.
func (w *MainWindow) Recent() []string {
	return w.app.Preferences().StringList(prefRecent)
}

func (w *MainWindow) addRecent(path string) {
	list := []string{path}
	for _, p := range w.Recent() {
		if p != path && len(list) < maxRecent {
			list = append(list, p)
		}
	}
	w.app.Preferences().SetStringList(prefRecent, list)
	w.Start.SetRecent(list)
	w.win.SetMainMenu(w.makeMenu())
}

// SelectPacket selects frame number num and scrolls to it.
func (w *MainWindow) SelectPacket(num int) bool {
	if !w.sess.GoTo(num) {
		return false
	}
	// Show it now rather than when the event arrives, so that a field can
	// be selected right after.
	w.showSelected()
	w.Table.Refresh()
	w.Table.ScrollToSelected()
	return true
}

// SelectField selects the first node of the shown packet whose field is
// abbrev, opening its parents (for scripted screenshots and tests).
func (w *MainWindow) SelectField(abbrev string) bool {
	t := w.Tree.Packet()
	if t == nil {
		return false
	}
	var path []int
	var walk func(ns []*dissect.Node, prefix []int) bool
	walk = func(ns []*dissect.Node, prefix []int) bool {
		for i, n := range ns {
			p := append(append([]int(nil), prefix...), i)
			if n.Abbrev() == abbrev {
				path = p
				return true
			}
			if walk(n.Kids, p) {
				return true
			}
		}
		return false
	}
	if !walk(t.Nodes, nil) {
		return false
	}
	w.Tree.SelectPath(path)
	return true
}

func (w *MainWindow) step(delta int) {
	w.sess.Step(delta)
	w.Table.ScrollToSelected()
}

func (w *MainWindow) selectEdge(last bool) {
	if last {
		w.sess.SelectPos(w.sess.Len() - 1)
	} else {
		w.sess.SelectPos(0)
	}
	w.Table.ScrollToSelected()
}

// SetTimeFormat switches the Time column and ticks the menu item.
func (w *MainWindow) SetTimeFormat(f TimeFormat) {
	w.Table.SetTimeFormat(f)
	for i, it := range w.timeMenu {
		it.Checked = TimeFormat(i) == f
	}
}

func (w *MainWindow) toggleMark() {
	if idx, _ := w.sess.Selected(); idx >= 0 {
		w.sess.ToggleMark(idx)
	}
}

func (w *MainWindow) showGoTo() {
	e := widget.NewEntry()
	e.SetPlaceHolder("packet number")
	dialog.ShowForm("Go to packet", "Go", "Cancel", []*widget.FormItem{widget.NewFormItem("Packet", e)}, func(ok bool) {
		if !ok {
			return
		}
		n, err := strconv.Atoi(strings.TrimSpace(e.Text))
		if err != nil || !w.SelectPacket(n) {
			w.setMessage(fmt.Sprintf("No packet number %q is displayed", e.Text))
		}
	}, w.win)
	w.win.Canvas().Focus(e)
}

func (w *MainWindow) showAbout() {
	dialog.ShowInformation("About Kaiseki", "Kaiseki — a packet analyzer.\nRead pcap and pcapng files; a tshark-compatible command line is included.", w.win)
}

// showLegend lists the colouring rules with their colours.
func (w *MainWindow) showLegend() {
	box := container.NewVBox()
	for _, r := range w.Table.rules {
		bg, fg := r.BG, r.FG
		rect := canvas.NewRectangle(bg)
		rect.SetMinSize(fyne.NewSize(260, 22))
		txt := canvas.NewText("  "+r.Name, fg)
		box.Add(container.NewStack(rect, txt))
	}
	note := widget.NewLabel("Selected rows use the accent colour, marked rows are black.")
	note.Wrapping = fyne.TextWrapWord
	dialog.ShowCustom("Colouring rules", "Close", container.NewVBox(box, note), w.win)
}

func (w *MainWindow) makeToolbar() *widget.Toolbar {
	save := widget.NewToolbarAction(theme.DocumentSaveIcon(), w.Save)
	start := widget.NewToolbarAction(theme.MediaRecordIcon(), w.ToggleCapture)
	stop := widget.NewToolbarAction(theme.MediaStopIcon(), w.StopCapture)
	stop.Disable()
	w.capt.startAct, w.capt.stopAct = start, stop
	return widget.NewToolbar(
		widget.NewToolbarAction(theme.FolderOpenIcon(), w.ShowOpenDialog),
		save,
		widget.NewToolbarSeparator(),
		start, stop,
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.SearchIcon(), w.find.show),
		widget.NewToolbarAction(theme.MediaSkipPreviousIcon(), func() { w.selectEdge(false) }),
		widget.NewToolbarAction(theme.NavigateBackIcon(), func() { w.step(-1) }),
		widget.NewToolbarAction(theme.NavigateNextIcon(), func() { w.step(1) }),
		widget.NewToolbarAction(theme.MediaSkipNextIcon(), func() { w.selectEdge(true) }),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.ColorPaletteIcon(), w.showLegend),
	)
}

// shortcut builds a Ctrl(+Shift)+key shortcut.
func shortcut(k fyne.KeyName, mods ...fyne.KeyModifier) *desktop.CustomShortcut {
	m := fyne.KeyModifierShortcutDefault
	for _, x := range mods {
		m |= x
	}
	return &desktop.CustomShortcut{KeyName: k, Modifier: m}
}

type command struct {
	label string
	key   *desktop.CustomShortcut
	do    func()
}

func (w *MainWindow) commands() map[string]command {
	cmds := map[string]command{
		"open": {"Open…", shortcut(fyne.KeyO), w.ShowOpenDialog},
		"close": {"Close", shortcut(fyne.KeyW), func() {
			w.whenStopped(func() { w.ConfirmUnsaved("closing", func() { w.sess.Close() }) })
		}},
		"quit": {"Quit", shortcut(fyne.KeyQ), func() {
			w.ConfirmUnsaved("quitting", func() { w.Start.StopSampling(); w.sess.Close(); w.app.Quit() })
		}},
		"capture":  {"Start", shortcut(fyne.KeyE), w.ToggleCapture},
		"filter":   {"Display Filter", shortcut(fyne.KeySlash), func() { w.win.Canvas().Focus(w.filter.entry) }},
		"find":     {"Find Packet…", shortcut(fyne.KeyF), w.find.show},
		"findNext": {"Find Next", shortcut(fyne.KeyN), func() { w.find.run(false) }},
		"findPrev": {"Find Previous", shortcut(fyne.KeyB), func() { w.find.run(true) }},
		"mark":     {"Mark/Unmark Packet", shortcut(fyne.KeyM), w.toggleMark},
		"goto":     {"Go to Packet…", shortcut(fyne.KeyG), w.showGoTo},
		"next":     {"Next Packet", shortcut(fyne.KeyDown), func() { w.step(1) }},
		"prev":     {"Previous Packet", shortcut(fyne.KeyUp), func() { w.step(-1) }},
		"first":    {"First Packet", shortcut(fyne.KeyHome), func() { w.selectEdge(false) }},
		"last":     {"Last Packet", shortcut(fyne.KeyEnd), func() { w.selectEdge(true) }},
	}
	for k, c := range w.saveCommands() { // save.go
		cmds[k] = c
	}
	return cmds
}

func (w *MainWindow) addShortcuts() {
	for _, c := range w.commands() {
		if c.key == nil {
			continue
		}
		do := c.do
		w.win.Canvas().AddShortcut(c.key, func(fyne.Shortcut) { do() })
	}
}

func (w *MainWindow) makeMenu() *fyne.MainMenu {
	cmds := w.commands()
	item := func(name string) *fyne.MenuItem {
		c := cmds[name]
		it := fyne.NewMenuItem(c.label, c.do)
		if c.key != nil {
			it.Shortcut = c.key
		}
		return it
	}
	recent := fyne.NewMenuItem("Open Recent", nil)
	for _, p := range w.Recent() {
		recent.ChildMenu = appendItem(recent.ChildMenu, fyne.NewMenuItem(p, func() { w.Open(p) }))
	}
	if recent.ChildMenu == nil {
		recent.Disabled = true
	}
	quit := item("quit")
	quit.IsQuit = true
	file := fyne.NewMenu("File", item("open"), recent)
	file.Items = append(file.Items, w.fileMenuItems(item)...)
	file.Items = append(file.Items, fyne.NewMenuItemSeparator(), item("close"), fyne.NewMenuItemSeparator(), quit)
	edit := fyne.NewMenu("Edit", item("find"), item("findNext"), item("findPrev"), fyne.NewMenuItemSeparator(), item("mark"))
	edit.Items = append(edit.Items, w.editMenuItems(item)...)

	w.timeMenu = nil
	for f := TimeRelative; f <= TimeDelta; f++ {
		it := fyne.NewMenuItem(f.String(), func() { w.SetTimeFormat(f) })
		it.Checked = w.Table.TimeFormat() == f
		w.timeMenu = append(w.timeMenu, it)
	}
	timeItem := fyne.NewMenuItem("Time Display Format", nil)
	timeItem.ChildMenu = fyne.NewMenu("", w.timeMenu...)
	view := fyne.NewMenu("View", timeItem, fyne.NewMenuItem("Colouring Rules…", w.showLegend))
	goMenu := fyne.NewMenu("Go", item("goto"), item("next"), item("prev"), item("first"), item("last"))
	captureMenu := fyne.NewMenu("Capture", w.captureMenuItems(item("capture"))...)
	help := fyne.NewMenu("Help", fyne.NewMenuItem("About Kaiseki", w.showAbout))
	return fyne.NewMainMenu(file, edit, view, goMenu, captureMenu, help)
}

func appendItem(m *fyne.Menu, it *fyne.MenuItem) *fyne.Menu {
	if m == nil {
		return fyne.NewMenu("", it)
	}
	m.Items = append(m.Items, it)
	return m
}

// findBar is Wireshark's find toolbar: what to look for, the text, and
// next/previous buttons. Searches run on a goroutine.
type findBar struct {
	w      *MainWindow
	box    *fyne.Container
	kind   *widget.Select
	entry  *widget.Entry
	cancel context.CancelFunc
}

var findKinds = []string{"String", "Hex value", "Field (abbrev == value)"}

func newFindBar(w *MainWindow) *findBar {
	f := &findBar{w: w}
	f.kind = widget.NewSelect(findKinds, nil)
	f.kind.SetSelectedIndex(0)
	f.entry = widget.NewEntry()
	f.entry.SetPlaceHolder("text in the packet list, hex bytes (de ad be ef), or a field like ip.src == 10.0.0.1")
	f.entry.OnSubmitted = func(string) { f.run(false) }
	next := widget.NewButtonWithIcon("Find", theme.SearchIcon(), func() { f.run(false) })
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { f.run(true) })
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), f.hide)
	f.box = container.NewBorder(nil, nil, f.kind, container.NewHBox(prev, next, closeBtn), f.entry)
	f.box.Hide()
	return f
}

func (f *findBar) show() {
	f.box.Show()
	f.w.win.Canvas().Focus(f.entry)
}

func (f *findBar) hide() {
	if f.cancel != nil {
		f.cancel()
	}
	f.box.Hide()
}

// run searches from the selected packet; the result arrives through post.
func (f *findBar) run(backward bool) {
	if !f.box.Visible() || strings.TrimSpace(f.entry.Text) == "" {
		f.show()
		return
	}
	q := capture.FindQuery{Kind: capture.FindKind(f.kind.SelectedIndex()), Text: f.entry.Text, Backward: backward}
	f.w.Find(q)
}

// Find searches for q from the selected packet in the background and
// selects the match.
func (w *MainWindow) Find(q capture.FindQuery) {
	if w.find.cancel != nil {
		w.find.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.find.cancel = cancel
	_, from := w.sess.Selected()
	w.setMessage("Searching…")
	w.work.Add(1)
	go func() {
		defer w.work.Done()
		pos, err := w.sess.Find(ctx, q, from)
		w.post(func() {
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				w.setMessage(err.Error())
			case pos < 0:
				w.setMessage(fmt.Sprintf("No packet matches %q", q.Text))
			default:
				w.setMessage("")
				w.sess.SelectPos(pos)
				w.Table.ScrollToSelected()
			}
		})
	}()
}

// StatusBar shows the file, packet counts, load time, warnings and the
// progress of long work with a Cancel button.
type StatusBar struct {
	box      *fyne.Container
	left     *widget.Label
	right    *widget.Label
	progress *widget.ProgressBar
	cancel   *widget.Button
}

func newStatusBar(cancel func()) *StatusBar {
	s := &StatusBar{
		left: widget.NewLabel(""), right: widget.NewLabel(""),
		progress: widget.NewProgressBar(), cancel: widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), cancel),
	}
	s.left.Truncation = fyne.TextTruncateEllipsis
	s.progress.Hide()
	s.cancel.Hide()
	prog := container.NewHBox(container.NewGridWrap(fyne.NewSize(180, s.progress.MinSize().Height), s.progress), s.cancel)
	s.box = container.NewBorder(widget.NewSeparator(), nil, nil, container.NewHBox(prog, s.right), s.left)
	return s
}

// Text returns the status bar's left and right texts (for tests).
func (s *StatusBar) Text() (left, right string) { return s.left.Text, s.right.Text }

func (s *StatusBar) update(st capture.Status, msg string) {
	left := "Ready to load or capture"
	if st.Path != "" {
		left = filepath.Base(st.Path)
	}
	switch {
	case msg != "":
		left += " · " + msg
	case st.Warning != "":
		left += " · ⚠ " + st.Warning
	}
	s.left.SetText(left)
	if st.State == capture.StateIdle {
		s.right.SetText("No packets")
	} else {
		pct := 0.0
		if st.Packets > 0 {
			pct = 100 * float64(st.Displayed) / float64(st.Packets)
		}
		s.right.SetText(fmt.Sprintf("Packets: %d · Displayed: %d (%.1f%%) · Marked: %d · Load time: %s",
			st.Packets, st.Displayed, pct, st.Marked, formatDuration(st.LoadTime)))
	}
	if st.Interface != "" {
		l, r := liveStatusText(st, msg) // capture.go
		s.left.SetText(l)
		s.right.SetText(r)
	}
	busy := st.State == capture.StateLoading || st.Sorting || st.Filtering
	if busy {
		if st.Filtering {
			s.progress.SetValue(st.FilterProgress)
		} else if st.Sorting {
			s.progress.SetValue(0)
		} else {
			s.progress.SetValue(st.Progress)
		}
		s.progress.Show()
		s.cancel.Show()
	} else {
		s.progress.Hide()
		s.cancel.Hide()
	}
}

// formatDuration formats like Wireshark's status bar: m:ss.mmm.
func formatDuration(d interface{ Milliseconds() int64 }) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%d:%02d.%03d", ms/60000, ms/1000%60, ms%1000)
}
